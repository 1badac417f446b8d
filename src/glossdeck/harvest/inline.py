"""Definitions written in the running text (body and footnotes alike).

`（AJCCBC: ASEAN Japan …）`, `（Meeting of … Level: MCM）`, `HAPS(High Altitude Platform Station)`,
`国際連合(UN)`, `DFFT（信頼性のある自由なデータ流通）` and English `Long Form (LF)`.
"""

from __future__ import annotations

import re

from ..model import Candidate, Lines, Note
from . import inline_shapes as shapes
from . import ja_inline
from .bilingual import bracket_parts
from .english_long import english_long_form
from .inline_marked import unmarked
from .inline_noun import acronym_then_noun
from .names import is_short_name, japanese_name
from .plain import link_text
from .refcontext import CONTEXT_TAIL
from .rules import Found, Rule, Warn, candidates, first_match
from .spelling import long_form_and_remark, reordered_long_form, same_initials, spells
from .text import (
    CJK,
    clean,
    clean_long_form,
    has_japanese,
    initials_match,
    is_acronym,
    is_latin,
    nfkc,
    starts_word,
    trailing_acronym,
    words,
)

_PAREN = re.compile(r"[（(]([^（()）\n]*)[）)]")
# (`DKIM = DomainKeys …` and `SPF - Sender …` inside a bracket are written the same way)
_COLON = re.compile(r"\s*[：:=＝]\s*|\s+[-–—]\s+")
# (No class runs over a `[`: each try stops at the next bracket, so runs of `[` cost linear time.)
_MASK = re.compile(
    r"\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*\)|!\[\[[^\[\]]*\]\]|\[\[[^\[\]|]*\||\[\^[^\[\]\s]+\]"
)
_STATED = re.compile(
    r"(?:英語)?(?:略称|略)\s*[：:は]?\s*[「『]?([^「」『』\s]+?)[」』]?"
    r"|以下[、,]?\s*[「『]?([^「」『』\s、]+?)[」』]?\s*(?:という|と呼ぶ|とする|と略す)?。?"
)
# The last character of a text that can end with an acronym: a letter or digit, full-width too, or the
# end of a link, a wiki link or an emphasis.
_MAY_END_ACRONYM = re.compile(r"[A-Za-z0-9Ａ-Ｚａ-ｚ０-９.\]*_=~]")
_ENGLISH_WORD = re.compile(rf"[^\W\d_{CJK}](?:[^\W\d_{CJK}]|['’\-])*$")


# Punctuation a name does not hold.
_PHRASE_BREAK = re.compile(r"[、。，]")
# A date or time, not a name.
_DATE_ONLY = re.compile(r"[0-9０-９年月日頃以降現在時点]+")


def mask(text: str) -> str:
    """Blank out link targets, embeds, wiki targets and footnote references, keeping offsets."""
    def blank(m: re.Match[str]) -> str:
        s = m.group(0)
        if s.startswith("]("):
            return "]" + " " * (len(s) - 1)
        return " " * len(s)

    return _MASK.sub(blank, text)


def name_before(raw_before: str) -> str | None:
    """Return the Japanese name just before a bracket, the link text if inside a link."""
    open_at = raw_before.rfind("[")
    if open_at >= 0 and "]" not in raw_before[open_at:]:
        inner = clean(link_text(raw_before[open_at + 1:]))
        if inner and has_japanese(inner) and len(inner) <= 40 and "、" not in inner:
            return inner
    return japanese_name(raw_before)


def harvest_inline(note: Note, warn: Warn) -> list[Candidate]:
    """Find definitions in brackets throughout the note's text."""
    out: list[Candidate] = []
    for block in note.blocks:
        if "(" not in block.text and "（" not in block.text:
            continue
        masked = mask(block.text)
        lines = Lines(block.text, block.line)
        for m in _PAREN.finditer(masked):
            content = clean(link_text(m.group(1)).replace("[", "").replace("]", ""))
            if not content:
                continue
            # only the end of what stands before the bracket can hold its acronym or name; reading
            # whole prefixes made a paragraph with thousands of brackets quadratic
            start = max(0, m.start() - CONTEXT_TAIL)
            bracket = Bracket(content, block.text[start: m.start()], masked[start: m.start()])
            bracket.after = masked[m.end(): m.end() + 4]
            match = first_match(RULES, bracket)
            if match:
                rule, found = match
                line = lines.at(m.start())
                for item in found:
                    out.extend(candidates(note, item, rule, [line]))
    return out


