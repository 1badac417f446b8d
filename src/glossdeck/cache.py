"""The sync cache: per-note harvest results and the last build's entries, written atomically.

Two files in `<out>/.glossdeck-cache/`: a small index (file sizes and mtimes, output stamps) that
answers "did anything change?" without loading the rest, and the notes file with every note's
packed candidates. A missing, damaged or older-version cache is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import write_bytes
from .model import Entry

log = logging.getLogger(__name__)

# Bump when the layout of what is pickled here changes.
VERSION = 1
DIR_NAME = ".glossdeck-cache"


def cache_dir(out: Path) -> Path:
    """Return the cache folder of an output folder."""
    return out / DIR_NAME


def code_fingerprint() -> str:
    """Return a hash of glossdeck's own source: a changed harvester invalidates cached candidates."""
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


@dataclass
class State:
    """Everything a run needs from the last one to rebuild only what changed."""

    settings: str = ""
    code: str = ""
    """Fingerprint of the code alone: cached candidates stay good when only the options change."""
    notes: dict[str, tuple] = field(default_factory=dict)
    """Relative path -> parallel.pack(NoteResult)."""
    entries: list[Entry] = field(default_factory=list)
    """The last build's entries (without the ones kept for removal)."""
    removed: list[Entry] = field(default_factory=list)
    """Entries the last build kept one more time, tagged for deletion in Anki."""


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
    obj = _load(folder / "index.pickle", Index)
    return obj if isinstance(obj, Index) else None


def load_state(folder: Path) -> State:
    """Return the last run's state; an empty one when there is no usable cache."""
    obj = _load(folder / "notes.pickle", State)
    return obj if isinstance(obj, State) else State()


def save(folder: Path, state: State, index: Index) -> None:
    """Write the state, then the index (a run killed between them leaves a stale index: harmless)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_bytes(folder / "notes.pickle", pickle.dumps((VERSION, state), protocol=pickle.HIGHEST_PROTOCOL))
    write_bytes(folder / "index.pickle", pickle.dumps((VERSION, index), protocol=pickle.HIGHEST_PROTOCOL))
