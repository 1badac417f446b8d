"""Atomic file writes: a temporary file in the target folder, fsync, then os.replace."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import signal
import tempfile
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from .errors import GlossdeckError

# Characters no file name may hold on some OS (a path separator on this one) become _.
_FORBIDDEN = frozenset('/\\:*?"<>|')
# Names Windows keeps for devices, whatever the extension (CON.apkg is the console there): a deck
# folder synced to a Windows machine or a FAT/exFAT drive must not use them.
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{dev}{n}" for dev in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")}
)
# A deck's longest file is its temporary clock file, `.<stem>.anki-clock.json.XXXXXXXX.tmp`: 30 bytes
# more than the stem, within the usual 255-byte limit on a file name's length.
MAX_STEM_BYTES = 225
FALLBACK_STEM = "glossdeck"
# Every file a deck has beside it. One suffix ending another (`.json`, `.identity.json`) means a stem
# ending in the difference (`a.identity`) would name another deck's file (`a` + `.identity.json`).
DECK_SUFFIXES = (
    ".apkg", ".csv", ".anki.csv", ".json", ".md", ".identity.json", ".anki-clock.json", ".lock",
)
_CLASHING_ENDS = tuple(
    sorted({long[: -len(short)] for long in DECK_SUFFIXES for short in DECK_SUFFIXES
            if long != short and long.endswith(short)})
)


def check_deck_name(deck_name: str) -> None:
    """Stop with a clear message when a deck name holds what no deck name should.

    That is control characters, line breaks, and the undecodable bytes of a folder name that is not
    UTF-8 (the default deck name is the vault folder's name).
    """
    for ch in deck_name:
        kind = unicodedata.category(ch)
        if kind in ("Cc", "Zl", "Zp", "Cs"):
            what = "bytes that are not text" if kind == "Cs" else "a control character or line break"
            raise GlossdeckError(
                f"deck name {deck_name!r} contains {what} (U+{ord(ch):04X}); choose another name "
                "(--deck NAME, or deck = \"NAME\" in glossdeck.toml)"
            )


def deck_stem(deck_name: str) -> str:
    """Return the file name (without suffix) of a deck's files: one plain name, whatever the deck name.

    Characters no OS allows in a name become _, as do the separators of a path (`../../x` gives
    `_.._x`); leading dots are dropped (no hidden file, never `.` or `..`); a device name of
    Windows gets a _ (`CON_`); a name ending like one of another deck's files (`a.identity`, whose
    `.json` would be deck `a`'s registry) or too long for a file gains a short hash of the whole
    name, so two such names stay apart. Raise GlossdeckError for names with control characters (see
    check_deck_name).
    """
    check_deck_name(deck_name)
    stem = "".join("_" if c in _FORBIDDEN else c for c in deck_name)
    stem = stem.strip().lstrip(". ").strip() or FALLBACK_STEM
    first, dot, rest = stem.partition(".")
    if first.rstrip(" ").upper() in _RESERVED:
        stem = f"{first.rstrip(' ')}_{dot}{rest}"
    tag = "-" + hashlib.sha256(deck_name.encode("utf-8")).hexdigest()[:8]
    # lower(): on the case-insensitive file systems of macOS and Windows `a.IDENTITY.json` is `a.identity.json`
    if stem.lower().endswith(_CLASHING_ENDS):
        stem += tag
    if len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        cut = stem.encode("utf-8")[: MAX_STEM_BYTES - len(tag)].decode("utf-8", "ignore")
        stem = cut.rstrip(". ") + tag
    return stem


def deck_file(out: Path, deck_name: str, suffix: str, hidden: bool = False) -> Path:
    """Return the path of one of a deck's files: directly in the output folder, named by deck_stem.

    A `hidden` file (the lock) starts with a dot: no one imports or opens it.
    """
    if suffix not in DECK_SUFFIXES:
        # a new kind of file must be listed, or deck_stem cannot keep it apart from other decks' files
        raise ValueError(f"{suffix!r} is not in atomic.DECK_SUFFIXES")
    return Path(out) / f"{'.' if hidden else ''}{deck_stem(deck_name)}{suffix}"


def remove_deck_temps(out: Path, deck_name: str) -> list[Path]:
    """Remove the temporary files killed runs left beside the deck's files; return them.

    Only this deck's: another deck in the same folder may be writing its own right now (each
    deck has its own lock).
    """
    removed: list[Path] = []
    for suffix in DECK_SUFFIXES:
        removed += remove_stale_temps(deck_file(out, deck_name, suffix))
    return removed


def shown_name(name: str) -> str:
    """Return a file name as programs that read names as UTF-8 show it (Obsidian, a TOML file).

    Python keeps each byte of a name that is not UTF-8 as a lone surrogate, which no UTF-8 text can
    hold; such programs show the byte as U+FFFD, and so does this.
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def write_bytes(path: Path, data: bytes) -> bool:
    """Write `data` to `path` atomically; return False (and touch nothing) when it is unchanged.

    Either way, temporary files of this same target left by a killed run are removed.
    """
    path = Path(path)
    if _same(path, data):
        remove_stale_temps(path)
        return False
    tmp = _temp_copy(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    remove_stale_temps(path)
    return True


class Batch:
    """Files written to temporaries first, then put in place together: a failed write leaves all as they were.

    A full disk or a file size limit strikes while data is written, never while a finished file is
    renamed, so every output is written before the first one replaces its old version.
    """

    def __init__(self) -> None:
        self._staged: list[tuple[Path, Path]] = []

    def stage(self, path: Path, data: bytes) -> bool:
        """Write `data` to a temporary file beside `path`; return False (nothing staged) when unchanged."""
        path = Path(path)
        if _same(path, data):
            return False
        self._staged.append((_temp_copy(path, data), path))
        return True

    def commit(self) -> None:
        """Put every staged file in place, in the order staged; Ctrl-C waits until all are."""
        with _ctrl_c_deferred():
            while self._staged:
                tmp, path = self._staged[0]
                os.replace(tmp, path)
                self._staged.pop(0)
                remove_stale_temps(path)

    def discard(self) -> None:
        """Remove the temporary files not yet put in place."""
        for tmp, _ in self._staged:
            tmp.unlink(missing_ok=True)
        self._staged.clear()


@contextlib.contextmanager
def _ctrl_c_deferred() -> Iterator[None]:
    """Hold a Ctrl-C until the block ends, then raise it.

    The renames take milliseconds; one interrupted between them would leave a new .apkg beside an
    old identity registry or CSV, outputs that no longer tell the same story.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _temp_copy(path: Path, data: bytes) -> Path:
    """Write `data` to a new temporary file beside `path`, synced to disk; remove it on any failure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=_TEMP_SUFFIX, dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.filename is None:  # a write or fsync names no file: say which output failed
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def scratch_file(path: Path) -> Path:
    """Create an empty scratch file beside `path`, named as its temporary files are.

    Whoever creates it removes it; one a killed run left is removed with the target's other stale
    temporary files by the next write of `path` (see remove_stale_temps), so nothing is ever left
    outside the output folder or piles up in it.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=_TEMP_SUFFIX, dir=path.parent)
    os.close(fd)
    return Path(tmp)


def write_text(path: Path, text: str, encoding: str = "utf-8") -> bool:
    """Write text atomically (see write_bytes)."""
    return write_bytes(path, text.encode(encoding))


_TEMP_SUFFIX = ".tmp"
# mkstemp's random part: 8 characters of [a-z0-9_]. Matching it exactly keeps `.a.csv.x.csv.<8>.tmp`
# (a temporary file of the target `a.csv.x.csv`) from being taken for one of `a.csv`.
_TEMP_RANDOM = re.compile(r"[a-z0-9_]{8}\.tmp")


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def is_temp_of(name: str, target: str) -> bool:
    """Tell whether the file name `name` is a temporary file write_bytes makes for the file `target`."""
    prefix = f".{target}."
    return name.startswith(prefix) and _TEMP_RANDOM.fullmatch(name, len(prefix)) is not None


def remove_stale_temps(path: Path) -> list[Path]:
    """Remove the temporary files of `path` (`.<name>.XXXXXXXX.tmp`) a killed run left; return them.

    Called once the target is written: one run at a time writes into an output folder (lock.py), so
    any other temporary file of the same target is a dead run's.
    """
    path = Path(path)
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    removed = []
    for name in names:
        if is_temp_of(name, path.name):
            stale = path.parent / name
            try:
                stale.unlink()
            except OSError:
                continue
            removed.append(stale)
    return removed


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
