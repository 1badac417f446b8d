"""Find broken footnotes: dangling references, unused and duplicate definitions, conflicting long forms."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from .corrections import Corrections, apply
from .harvest import harvest_note
from .harvest.labels import LabelMatcher
from .model import Entry, Note, Problem
from .normalise import meaning_key, merge


def lint_note(note: Note) -> list[Problem]:
    """Return the footnote problems of one note (labels are per note, as in Obsidian)."""
    defined, unused, problems = _dangling(note)
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


def resolved_typos(note: Note) -> list[Problem]:
    """Return the references with a typo that the harvest reads as the closest unused label, as warnings.

    The harvest (harvest.labels) takes `[^dejure]` for `[^dejuru]` without a word; the build says so,
    so that `--strict` fails on it and the user can fix the label.
    """
    return [
        replace(p, message=f"{p.message}; read as [^{p.suggestion}]")
        for p in _dangling(note)[2] if p.suggestion is not None
    ]


def _dangling(note: Note) -> tuple[dict[str, list[int]], list[str], list[Problem]]:
    """Return the note's defined labels (with their lines), the unused ones, and its dangling references."""
    defined: dict[str, list[int]] = defaultdict(list)
    for fn in note.footnotes:
        if not fn.inline:
            defined[fn.label].append(fn.line)
    # What is a reference, and which ones Obsidian hides (math, comments, link targets), the
    # reader decides (vault.markdown.references): lint takes its word.
    refs = [r for r in note.refs if not r.hidden]
    referenced = {r.label for r in refs if r.label in defined}
    unused = sorted(label for label in defined if label not in referenced)
    matcher = LabelMatcher(unused)
    problems: list[Problem] = []
    for ref in refs:
        # `^…` labels are Obsidian inline footnotes.
        if ref.label in defined or ref.label.startswith("^"):
            continue
        message = f"[^{ref.label}] is referenced but never defined"
        suggestion = matcher.closest(ref.label)
        problems.append(Problem("dangling-reference", note.path, ref.line, message, ref.label, suggestion))
    return defined, unused, problems


def conflicting_expansions(entries: Iterable[Entry]) -> list[Problem]:
    """Report terms that the vault expands in more than one way (EPA: two long forms)."""
    by_term: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.expansion and entry.sources:
            by_term[entry.term].append(entry)
    problems: list[Problem] = []
    for term, group in by_term.items():
        if len(group) < 2:
            continue
        for entry in group:
            others = []
            for other in group:
                if other is entry:
                    continue
                where = f"{other.sources[0].path}:{other.sources[0].line}"
                hint = " (a typo?)" if _alike(entry, other) else ""
                others.append(f"{other.expansion} at {where}{hint}")
            src = entry.sources[0]
            problems.append(
                Problem(
                    "conflicting-expansion",
                    src.path,
                    src.line,
                    f"{term} = {entry.expansion} here, but elsewhere {term} = " + "; ".join(others),
                    label=term,
                )
            )
    return problems


def lint(
    notes: Iterable[Note], entries: Iterable[Entry] | None = None, corrections: Corrections | None = None
) -> list[Problem]:
    """Return every footnote problem of the vault, and each `[ignore]` or `[[override]]` matching nothing, sorted."""
    notes = list(notes)
    if entries is None:
        entries = merge(c for note in notes for c in harvest_note(note))
    problems: list[Problem] = []
    for note in notes:
        problems.extend(lint_note(note))
    problems.extend(conflicting_expansions(entries))
    if corrections:
        problems.extend(apply(list(entries), corrections).problems)
    return sort_problems(problems)


def _alike(a: Entry, b: Entry) -> bool:
    """Tell whether two long forms are one misspelt (`Telecomunication`): one small edit apart.

    Different words are not a typo, however alike they look (`Certificate Authorities` /
    `certification authority`): the long forms are compared as the merge folds them (case, plurals,
    spaces and hyphens), and only one letter added, dropped, changed or swapped is a typo.
    """
    return one_edit_apart(meaning_key(a.expansion), meaning_key(b.expansion))


def one_edit_apart(a: str, b: str) -> bool:
    """Tell whether `b` is `a` with one letter added, dropped, replaced, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    start = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    if len(a) != len(b):
        longer, shorter = (a, b) if len(a) > len(b) else (b, a)
        return longer[start + 1:] == shorter[start:]
    swapped = a[start + 2:] == b[start + 2:] and a[start:start + 2] == b[start:start + 2][::-1]
    return a[start + 1:] == b[start + 1:] or swapped


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Sort problems by path, line, kind and label."""
    return sorted(problems, key=lambda p: (p.path, p.line, p.kind, p.label or ""))
