"""The command line (Typer): the only place where errors become messages and exit codes."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.table import Table

from . import __version__
from .console import Progress, built, err, no_notes, out, synced, warn
from .errors import GlossdeckError
from .export.anki import AnkiOptions
from .export.lang import LANGS
from .export.table import json_text
from .lint import lint, sort_problems
from .model import Problem
from .pipeline import DEFAULT_FORMATS, FORMATS, Options, Report, build, glossary
from .sync import SyncReport, sync
from .vault import read_vault, vault_excludes

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Harvest acronyms and cited definitions from an Obsidian vault into Anki decks, CSV and more.",
    pretty_exceptions_enable=False,
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
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="%(message)s")


def _formats(value: str) -> tuple[str, ...]:
    chosen = tuple(f.strip() for f in value.split(",") if f.strip())
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


VaultArg = Annotated[Path, typer.Argument(help="The vault folder.", show_default=False)]
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
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when there are warnings.")] = False,
    wait: Annotated[
        float, typer.Option("--wait", help="Seconds to wait when a sync is writing into --out.")
    ] = 0.0,
    exclude: ExcludeOpt = None,
) -> None:
    """Harvest the vault and write the chosen outputs (default: .apkg and .csv) into --out."""
    options = Options(
        vault=vault,
        out=out_dir,
        deck=deck,
        formats=_formats(formats),
        excludes=vault_excludes(vault, exclude or ()),
        anki=AnkiOptions(reverse=reverse, tag_folders=tag_folders, subdecks=subdecks, lang=_lang(lang)),
    )
    progress = Progress("Reading notes")
    try:
        report: Report = _run(build, options, progress, wait)
    finally:
        progress.close()
    warn(report.problems)
    no_notes(vault, report.notes)
    built(report)
    if strict and report.problems:
        raise typer.Exit(1)


@app.command("harvest")
def harvest_cmd(
    vault: VaultArg,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    exclude: ExcludeOpt = None,
) -> None:
    """Harvest and normalise the vault, print the entries, write nothing."""
    if fmt not in ("table", "json"):
        raise typer.BadParameter("choose table or json", param_hint="--format")
    options = Options(vault=vault, formats=(), excludes=vault_excludes(vault, exclude or ()))
    result, report = _run(glossary, options)
    warn(report.problems)
    no_notes(vault, report.notes)
    if fmt == "json":
        sys.stdout.write(json_text(result.entries))
        return
    table = Table(title=f"{len(result.entries)} entries from {report.notes} notes", show_lines=False)
    for col in ("Term", "Expansion / definition", "Aliases", "Where"):
        table.add_column(col, overflow="fold")
    for e in result.entries:
        meaning = e.expansion or ""
        if e.definition:
            cite = f" ({e.definition_source})" if e.definition_source else ""
            meaning = (meaning + "\n" if meaning else "") + e.definition[:80] + cite
        where = f"{e.sources[0].path}:{e.sources[0].line}" if e.sources else ""
        if len(e.sources) > 1:
            where += f" +{len(e.sources) - 1}"
        table.add_row(e.term, meaning, "、".join(e.aliases), where)
    out.print(table)


@app.command("lint")
def lint_cmd(
    vault: VaultArg,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    exclude: ExcludeOpt = None,
) -> None:
    """Report footnote problems; exit 1 when any is found, 0 when clean."""
    if fmt not in ("text", "json"):
        raise typer.BadParameter("choose text or json", param_hint="--format")

    def run() -> list[Problem]:
        notes, bad_input = read_vault(vault, vault_excludes(vault, exclude or ()))
        return sort_problems(bad_input + lint(notes))

    problems = _run(run)
    if fmt == "json":
        import json

        sys.stdout.write(json.dumps([p.to_json() for p in problems], ensure_ascii=False, indent=2) + "\n")
    else:
        for p in problems:
            out.print(p.to_text(), markup=False)
        if problems:
            err.print(f"{len(problems)} problems", markup=False)
    if problems:
        raise typer.Exit(1)


@app.command("init")
def init_cmd(
    vault: Annotated[Path, typer.Argument(help="The vault folder (default: this folder).")] = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Replace an existing glossdeck.toml.")] = False,
) -> None:
    """Write a commented glossdeck.toml for VAULT into the current folder."""
    from .config import write_template

    target = _run(write_template, vault, Path.cwd(), force)
    out.print(f"wrote {target}; edit it, then run: glossdeck sync", markup=False)


@app.command("sync")
def sync_cmd(
    config_file: Annotated[Path, typer.Option("--config", "-c", help="The config file.")] = Path("glossdeck.toml"),
    watch_: Annotated[bool, typer.Option("--watch", help="Keep running; rebuild after notes change.")] = False,
    wait: Annotated[
        float, typer.Option("--wait", help="Seconds to wait for another run to finish (then exit 75).")
    ] = 0.0,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when this run reports warnings (without --watch).")
    ] = False,
) -> None:
    """Rebuild from glossdeck.toml only what changed; print entries added, changed and removed.

    Exit codes: 0 done (or nothing changed), 1 warnings with --strict, 2 bad config or vault,
    75 another run holds the lock.
    """
    from .config import load

    config = _run(load, config_file)
    options = config.options()
    report = _sync_once(options, wait)
    if not watch_:
        if strict and report.problems:
            raise typer.Exit(1)
        return
    from .watch import watch

    def failed(exc: BaseException) -> None:
        err.print(f"glossdeck: rebuild failed: {exc}; still watching", markup=False)

    def rebuild() -> None:
        _sync_once(options, wait, raise_=True)

    out.print(f"watching {options.vault} (Ctrl-C to stop)", markup=False)
    try:
        watch(options.vault, options.excludes, rebuild, failed)
    except KeyboardInterrupt:
        pass
    out.print("stopped watching", markup=False)


def _sync_once(options: Options, wait: float, raise_: bool = False) -> SyncReport:
    progress = Progress("Reading notes")

    def announce(report: SyncReport) -> None:  # before sync forgets the removals it saved to announce
        progress.close()
        synced(report)

    try:
        return sync(options, wait, progress, announce) if raise_ else _run(sync, options, wait, progress, announce)
    finally:
        progress.close()


def main() -> None:
    """Run the command line."""
    try:
        app()
    except GlossdeckError as exc:  # pragma: no cover - commands handle their own
        err.print(f"glossdeck: {exc}", markup=False)
        sys.exit(exc.exit_code)
    except Exception as exc:  # pragma: no cover - a bug: still no traceback unless asked
        if _debug:
            raise
        err.print(f"glossdeck: internal error ({type(exc).__name__}: {exc}); run with --debug for details",
                  markup=False)
        sys.exit(3)
