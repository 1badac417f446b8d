"""Periodic regeneration: the build's pipeline, re-harvesting only the notes that changed.

Two steps are sync's own: reading and harvesting take every unchanged note's row from the cache
(cache.py), and merging re-merges only the terms the changed notes touch (incremental.py). Around
the pipeline, sync answers "nothing changed" from a small index, reports what the deck gained and
lost (changes.py), and saves the cache for the next run.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import cache, pipeline
from .cache import shard_of
from .changes import SyncReport, diff, unannounced
from .errors import GlossdeckError
from .incremental import Merged, corrected, issued, merge_vault
from .model import EntryRow, Problem, entry_row
from .parallel import Progress, digest, harvest_files
from .pipeline import Harvest, Options, Report, check_output, hold, identify, load_registry, stamp
from .rows import NoteRow, compact, problems_of
from .vault import NoteFile
from .vault.files import MAX_NOTE_BYTES, read_once
from .writing import write

# Touched notes whose bytes differ are harvested from the bytes already read to compare them, up to
# this much in all; beyond it they are read again (a checkout touching the whole vault).
PREREAD_MAX = 64 << 20
# A note that gave entries last time and is empty now is read once more after this pause: an
# editor that truncates a file before writing it again may have been caught in between.
EMPTIED_PAUSE = 0.5


def sync(
    options: Options, wait: float = 0.0, progress: Progress | None = None,
    announce: Callable[[SyncReport], None] | None = None,
) -> SyncReport:
    """Bring the outputs up to date with the vault, under the deck's lock.

    `announce` prints the report; until it returns, the removals stay saved in the cache, so a run
    killed after its commit but before they were printed has the next run announce them. Without
    it the caller takes the report as announced.
    """
    check_output(options)
    folder = cache.cache_dir(options.out, options.deck_name)
    with hold(options, wait), _gc_paused():
        report = _sync(options, folder, progress)
        if announce is not None:
            announce(report)
        if options.push is None or not options.push.dry_run:  # a dry run changes nothing, the cache included
            cache.clear_pending(folder)
        return report


def settings(options: Options) -> str:
    """Return the fingerprint of code and options; any difference means a full rebuild of outputs."""
    parts = (
        cache.code_fingerprint(), str(options.vault.resolve()), str(options.out.resolve()),
        options.deck_name, options.formats, options.excludes, repr(options.anki),
        options.push.fingerprint() if options.push else None,  # a new collection to push into is pushed
        options.root.name, repr(options.corrections),
    )
    return repr(parts)


def _sync(options: Options, folder: Path, progress: Progress | None) -> SyncReport:
    report = SyncReport()
    files = pipeline.note_files(options, report.problems)
    stats = {nf.rel: _stat(nf.path) for nf in files}
    fingerprint = settings(options)
    index = cache.load_index(folder, report.problems)
    every_run = options.push is not None and options.push.every_run  # glossdeck push compares the collection
    if index is not None and not every_run and not cache.has_pending(folder) and _unchanged(index, fingerprint, stats):
        return SyncReport(nothing_changed=True, notes=index.notes)
    state = cache.load_state(folder, report.problems)
    read = _read(files, stats, state, progress, report.problems)
    previous = (state.terms, state.merged) if read.usable and state.merged else None
    pipeline.step(progress, "Merging entries")
    merged = merge_vault([nf.rel for nf in files], read.rows, read.fresh, previous, read.gone)
    registry = load_registry(options)  # once per run: identify assigns, write saves
    merged = corrected(merged, pipeline.correct(options, merged.entries, registry, report.problems))
    result = identify(options, merged.entries, registry, read.harvest.newest)
    entries = issued(merged, result.entries)
    report.notes, report.reread, report.remerged = read.harvest.notes, len(read.fresh), merged.remerged
    report.first_run = not state.entries
    diff(report, state.entries, entries, result)
    unannounced(report, cache.load_pending(folder, report.problems), entries, result)
    build = read.harvest.report(result)
    stamped = stamp(options, result, report.problems, [e for e, _ in report.removed], entries)
    pipeline.step(progress, "Writing decks")
    write(options, stamped, registry, build)  # a push that fails (Anki open) raises: no _save, the next run pushes
    report.build = build
    if options.push is not None and options.push.dry_run:
        return report  # a dry run wrote nothing, and must say so next time
    try:
        _save(folder, fingerprint, stats, state, read, merged, entries, build, report)
    except OSError as exc:
        raise GlossdeckError(
            f"{exc.filename or folder}: {exc.strerror or exc}: the outputs are written, but the sync cache "
            "is not saved (the next sync reads every note again and announces this run's changes again)"
        ) from exc
    return report


@contextmanager
def _gc_paused() -> Iterator[None]:
    # A run allocates millions of cache tuples that all live to its end; the cyclic collector
    # would walk them over and over (about 15% of a one-note sync) to find no garbage.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class _Read:
    """Every note's row, fresh or from the cache, and what changed since the last run."""

    rows: dict[str, NoteRow]
    fresh: list[str]
    """Notes harvested this run."""
    gone: set[str]
    """Notes the cache holds that the vault no longer has."""
    dirty: set[int]
    """Cache shards to write again."""
    usable: bool
    """Whether the cache was made by this code (else nothing of it is reused)."""
    code: str
    harvest: Harvest
    """Every note's problems, the count of notes read and the newest mtime, as build's read gives them."""


