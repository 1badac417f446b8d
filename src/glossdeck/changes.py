"""What a sync reports: the entries it added, changed and removed, and how to find a removed one in Anki."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .export.anki import MODEL_NAME, fields
from .model import Entry, EntryRow, Glossary, Problem, entry_from_row
from .pipeline import Report


@dataclass
class SyncReport:
    """What one sync did, for the change list and the summary line."""

    nothing_changed: bool = False
    first_run: bool = False
    """No usable cache: every entry counts as added."""
    notes: int = 0
    """Notes read (unreadable files not counted), as build counts them."""
    reread: int = 0
    """Notes read and harvested this run (the rest came from the cache)."""
    added: list[Entry] = field(default_factory=list)
    changed: list[tuple[Entry, tuple[str, ...]]] = field(default_factory=list)
    """Each changed entry with the names of the fields that changed."""
    removed: list[tuple[Entry, str]] = field(default_factory=list)
    """Each removed entry with the Anki search that finds its note."""
    problems: list[Problem] = field(default_factory=list)
    """This run's warnings: the re-read notes', the walk's, a damaged cache's or clock's."""
    build: Report | None = None
    remerged: int | None = None
    """How many terms were merged again; None when every term was (first run, many changes)."""


def diff(report: SyncReport, before: Sequence[EntryRow], after: Sequence[EntryRow], result: Glossary) -> None:
    """Fill the report's added, changed and removed lists; entry rows that are equal are skipped."""
    old = {row[0]: row for row in before}
    new = dict(zip((row[0] for row in after), zip(after, result.entries, strict=True), strict=True))
    for key, (row, entry) in new.items():
        if key not in old:
            report.added.append(entry)
            continue
        if old[key] is row or old[key] == row:
            continue
        a, b = entry_from_row(old[key]).to_json(), entry.to_json()
        what = tuple(k for k in b if a.get(k) != b[k])
        if what:
            report.changed.append((entry, what))
    vault = result.vault_name or result.name
    for key, row in old.items():
        if key not in new:
            entry = entry_from_row(row)
            report.removed.append((entry, anki_search(entry, vault)))


def unannounced(
    report: SyncReport, pending: Sequence[EntryRow], after: Sequence[EntryRow], result: Glossary,
) -> None:
    """Add the removals a killed run saved but never printed, unless already listed or back in the vault."""
    known = {row[0] for row in after} | {e.key for e, _ in report.removed}
    vault = result.vault_name or result.name
    for row in pending:
        if row[0] not in known:
            entry = entry_from_row(row)
            report.removed.append((entry, anki_search(entry, vault)))
            known.add(row[0])


def anki_search(entry: Entry, vault: str = "") -> str:
    """Return the Anki browser search that finds this entry's note (field search on the note type)."""
    term, expansion = fields(entry, vault)[:2]  # the field text exactly as the .apkg stores it
    parts = [f"note:{MODEL_NAME}", f"Term:{term}", f"Expansion:{expansion}"]
    return " ".join(_quote(p) for p in parts)


def _quote(text: str) -> str:
    # Anki search: * and _ are wildcards, \ escapes, " ends the quoted term.
    for ch in ("\\", '"', "*", "_"):
        text = text.replace(ch, "\\" + ch)
    return f'"{text}"'