class Bracket:
    """One bracket in the text and what stands before it, as the inline rules read them."""

    __slots__ = ("content", "before", "masked_before", "after", "_plain_before", "_acronym_before")

    def __init__(self, content: str, before: str, masked_before: str) -> None:
        self.content = nfkc(content) if not has_japanese(content) else content
        self.before = before
        """The text before the bracket (its last CONTEXT_TAIL characters)."""
        self.masked_before = masked_before
        """The same, link targets and footnote references blanked out."""
        self.after = ""
        """The first characters after the bracket, masked like `masked_before`."""
        self._plain_before: str | None = None
        self._acronym_before: str | None = None

    @property
    def plain_before(self) -> str:
        """Return the words before the bracket as a reader sees them (links read as their text)."""
        if self._plain_before is None:
            self._plain_before = nfkc(link_text(self.before)).rstrip()
        return self._plain_before

    @property
    def acronym_before(self) -> str:
        """Return the acronym that stands right before the bracket, starting a word, or ""."""
        if self._acronym_before is None:
            last = self.masked_before.rstrip()[-1:]
            # (a cheap look first: most brackets follow Japanese text, and reading links is not cheap)
            acr = trailing_acronym(self.masked_before) if last and _MAY_END_ACRONYM.match(last) else None
            self._acronym_before = acr if acr and starts_word(self.masked_before, acr) else ""
        return self._acronym_before


def _stated(b: Bracket) -> list[Found] | None:
    """国際電気通信連合（略称：ITU）, （以下「ITU」という。）: the name is before the bracket."""
    stated = _STATED.fullmatch(b.content)
    short = stated and (stated.group(1) or stated.group(2))
    if not short or not is_acronym(short):
        return None
    name = name_before(b.before)
    return [Found(nfkc(short), aliases=(name,))] if name else []


def _long_and_name(b: Bracket) -> list[Found] | None:
    """SBOM（Software Bill of Materials、ソフトウェア部品表）, Coordinated Universal Time (UTC; 協定世界時)."""
    parts = bracket_parts(b.content, _japanese_name_inside)
    # (`VPN: Virtual Private Network` alone is inline-colon's)
    if parts is None or (parts.colon and not (parts.name or parts.prose)):
        return None
    acr = parts.acronym or b.acronym_before
    long_form = parts.long_form or (_english_before(b, acr) if parts.acronym else None)
    if long_form and parts.long_form and acr and not spells(acr, long_form):
        # `(officially the European Recovery Program, ERP)`: words before the name are no part of it
        long_form = english_long_form(acr, long_form) or long_form
    if not acr or not (parts.acronym or long_form):
        return None
    name = parts.name or (name_before(b.before) if parts.acronym and parts.long_form else None)
    if long_form and not (spells(acr, long_form) or same_initials(acr, long_form)):
        return []
    # `(ISO/IEC 42001 is the management-system one)`: a sentence after a slash is no long form
    if long_form and _SAYS_WHAT.search(long_form):
        return []
    if not (long_form or name):
        return None
    expansion = clean_long_form(long_form) if long_form else None
    return [Found(nfkc(acr), expansion=expansion, aliases=_names(name))]


# A name that ends with its year, as statutes do: `the Unfair Contract Terms Act 1977 (UCTA)`.
_NAME_AND_YEAR = re.compile(r"[A-Z][a-z]+ (?:1[89]|20)[0-9]{2}$")
# A verb that makes words a sentence about something rather than its name.
_SAYS_WHAT = re.compile(r"\s(?:is|are|was|were)\s", re.I)


def _english_before(b: Bracket, acr: str) -> str | None:
    """Return the English long form that ends right before the bracket, if any."""
    plain = b.plain_before
    if not _ENGLISH_WORD.search(plain[-64:]) or has_japanese(plain[-1:]):
        return None
    return english_long_form(acr, plain) or reordered_long_form(acr, plain)


