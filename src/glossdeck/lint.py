"""Find broken footnotes: dangling references, unused and duplicate definitions, conflicting long forms."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .harvest.labels import closest_label
from .model import Entry, Note, Problem


def lint_note(note: Note) -> list[Problem]:
    """Return the footnote problems of one note (labels are per note, as in Obsidian)."""
    problems: list[Problem] = []
    defined: dict[str, list[int]] = defaultdict(list)
    for fn in note.footnotes:
        if not fn.inline:
            defined[fn.label].append(fn.line)
    referenced = {r.label for r in note.refs if r.label in defined}
    unused = sorted(label for label in defined if label not in referenced)
    for ref in note.refs:
        if ref.label in defined or ref.label.startswith("^"):
            continue
        suggestion = closest_label(ref.label, unused)
        problems.append(
            Problem(
                "dangling-reference",
                note.path,
                ref.line,
                f"[^{ref.label}] is referenced but never defined",
                label=ref.label,
                suggestion=suggestion,
            )
        )
    for label in unused:
        problems.append(
            Problem(
                "unused-definition",
                note.path,
                defined[label][0],
                f"[^{label}] is defined but never referenced",
                label=label,
            )
        )
    for label, lines in defined.items():
        for line in lines[1:]:
            problems.append(
                Problem(
                    "duplicate-definition",
                    note.path,
                    line,
                    f"[^{label}] is defined again (first at line {lines[0]}); the last one wins",
                    label=label,
                )
            )
    return problems


def conflicting_expansions(entries: Iterable[Entry]) -> list[Problem]:
    """Report terms that the vault expands in more than one way (EPA: two long forms)."""
    by_term: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.expansion:
            by_term[entry.term].append(entry)
    problems: list[Problem] = []
    for term, group in by_term.items():
        if len(group) < 2:
            continue
        forms = " / ".join(e.expansion or "" for e in group)
        for entry in group:
            src = entry.sources[0]
            problems.append(
                Problem(
                    "conflicting-expansion",
                    src.path,
                    src.line,
                    f"{term} = {entry.expansion} here, but the vault also has: {forms}",
                    label=term,
                )
            )
    return problems


def lint(notes: Iterable[Note], entries: Iterable[Entry]) -> list[Problem]:
    """Return every footnote problem of the vault, sorted by file and line."""
    problems: list[Problem] = []
    for note in notes:
        problems.extend(lint_note(note))
    problems.extend(conflicting_expansions(entries))
    return sort_problems(problems)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Sort problems by path, line, kind and label."""
    return sorted(problems, key=lambda p: (p.path, p.line, p.kind, p.label or ""))
