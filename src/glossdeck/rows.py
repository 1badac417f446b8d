"""A note's row: what harvesting one note file gave, as plain values.

A worker sends it back as it is, the main process merges its candidate rows as they are
(normalise.Merging), and the sync cache keeps it (cache.py): nothing is rebuilt on the way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from operator import attrgetter
from typing import Any, NamedTuple

from .model import C_SOURCE, Candidate, CandidateRow, Problem, Source, candidate_row

ProblemRow = tuple[Any, ...]
"""A Problem's fields in order."""


class NoteRow(NamedTuple):
    """What one note file gave, as plain values: it comes back from the harvesting workers and sits in the cache.

    Pickling slotted dataclasses runs Python code per object, so a note's problems and candidates
    are tuples. A NamedTuple row unpickles as fast as a bare tuple (the 10k-note bench's cache:
    119 ms against 116 ms; 133 ms as a slotted dataclass) and is read by name.
    """

    rel: str
    size: int
    """-1 when the file could not be read."""
    mtime_ns: int
    digest: str
    """BLAKE2b of the file's bytes: a touched but unedited note is not harvested again."""
    mtime: float | None
    """The note's mtime when it was read as a note; None when it was skipped as unreadable."""
    problems: tuple[ProblemRow, ...]
    candidates: tuple[CandidateRow, ...]


def note_row(
    rel: str, size: int, mtime_ns: int, digest: str, mtime: float | None,
    problems: Iterable[Problem], candidates: Iterable[Candidate],
) -> NoteRow:
    """Return what one note gave as a row of plain values."""
    cands = tuple(map(candidate_row, candidates))
    return NoteRow(rel, size, mtime_ns, digest, mtime, tuple(map(_problem_values, problems)), cands)


def problems_of(row: NoteRow) -> list[Problem]:
    """Rebuild a row's problems."""
    return [Problem(*p) for p in row.problems]


def compact(row: NoteRow, same: dict[Any, Any] | None = None) -> NoteRow:
    """Return the row with one object per distinct value, shared with the rows compacted before it.

    A worker's rows come back with their own copy of every term, long form, path and source: a
    vault repeats them hundreds of thousands of times, and a pickle stores a shared object once
    (the 10k-note bench's cache: 28 MB of copies, 23 MB shared, and as much less memory loaded).
    `same`: the values to share with (default: this process's, kept across calls).
    """
    same = _SHARED if same is None else same
    cands = tuple(tuple(v if v is None else same.setdefault(v, v) for v in cand) for cand in row.candidates)
    if len(same) > _SHARED_MAX:
        same.clear()
    return row._replace(candidates=cands)


def candidates_of(row: NoteRow) -> list[Candidate]:
    """Rebuild a row's candidates (merge reads the rows themselves: this is for looking at one)."""
    out = []
    for cand in row.candidates:
        values = list(cand)
        values[C_SOURCE] = Source(*values[C_SOURCE])
        out.append(Candidate(*values))
    return out


_problem_values = attrgetter(*(f.name for f in fields(Problem)))
_SHARED: dict[Any, Any] = {}
_SHARED_MAX = 1 << 18
