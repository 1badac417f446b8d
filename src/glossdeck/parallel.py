"""Read and harvest many notes, on every core, keeping only each note's candidates (never its tokens)."""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from operator import attrgetter

from .harvest import harvest_note
from .model import Candidate, Entry, Problem, Source
from .normalise import term_key
from .vault import NoteFile, note_from_bytes, read_file

Progress = Callable[[int, int], None]
Preread = Mapping[str, tuple[bytes, os.stat_result]]
"""Relative path -> (bytes, stat) of notes the caller has already read (sync hashing a touched note)."""

# Below this many notes a worker pool costs more (start-up, pickling) than it saves.
MIN_PARALLEL = 200
CHUNK = 50


@dataclass(frozen=True, slots=True)
class NoteResult:
    """What one note file gave: its fingerprint, its warnings and its candidates."""

    rel: str
    size: int
    mtime_ns: int
    digest: str
    """BLAKE2b of the file's bytes: a touched but unedited note is not harvested again."""
    mtime: float | None
    """The note's mtime when it was read as a note; None when it was skipped as unreadable."""
    problems: tuple[Problem, ...]
    candidates: tuple[Candidate, ...]


def digest(data: bytes) -> str:
    """Return the content hash used by the cache."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def harvest_file(nf: NoteFile, data: bytes | None = None, st: os.stat_result | None = None) -> NoteResult:
    """Read, parse and harvest one note; a bad file gives problems, never an exception.

    `data` and `st` are the note's bytes and stat when the caller already read them (both or neither).
    """
    warnings: list[Problem] = []
    if data is None or st is None:
        got = read_file(nf)
        if isinstance(got, Problem):
            return NoteResult(nf.rel, -1, -1, "", None, (got,), ())
        data, st, warning = got
        warnings = [warning] if warning else []
    note, problems = note_from_bytes(data, nf.rel, st.st_mtime)
    problems = warnings + problems
    cands = tuple(harvest_note(note, problems)) if note is not None else ()
    return NoteResult(
        nf.rel, st.st_size, st.st_mtime_ns, digest(data),
        note.mtime if note is not None else None, tuple(problems), cands,
    )


# Pickling slotted frozen dataclasses runs Python code per object (seconds for a big vault), so
# results cross process boundaries and sit in the cache as plain tuples.
_CAND = [f.name for f in fields(Candidate)]
_SRC = [f.name for f in fields(Source)]
_PROB = [f.name for f in fields(Problem)]
_SRC_AT = _CAND.index("source")
_ENTRY = [f.name for f in fields(Entry)]
_SOURCES_AT = _ENTRY.index("sources")
_source_values = attrgetter(*_SRC)
# Where pack() puts each field of a NoteResult.
SIZE, MTIME_NS, DIGEST, MTIME, PROBLEMS, CANDIDATES = range(1, 7)


def pack(r: NoteResult) -> tuple:
    """Return a NoteResult as nested tuples of plain values (fast to pickle)."""
    cands = []
    for c in r.candidates:
        row = [getattr(c, n) for n in _CAND]
        row[_SRC_AT] = tuple(getattr(row[_SRC_AT], n) for n in _SRC)
        cands.append(tuple(row))
    probs = tuple(tuple(getattr(p, n) for n in _PROB) for p in r.problems)
    return (r.rel, r.size, r.mtime_ns, r.digest, r.mtime, probs, tuple(cands))


def unpack(t: tuple) -> NoteResult:
    """Rebuild a NoteResult from pack()'s tuples."""
    rel, size, mtime_ns, dig, mtime, probs, _ = t
    cands = tuple(unpack_candidates(t))
    return NoteResult(rel, size, mtime_ns, dig, mtime, tuple(Problem(*p) for p in probs), cands)


