"""The command line (Typer): the only place where errors become messages and exit codes."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer

from . import __version__
from .cli_group import Group
from .console import (
    Progress,
    built,
    count,
    entries_table,
    err,
    nothing_found,
    out,
    profiles_found,
    pushed,
    say,
    synced,
    timestamps,
    warn,
)
from .corrections import Corrections
from .errors import GlossdeckError
from .export.anki import AnkiOptions
from .export.lang import LANGS
from .export.table import json_text
from .harvest import harvest_note
from .lint import lint, sort_problems
from .model import Entry, Problem
from .normalise import merge
from .pipeline import DEFAULT_FORMATS, FORMATS, Options, Report, build, glossary, read_notes
from .sync import SyncReport, sync
from .vault import vault_excludes

app = typer.Typer(
    cls=Group,
    add_completion=False,
    no_args_is_help=True,
    help="Harvest acronyms and cited definitions from an Obsidian vault into Anki decks, CSV and more.",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
_debug = False
_P = ParamSpec("_P")
_T = TypeVar("_T")


def _version(value: bool) -> None:
    if value:
        print(f"glossdeck {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """glossdeck: your vault's acronyms and definitions as Anki cards."""
    global _debug
    _debug = debug
    for stream in (sys.stdout, sys.stderr):
        # a path that is not UTF-8 (a folder named with Latin-1 bytes) prints as its own bytes, as ls does
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="surrogateescape")
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    # glossdeck's own debug lines only: markdown-it logs every rule it tries
    logging.getLogger("glossdeck").setLevel(logging.DEBUG if debug else logging.WARNING)


def _formats(value: str) -> tuple[str, ...]:
    chosen = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    bad = [f for f in chosen if f not in FORMATS]
    if bad or not chosen:
        raise typer.BadParameter(f"unknown format {', '.join(bad) or value!r}; choose from {', '.join(FORMATS)}")
    return chosen


def _lang(value: str | None) -> str | None:
    if value is not None and value not in LANGS:
        raise typer.BadParameter(f"choose {' or '.join(LANGS)}", param_hint="--lang")
    return value


def _run(fn: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
    try:
        return fn(*args, **kwargs)
    except GlossdeckError as exc:
        if _debug:
            raise
        err.print(f"glossdeck: {exc}", markup=False)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        err.print("glossdeck: interrupted; outputs left as they were", markup=False)
        raise typer.Exit(130) from None
    except OSError as exc:
        # a full disk, a folder where a file should be, no permission: say where, not how
        if _debug:
            raise
        name = exc.filename2 or exc.filename  # os.replace names the target second
        where = f"{name}: " if name else ""
        err.print(f"glossdeck: {where}{exc.strerror or exc}; outputs left as they were", markup=False)
        raise typer.Exit(2) from None


VaultArg = Annotated[Path, typer.Argument(help="The vault folder.", show_default=False, metavar="VAULT")]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config", "-c", show_default=False,
        help="Take \\[ignore] and \\[\\[override]] from this file (default: ./glossdeck.toml when its vault is VAULT).",
    ),
]


def _corrections(vault: Path, config_file: Path | None) -> tuple[Corrections, str | None]:
    """Return the corrections and vault name of the config that goes with VAULT (none: no corrections)."""
    from .config import for_vault

    config = _run(for_vault, vault, config_file)
    return (config.corrections, config.vault_name) if config else (Corrections(), None)
ExcludeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude", metavar="PATH", show_default=False,
        help="A path from the vault's root never to read (gitignore-style with a glob); repeatable. "
        ".obsidian, .trash and the Templates plugin's folder are always excluded.",
    ),
]


