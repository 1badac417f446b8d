"""A note's body: its blocks (markdown-it's block structure), footnotes, references and definition lists.

`parse_body` is the one entry point; everything the harvesters and lint know of a body comes from
it. `references` is the one place that decides what is a footnote reference, and which references
Obsidian hides (math, comments, a link's target).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from ..model import REF_CONTEXT, Block, FootnoteDef, FootnoteRef, Lines
from . import blocks, cut
from .mdit import DEEP, MD

SCANNER = os.environ.get("GLOSSDECK_SCANNER", "1") != "0"
"""Read plain blocks with the linear scanner (blocks.py); `GLOSSDECK_SCANNER=0`: markdown-it-py reads all."""


@dataclass(slots=True)
class Body:
    """What a note's body holds, in file order."""

    blocks: list[Block] = field(default_factory=list)
    footnotes: list[FootnoteDef] = field(default_factory=list)
    refs: list[FootnoteRef] = field(default_factory=list)
    extras: list[tuple[str, str, int]] = field(default_factory=list)
    """(term, definition, line) of each definition-list item."""
    first_heading: str | None = None
    """The first heading's plain text: the note's title when the frontmatter has none."""


def parse_body(body: str, offset: int, scanner: bool | None = None) -> Body:
    """Parse a note's body; `offset` is the number of file lines before it (the frontmatter's).

    `scanner` (default: SCANNER) reads plain blocks with blocks.py, the rest with markdown-it-py;
    either way the result is the same.
    """
    reader = _Reader()
    env: dict[str, Any] = {}
    scan = SCANNER if scanner is None else scanner
    for piece, piece_offset in cut.pieces(body, offset):
        # the tokens of one piece at a time: markdown-it needs ~86x a text's size in memory
        if scan:
            _scan(reader, piece, piece_offset, env)
        else:
            reader.read(MD.parse(piece, env), piece_offset)
    return reader.body


def _scan(reader: _Reader, piece: str, offset: int, env: dict[str, Any]) -> None:
    for kind, i, text, parts in blocks.scan(piece):
        if kind == "p":
            reader.text(text, offset + i + 1)
        elif kind == "m":
            tokens = MD.parse(text, env)
            if any(tok.level >= DEEP for tok in tokens):
                # Past maxNesting markdown-it drops the rest of its text, here the rest of the
                # piece: it reads all of it from this chunk on, as it would alone.
                reader.read(MD.parse(blocks.rest(piece, i), env), offset + i)
                return
            reader.read(tokens, offset + i)
        elif kind == "h":
            reader.heading(text, offset + i + 1)
        else:
            reader.footnote(text, offset + i + 1, [(offset + k + 1, part) for k, part in parts])


FOOTNOTE_REF = re.compile(r"\[\^([^\[\]\s]+)\]")
"""`[^label]` as markdown-it's footnote plugin spells it (label: no spaces, no `]`), and no `[`:
every try then stops at the next bracket, so a run of `[^[^[^…` costs linear time."""


def references(raw: str, line: int) -> Iterator[FootnoteRef]:
    """Yield every footnote reference `[^label]` of an inline run that starts on file line `line`.

    An escaped bracket (`\\[^x]`: an odd run of backslashes) and a definition line swallowed into a
    paragraph are no references. One in math, a comment or a link's target is yielded as hidden.
    """
    lines = Lines(raw, line)
    hidden: _Hidden | None = None
    for m in FOOTNOTE_REF.finditer(raw):
        start = m.start()
        if raw.startswith(":", m.end()) and (start == 0 or raw[start - 1] == "\n"):
            continue  # a definition line swallowed into a paragraph, not a reference
        if _escaped(raw, start):
            continue
        if hidden is None:
            hidden = _Hidden(raw)
        yield FootnoteRef(m.group(1), lines.at(start), text_before(raw, start), hidden.covers(start, m.end()))


