"""A linear scanner for the blocks most notes are made of; markdown-it-py reads every other chunk.

markdown-it-py stays the reference for what the Markdown means, but parsing every line with it
cost ~0.8 ms a note. The scanner reads, at the top level of a body, the blocks whose reading is
plain: paragraphs, ATX headings (`# Title`), footnote definitions with their continuation lines
and indented paragraphs, and fences that open at column 0. Whatever else it meets (lists, block
quotes, HTML, setext headings, definition lists, reference definitions, indented code, a tab
in an indent, or a line it cannot be sure of) it hands to markdown-it-py as one chunk, from the
start of that block to the next place where nothing above can go on (a blank line and a line at
column 0), or to the end of the text if the chunk could open a fence or an HTML block that spans
blank lines. A block is read here only when markdown-it-py would read it the same way: the
differential test (tests/test_block_scanner.py) holds the two to the same blocks, line numbers
and footnotes. `GLOSSDECK_SCANNER=0` turns the scanner off (markdown.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it.common.utils import mdTrim

Event = tuple[str, int, str, list[tuple[int, str]]]
"""(kind, line index, text, footnote paragraphs) in text order, one of:
("p", i, content, []) a paragraph; ("h", i, content, []) a heading; ("f", i, label, [(i, content), …])
a footnote definition; ("m", i, chunk, []) a chunk for markdown-it-py, starting at line index i."""

_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")
_FENCE = re.compile(r"(`{3,}|~{3,})(.*)")
# A footnote definition as the plugin reads one, narrowed: no tab and at most 3 spaces after the
# colon, some text on the first line (else markdown-it-py reads it).
_FOOTNOTE = re.compile(r"\[\^([^\s\[\]\\]+)\]: {0,3}(?=[^ \t])")
_FOOTNOTE_LIKE = re.compile(r"\[\^[^ \]]+\]:")
# A list item, a thematic break or a setext underline: what `*`, `+`, `-`, `_`, `=` may start.
_MARKER = re.compile(r"[*+-](?:[ \t]|$)|([*_-])(?:[ \t]*\1){2,}[ \t]*$|=+[ \t]*$|-+[ \t]*$")
_ORDERED = re.compile(r"\d{1,9}[.)](?:[ \t]|$)")
# A label up to its first bracket, as markdown-it-py's reference rule scans it.
_LABEL = re.compile(r"\[(?:[^\[\]\\]|\\.)*(?:(\[)|\](:)?)")
# What could open a fenced code block or an HTML block that goes on past a blank line.
_SPANNING = re.compile(r"```|~~~|<[!?]|<(?:script|pre|style|textarea)", re.I)
_NEWLINES = re.compile(r"\r\n?")

_TRICKY = frozenset("#`~>*+-_=<[:0123456789")
"""First characters that may start something other than paragraph text."""


def scan(text: str) -> Iterator[Event]:
    """Yield a text's plain blocks and the chunks left to markdown-it-py, in text order."""
    return _Scanner(_normalise(text).split("\n")).events()


def rest(text: str, i: int) -> str:
    """Return `text` from its line index i (as `scan` counts lines) to its end."""
    return "\n".join(_normalise(text).split("\n")[i:])


def _normalise(text: str) -> str:
    if "\r" in text or "\0" in text:  # as markdown-it-py's normalize rule does
        text = _NEWLINES.sub("\n", text).replace("\0", "\ufffd")
    return text


def _blank(line: str) -> bool:
    return not line.strip(" \t")


