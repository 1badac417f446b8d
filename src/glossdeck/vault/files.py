"""A note file's bytes and its text: read once (or again while it changes), decoded whatever wrote it."""

from __future__ import annotations

import codecs
import errno
import os
import re
import unicodedata

from ..model import Problem
from .walk import NoteFile

MAX_NOTE_BYTES = 64 * 1024 * 1024
"""A file larger than this is no note anyone wrote (a misnamed dump or disk image): skipped."""


def read_file(nf: NoteFile) -> tuple[bytes, os.stat_result, Problem | None] | Problem:
    """Return a note file's bytes, its stat from before the read and a warning, or the problem that stopped reading it.

    A note that changes while it is read (a sync client writing it) is read again, up to three
    times; if it still changes, the last read is used with a warning, and its stat from before
    that read makes the next sync read it again.
    """
    try:
        for _ in range(3):
            st = os.stat(nf.path)
            if st.st_size > MAX_NOTE_BYTES:
                return Problem(
                    "unreadable-note", nf.rel, 1,
                    f"{st.st_size / 1e6:.0f} MB, larger than any note ({MAX_NOTE_BYTES // 2**20} MB): skipped",
                )
            data = nf.path.read_bytes()
            after = os.stat(nf.path)
            if (after.st_size, after.st_mtime_ns) == (st.st_size, st.st_mtime_ns):
                return data, st, None
        return data, st, Problem(
            "changed-while-read", nf.rel, 1, "changed while being read: harvested as read, read again next run"
        )
    except FileNotFoundError:
        if os.path.islink(nf.path):
            return Problem("unreadable-note", nf.rel, 1, "symlink to a file that does not exist: skipped")
        return Problem("unreadable-note", nf.rel, 1, "vanished during the run (deleted or renamed): skipped")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Problem("unreadable-note", nf.rel, 1, "symlink loop (it leads back to itself): skipped")
        return Problem("unreadable-note", nf.rel, 1, f"cannot read: {exc.strerror}")


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
