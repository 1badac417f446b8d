"""The sync cache: per-note harvest results and the last build's entries, written atomically.

In `<out>/.glossdeck-cache/`: a small index (file sizes and mtimes, output stamps) that answers
"did anything change?" without loading the rest; the state (the last build's merged entries, the
commit point); and the notes' packed candidates split into shards by path, so a run that re-read
one note rewrites one shard. A missing, damaged or older-version cache is ignored and rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import pickle
import re
import secrets
import zlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from .atomic import write_bytes

log = logging.getLogger(__name__)

# Bump when the layout of what is pickled here changes.
VERSION = 3
SHARDS = 64
STATE = "state.pickle"
INDEX = "index.pickle"
DIR_NAME = ".glossdeck-cache"
# A shard's temporary file (atomic.write_bytes): `.notes-07-1a2b3c4d.pickle.x8k2_q0z.tmp`.
_SHARD_TEMP = re.compile(r"\.notes-\d{2}-[0-9a-f]{8}\.pickle\.[a-z0-9_]{8}\.tmp")


def cache_dir(out: Path) -> Path:
    """Return the cache folder of an output folder."""
    return out / DIR_NAME


@functools.cache
def code_fingerprint() -> str:
    """Return a hash of glossdeck's own source: a changed harvester invalidates cached candidates.

    Computed once per process (it reads every source file): the code a process runs does not change.
    """
    h = hashlib.blake2b(digest_size=16)
    root = Path(__file__).parent
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@dataclass
class Index:
    """What the last run saw, enough to say "nothing changed" in a few milliseconds."""

    settings: str = ""
    """Fingerprint of the code and the options (deck, formats, excludes, vault)."""
    files: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Relative path -> (size, mtime_ns) of every note."""
    outputs: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Output path -> (size, mtime_ns) as last written: a deleted or edited output is rebuilt."""
    notes: int = 0
    """How many notes the last run read (unreadable files not counted), for "nothing changed (N notes)"."""


@dataclass
class State:
    """Everything a run needs from the last one to rebuild only what changed."""

    code: str = ""
    """Fingerprint of the code alone: cached candidates stay good when only the options change."""
    notes: dict[str, tuple] = field(default_factory=dict)
    """Relative path -> parallel.pack(NoteResult); stored in the shards."""
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Relative path -> term keys of the note's candidates; stored in the shards."""
    merged: dict[str, tuple[tuple, ...]] = field(default_factory=dict)
    """Term key -> (normalise.sort_key, parallel.pack_entry()) of each entry merge() made of it."""
    entries: tuple[tuple, ...] = ()
    """The last build's entries, packed, keys as issued (without the ones kept for removal)."""
    shards: dict[int, str] = field(default_factory=dict)
    """Shard number -> file name holding its notes."""


def shard_of(rel: str) -> int:
    """Return the shard a note's cached result lives in (stable across runs and machines)."""
    return zlib.crc32(rel.encode("utf-8")) % SHARDS


def _load(path: Path, kind: type) -> object | None:
    try:
        with path.open("rb") as fh:
            version, obj = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as exc:  # any damage (truncated, foreign, old classes) means: rebuild
        log.warning("%s: cache unreadable (%s): rebuilding it", path, type(exc).__name__)
        return None
    if version != VERSION or not isinstance(obj, kind):
        log.info("%s: cache from another version: rebuilding it", path)
        return None
    return obj


def load_index(folder: Path) -> Index | None:
    """Return the last run's index, or None when there is no usable one."""
    obj = _load(folder / INDEX, Index)
    return obj if isinstance(obj, Index) else None


def load_state(folder: Path) -> State:
    """Return the last run's state with every shard read; an empty one when any part is unusable."""
    state = _load(folder / STATE, State)
    if not isinstance(state, State):
        return State()
    for name in state.shards.values():
        part = _load(folder / name, dict)
        if not isinstance(part, dict):
            # Merged entries stand on every note's candidates: a lost shard means a full rebuild
            # (the last build's entries still tell what changed).
            return State(entries=state.entries)
        for rel, (packed, terms) in part.items():
            state.notes[rel] = packed
            state.terms[rel] = terms
    return state


def save(folder: Path, state: State, index: Index, dirty: set[int] | None = None) -> None:
    """Write the shards in `dirty` (None: all), then the index, then the state, then drop old shards.

    New shards get new file names and the state names them, so a run killed at any point leaves
    the previous state with all its shards, or the new one with all of its. The index goes before
    the state: killed between the two, the next run finds nothing changed (the outputs are complete)
    and the next change is compared with the previous state, so the entries this run removed are
    announced (and tagged in the deck) again. The other way round they would never be: the state
    would say they were gone, the run that said so having been killed before it printed anything.
    """
    folder.mkdir(parents=True, exist_ok=True)
    groups: dict[int, dict[str, tuple]] = defaultdict(dict)
    for rel, packed in state.notes.items():
        groups[shard_of(rel)][rel] = (packed, state.terms[rel])
    shards: dict[int, str] = {}
    for n, part in sorted(groups.items()):
        if dirty is not None and n not in dirty and n in state.shards:
            shards[n] = state.shards[n]
            continue
        shards[n] = f"notes-{n:02d}-{secrets.token_hex(4)}.pickle"
        write_bytes(folder / shards[n], _dumps(part))
    head = replace(state, notes={}, terms={}, shards=shards)
    write_bytes(folder / INDEX, _dumps(index))
    write_bytes(folder / STATE, _dumps(head))
    keep = set(shards.values())
    # Shards of earlier runs (and of runs killed before their commit), and version 1's single file.
    for path in [*folder.glob("notes-*.pickle"), folder / "notes.pickle"]:
        if path.name not in keep:
            path.unlink(missing_ok=True)
    # Temporary files of shards a killed run was writing: each shard has a new name, so no later
    # write of the same name removes them (atomic.write_bytes does for the state and the index).
    for path in folder.glob(".notes-*.tmp"):
        if _SHARD_TEMP.fullmatch(path.name):
            path.unlink(missing_ok=True)


def _dumps(obj: object) -> bytes:
    return pickle.dumps((VERSION, obj), protocol=pickle.HIGHEST_PROTOCOL)
