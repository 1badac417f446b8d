"""Merge a vault from its notes' rows, re-merging only the terms whose candidates changed.

`normalise.merge` works term by term, so the entries of the terms no changed note touches are
the last build's, and merging only the touched terms' candidates gives exactly what a full merge
gives for them. Identity (docs/identity.md) then runs over the whole entry list as in a build.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from .cache import MergedRow
from .model import C_TERM, CandidateRow, Entry, EntryRow, entry_from_row, entry_row
from .normalise import merge_rows, sort_key, term_key
from .rows import NoteRow

# Above this share of notes changed, a full merge is as quick as finding what to re-merge.
FULL_MERGE_SHARE = 0.2

Terms = dict[str, tuple[str, ...]]
"""Relative path -> term keys of the note's candidates, first seen first."""


@dataclass
class Merged:
    """A merged vault: merge()'s entries in order (natural keys), and what the next run reuses."""

    entries: list[Entry]
    rows: list[EntryRow]
    """The same entries as rows."""
    merged: dict[str, tuple[MergedRow, ...]]
    """Term key -> (sort key, entry row) of each entry merge() made of it."""
    terms: Terms
    remerged: int | None = None
    """How many terms were merged again; None for a full merge."""


def merge_vault(
    order: Sequence[str],
    rows: Mapping[str, NoteRow],
    fresh: Iterable[str],
    previous: tuple[Terms, dict[str, tuple[MergedRow, ...]]] | None = None,
    gone: Iterable[str] = (),
) -> Merged:
    """Merge the notes in `order` (walk order); `fresh` ones were harvested now, the rest come from the cache.

    `previous` is the last run's (terms by note, merged entries by term), both computed by the same
    code; without it, or when many notes changed, every term is merged.
    """
    known = previous[0] if previous is not None else {}
    changed = {*fresh, *gone}
    terms = {
        rel: known[rel] if rel in known and rel not in changed else note_terms(rows[rel].candidates)
        for rel in order
    }
    if previous is None or len(changed) > FULL_MERGE_SHARE * max(len(order), 1):
        found = _rows(merge_rows(_candidates(order, rows, None)))
        merged = _by_term(found)
        remerged = None
    else:
        old_terms, old_merged = previous
        touched: set[str] = set()
        for rel in changed:
            touched.update(old_terms.get(rel, ()))
            touched.update(terms.get(rel, ()))
        holders = [rel for rel in order if not touched.isdisjoint(terms[rel])]
        new = _rows(merge_rows(_candidates(holders, rows, touched)))
        merged = {t: group for t, group in old_merged.items() if t not in touched}
        found = [(k, entry_from_row(p), p) for group in merged.values() for k, p in group]
        merged.update(_by_term(new))
        found += new
        remerged = len(touched)
    found.sort(key=lambda row: row[0])
    return Merged([e for _, e, _ in found], [p for _, _, p in found], merged, terms, remerged)


def issued(merged: Merged, entries: Sequence[Entry]) -> tuple[EntryRow, ...]:
    """Return the entries identity gave (issued keys) as rows, reusing the merged entries' rows."""
    out = []
    # Term and meaning decide the order, never the key, so identity keeps every entry in its place.
    for raw, row, e in zip(merged.entries, merged.rows, entries, strict=True):
        if e.term != raw.term or e.expansion != raw.expansion:
            return tuple(entry_row(x) for x in entries)
        out.append(row if e.key == raw.key else (e.key, *row[1:]))  # the key is an entry row's first value
    return tuple(out)


def corrected(merged: Merged, entries: list[Entry]) -> Merged:
    """Return the merged vault showing `entries` (pipeline.correct's), keeping what the next run reuses as merged.

    The corrections apply to this run's entries only: the cached merge stays the notes' own, so a
    changed correction needs no note merged again.
    """
    if entries is merged.entries:
        return merged
    rows = {id(e): row for e, row in zip(merged.entries, merged.rows, strict=True)}
    return replace(merged, entries=entries, rows=[rows.get(id(e)) or entry_row(e) for e in entries])


def note_terms(candidates: Iterable[CandidateRow]) -> tuple[str, ...]:
    """Return the term keys of a note's candidate rows, first seen first."""
    return tuple(dict.fromkeys(term_key(c[0]) for c in candidates))


def _candidates(rels: Iterable[str], rows: Mapping[str, NoteRow], touched: set[str] | None) -> list[CandidateRow]:
    """Return the candidate rows of these notes, only of the `touched` terms when given."""
    out: list[CandidateRow] = []
    for rel in rels:
        cands = rows[rel].candidates
        out.extend(cands if touched is None else (c for c in cands if term_key(c[C_TERM]) in touched))
    return out


_Found = tuple[tuple[str, str, str, str], Entry, EntryRow]


def _rows(entries: list[Entry]) -> list[_Found]:
    # The sort key is kept with the entry row: computing it again costs a meaning_key per entry.
    return [(sort_key(e), e, entry_row(e)) for e in entries]


def _by_term(found: list[_Found]) -> dict[str, tuple[MergedRow, ...]]:
    groups: dict[str, list[MergedRow]] = {}
    for key, entry, row in found:
        groups.setdefault(entry.term, []).append((key, row))  # merge() names an entry's term by its term key
    return {t: tuple(g) for t, g in groups.items()}
