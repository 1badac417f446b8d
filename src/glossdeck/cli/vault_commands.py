"""The commands that take a vault folder: build, harvest, lint and init."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..console import Progress, built, count, entries_table, err, nothing_found, out, warn
from ..export.anki import AnkiOptions
from ..export.table import json_text
from ..harvest import harvest_note
from ..lint import lint, sort_problems
from ..model import Entry, Problem
from ..normalise import merge
from ..pipeline import Options, Report, build, glossary, read_notes
from ..vault import vault_excludes
from ..writing import DEFAULT_FORMATS, FORMATS
from .app import ConfigOpt, ExcludeOpt, VaultArg, app, corrections, formats_option, lang_option, run


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
    fixes, name = corrections(vault, config_file)
    options = Options(
        vault=vault,
        out=out_dir,
        deck=deck,
        formats=formats_option(formats),
        excludes=vault_excludes(vault, exclude or ()),
        anki=AnkiOptions(reverse=reverse, tag_folders=tag_folders, subdecks=subdecks, lang=lang_option(lang)),
        vault_name=vault_name or name,
        corrections=fixes,
    )
    progress = Progress("Reading notes")
    try:
        report: Report = run(build, options, progress, wait)
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
    fixes, _ = corrections(vault, config_file)
    options = Options(vault=vault, formats=(), excludes=vault_excludes(vault, exclude or ()), corrections=fixes)
    result, report = run(glossary, options)
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
    fixes, _ = corrections(vault, config_file)

    def lint_vault() -> tuple[list[Problem], int, int]:
        notes, bad_input = read_notes(Options(vault=vault, formats=(), excludes=vault_excludes(vault, exclude or ())))
        entries = merge(c for note in notes for c in harvest_note(note))
        return sort_problems(bad_input + lint(notes, entries, fixes)), len(notes), len(entries)

    problems, notes, entries = run(lint_vault)
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
    from ..config_template import init_warnings, write_template

    folder = vault if vault is not None else Path(".")
    target = run(write_template, folder, Path.cwd(), force)
    for warning in init_warnings(folder, Path.cwd(), given=vault is not None):
        err.print(f"glossdeck: {warning}", markup=False)
    out.print(f"wrote {target}; edit it, then run: glossdeck sync", markup=False)
