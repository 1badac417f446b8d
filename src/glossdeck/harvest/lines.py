"""Definitions a line of the body holds by itself: `*[HTML]: HyperText Markup Language`, `SLA: Service …`.

Each line of a paragraph, heading or list item (footnotes are the footnote rules') is read by the first
rule of RULES that recognises it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Block, Candidate, Note
from . import ja_lines
from .appositive import appositives
from .cards import question_and_answer
from .longform import SUFFIX, first_sentence, stated_long_form
from .markup import term_and_meaning
from .pieces import ends_spelling, initials_or_parts_spell
from .rules import Found, Rule, Warn, candidates, first_match
from .said import dashed_asides, said_in_line
from .spelling import PROSE, long_form_and_remark, name_in_remark, tight
from .tables import table_row
from .text import (
    clean_long_form,
    has_japanese,
    is_acronym,
    is_latin,
    may_hold_acronym,
    nfkc,
    split_sentence,
    words,
)
from .wikilinks import wikilink_aliases

_ABBR = re.compile(r"\*\[([^\]\n]+)\]:[ \t]*(.+)")
# `SQL: Structured …`, `PMTUD - Path …`, `CapEx -- Capital …`, `ACR — Long …`, `JWT → JSON …`,
# `SLI:: …` (a Dataview field): an acronym, then a colon (or two), an arrow, `=` or a dash standing
# apart (`ITU-R` keeps its hyphen), then what it stands for; a section number
# (`3.2 TLS: …`), a task's box (`[ ] MTTR: …`) or a callout's type (`> [!note] SLA: …`) may come
# first.
_ACRONYM_LINE = re.compile(
    r"(?:\[[ xX]\]\s+|\[![\w-]+\][+-]?\s+)?(?:\d{1,3}(?:\.\d{1,3})*\.?\s+)?"
    r"([A-Za-z0-9Ａ-Ｚａ-ｚ０-９][A-Za-z0-9Ａ-Ｚａ-ｚ０-９&/\-.]{0,24})"
    r"(?:\s*(?:->|=>|→|⇒|::)|\s*[:：=＝]|\s+(?:--?|–|—|―)|\s*—)\s*(\S.*)"
)
# `サービスレベル合意（Service Level Agreement）` after the colon: a name, then the long form in brackets.
_NAME_THEN_LONG = re.compile(r"([^（()）、。,]+?)\s*[（(]([^（()）]+)[）)][。.]?")
# An abbreviation in mixed case whose capitals start its words (CapEx, OpEx): the initials check decides.
_CAMEL = re.compile(r"(?:[A-Z][a-z]{1,3}){2,4}")

# Words that say a line spells out an acronym (a sentence `ACR は Long` alone may be anything).
_SAYS_ABBREVIATES = re.compile(r"の(?:略|略称|略語|頭字語)(?:である|です)?[。.]?|\bstands for\b|\bis short for\b")
# What `said` needs a line to hold before it reads its sentences: `=`, `means`, `stands for`, or
# `is` between blanks (`is short for`, `is the`).
_MAY_SAY = re.compile(r"=|means|stands for|\sis\s")
_KANA_KANJI = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# A callout's type before its title (`> [!abbr] MTTR`).
_CALLOUT = re.compile(r"^\[![\w-]+\][+-]?\s+")
# A list item's marker, or a heading's, before the long form on the next line.
_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


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
    capitals: bool | None = None
    """Whether the line may hold an acronym (see `may_hold_acronym`), worked out once for all rules."""

    def may_hold_acronym(self) -> bool:
        """Tell whether the line can hold an acronym at all: without it most rules need not look."""
        if self.capitals is None:
            self.capitals = may_hold_acronym(self.text)
        return self.capitals


def harvest_lines(note: Note, warn: Warn) -> list[Candidate]:
    """Run the line rules over every line of the note's body."""
    out: list[Candidate] = []
    body = [b for b in note.blocks if b.footnote is None]
    # a definition list's term is the markup rules' (`API` / `: Application …`)
    terms = {line for _, _, line in note.extras}
    for at, block in enumerate(body):
        texts = block.text.split("\n")
        texts.append(body[at + 1].text.split("\n", 1)[0] if at + 1 < len(body) else "")
        for index in range(len(texts) - 1):
            if block.line + index in terms:
                continue
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


