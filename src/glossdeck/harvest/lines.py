"""Definitions a line of the body holds by itself: `*[HTML]: HyperText Markup Language`.

Each line of a paragraph, heading or list item (footnotes are the footnote rules') is read by the first
rule of RULES that recognises it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Block, Candidate, Note
from .markup import term_and_meaning
from .rules import Found, Rule, Warn, candidates, first_match

_ABBR = re.compile(r"\*\[([^\]\n]+)\]:[ \t]*(.+)")


@dataclass(slots=True)
class Line:
    """One line of a block, as the line rules read it."""

    text: str
    block: Block
    """The paragraph, heading or list item the line belongs to (`block.heading` tells a heading)."""
    index: int
    """The line's place in its block, from 0."""
    next: str
    """The line after it: the next of its block, else the first of the next block ("" at the end)."""


def harvest_lines(note: Note, warn: Warn) -> list[Candidate]:
    """Run the line rules over every line of the note's body."""
    out: list[Candidate] = []
    body = [b for b in note.blocks if b.footnote is None]
    for at, block in enumerate(body):
        texts = block.text.split("\n")
        texts.append(body[at + 1].text.split("\n", 1)[0] if at + 1 < len(body) else "")
        for index in range(len(texts) - 1):
            match = first_match(RULES, Line(texts[index], block, index, texts[index + 1]))
            if match:
                rule, found = match
                for item in found:
                    out.extend(candidates(note, item, rule, [block.line + index]))
    return out


def _abbreviation(line: Line) -> list[Found] | None:
    """`*[HTML]: HyperText Markup Language`: a Markdown abbreviation."""
    if not line.text.startswith("*["):
        return None
    m = _ABBR.fullmatch(line.text)
    return term_and_meaning(m.group(1), m.group(2)) if m else None


RULES: list[Rule[Line, list[Found]]] = [
    ("abbreviation", _abbreviation),
]
