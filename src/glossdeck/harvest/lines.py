"""Definitions a line of the body holds by itself: `*[HTML]: HyperText Markup Language`, `SLA: Service …`.

Each line of a paragraph, heading or list item (footnotes are the footnote rules') is read by the first
rule of RULES that recognises it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Block, Candidate, Note
from .longform import SUFFIX
from .markup import term_and_meaning
from .rules import Found, Rule, Warn, candidates, first_match
from .spelling import PROSE, long_form_and_remark, name_in_remark, tight
from .tables import table_row
from .text import clean_long_form, has_japanese, is_acronym, is_latin, nfkc, words

_ABBR = re.compile(r"\*\[([^\]\n]+)\]:[ \t]*(.+)")
# `SQL: Structured …`, `PMTUD - Path …`, `CapEx -- Capital …`, `ACR — Long …`: an acronym, then a colon,
# `=` or a dash standing apart (`ITU-R` keeps its hyphen), then what it stands for; a section number
# (`3.2 TLS: …`), a task's box (`[ ] MTTR: …`) or a callout's type (`> [!note] SLA: …`) may come
# first.
_ACRONYM_LINE = re.compile(
    r"(?:\[[ xX]\]\s+|\[![\w-]+\][+-]?\s+)?(?:\d{1,3}(?:\.\d{1,3})*\.?\s+)?"
    r"([A-Za-z0-9Ａ-Ｚａ-ｚ０-９][A-Za-z0-9Ａ-Ｚａ-ｚ０-９&/\-.]{0,24})"
    r"(?:\s*[:：=＝]|\s+(?:--?|–|—|―)|\s*—)\s*(\S.*)"
)
# `サービスレベル合意（Service Level Agreement）` after the colon: a name, then the long form in brackets.
_NAME_THEN_LONG = re.compile(r"([^（()）、。,]+?)\s*[（(]([^（()）]+)[）)][。.]?")
# An abbreviation in mixed case whose capitals start its words (CapEx, OpEx): the initials check decides.
_CAMEL = re.compile(r"(?:[A-Z][a-z]{1,3}){2,4}")


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


def _acronym_line(line: Line) -> list[Found] | None:
    """`SQL: Structured Query Language`, `PMTUD - Path MTU Discovery`: a line that starts with an acronym.

    The words after the colon or dash must spell the acronym's letters; a sentence may go on after
    them (`SLA: Service Level Agreement, the uptime …`) and is kept as a remark.
    """
    m = _ACRONYM_LINE.fullmatch(line.text.strip())
    if not m or not (is_acronym(m.group(1)) or _CAMEL.fullmatch(m.group(1))):
        return None
    acr, rest = nfkc(m.group(1)), _without_suffix(m.group(2).strip())
    if is_latin(rest) and len(words(rest)) >= 2 and tight(acr, rest):
        return [Found(acr, expansion=clean_long_form(rest))]
    split = long_form_and_remark(acr, rest)
    if split is None:
        named = _name_then_long(acr, rest)
        return [named] if named else None
    long_form, remark = split
    names, remark = name_in_remark(remark)
    return [Found(acr, expansion=long_form, aliases=names, remarks=(remark,) if remark else ())]


def _name_then_long(acr: str, text: str) -> Found | None:
    """`サービスレベル合意（Service Level Agreement）`: the Japanese name, the long form in brackets."""
    m = _NAME_THEN_LONG.fullmatch(text)
    if not m or not has_japanese(m.group(1)) or PROSE.search(m.group(1)) or len(m.group(1)) > 40:
        return None
    long_form = m.group(2).strip()
    if not (is_latin(long_form) and len(words(long_form)) >= 2 and tight(acr, long_form)):
        return None
    return Found(acr, expansion=clean_long_form(long_form), aliases=(m.group(1).strip(),))


def _without_suffix(text: str) -> str:
    """Drop a closing `の略。` (`Multi-Factor Authentication の略。`): it says what the line says."""
    bare = text.rstrip("。．. ")
    m = SUFFIX.search(bare)
    return bare[: m.start()] if m else text


def _table_row(line: Line) -> list[Found] | None:
    """`| SLO | Service Level Objective |`: a row of a table that keeps acronyms (see `tables`)."""
    return table_row(line.text, line.block.text, line.index) if "|" in line.text else None


RULES: list[Rule[Line, list[Found]]] = [
    ("table-row", _table_row),
    ("abbreviation", _abbreviation),
    ("line-acronym", _acronym_line),
]