def _read(
    files: Sequence[NoteFile], stats: dict[str, tuple[int, int]], state: cache.State,
    progress: Progress | None, problems: list[Problem],
) -> _Read:
    """Read and harvest the notes that changed; take every other note's row from the cache."""
    code = cache.code_fingerprint()
    usable = state.code == code  # candidates and merged entries made by other code are not reused
    cached = state.notes if usable else {}
    rows: dict[str, NoteRow] = {}
    stale: list[NoteFile] = []
    dirty: set[int] = set()
    preread = _Preread()
    for nf in files:
        old = cached.get(nf.rel)
        hit = _reuse(nf, old, stats[nf.rel], preread) if old is not None else None
        if hit is None:
            stale.append(nf)
        else:
            rows[nf.rel] = hit
            if hit is not old:
                dirty.add(shard_of(nf.rel))
    fresh: list[str] = []
    for row in _harvest_changed(stale, cached, progress, preread):
        rows[row.rel] = compact(row)  # the cache holds it to the end of this run, and pickles it
        fresh.append(row.rel)
        problems.extend(problems_of(row))
    gone = cached.keys() - rows.keys()
    dirty.update(shard_of(rel) for rel in (*fresh, *gone))
    harvest = Harvest()
    for nf in files:
        harvest.add(rows[nf.rel])
    return _Read(rows, fresh, gone, dirty, usable, code, harvest)


def _harvest_changed(
    stale: Sequence[NoteFile], cached: dict[str, NoteRow], progress: Progress | None, preread: _Preread,
) -> Iterator[NoteRow]:
    """Harvest the changed notes; a note that gave entries last time and reads empty now is read again after a pause."""
    emptied = []
    for row in harvest_files(stale, progress, preread=preread):
        old = cached.get(row.rel)
        if row.size == 0 and old is not None and old.candidates:
            emptied.append(row.rel)
        else:
            yield row
    if emptied:
        time.sleep(EMPTIED_PAUSE)
        again = set(emptied)
        yield from harvest_files([nf for nf in stale if nf.rel in again])


class _Preread(dict[str, tuple[bytes, os.stat_result]]):
    """Bytes and stat of touched notes already read, and how many bytes that holds."""

    held = 0


def _stat(path: Path) -> tuple[int, int]:
    try:
        st = os.stat(path)
    except OSError:
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)


def _unchanged(index: cache.Index, fingerprint: str, stats: dict[str, tuple[int, int]]) -> bool:
    if index.settings != fingerprint or index.files != stats or not index.outputs:
        return False
    # An output deleted or replaced since the last run is rebuilt.
    return all(_stat(Path(p)) == stamp for p, stamp in index.outputs.items())


def _reuse(nf: NoteFile, row: NoteRow, stat: tuple[int, int], preread: _Preread) -> NoteRow | None:
    """Return the cached row when the file is the same: same size and mtime, or same bytes.

    A touched file whose bytes differ goes into `preread`, so harvesting it does not read it again.
    """
    if row.size < 0 or stat[0] != row.size:
        return None
    if stat[1] == row.mtime_ns:
        return row
    try:  # touched (sync tools, git checkout): compare content before harvesting again
        data, st, _ = read_once(nf.path, MAX_NOTE_BYTES)
    except OSError:
        return None
    if digest(data) != row.digest:
        if preread.held + len(data) <= PREREAD_MAX:
            preread[nf.rel] = (data, st)
            preread.held += len(data)
        return None
    mtime = st.st_mtime if row.mtime is not None else None
    return row._replace(size=st.st_size, mtime_ns=st.st_mtime_ns, mtime=mtime)


def _save(
    folder: Path, fingerprint: str, stats: dict[str, tuple[int, int]], state: cache.State, read: _Read,
    merged: Merged, entries: tuple[EntryRow, ...], build: Report, report: SyncReport,
) -> None:
    """Save what the next run reuses: every note's row, the merged entries, the index of files and outputs."""
    new_state = cache.State(
        code=read.code,
        notes=read.rows,
        terms=merged.terms,
        merged=merged.merged,
        entries=entries,
        shards=state.shards if read.usable else {},
    )
    outputs = {str(p): _stat(p) for p in [*build.written, *build.unchanged]}
    index = cache.Index(fingerprint, stats, outputs, notes=build.notes)
    removed = tuple(entry_row(e) for e, _ in report.removed)
    cache.save(folder, new_state, index, read.dirty if read.usable else None, removed)