def _acronym_then_long_form(line: Line) -> list[Found] | None:
    """`## SoC` then `System on a Chip` (or `- System on a Chip`): an acronym alone, its long form next.

    The next line's first sentence is the long form (`Bidirectional Forwarding Detection. We run it …`);
    what follows it is a remark.
    """
    bare = _CALLOUT.sub("", line.text.strip()).strip("*_")
    # NFKC keeps a blank, a kana and a kanji, none of which an acronym holds: most lines stop here
    if " " in bare or _KANA_KANJI.search(bare):
        return None
    acr = nfkc(bare)
    if not acr or " " in acr or not is_acronym(acr):
        return None
    first, rest = split_sentence(_MARKER.sub("", line.next).strip())
    long = first.strip().strip("*_")
    # a name, not a sentence: a few words, and its last word spells the acronym's end
    if not is_latin(long) or len(long.split()) > len(acr) + 3 or long.endswith(":"):
        return None
    if not ends_spelling(acr, long) or not initials_or_parts_spell(acr, long):
        return None
    return [Found(acr, expansion=clean_long_form(long), remarks=(rest.strip(),) if rest.strip() else ())]


def _stated_in_line(line: Line) -> list[Found] | None:
    """`DH は Diffie-Hellman の略。`, `- SIM stands for Subscriber Identity Module.`: said in so many words."""
    # every way _SAYS_ABBREVIATES says it holds one of these words: most lines hold none
    text = line.text
    if "の略" not in text and "の頭字語" not in text and "stands for" not in text and "is short for" not in text:
        return None
    text = _MARKER.sub("", line.text).strip()
    if not _SAYS_ABBREVIATES.search(text):
        return None
    long_form = stated_long_form(first_sentence(text))
    if long_form is None or long_form.acronym is None:
        return None
    acr, long = long_form.acronym, long_form.text
    if not initials_or_parts_spell(acr, long):
        return None
    return [Found(acr, expansion=clean_long_form(long), remarks=(long_form.remark,) if long_form.remark else ())]


def _said_in_sentences(line: Line) -> list[Found] | None:
    """`SSO = single sign-on. IdP = identity provider.`, `…, where COGS means …`: see `said`."""
    text = line.text
    # `_MAY_SAY` in plain substring tests first: most lines hold none of its words
    if "=" not in text and "means" not in text and "stands for" not in text and "is" not in text:
        return None
    if not line.may_hold_acronym() or not _MAY_SAY.search(text):
        return None
    return said_in_line(text)


def _question_and_answer(line: Line) -> list[Found] | None:
    """`Q: What does INR measure?` then `A: The international normalized ratio — …`: see `cards`."""
    return question_and_answer(line.text, line.next)


def _dashed_aside(line: Line) -> list[Found] | None:
    """`… follow US GAAP — generally accepted accounting principles — while …`: see `said`."""
    return dashed_asides(line.text)


def _appositive(line: Line) -> list[Found] | None:
    """`An NDA, or non-disclosure agreement, is …`, `… Act 2015, abbreviated CRA`: see `appositive`."""
    return appositives(line.text)


def _wikilink_alias(line: Line) -> list[Found] | None:
    """`[[Distributed Hash Table|DHT]]`: a wiki link to the long form shown as the acronym."""
    return wikilink_aliases(line.text)


RULES: list[Rule[Line, list[Found]]] = [
    ("table-row", _table_row),
    ("abbreviation", _abbreviation),
    ("acronym-said", _said_in_sentences),
    ("line-acronym", _acronym_line),
    ("line-long-form-slash-name", ja_lines.long_form_then_name),
    ("acronym-then-long-form", _acronym_then_long_form),
    ("acronym-stated", _stated_in_line),
    ("question-and-answer", _question_and_answer),
    ("acronym-dashed-aside", _dashed_aside),
    ("acronym-appositive", _appositive),
    ("wikilink-alias", _wikilink_alias),
    ("acronym-stated-later", ja_lines.stated_later),
    ("acronym-equals", ja_lines.acronym_equals),
]
