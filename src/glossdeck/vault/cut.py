"""Cut a big note's body into pieces parsed one at a time: markdown-it needs ~86x a text's size in memory."""

from __future__ import annotations

import re
from collections.abc import Iterator

BIG_NOTE = 128 * 1024
"""A note body longer than this many characters is parsed in pieces (bounded memory)."""

HUGE_BLOCK = 16
"""A paragraph longer than this many pieces (2M characters: no one types one) is cut after a sentence."""


def pieces(body: str, offset: int, size: int | None = None) -> Iterator[tuple[str, int]]:
    """Split a long body into pieces of about `size` (BIG_NOTE) characters; yield (piece, lines before it).

    A piece ends only where a block ends, never inside a paragraph or a footnote (a footnote's long
    form may go on for lines): at a blank line before an unindented line, or before a line that
    starts a block of its own (a heading, a footnote definition, a list item, a fence). A block
    longer than HUGE_BLOCK pieces without any such line is cut after a sentence or a space. A
    piece that starts inside a fenced code block starts with the fence's opening line, so code
    stays code.
    """
    size = size or BIG_NOTE
    n = len(body)
    if n <= size:
        yield body, offset
        return
    ends = _Ends(body)
    start, line, reopen = 0, offset, ""
    while start < n:
        cut = _cut(body, start, size, ends)
        piece = body[start:cut]
        yield reopen + piece, line - (1 if reopen else 0)
        reopen = _open_fence(reopen + piece)
        line += piece.count("\n")
        start = cut


_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$", re.M)
# Where one block ends and the next begins: a blank line followed by a line that continues no
# list item, footnote or definition; or a line break before a line that interrupts a paragraph
# (CommonMark: a heading, a fence, a bullet or `1.` item with text; the footnote plugin: `[^x]:`).
_BLOCK_END = re.compile(
    r"\n[ \t]*\n(?=[^\s:~])"
    r"|\n(?=#{1,6}(?:[ \t]|$)|\[\^[^\]\s]+\]:|[-*+][ \t]+\S|1[.)][ \t]+\S|`{3}|~{3})",
    re.M,
)


class _Ends:
    """The block ends of a body, found in one pass as the cutting moves forward (linear time)."""

    def __init__(self, body: str) -> None:
        self._found = _BLOCK_END.finditer(body)
        self._next: int | None = -1

    def first_from(self, pos: int) -> int | None:
        """Return the first block end at or after `pos` (asked with `pos` never going back), or None."""
        while self._next is not None and self._next < pos:
            m = next(self._found, None)
            self._next = m.end() if m else None
        return self._next


def _cut(body: str, start: int, size: int, ends: _Ends) -> int:
    n = len(body)
    if n - start <= size + size // 2:
        return n
    target = start + size
    end = ends.first_from(target)
    if end is None:
        end = n
    if end <= start + HUGE_BLOCK * size:
        return end
    limit = min(n, start + 4 * size)
    for mark in ("。", ". ", " ", "\u3000", "\n"):
        at = body.find(mark, target, limit)
        if at >= 0:
            return at + len(mark)
    return target


def _open_fence(text: str) -> str:
    """Return the opening line of a fenced code block left open at the end of `text`, else ""."""
    opener: re.Match[str] | None = None
    for m in _FENCE_LINE.finditer(text):
        fence = m.group(1)
        if opener is None:
            if not (fence[0] == "`" and "`" in m.group(2)):
                opener = m
        elif fence[0] == opener.group(1)[0] and len(fence) >= len(opener.group(1)) and not m.group(2).strip():
            opener = None
    return opener.group(0) + "\n" if opener else ""