def _colon(b: Bracket) -> list[Found] | None:
    """（AJCCBC: ASEAN Japan …）, （Meeting of … Level: MCM）: acronym and long form around a colon."""
    parts = _COLON.split(b.content, maxsplit=1)
    if len(parts) != 2 or not parts[0].strip():  # `（＝Time To First Byte）` says what the acronym equals
        return None
    left, right = parts[0].strip(), parts[1].strip()
    for short, long in ((left, right), (right, left)):
        if is_acronym(short) and is_latin(long) and initials_match(short, long, "medium"):
            return [Found(nfkc(short), expansion=clean_long_form(long), aliases=_names(name_before(b.before)))]
    return []


def _acronym_first(b: Bracket) -> list[Found] | None:
    """HAPS(High Altitude Platform Station), DFFT（信頼性のある自由なデータ流通）: the acronym comes first."""
    acr = b.acronym_before
    if not acr:
        return None
    content = b.content
    split = long_form_and_remark(acr, content) if is_latin(content) else None
    if split and split[1]:
        # `CLI (command line interface, programs run from a terminal)`: the rest is a remark
        return [Found(nfkc(acr), expansion=split[0], remarks=(split[1],))]
    if is_latin(content) and len(words(content)) >= 2 and initials_match(acr, content, "medium"):
        return [Found(nfkc(acr), expansion=clean_long_form(content))]
    # (a kana reading, `SQL（エスキューエル）`, says the acronym aloud and is no name)
    if _japanese_name_inside(content) and not ja_inline.is_reading(acr, content):
        return [Found(nfkc(acr), aliases=(content,))]
    return []


def _english(b: Bracket) -> list[Found] | None:
    """World Health Organization (WHO): an English long form before the acronym."""
    if not is_acronym(b.content):
        return None
    plain = b.plain_before
    if not (_ENGLISH_WORD.search(plain[-64:]) or _NAME_AND_YEAR.search(plain[-64:])) or has_japanese(plain[-1:]):
        return None
    long_form = english_long_form(b.content, plain)
    return [Found(nfkc(b.content), expansion=long_form)] if long_form else []


def _japanese(b: Bracket) -> list[Found] | None:
    """国際連合(UN), 情報通信技術（ICT）: an acronym with its Japanese name and no long form."""
    if not is_acronym(b.content):
        return None
    name = name_before(b.before) if not shapes.interrupts(b.after) else None
    return [Found(nfkc(b.content), aliases=(name,))] if name else []


def _marked(b: Bracket) -> list[Found] | None:
    """`TLS (short for Transport Layer Security)`, `log (abbr. WAL)`: see `inline_marked`."""
    return unmarked(b, RULES[1:])


RULES: list[Rule[Bracket, list[Found]]] = [
    ("inline-marked", _marked),
    ("inline-stated", _stated),
    ("inline-long-and-name", _long_and_name),
    ("inline-colon", _colon),
    ("inline-slash-pair", shapes.slash_pair),
    ("inline-acronym-parts", shapes.acronym_first_parts),
    ("inline-english-parts", shapes.english_parts),
    ("inline-camel-case", shapes.camel_case_long_form),
    ("inline-name-then-long-form", ja_inline.name_then_long_form),
    ("inline-equals", ja_inline.equals_long_form),
    ("inline-acronym-first", _acronym_first),
    ("inline-acronym-then-noun", acronym_then_noun),
    ("inline-quoted-long-form", shapes.quoted_long_form),
    ("inline-english", _english),
    ("inline-modified-name", shapes.modified_name),
    ("inline-japanese-name", _japanese),
]


def _names(name: str | None) -> tuple[str, ...]:
    return (name,) if name else ()


def _japanese_name_inside(content: str) -> bool:
    """Tell whether bracket content reads as a Japanese name (not a date, place note or sentence)."""
    return (
        has_japanese(content)
        and (len(content) >= 4 or is_short_name(content))
        and len(content) <= 40
        and not content[0].isdigit()
        and not _PHRASE_BREAK.search(content)
        and not _DATE_ONLY.fullmatch(content)
        and not shapes.describes(content)
    )
