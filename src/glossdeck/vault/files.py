"""A note file's bytes and its text: read once (or again while it changes), decoded whatever wrote it."""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
import time
import unicodedata
from pathlib import Path

from ..model import Problem
from .walk import NoteFile

MAX_NOTE_BYTES = 64 * 1024 * 1024
"""A file larger than this is no note anyone wrote (a misnamed dump or disk image): skipped."""
SETTLE = 2.0
"""An empty note written less than this many seconds ago may be an editor's save half done: it is
read again (every 0.1 s) until it holds text or is this old."""
_CHUNK = 1 << 20


class NotRegular(OSError):
    """The path is a FIFO, a device, a socket or a folder: nothing to read as a note."""


class TooLarge(OSError):
    """The file holds more than the size cap allows."""


def read_file(nf: NoteFile) -> tuple[bytes, os.stat_result, Problem | None] | Problem:
    """Return a note file's bytes, its stat from before the read and a warning, or the problem that stopped reading it.

    Only regular files are read (a FIFO named `pipe.md` would block for ever, a link to
    `/dev/zero` never end), and no more than MAX_NOTE_BYTES of them, counted while reading. A note
    that changes while it is read (a sync client writing it) is read again, up to three times; if it
    still changes, the last read is used with a warning, and its stat from before that read makes
    the next sync read it again. An empty note just written is read again until it settles (SETTLE).
    """
    try:
        return _read_settled(nf)
    except FileNotFoundError:
        if os.path.islink(nf.path):
            return Problem("unreadable-note", nf.rel, 1, "symlink to a file that does not exist: skipped")
        return Problem("unreadable-note", nf.rel, 1, "vanished during the run (deleted or renamed): skipped")
    except NotRegular as exc:
        return Problem("unreadable-note", nf.rel, 1, f"{exc}, not a regular file: skipped")
    except TooLarge:
        limit = MAX_NOTE_BYTES // 2**20
        return Problem("unreadable-note", nf.rel, 1, f"larger than any note ({limit} MB): skipped")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Problem("unreadable-note", nf.rel, 1, "symlink loop (it leads back to itself): skipped")
        return Problem("unreadable-note", nf.rel, 1, f"cannot read: {exc.strerror}")


def _read_settled(nf: NoteFile) -> tuple[bytes, os.stat_result, Problem | None]:
    deadline = time.monotonic() + SETTLE
    changes = 0
    while True:
        data, st, steady = read_once(nf.path, MAX_NOTE_BYTES)
        if not data and time.time() - st.st_mtime < SETTLE and time.monotonic() < deadline:
            time.sleep(0.1)  # truncated by an editor that is about to write the note again
            continue
        if steady:
            return data, st, None
        changes += 1
        if changes == 3:
            why = "changed while being read: harvested as read, read again next run"
            return data, st, Problem("changed-while-read", nf.rel, 1, why)


def read_once(path: Path, limit: int) -> tuple[bytes, os.stat_result, bool]:
    """Read a regular file of at most `limit` bytes; return its bytes, its stat before, and whether it held still.

    Raise NotRegular for anything else (without blocking on a FIFO) and TooLarge past `limit`.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegular(_kind(st.st_mode))
        if st.st_size > limit:
            raise TooLarge(path)
        parts: list[bytes] = []
        size = 0
        want = st.st_size + 1  # the whole file in one read, not a copy of pieces joined
        while size <= st.st_size and (chunk := os.read(fd, want)):
            parts.append(chunk)
            size += len(chunk)
            want = min(_CHUNK, st.st_size + 1 - size)
        if size > limit:
            raise TooLarge(path)
        after = os.fstat(fd)
    finally:
        os.close(fd)
    # grown past its size while read (a writer appending): read again, whatever it grows to
    if size > st.st_size:
        return b"".join(parts), st, False
    return b"".join(parts), st, (after.st_size, after.st_mtime_ns) == (st.st_size, st.st_mtime_ns)


def read_regular(path: Path, limit: int) -> bytes:
    """Return the bytes of a regular file of at most `limit` bytes (else NotRegular or TooLarge, both OSError)."""
    return read_once(path, limit)[0]


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a folder" if stat.S_ISDIR(mode) else "a special file"


def note_text(data: bytes, rel: str) -> tuple[str | None, Problem | None]:
    """Return a note's text as a reader sees it (None when undecodable) and the decoding warning."""
    text, problem = decode(data, rel)
    if text is not None:
        # macOS writes kana with separate voicing marks (ハ + ゛); compose them so rules see バ.
        text = unicodedata.normalize("NFC", text)
        # Control characters (but tab and line breaks) are no text a reader sees, and U+001F
        # would split an Anki field: pasted terminal output and old files carry them.
        text = _CONTROL.sub("", text)
    return text, problem


def decode(data: bytes, rel: str) -> tuple[str | None, Problem | None]:
    """Decode a note's bytes: UTF-8 (BOM or not), else CP932 with a warning, else give up.

    UTF-16 with its BOM (Windows Notepad's "Unicode") is read too, with a warning.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), Problem("decoded-as", rel, 1, "UTF-16, not UTF-8: read as UTF-16")
        except UnicodeDecodeError:
            return None, Problem("unreadable-note", rel, 1, "starts like UTF-16 but is not: skipped")
    if b"\x00" in data[:8192]:
        return None, Problem("unreadable-note", rel, 1, "binary file, skipped")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError:
        return None, Problem(
            "unreadable-note", rel, bad_line, "not UTF-8 and not Shift_JIS (CP932): skipped"
        )
    return text, Problem("decoded-as", rel, bad_line, "not valid UTF-8: read as Shift_JIS (CP932)")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