def unpack_candidates(t: tuple, terms: set[str] | frozenset[str] | None = None) -> list[Candidate]:
    """Rebuild a packed note's candidates, only those whose term key is in `terms` when given."""
    sources: dict[tuple, Source] = {}
    out = []
    same = _SHARED
    for row in t[CANDIDATES]:
        if terms is not None and term_key(row[0]) not in terms:
            continue
        src = row[_SRC_AT]
        source = sources.get(src) or sources.setdefault(src, Source(*src))
        # One object per distinct value: a big vault repeats the same terms, long forms, rule names
        # and tag tuples hundreds of thousands of times, and unpickling makes a copy of each.
        values = [v if v is None else same.setdefault(v, v) for v in row]
        values[_SRC_AT] = source
        out.append(Candidate(*values))  # type: ignore[call-arg, arg-type]
    if len(same) > _SHARED_MAX:
        same.clear()
    return out


_SHARED: dict = {}
_SHARED_MAX = 1 << 18


def unpack_problems(t: tuple) -> list[Problem]:
    """Rebuild a packed note's problems alone."""
    return [Problem(*p) for p in t[PROBLEMS]]


def note_terms(candidates: Sequence[Candidate] | Sequence[tuple]) -> tuple[str, ...]:
    """Return the term keys of a note's candidates (objects or packed rows), first seen first."""
    return tuple(dict.fromkeys(term_key(c[0] if isinstance(c, tuple) else c.term) for c in candidates))


def restamp(t: tuple, size: int, mtime_ns: int, mtime: float | None) -> tuple:
    """Return a packed result with a new size and mtime (a touched but unedited note)."""
    return (t[0], size, mtime_ns, t[DIGEST], mtime if t[MTIME] is not None else None, *t[PROBLEMS:])


def pack_entry(e: Entry) -> tuple:
    """Return an Entry as nested tuples of plain values (pickling dataclasses is slow)."""
    row = [getattr(e, n) for n in _ENTRY]
    row[_SOURCES_AT] = tuple(map(_source_values, e.sources))
    return tuple(row)


def unpack_entry(t: tuple) -> Entry:
    """Rebuild an Entry from pack_entry()'s tuples."""
    return Entry(*t[:_SOURCES_AT], tuple(Source(*s) for s in t[_SOURCES_AT]), *t[_SOURCES_AT + 1:])  # type: ignore[call-arg]


def _chunk(items: Sequence[tuple[NoteFile, bytes | None, os.stat_result | None]]) -> list[tuple]:
    return [pack(harvest_file(nf, data, st)) for nf, data, st in items]


def harvest_files(
    files: Sequence[NoteFile], progress: Progress | None = None, jobs: int | None = None,
    preread: Preread | None = None,
) -> Iterator[NoteResult]:
    """Yield a NoteResult per file, in the order given, using a worker per core for big batches.

    Notes in `preread` are not read again: their bytes and stat are used (and sent to the worker).
    """
    jobs = jobs or _cores()
    total = len(files)
    known = preread or {}
    if jobs < 2 or total < MIN_PARALLEL:
        for i, nf in enumerate(files, 1):
            yield harvest_file(nf, *known.get(nf.rel, (None, None)))
            if progress:
                progress(i, total)
        return
    items = [(nf, *known.get(nf.rel, (None, None))) for nf in files]
    chunks = [items[i:i + CHUNK] for i in range(0, total, CHUNK)]
    done = 0
    # Workers collect cycles (parsing makes garbage) even when the caller paused the collector.
    with _context().Pool(jobs, initializer=gc.enable) as pool:
        for results in pool.imap(_chunk, chunks):
            yield from map(unpack, results)
            done += len(results)
            if progress:
                progress(done, total)


def _cores() -> int:
    env = os.environ.get("GLOSSDECK_JOBS")
    if env and env.isdigit():
        return max(1, int(env))
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS
        return os.cpu_count() or 1


def _context():
    # fork starts workers in milliseconds with the parser already built; macOS and Windows
    # only support spawn safely. Forking a process that runs other threads (--watch's observer)
    # can copy a lock another thread holds into the child, which then hangs: forkserver forks
    # from a single-threaded server instead.
    if not sys.platform.startswith("linux"):
        return multiprocessing.get_context("spawn")
    if threading.active_count() > 1:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([__name__])  # workers start with glossdeck already imported
        return ctx
    return multiprocessing.get_context("fork")
