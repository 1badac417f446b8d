"""Periodic regeneration: re-harvest only the notes that changed, report what the deck gained and lost."""

from __future__ import annotations

import dataclasses
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import cache, identity, parallel
from .atomic import deck_file
from .export.anki import MODEL_NAME, fields
from .incremental import merge_vault
from .lock import locked
from .model import Entry, Glossary, Problem
from .normalise import sort_key
from .parallel import NoteResult, Progress, digest, harvest_files, pack, unpack_entry
from .pipeline import SUFFIX, WRITERS, Options, Report, check_output, save_identity
from .vault import NoteFile, walk

REMOVED_TAG = "glossdeck::removed"
# Anki imports these; the others are for people and scripts, which should not see removed entries.
ANKI_FORMATS = ("apkg", "anki-csv")
# Touched notes whose bytes differ are harvested from the bytes already read to compare them, up to
# this much in all; beyond it they are read again (a checkout touching the whole vault).
PREREAD_MAX = 64 << 20


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
    build: Report | None = None
    remerged: int | None = None
    """How many terms were merged again; None when every term was (first run, many changes)."""


def settings(options: Options) -> str:
    """Return the fingerprint of code and options; any difference means a full rebuild of outputs."""
    parts = (
        cache.code_fingerprint(), str(options.vault.resolve()), str(options.out.resolve()),
        options.deck_name, options.formats, options.excludes, repr(options.anki),
    )
    return repr(parts)


def sync(options: Options, wait: float = 0.0, progress: Progress | None = None) -> SyncReport:
    """Bring the outputs up to date with the vault, under the output folder's lock."""
    check_output(options)
    folder = cache.cache_dir(options.out)
    with locked(folder / "lock", wait), _gc_paused():
        return _sync(options, folder, progress)


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


def _sync(options: Options, folder: Path, progress: Progress | None) -> SyncReport:
    skipped: list[Problem] = []
    files = walk(options.vault, options.excludes, skipped)
    stats = {nf.rel: _stat(nf.path) for nf in files}
    fingerprint = settings(options)
    index = cache.load_index(folder)
    if index is not None and _unchanged(index, fingerprint, stats):
        return SyncReport(nothing_changed=True, notes=index.notes)

    state = cache.load_state(folder)
    code = cache.code_fingerprint()
    usable = state.code == code  # candidates and merged entries made by other code are not reused
    cached = state.notes if usable else {}
    packed: dict[str, tuple] = {}
    stale: list[NoteFile] = []
    dirty: set[int] = set()
    preread = _Preread()
    for nf in files:
        old = cached.get(nf.rel)
        hit = _reuse(nf, old, stats[nf.rel], preread) if old is not None else None
        if hit is None:
            stale.append(nf)
        else:
            packed[nf.rel] = hit
            if hit is not old:
                dirty.add(cache.shard_of(nf.rel))
    report = SyncReport(reread=len(stale), first_run=not state.entries, problems=skipped)
    fresh: dict[str, NoteResult] = {}
    for result in harvest_files(stale, progress, preread=preread):
        fresh[result.rel] = result
        packed[result.rel] = pack(result)
        report.problems.extend(result.problems)
    gone = cached.keys() - packed.keys()
    dirty.update(cache.shard_of(rel) for rel in (*fresh, *gone))

    preread.clear()
    previous = (state.terms, state.merged) if usable and state.merged else None
    registry_file = identity.registry_path(options.out, options.deck_name)
    registry = identity.load(registry_file)  # once per run: merge_vault assigns, the end saves
    done = merge_vault([nf.rel for nf in files], packed, fresh, options, previous, gone, registry)
    glossary, build = done.glossary, done.build
    report.notes = build.notes
    report.remerged = done.remerged
    _diff(report, state.entries, done.entries, glossary, glossary.vault_name or glossary.name)

    gone_entries = [
        dataclasses.replace(e, tags=tuple(sorted({*e.tags, REMOVED_TAG}))) for e, _ in report.removed
    ]
    tagged = dataclasses.replace(
        glossary, entries=tuple(sorted([*glossary.entries, *gone_entries], key=sort_key))
    )
    clock = None
    if "apkg" in options.formats:
        # Anki's clock moves past the last one whenever the cards differ. It is decided on the live
        # entries, as a build decides it: an entry leaving them changes them (so its removal tag is
        # imported), and dropping a tagged entry one build later needs no newer clock (Anki deletes
        # nothing): a synced folder and a built one keep the same clock through the same history.
        clock_file = identity.clock_path(options.out, options.deck_name)
        clock = identity.clock_for(glossary, options.anki, identity.load_clock(clock_file), done.entries)
        tagged = dataclasses.replace(tagged, timestamp=clock.clock)
    # As a build: the registry and the clock first (pipeline.save_identity says why), then the outputs.
    save_identity(options, glossary.entries, registry, clock)
    for fmt in options.formats:
        _write(tagged if fmt in ANKI_FORMATS else glossary, fmt, options, build)
    report.build = build

    new_state = cache.State(
        code=code,
        notes=packed,
        terms=done.terms,
        merged=done.merged,
        entries=done.entries,
        shards=state.shards if usable else {},
    )
    outputs = {str(p): _stat(p) for p in [*build.written, *build.unchanged]}
    index = cache.Index(fingerprint, stats, outputs, notes=build.notes)
    cache.save(folder, new_state, index, dirty if usable else None)
    return report


def _write(glossary: Glossary, fmt: str, options: Options, report: Report) -> None:
    """Write one output format as pipeline.write does; unchanged files are left alone."""
    path = deck_file(options.out, glossary.name, SUFFIX[fmt])
    changed = WRITERS[fmt](glossary, path, options)
    (report.written if changed else report.unchanged).append(path)


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


def _reuse(nf: NoteFile, packed: tuple, stat: tuple[int, int], preread: _Preread) -> tuple | None:
    """Return the cached packed result when the file is the same: same size and mtime, or same bytes.

    A touched file whose bytes differ goes into `preread`, so harvesting it does not read it again.
    """
    size = packed[parallel.SIZE]
    if size < 0 or stat[0] != size:
        return None
    if stat[1] == packed[parallel.MTIME_NS]:
        return packed
    try:  # touched (sync tools, git checkout): compare content before harvesting again
        st = os.stat(nf.path)
        data = nf.path.read_bytes()
    except OSError:
        return None
    if digest(data) != packed[parallel.DIGEST]:
        if preread.held + len(data) <= PREREAD_MAX:
            preread[nf.rel] = (data, st)
            preread.held += len(data)
        return None
    return parallel.restamp(packed, st.st_size, st.st_mtime_ns, st.st_mtime)


def _diff(report: SyncReport, before: tuple[tuple, ...], after: tuple[tuple, ...], glossary: Glossary,
          vault: str) -> None:
    """Fill the report's added, changed and removed lists; packed entries that are equal are skipped."""
    old = {p[0]: p for p in before}
    new = dict(zip((p[0] for p in after), zip(after, glossary.entries, strict=True), strict=True))
    for key, (p, entry) in new.items():
        if key not in old:
            report.added.append(entry)
            continue
        if old[key] is p or old[key] == p:
            continue
        a, b = unpack_entry(old[key]).to_json(), entry.to_json()
        what = tuple(k for k in b if a.get(k) != b[k])
        if what:
            report.changed.append((entry, what))
    for key, p in old.items():
        if key not in new:
            entry = unpack_entry(p)
            report.removed.append((entry, anki_search(entry, vault)))


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