def text_before(raw: str, pos: int) -> str:
    """Return what a reference at `pos` keeps of the text before it (FootnoteRef.before)."""
    return raw[max(0, pos - REF_CONTEXT): pos]


def inline_note_spans(raw: str) -> list[tuple[int, int]]:
    """Return (start of `^[`, index of its closing `]`) for each top-level Obsidian inline footnote.

    Brackets pair up as markdown-it pairs a link label (nested pairs allowed, escaped ones
    ignored), found in one pass: a run of thousands of unclosed `^[` costs linear time.
    """
    closing: dict[int, int] = {}
    notes: list[int] = []
    opened: list[int] = []
    escaped_to = -1
    for m in _BRACKET_OR_ESCAPE.finditer(raw):
        at = m.start()
        if m.group() == "[":
            opened.append(at)
            if at and raw[at - 1] == "^" and escaped_to != at:
                notes.append(at)
        elif m.group() == "]":
            if opened:
                closing[opened.pop()] = at
        else:
            escaped_to = m.end()
    spans: list[tuple[int, int]] = []
    done = -1
    for at in notes:
        end = closing.get(at)
        if end is not None and at > done:
            spans.append((at - 1, end))
            done = end
    return spans


def blank_code(text: str) -> str:
    """Replace inline code spans with spaces, keeping offsets and line breaks."""
    if "`" not in text:
        return text
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


# CommonMark code span: a run of backticks closed by a run of the same length.
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
# A backslash escape (which hides the character after it) or a square bracket.
_BRACKET_OR_ESCAPE = re.compile(r"\\[\s\S]|[\[\]]")


class _Reader:
    """Collect a note's blocks, footnotes and references from markdown-it's block tokens."""

    def __init__(self) -> None:
        self.body = Body()
        self.inline_notes = 0
        self._label: str | None = None
        self._fn_start = 0
        self._fn_parts: list[str] = []
        self._in_heading = False
        self._dt: tuple[str, int] | None = None
        self._in_dd = 0
        self._dd_parts: list[str] = []

    def read(self, tokens: list[Token], offset: int) -> None:
        """Read one piece's tokens; `offset` is the number of file lines before the piece."""
        for tok in tokens:
            handle = _HANDLERS.get(tok.type)
            if handle is not None:
                handle(self, tok, offset + (tok.map[0] if tok.map else 0) + 1)

    def _footnote_open(self, tok: Token, line: int) -> None:
        self._label = tok.meta.get("label")
        self._fn_start = line
        self._fn_parts = []

    def _footnote_close(self, tok: Token | None, line: int) -> None:
        if self._label is not None:
            self.body.footnotes.append(FootnoteDef(self._label, "\n".join(self._fn_parts), self._fn_start))
        self._label = None

    def _heading(self, tok: Token, line: int) -> None:
        self._in_heading = tok.nesting == 1

    def _dt_open(self, tok: Token, line: int) -> None:
        self._dt = None

    def _dd_open(self, tok: Token, line: int) -> None:
        self._in_dd += 1
        self._dd_parts = []

    def _dd_close(self, tok: Token, line: int) -> None:
        self._in_dd -= 1
        if self._dt and self._dd_parts:
            self.body.extras.append((self._dt[0], " ".join(self._dd_parts), self._dt[1]))

    def heading(self, text: str, line: int) -> None:
        """Read a heading the scanner found."""
        self._in_heading = True
        self.text(text, line)
        self._in_heading = False

    def footnote(self, label: str, line: int, parts: list[tuple[int, str]]) -> None:
        """Read a footnote definition the scanner found: (line, text) of each of its paragraphs."""
        self._label, self._fn_start, self._fn_parts = label, line, []
        for part_line, text in parts:
            self.text(text, part_line)
        self._footnote_close(None, line)

    def _inline(self, tok: Token, line: int) -> None:
        self.text(tok.content, line, _is_dt(tok))

    def text(self, content: str, line: int, dt: bool = False) -> None:
        """Read one inline run (a paragraph's, a heading's, …) that starts on file line `line`."""
        raw = blank_code(content)
        body = self.body
        body.blocks.append(Block(raw, line, self._label))
        if self._in_heading and body.first_heading is None and raw.strip():
            body.first_heading = _plain(raw)
        if self._label is not None:
            self._fn_parts.append(raw)
        if self._in_dd:
            self._dd_parts.append(raw)
        elif dt:
            self._dt = (raw.strip(), line)
        if "[^" in raw:
            body.refs.extend(references(raw, line))
        if "^[" in raw:
            self._inline_notes(raw, line)

    def _inline_notes(self, raw: str, line: int) -> None:
        lines = Lines(raw, line)
        for start, end in inline_note_spans(raw):
            self.inline_notes += 1
            label = f"^{self.inline_notes}"
            ref_line = lines.at(start)
            self.body.refs.append(FootnoteRef(label, ref_line, text_before(raw, start)))
            self.body.footnotes.append(FootnoteDef(label, raw[start + 2:end], ref_line, inline=True))


