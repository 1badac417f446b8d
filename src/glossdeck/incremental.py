"""Merge a vault from per-note results, re-merging only the terms whose candidates changed.

`normalise.merge` works term by term, so the entries of the terms no changed note touches are
the last build's, and merging only the touched terms' candidates gives exactly what a full merge
gives for them. Identity (docs/identity.md) then runs over the whole entry list as in a build.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from . import identity, parallel
from .model import Candidate, Entry, Glossary, Problem
from .normalise import merge, sort_key, term_key
from .parallel import NoteResult, note_terms, pack_entry, unpack_candidates, unpack_entry
from .pipeline import Options, Report

# Above this share of notes changed, a full merge is as quick as finding what to re-merge.
FULL_MERGE_SHARE = 0.2


@dataclass
class Merged:
    """A merged vault: the glossary, its build report, and what the next run reuses."""

    glossary: Glossary
    build: Report
    merged: dict[str, tuple[tuple, ...]]
    """Term key -> (sort key, packed entry) of each entry merge() made (natural keys)."""
    entries: tuple[tuple, ...]
    """The glossary's entries, packed, in order."""
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Relative path -> term keys of its candidates."""
    remerged: int | None = None
    """How many terms were merged again; None for a full merge."""


def merge_vault(
    order: Sequence[str],
    packed: dict[str, tuple],
    fresh: dict[str, NoteResult],
    options: Options,
    previous: tuple[dict[str, tuple[str, ...]], dict[str, tuple[tuple, ...]]] | None = None,
    gone: Iterable[str] = (),
    registry: identity.Registry | None = None,
) -> Merged:
    """Merge the notes in `order` (walk order); `fresh` ones were harvested now, the rest are cached.

    `previous` is the last run's (terms by note, merged entries by term), both computed by the same
    code; without it, or when many notes changed, every term is merged. `registry` is the identity
    registry as the caller loaded it (None: no keys issued before).
    """
    known = previous[0] if previous is not None else {}
    terms = {
        rel: note_terms(fresh[rel].candidates) if rel in fresh
        else known.get(rel) or note_terms(packed[rel][parallel.CANDIDATES])
        for rel in order
    }
    changed = {*fresh, *gone}
    if previous is None or len(changed) > FULL_MERGE_SHARE * max(len(order), 1):
        rows = _rows(merge(_candidates(order, packed, fresh, None)))
        merged = _by_term(rows)
        remerged = None
    else:
        old_terms, old_merged = previous
        touched: set[str] = set()
        for rel in changed:
            touched.update(old_terms.get(rel, ()))
            touched.update(terms.get(rel, ()))
        holders = [rel for rel in order if not touched.isdisjoint(terms[rel])]
        new = _rows(merge(_candidates(holders, packed, fresh, touched)))
        merged = {t: group for t, group in old_merged.items() if t not in touched}
        rows = [(k, unpack_entry(p), p) for group in merged.values() for k, p in group]
        merged.update(_by_term(new))
        rows += new
        remerged = len(touched)
    rows.sort(key=lambda row: row[0])
    glossary, build, entries = _finish(
        [e for _, e, _ in rows], [p for _, _, p in rows], order, packed, options, registry or {}
    )
    return Merged(glossary, build, merged, entries, terms, remerged)


def _candidates(
    rels: Iterable[str], packed: dict[str, tuple], fresh: dict[str, NoteResult], touched: set[str] | None
) -> list[Candidate]:
    """Return the candidates of these notes, only of the `touched` terms when given."""
    out: list[Candidate] = []
    for rel in rels:
        if rel in fresh:
            cands = fresh[rel].candidates
            out.extend(cands if touched is None else [c for c in cands if term_key(c.term) in touched])
        else:
            out.extend(unpack_candidates(packed[rel], touched))
    return out


def _rows(entries: list[Entry]) -> list[tuple[tuple, Entry, tuple]]:
    # The sort key is kept with the packed entry: computing it again costs a meaning_key per entry.
    return [(sort_key(e), e, pack_entry(e)) for e in entries]


def _by_term(rows: list[tuple[tuple, Entry, tuple]]) -> dict[str, tuple[tuple, ...]]:
    groups: dict[str, list[tuple]] = {}
    for key, entry, p in rows:
        groups.setdefault(entry.term, []).append((key, p))  # merge() names an entry's term by its term key
    return {t: tuple(g) for t, g in groups.items()}


def _finish(
    raw: list[Entry], raw_packed: list[tuple], order: Sequence[str], packed: dict[str, tuple], options: Options,
    registry: identity.Registry,
) -> tuple[Glossary, Report, tuple[tuple, ...]]:
    """Apply card identity and assemble the glossary as pipeline.from_entries does for a build.

    The registry comes from the caller, which loads it once and saves it once per run.
    """
    problems: list[Problem] = [p for rel in order for p in parallel.unpack_problems(packed[rel])]
    # Notes read (an unreadable file has no mtime): the count a build reports too.
    mtimes = [packed[rel][parallel.MTIME] for rel in order if packed[rel][parallel.MTIME] is not None]
    entries = identity.assign(raw, registry)
    glossary = Glossary(
        name=options.deck_name,
        entries=tuple(entries),
        timestamp=max(mtimes, default=0.0),
        vault_name=options.vault.resolve().name,
        problems=tuple(problems),
    )
    report = Report(notes=len(mtimes), entries=len(entries), problems=problems)
    return glossary, report, _issued(raw, raw_packed, entries)


def _issued(raw: list[Entry], raw_packed: list[tuple], entries: list[Entry]) -> tuple[tuple, ...]:
    """Return the final entries packed, reusing the raw entries' tuples."""
    out = []
    # Term and meaning decide the order, never the key, so identity keeps every entry in its place.
    for r, p, e in zip(raw, raw_packed, entries, strict=True):
        if e.term != r.term or e.expansion != r.expansion:
            return tuple(pack_entry(x) for x in entries)
        out.append(p if e.key == r.key else (e.key, *p[1:]))  # the key is an Entry's first field
    return tuple(out)