@app.command("build")
def build_cmd(
    vault: VaultArg,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("decks"),
    deck: Annotated[str | None, typer.Option("--deck", help="Deck name (default: the vault folder's name).")] = None,
    formats: Annotated[
        str, typer.Option("--format", "-f", help=f"Comma-separated: {', '.join(FORMATS)}.")
    ] = ",".join(DEFAULT_FORMATS),
    reverse: Annotated[bool, typer.Option("--reverse", help="Also make meaning -> term cards.")] = False,
    tag_folders: Annotated[bool, typer.Option("--tag-folders", help="Tag cards with their folder path.")] = False,
    subdecks: Annotated[bool, typer.Option("--subdecks", help="One subdeck per top-level folder.")] = False,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Card labels and glossary in ja or en (default: the vault's).")
    ] = None,
    vault_name: Annotated[
        str | None, typer.Option("--vault-name", help="The vault's name in Obsidian, for links (default: the name "
                                 "of the folder holding .obsidian/).")
    ] = None,
    config_file: ConfigOpt = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 on any warning, a typo'd label read as another, or no entry.")
    ] = False,
    wait: Annotated[
        float, typer.Option("--wait", help="Seconds to wait when a sync is writing into --out.")
    ] = 0.0,
    exclude: ExcludeOpt = None,
) -> None:
    """Harvest the vault and write the chosen outputs (default: .apkg and .csv) into --out."""
    fixes, name = _corrections(vault, config_file)
    options = Options(
        vault=vault,
        out=out_dir,
        deck=deck,
        formats=_formats(formats),
        excludes=vault_excludes(vault, exclude or ()),
        anki=AnkiOptions(reverse=reverse, tag_folders=tag_folders, subdecks=subdecks, lang=_lang(lang)),
        vault_name=vault_name or name,
        corrections=fixes,
    )
    progress = Progress("Reading notes")
    try:
        report: Report = _run(build, options, progress, wait)
    finally:
        progress.close()
    warn(report.problems)
    nothing_found(vault, report.notes, report.entries)
    built(report)
    if strict and (report.problems or not report.entries):
        raise typer.Exit(1)


@app.command("harvest")
def harvest_cmd(
    vault: VaultArg,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    explain: Annotated[
        bool, typer.Option("--explain", help="Print each entry's places and the rule that read each.")
    ] = False,
    config_file: ConfigOpt = None,
    exclude: ExcludeOpt = None,
) -> None:
    """Harvest and normalise the vault, print the entries, write nothing."""
    fmt = fmt.lower()
    if fmt not in ("table", "json"):
        raise typer.BadParameter("choose table or json", param_hint="--format")
    if explain and fmt == "json":
        raise typer.BadParameter("--explain prints text; the json names each source's rule", param_hint="--explain")
    fixes, _ = _corrections(vault, config_file)
    options = Options(vault=vault, formats=(), excludes=vault_excludes(vault, exclude or ()), corrections=fixes)
    result, report = _run(glossary, options)
    warn(report.problems)
    nothing_found(vault, report.notes, report.entries)
    if fmt == "json":
        sys.stdout.write(json_text(result.entries))
        return
    if explain:
        sys.stdout.write(_explanation(result.entries))
        return
    out.print(entries_table(result.entries, report.notes))


def _explanation(entries: tuple[Entry, ...]) -> str:
    """Return, per entry, its meaning and each place (path:line) with the rule that read it."""
    lines: list[str] = []
    for e in entries:
        meaning = e.expansion or (e.definition or "")[:60] or "、".join(e.aliases)
        lines.append(f"{e.term}  {meaning}".rstrip())
        lines.extend(f"  {s.path}:{s.line}  {s.rule}" for s in e.sources)
    return "".join(line + "\n" for line in lines)


