"""The sync cache: per-note harvest results and the last build's entries, written atomically.

In `<out>/.glossdeck-cache/<deck>/`, one folder per deck (two decks sharing an output folder never
read each other's cache, nor announce each other's cards as removed): a small index (file sizes and
mtimes, output stamps) that answers "did anything change?" without loading the rest; the state
(the last build's merged entries, the commit point); the notes' rows split into shards by path, so
a run that re-read one note rewrites one shard; and the removals a run saved but has not yet printed. A missing or
older-version cache is rebuilt; a damaged one too, with a warning.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import re
import secrets
import zlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from .atomic import deck_stem, is_temp_of, write_bytes
from .model import EntryRow, Problem
from .rows import NoteRow

# Bump when the layout of what is pickled here changes.
VERSION = 4
SHARDS = 64
STATE = "state.pickle"
INDEX = "index.pickle"
PENDING = "removed.pickle"
DIR_NAME = ".glossdeck-cache"
# What glossdeck 0.x kept directly in DIR_NAME for the whole output folder (now one folder per deck).
_LEGACY = re.compile(
    r"(state|index|notes(-\d{2}-[0-9a-f]{8})?)\.pickle|lock"
    r"|\.(state|index|notes-\d{2}-[0-9a-f]{8})\.pickle\.[a-z0-9_]{8}\.tmp"
)
# A shard's temporary file (atomic.write_bytes): `.notes-07-1a2b3c4d.pickle.x8k2_q0z.tmp`.
_SHARD_TEMP = re.compile(r"\.notes-\d{2}-[0-9a-f]{8}\.pickle\.[a-z0-9_]{8}\.tmp")

MergedRow = tuple[tuple[str, str, str, str], EntryRow]
"""(normalise.sort_key, model.entry_row) of one entry merge() made."""


def cache_dir(out: Path, deck_name: str) -> Path:
    """Return the cache folder of one deck in an output folder."""
    return Path(out) / DIR_NAME / deck_stem(deck_name)


def sweep(folder: Path) -> None:
    """Remove what killed runs left in a deck's cache folder, and the cache of glossdeck 0.x beside it.

    The old cache was the whole output folder's: a deck of it cannot be told from another's, so it
    is dropped (each deck's first sync then reads every note again).
    """
    for path in _listed(folder):
        if path.name.endswith(".tmp") and any(is_temp_of(path.name, name) for name in (STATE, INDEX, PENDING)):
            path.unlink(missing_ok=True)
        elif _SHARD_TEMP.fullmatch(path.name):
            path.unlink(missing_ok=True)
    for path in _listed(folder.parent):
        if _LEGACY.fullmatch(path.name) and path.is_file():
            path.unlink(missing_ok=True)


def _listed(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []


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
    notes: dict[str, NoteRow] = field(default_factory=dict)
    """Relative path -> what the note gave; stored in the shards."""
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Relative path -> term keys of the note's candidates; stored in the shards."""
    merged: dict[str, tuple[MergedRow, ...]] = field(default_factory=dict)
    """Term key -> (normalise.sort_key, model.entry_row) of each entry merge() made of it."""
    entries: tuple[EntryRow, ...] = ()
    """The last build's entries as rows, keys as issued (without the ones kept for removal)."""
    shards: dict[int, str] = field(default_factory=dict)
    """Shard number -> file name holding its notes."""


def shard_of(rel: str) -> int:
    """Return the shard a note's cached result lives in (stable across runs and machines)."""
    return zlib.crc32(rel.encode("utf-8")) % SHARDS


def load_index(folder: Path, problems: list[Problem]) -> Index | None:
    """Return the last run's index, or None when there is no usable one (a damaged one is a problem)."""
    return _load(folder / INDEX, Index, problems)


def load_state(folder: Path, problems: list[Problem]) -> State:
    """Return the last run's state with every shard read; an empty one when any part is unusable."""
    state = _load(folder / STATE, State, problems)
    if state is None:
        return State()
    for name in state.shards.values():
        part = _load(folder / name, dict, problems)
        if part is None:
            # Merged entries stand on every note's candidates: a lost shard means a full rebuild
            # (the last build's entries still tell what changed).
            return State(entries=state.entries)
        for rel, (packed, terms) in part.items():
            state.notes[rel] = packed
            state.terms[rel] = terms
    return state


def save(
    folder: Path, state: State, index: Index, dirty: set[int] | None = None, removed: tuple[EntryRow, ...] = (),
) -> None:
    """Write the removals to announce, the shards in `dirty` (None: all), the index, the state; drop old shards.

    `removed` (the entries this run reports removed) is kept until the report is printed
    (clear_pending): a run killed after its commit but before printing leaves them for the next
    run to announce (load_pending).

    New shards get new file names and the state names them, so a run killed at any point leaves
    the previous state with all its shards, or the new one with all of its. The index goes before
    the state: killed between the two, the next run finds nothing changed (the outputs are complete)
    and the next change is compared with the previous state, so the entries this run removed are
    announced (and tagged in the deck) again. The other way round they would never be: the state
    would say they were gone, the run that said so having been killed before it printed anything.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if removed:
        write_bytes(folder / PENDING, _dumps(removed))
    groups: dict[int, dict[str, tuple[NoteRow, tuple[str, ...]]]] = defaultdict(dict)
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
    # Shards of earlier runs (and of runs killed before their commit).
    for path in folder.glob("notes-*.pickle"):
        if path.name not in keep:
            path.unlink(missing_ok=True)


def load_pending(folder: Path, problems: list[Problem]) -> tuple[EntryRow, ...]:
    """Return the removals a run saved but may not have printed (see save); none when there are none."""
    return _load(folder / PENDING, tuple, problems) or ()


def has_pending(folder: Path) -> bool:
    """Tell whether removals are waiting to be announced (then the next run is no "nothing changed")."""
    return (folder / PENDING).exists()


def clear_pending(folder: Path) -> None:
    """Forget the removals to announce: the report that lists them has been printed."""
    (folder / PENDING).unlink(missing_ok=True)


_Kind = TypeVar("_Kind")


def _load(path: Path, kind: type[_Kind], problems: list[Problem]) -> _Kind | None:
    try:
        with path.open("rb") as fh:
            version, obj = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as exc:  # any damage (truncated, foreign, old classes) means: rebuild
        why = f"cache unreadable ({type(exc).__name__}): rebuilding it"
        problems.append(Problem("unreadable-cache", str(path), 1, why))
        return None
    # A cache of another glossdeck version is no damage: it is rebuilt without a word.
    return obj if version == VERSION and isinstance(obj, kind) else None


def _dumps(obj: object) -> bytes:
    return pickle.dumps((VERSION, obj), protocol=pickle.HIGHEST_PROTOCOL)
