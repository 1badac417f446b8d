"""Cut a big note's body into pieces parsed one at a time: markdown-it needs ~86x a text's size in memory."""

from __future__ import annotations

import re
from collections.abc import Iterator

BIG_NOTE = 128 * 1024
"""A note body longer than this many characters is parsed in pieces (bounded memory)."""


def pieces(body: str, offset: int, size: int | None = None) -> Iterator[tuple[str, int]]:
    """Split a long body into pieces of about `size` (BIG_NOTE) characters; yield (piece, lines before it).

    Pieces end between blocks when they can (a blank line before an unindented line), else at a
    line break, else (one enormous line) after a sentence or a space. A piece that starts inside
    a fenced code block starts with the fence's opening line, so code stays code.
    """
    size = size or BIG_NOTE
    n = len(body)
    if n <= size:
        yield body, offset
        return
    start, line, reopen = 0, offset, ""
    while start < n:
        cut = _cut(body, start, size)
        piece = body[start:cut]
        yield reopen + piece, line - (1 if reopen else 0)
        reopen = _open_fence(reopen + piece)
        line += piece.count("\n")
        start = cut


_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$", re.M)
# A blank line followed by a line that continues no list item, footnote or definition.
_BLOCK_GAP = re.compile(r"\n[ \t]*\n(?=[^\s:~])")


def _cut(body: str, start: int, size: int) -> int:
    n = len(body)
    if n - start <= size + size // 2:
        return n
    target, limit = start + size, min(n, start + 4 * size)
    gap = _BLOCK_GAP.search(body, target, limit)
    if gap:
        return gap.end()
    newline = body.find("\n", target, limit)
    if newline >= 0:
        return newline + 1
    for mark in ("。", ". ", " ", "\u3000"):
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
