"""Read and harvest many notes, on every core, keeping only each note's candidates (never its tokens)."""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from multiprocessing.context import BaseContext

from .harvest import harvest_note
from .lint import resolved_typos
from .model import Candidate, Problem
from .rows import NoteRow, note_row
from .vault import NoteFile, note_from_bytes, read_file

Progress = Callable[[int, int], None]
Preread = Mapping[str, tuple[bytes, os.stat_result]]
"""Relative path -> (bytes, stat) of notes the caller has already read (sync hashing a touched note)."""

# Below this many notes a worker pool costs more (start-up, pickling) than it saves.
MIN_PARALLEL = 200
CHUNK = 50


def harvest_files(
    files: Sequence[NoteFile], progress: Progress | None = None, jobs: int | None = None,
    preread: Preread | None = None,
) -> Iterator[NoteRow]:
    """Yield what each file gave, in the order given, using a worker per core for big batches.

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
        for rows in pool.imap(_chunk, chunks):
            yield from rows
            done += len(rows)
            if progress:
                progress(done, total)


def harvest_file(nf: NoteFile, data: bytes | None = None, st: os.stat_result | None = None) -> NoteRow:
    """Read, parse and harvest one note; a bad file gives problems, never an exception.

    `data` and `st` are the note's bytes and stat when the caller already read them (both or neither).
    """
    warnings: list[Problem] = []
    if data is None or st is None:
        got = read_file(nf)
        if isinstance(got, Problem):
            return note_row(nf.rel, -1, -1, "", None, (got,), ())
        data, st, warning = got
        warnings = [warning] if warning else []
    hashed = digest(data)
    note, problems = note_from_bytes(data, nf.rel, st.st_mtime)
    del data  # a big note's bytes, text and blocks go before its rows are made, not after
    problems = warnings + problems
    if note is None:
        return note_row(nf.rel, st.st_size, st.st_mtime_ns, hashed, None, problems, ())
    problems += resolved_typos(note)  # the harvest reads a typo'd label as the closest: say so
    mtime, found = note.mtime, harvest_note(note, problems)
    del note
    return note_row(nf.rel, st.st_size, st.st_mtime_ns, hashed, mtime, problems, _drain(found))


def _drain(items: list[Candidate]) -> Iterator[Candidate]:
    """Yield the items in order, letting go of each once yielded (a dense note has hundreds of thousands)."""
    items.reverse()
    while items:
        yield items.pop()


def digest(data: bytes) -> str:
    """Return the content hash used by the cache."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _chunk(items: Sequence[tuple[NoteFile, bytes | None, os.stat_result | None]]) -> list[NoteRow]:
    # Rows go back as the harvest made them: the main process compacts them against the whole
    # vault's values as they arrive (pipeline.read), which a chunk's own compaction cannot.
    return [harvest_file(nf, data, st) for nf, data, st in items]


def _cores() -> int:
    env = os.environ.get("GLOSSDECK_JOBS")
    if env and env.isdigit():
        return max(1, int(env))
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS
        return os.cpu_count() or 1


def _context() -> BaseContext:
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