@app.command("lint")
def lint_cmd(
    vault: VaultArg,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    config_file: ConfigOpt = None,
    exclude: ExcludeOpt = None,
) -> None:
    """Report footnote problems, and corrections that match nothing; exit 1 when any is found, 0 when clean."""
    fmt = fmt.lower()
    if fmt not in ("text", "json"):
        raise typer.BadParameter("choose text or json", param_hint="--format")
    fixes, _ = _corrections(vault, config_file)

    def run() -> tuple[list[Problem], int, int]:
        notes, bad_input = read_notes(Options(vault=vault, formats=(), excludes=vault_excludes(vault, exclude or ())))
        entries = merge(c for note in notes for c in harvest_note(note))
        return sort_problems(bad_input + lint(notes, entries, fixes)), len(notes), len(entries)

    problems, notes, entries = _run(run)
    nothing_found(vault, notes, entries)
    if fmt == "json":
        import json

        sys.stdout.write(json.dumps([p.to_json() for p in problems], ensure_ascii=False, indent=2) + "\n")
    else:
        for p in problems:
            out.print(p.to_text(), markup=False)
        if problems:
            err.print(count(len(problems), "problem"), markup=False)
    if problems:
        raise typer.Exit(1)


@app.command("init")
def init_cmd(
    vault: Annotated[
        Path | None, typer.Argument(help="The vault folder (default: this folder).", metavar="[VAULT]")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing glossdeck.toml.")] = False,
) -> None:
    """Write a commented glossdeck.toml for VAULT into the current folder."""
    from .config import init_warnings, write_template

    folder = vault if vault is not None else Path(".")
    target = _run(write_template, folder, Path.cwd(), force)
    for warning in init_warnings(folder, Path.cwd(), given=vault is not None):
        err.print(f"glossdeck: {warning}", markup=False)
    out.print(f"wrote {target}; edit it, then run: glossdeck sync", markup=False)


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
    from .config import load

    config = _run(load, config_file)
    options = config.options()
    if config.push is not None:  # sync pushes too (docs/anki.md, "Pushing into your collection")
        from .export.profiles import target

        options = replace(options, push=_run(target, config.push))
    with timestamps(not out.is_terminal):
        report = _sync_once(options, wait)
        if not watch_:
            empty = report.notes == 0 or (report.build is not None and not report.build.entries)
            if strict and (report.problems or empty):
                raise typer.Exit(1)
            return
        _watch(options, wait)


def _watch(options: Options, wait: float) -> None:
    from .watch import watch

    def failed(exc: BaseException) -> None:
        say(f"glossdeck: rebuild failed: {exc}; still watching", stderr=True)

    def rebuild() -> None:
        _sync_once(options, wait, raise_=True)

    say(f"watching {options.vault} (Ctrl-C to stop)")
    try:
        watch(options.vault, options.excludes, rebuild, failed)
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
    from .export.profiles import bases, found, target

    if list_profiles:
        profiles_found(found(), bases())
        return
    if profile is not None and collection is not None:
        raise typer.BadParameter("give --profile or --collection, not both", param_hint="--profile")
    from .config import load

    config = _run(load, config_file)
    options = replace(config.options(), push=_run(target, config.push, profile, collection, True, dry_run))
    progress = Progress("Reading notes")
    try:
        report = _run(sync, options, 0.0, progress)
    finally:
        progress.close()
    pushed(report)


def _sync_once(options: Options, wait: float, raise_: bool = False) -> SyncReport:
    progress = Progress("Reading notes")

    def announce(report: SyncReport) -> None:  # before sync forgets the removals it saved to announce
        progress.close()
        synced(report, options.vault)

    try:
        return sync(options, wait, progress, announce) if raise_ else _run(sync, options, wait, progress, announce)
    finally:
        progress.close()


def main() -> None:
    """Run the command line."""
    try:
        app()
    except GlossdeckError as exc:
        if _debug:  # --debug: the traceback that _run let through
            raise
        err.print(f"glossdeck: {exc}", markup=False)
        sys.exit(exc.exit_code)
    except Exception as exc:  # pragma: no cover - a bug: still no traceback unless asked
        if _debug:
            raise
        err.print(f"glossdeck: internal error ({type(exc).__name__}: {exc}); run with --debug for details",
                  markup=False)
        sys.exit(3)