_HANDLERS: dict[str, Callable[[_Reader, Token, int], None]] = {
    "footnote_reference_open": _Reader._footnote_open,
    "footnote_reference_close": _Reader._footnote_close,
    "heading_open": _Reader._heading,
    "heading_close": _Reader._heading,
    "dt_open": _Reader._dt_open,
    "dd_open": _Reader._dd_open,
    "dd_close": _Reader._dd_close,
    "inline": _Reader._inline,
}


def _is_dt(tok: Token) -> bool:
    # markdown-it gives a dt's inline token a zero-height map [n, n].
    return tok.map is not None and tok.map[0] == tok.map[1]


def _plain(text: str) -> str:
    text = re.sub(r"\[\^[^\]]+\]", "", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"\s+", " ", text.replace("\u3000", " ")).strip()


def _escaped(raw: str, pos: int) -> bool:
    """Tell whether the character at `pos` follows an odd run of backslashes."""
    n = 0
    while pos - n - 1 >= 0 and raw[pos - n - 1] == "\\":
        n += 1
    return n % 2 == 1


# Where `[^x]` is not a footnote in Obsidian: inline math and a link's target; each try stops at
# the next `$`, `]` or line end (linear time).
_NOT_TEXT = re.compile(r"(?<![\\$])\$(?=\S)[^$\n]*?(?<=\S)\$(?!\d)|\]\((?:[^)\[\]\n]|\[\^[^\[\]\s]+\])*\)")
# Display math and comments: from an opening mark to the next closing one.
_PAIRED = (("$$", "$$"), ("%%", "%%"), ("<!--", "-->"))
_HIDING = ("$", "%%", "<!--", "](")


class _Hidden:
    """The stretches of an inline run where Obsidian shows no footnote: math, comments, link targets."""

    def __init__(self, raw: str) -> None:
        spans: list[tuple[int, int]] = []
        if any(mark in raw for mark in _HIDING):
            spans = [m.span() for m in _NOT_TEXT.finditer(raw)] + _paired_spans(raw)
        self._spans = sorted(spans)
        self._next = 0
        self._reach = -1

    def covers(self, start: int, end: int) -> bool:
        """Tell whether [start, end) lies inside one stretch; ask in ascending `start` (linear time)."""
        spans = self._spans
        while self._next < len(spans) and spans[self._next][0] <= start:
            self._reach = max(self._reach, spans[self._next][1])
            self._next += 1
        return self._reach >= end


def _paired_spans(text: str) -> list[tuple[int, int]]:
    """Return the spans from each opening mark to the next closing mark (an unclosed one ends the search)."""
    spans = []
    for opening, closing in _PAIRED:
        pos = text.find(opening)
        while pos >= 0:
            end = text.find(closing, pos + len(opening))
            if end < 0:
                break
            spans.append((pos, end + len(closing)))
            pos = text.find(opening, end + len(closing))
    return spans
