"""The commands that run from glossdeck.toml: sync (once, or --watch) and push."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from ..changes import SyncReport
from ..console import Progress, out, profiles_found, pushed, say, synced, timestamps
from ..pipeline import Options
from ..sync import sync
from .app import app, run


@app.command("sync")
def sync_cmd(
    config_file: Annotated[Path, typer.Option("--config", "-c", help="The config file.")] = Path("glossdeck.toml"),
    watch_: Annotated[bool, typer.Option("--watch", help="Keep running; rebuild after notes change.")] = False,
    wait: Annotated[
        float, typer.Option("--wait", help="Seconds to wait for another run to finish (then exit 75).")
    ] = 0.0,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 on warnings, or no entry, in this run (without --watch).")
    ] = False,
) -> None:
    """Rebuild from glossdeck.toml only what changed; print entries added, changed and removed.

    Exit codes: 0 done (or nothing changed), 1 warnings or no entry with --strict, 2 bad config or
    vault, 75 another run holds the lock. Lines carry the time when the output goes to a log.
    """
    from ..config import load

    config = run(load, config_file)
    options = config.options()
    if config.push is not None:  # sync pushes too (docs/anki.md, "Pushing into your collection")
        from ..export.profiles import target

        options = replace(options, push=run(target, config.push))
    with timestamps(not out.is_terminal):
        if watch_:
            _watch(options, wait)
            return
        report = _sync_once(options, wait)
        empty = report.notes == 0 or (report.build is not None and not report.build.entries)
        if strict and (report.problems or empty):
            raise typer.Exit(1)


def _watch(options: Options, wait: float) -> None:
    from ..watch import watch

    def failed(exc: BaseException) -> None:
        say(f"glossdeck: rebuild failed: {exc}; still watching", stderr=True)

    def rebuild() -> None:
        _sync_once(options, wait, raise_=True)

    def first() -> None:
        _sync_once(options, wait)
        say(f"watching {options.vault} (Ctrl-C to stop)")

    try:
        watch(options.vault, options.excludes, rebuild, failed, first=first)
    except KeyboardInterrupt:
        pass
    say("stopped watching")


@app.command("push")
def push_cmd(
    config_file: Annotated[Path, typer.Option("--config", "-c", help="The config file.")] = Path("glossdeck.toml"),
    profile: Annotated[str | None, typer.Option("--profile", help="The Anki profile to write into.")] = None,
    collection: Annotated[
        Path | None, typer.Option("--collection", help="The collection file to write into (collection.anki2).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print what would change; write nothing.")] = False,
    list_profiles: Annotated[
        bool, typer.Option("--list-profiles", help="List the Anki profiles on this machine and exit.")
    ] = False,
) -> None:
    """Write the glossary straight into your Anki collection (close Anki first), as sync writes the files.

    Adds new entries, updates changed ones in place (reviews kept), retires entries gone from the
    vault. Exit codes: 0 done, 2 bad config or no such profile, 75 Anki has the collection open
    (nothing written to it) or another run holds the lock.
    """
    from ..export.profiles import bases, found, target

    if list_profiles:
        profiles_found(found(), bases())
        return
    if profile is not None and collection is not None:
        raise typer.BadParameter("give --profile or --collection, not both", param_hint="--profile")
    from ..config import load

    config = run(load, config_file)
    options = replace(config.options(), push=run(target, config.push, profile, collection, True, dry_run))
    progress = Progress("Reading notes")
    try:
        report = run(sync, options, 0.0, progress)
    finally:
        progress.close()
    pushed(report)


def _sync_once(options: Options, wait: float, raise_: bool = False) -> SyncReport:
    progress = Progress("Reading notes")

    def announce(report: SyncReport) -> None:  # before sync forgets the removals it saved to announce
        progress.close()
        synced(report, options.vault)

    try:
        return sync(options, wait, progress, announce) if raise_ else run(sync, options, wait, progress, announce)
    finally:
        progress.close()