class _Scanner:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.n = len(lines)

    def events(self) -> Iterator[Event]:
        lines, i = self.lines, 0
        while i < self.n:
            if not lines[i].strip(" \t"):  # blank
                i += 1
                continue
            got = self._block(i)
            if got is None:
                end = self._chunk_end(i)
                tail = "\n" if end < self.n else ""
                yield ("m", i, "\n".join(lines[i:end]) + tail, [])
                i = end
                continue
            event, i = got
            if event is not None:
                yield event

    def _block(self, i: int) -> tuple[Event | None, int] | None:
        """Read the block starting at line i; return (its event, the next line), or None to hand it over."""
        line = self.lines[i]
        first = line[:1]
        if first == "#" and _HEADING.match(line):
            return ("h", i, _heading(line), []), i + 1
        if first and first in "`~":
            fence = _FENCE.match(line)
            if fence and not (first == "`" and "`" in fence.group(2)):
                return None, self._fence_end(i, fence.group(1))
        if first == "[" and line.startswith("[^"):
            return self._footnote(i)
        if not _starts_paragraph(line) or self._term(i):
            return None
        end = self._paragraph_end(i + 1)
        if end < 0:
            return None
        return ("p", i, mdTrim("\n".join(self.lines[i:end])), []), end

    def _paragraph_end(self, j: int) -> int:
        """Return where a paragraph going on at line j ends, or -1 if markdown-it-py must read it."""
        lines = self.lines
        while j < self.n:
            line = lines[j]
            if not line.strip(" \t"):  # blank
                return j
            if not _continues(line):
                return j if _interrupts(line) else -1
            j += 1
        return j

    def _term(self, i: int) -> bool:
        """Tell whether line i may be a definition list's term (a `:` or `~` line after it)."""
        lines = self.lines
        j = i + 1
        if j < self.n and _blank(lines[j]):
            j += 1
        return j < self.n and lines[j].lstrip(" \t")[:1] in (":", "~")

    def _fence_end(self, i: int, marker: str) -> int:
        """Return the line after the fence opened at line i by `marker` (the end of the text if unclosed)."""
        char = marker[0]
        for j in range(i + 1, self.n):
            line = self.lines[j]
            rest = line.lstrip(" \t")
            if rest[:1] != char or _columns(line[:len(line) - len(rest)]) > 3:
                continue
            run = len(rest) - len(rest.lstrip(char))
            if run >= len(marker) and not rest[run:].strip(" \t"):
                return j + 1
        return self.n

    def _footnote(self, i: int) -> tuple[Event | None, int] | None:
        """Read a footnote definition: its first paragraph, then each paragraph indented 4 to 7 spaces."""
        m = _FOOTNOTE.match(self.lines[i])
        if m is None or not _starts_paragraph(self.lines[i][m.end():]) or self._term(i):
            return None
        parts: list[tuple[int, str]] = []
        start, j = i, i + 1
        while True:
            end = self._paragraph_end(j)
            content = self._footnote_lines(start, end, m.end() if start == i else 0)
            if content is None:
                return None
            parts.append((start, content))
            if end >= self.n or not _blank(self.lines[end]):
                return ("f", i, m.group(1), parts), end
            start, j = self._next_part(end)
            if start < 0:
                return None
            if j < 0:
                return ("f", i, m.group(1), parts), start

    def _footnote_lines(self, start: int, end: int, skip: int) -> str | None:
        """Return a footnote paragraph's content (lines start..end, up to 4 columns of indent gone), or None."""
        if end < 0:
            return None
        lines = self.lines
        out = [lines[start][skip:]]  # its leading spaces go with the trim
        for k in range(start + 1, end):
            line = lines[k]
            rest = line.lstrip(" ")
            lead = len(line) - len(rest)
            if lead < 4 and rest[:1] == "\t":
                return None
            out.append(line[min(lead, 4):])
        return mdTrim("\n".join(out))

    def _next_part(self, j: int) -> tuple[int, int]:
        """After a blank line j in a footnote: (next paragraph's line, its line + 1), (line, -1) if the
        footnote ends at that line, or (-1, -1) if markdown-it-py must read the footnote."""
        lines = self.lines
        while j < self.n and _blank(lines[j]):
            j += 1
        if j >= self.n:
            return j, -1
        line = lines[j]
        rest = line.lstrip(" ")
        lead = len(line) - len(rest)
        if rest[:1] == "\t":
            return -1, -1
        if lead < 4:
            return j, -1
        if lead > 7 or not _starts_paragraph(line[4:]) or self._term(j):
            return -1, -1
        return j, j + 1

    def _chunk_end(self, i: int) -> int:
        """Return where a chunk for markdown-it-py that starts at line i can end (see the module doc)."""
        lines, n = self.lines, self.n
        j = i
        while j < n:
            line = lines[j]
            if _SPANNING.search(line):
                return n
            j += 1
            if _blank(line):
                while j < n and _blank(lines[j]):
                    j += 1
                # a line that may be a term goes on a definition list above (its loop reads terms first)
                if j < n and lines[j][:1] not in (" ", "\t", ":", "~") and not self._term(j):
                    return j
        return n


def _starts_paragraph(line: str) -> bool:
    """Tell whether a block starting with `line` can only be a paragraph."""
    rest = line.lstrip(" ")
    if len(line) - len(rest) > 3:
        return False
    first = rest[:1]
    if first not in _TRICKY:
        return first != "\t"
    if first == "[":
        label = _LABEL.match(rest)
        return label is not None and (label.group(1) is not None or label.group(2) is None)
    if first == "#":
        return not _HEADING.match(rest)
    return _plain_start(rest, first)


def _continues(line: str) -> bool:
    """Tell whether `line` can only go on with the paragraph before it (never interrupt it)."""
    rest = line.lstrip(" \t")
    first = rest[:1]
    if first not in _TRICKY:
        return True
    if first == "[":
        return not rest.startswith("[^")
    if first == "#":
        return not _HEADING.match(rest)
    return _plain_start(rest, first)


def _plain_start(rest: str, first: str) -> bool:
    if first in "`~":
        return not rest.startswith(first * 3)
    if first in "*+-_=":
        return not _MARKER.match(rest)
    if first.isdigit():
        return not _ORDERED.match(rest)
    return False  # `>`, `<`, `:`


def _interrupts(line: str) -> bool:
    """Tell whether `line` starts a block the scanner reads that ends a paragraph before it."""
    first = line[:1]
    if first == "#":
        return _HEADING.match(line) is not None
    if first == "[":
        return _FOOTNOTE_LIKE.match(line) is not None
    fence = _FENCE.match(line) if first in ("`", "~") else None
    return fence is not None and not (first == "`" and "`" in fence.group(2))


def _heading(line: str) -> str:
    """Return an ATX heading's text as markdown-it-py's heading rule cuts it."""
    rest = line[len(line) - len(line.lstrip("#")):]
    end = len(rest.rstrip(" \t"))
    cut = len(rest[:end].rstrip("#"))
    if 0 < cut < end and rest[cut - 1] in " \t":
        end = cut
    return mdTrim(rest[:end])


def _columns(indent: str) -> int:
    col = 0
    for ch in indent:
        col += 4 - col % 4 if ch == "\t" else 1
    return col
