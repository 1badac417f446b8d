"""A footnote's long form: what its first sentence says, in each shape an author writes it.

`Internet Governance Forum。そのまま。` (long form + remark), `ITU: International …`,
`International … Union (ITU)`, `… Union（国際電気通信連合）`, `国際電気通信連合（International …, ITU）`,
`… Union、国連の機関。` and `World Trade Organizationの略。`: each shape has a rule in SHAPES, tried in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .plain import link_text
from .refcontext import short_name
from .rules import Rule, first_match
from .spelling import (
    ARTICLE,
    PROSE,
    drop_article,
    long_form_and_remark,
    name_and_remark,
    name_in_remark,
    remark_from,
    tight,
)
from .text import clean, clean_long_form, has_japanese, is_acronym, is_latin, nfkc, split_sentence

# A long form is a name, not a sentence: at most this many words.
MAX_LONG_FORM_WORDS = 16


@dataclass(frozen=True, slots=True)
class LongForm:
    """What the first sentence of a footnote says: a long form and what stands around it."""

    text: str
    remark: str = ""
    aliases: tuple[str, ...] = ()
    acronym: str | None = None
    """An acronym the footnote states itself (`ITU: International …`, `… Union (ITU)`)."""


@dataclass(frozen=True, slots=True)
class Sentence:
    """A footnote's first sentence, links read as text and `の略` dropped, with the rest of the footnote."""

    text: str
    rest: str


SUFFIX = re.compile(r"\s*(?:の)?(?:略称|略語|略|頭字語)(?:である|です)?$")
_STATED_FIRST = re.compile(r"^([A-Za-z0-9Ａ-Ｚａ-ｚ０-９&/\-.]+?)\s*(?:[:：=＝]|とは|は|\s[-–—]\s|—)\s*(.+)$")
# `[^csp]: Short for Content Security Policy.`, `[^cors]: i.e. Cross-Origin …`: words that only say
# a long form follows.
_SAYS_LONG_FORM = re.compile(r"^(?:short for|i\.e\.,?|aka|a\.k\.a\.|abbreviation (?:of|for)|stands for)\s+", re.I)
_BRACKET_AFTER = re.compile(r"^(.+?)\s*[（(]([^（()）]+)[）)]$")
_STATED_LAST = re.compile(r"^(.+?)\s*[,、，;；:：]\s*([^\s,、，]+)$")
# `SoC は “System on a Chip”`, `SIM stands for "Subscriber Identity Module"`: the long form quoted.
_STATED_QUOTED = re.compile(
    r"^([A-Za-z0-9Ａ-Ｚａ-ｚ０-９&/\-.]+?)\s*(?:[:：=＝]|とは|は|stands for|is short for|is an abbreviation (?:of|for))"
    r"\s*[“\"「『‘']?([^“”\"「」『』‘’']+)[”\"」』’']?$"
)
_COMMA_REST = re.compile(r"^([^、，,]+?)\s*[、，,]\s*(.+)$", re.S)
# `Border Gateway Protocol (BGP) is …`, `… Protocol (BGP) の略で、…`: the acronym, then the sentence goes on.
_DEFINED = re.compile(r"^([^（()）]+?)\s*[（(]([^（()）]+)[）)]\s*(\S.*)$", re.S)
_NOT_NAME = re.compile(r"[、。，,]")
# `SQL (Structured Query Language) is …`: the acronym first, its long form in brackets.
_ACRONYM_THEN_LONG = re.compile(
    r"^([A-Za-z0-9Ａ-Ｚａ-ｚ０-９][A-Za-z0-9Ａ-Ｚａ-ｚ０-９&/\-.]{0,24})\s*[（(]([^（()）]+)[）)]\s*(.*)$", re.S
)
# `Border Gateway Protocol の略で、…`: the long form says it is one, then the sentence goes on.
_ABBREVIATION_OF = re.compile(r"^([^（()）]+?)\s*の(?:略称?|略語)(?:で(?:あり)?|であって)?[、，,]\s*(\S.*)$", re.S)


def first_sentence(text: str) -> Sentence:
    """Split a footnote into its first sentence (plain, `の略` dropped) and the rest."""
    first, rest = split_sentence(_SAYS_LONG_FORM.sub("", text.strip()))
    return Sentence(SUFFIX.sub("", clean(link_text(first))), rest.strip())


@lru_cache(maxsize=1 << 14)
def split_long_form(text: str) -> LongForm | None:
    """Read a footnote's long form, or None when its first sentence is no long form."""
    sentence = first_sentence(text)
    found = first_match(SHAPES, sentence)
    if found is None:
        return None
    long_form = found[1]
    if len(long_form.text.split()) > MAX_LONG_FORM_WORDS:
        return None
    return replace(long_form, text=clean_long_form(long_form.text))


def stated_long_form(s: Sentence) -> LongForm | None:
    """Read `ACR は Long Form`, `ACR stands for "Long Form"` (a sentence that states its acronym)."""
    m = _STATED_QUOTED.match(s.text)
    if not (m and is_acronym(m.group(1)) and is_latin(m.group(2))):
        return None
    return LongForm(m.group(2), s.rest, acronym=nfkc(m.group(1)))


def _stated_quoted(s: Sentence) -> LongForm | None:
    """`SoC は “System on a Chip”`, `SIM stands for "Subscriber Identity Module"`: a quoted long form."""
    if "stands" not in s.text and not any(q in s.text for q in "“\"「『‘'"):
        return None
    return stated_long_form(s)


def _stated_first(s: Sentence) -> LongForm | None:
    """`ITU: International Telecommunication Union`, `UNDPはUnited Nations Development Programme`."""
    m = _STATED_FIRST.match(s.text)
    if not (m and is_acronym(m.group(1))):
        return None
    said = Sentence(m.group(2), s.rest)
    inner = _bracket_after(said) or _defining(said)
    acronym = nfkc(m.group(1))
    if inner:
        # `ITU: … Union (ITU)`, `ITU: … Union（国際電気通信連合）`, `CVE は Common … の略で、…`
        return inner if inner.acronym else replace(inner, acronym=acronym)
    if not is_latin(m.group(2)):
        return None
    # `IGF: Internet Governance Forum, a yearly meeting …`: the sentence goes on after the long form
    split = long_form_and_remark(acronym, m.group(2))
    if split:
        names, remark = name_in_remark(split[1])
        return LongForm(split[0], remark_from(remark, s.rest, closed=True), names, acronym)
    return LongForm(m.group(2), s.rest, acronym=acronym)


def _bracket_after(s: Sentence) -> LongForm | None:
    """`International Telecommunication Union (ITU)`, `… Union（国際電気通信連合）`."""
    m = _BRACKET_AFTER.match(s.text)
    if not (m and is_latin(m.group(1))):
        return None
    inner = m.group(2).strip()
    if is_acronym(inner):
        return LongForm(m.group(1), s.rest, acronym=nfkc(inner))
    if has_japanese(inner) and not is_latin(inner):
        return LongForm(m.group(1), s.rest, aliases=(inner,))
    return None


def _name_first(s: Sentence) -> LongForm | None:
    """`国際電気通信連合（International Telecommunication Union, ITU）`: the name first, the long form inside."""
    m = _BRACKET_AFTER.match(s.text)
    if not (m and has_japanese(m.group(1)) and not is_latin(m.group(1)) and short_name(m.group(1))):
        return None
    inner, acronym = m.group(2).strip(), None
    last = _STATED_LAST.match(inner)
    if last and is_acronym(last.group(2)) and is_latin(last.group(1)):
        inner, acronym = last.group(1), nfkc(last.group(2))
    if is_latin(inner) and not is_acronym(inner):
        return LongForm(inner, s.rest, (m.group(1).strip(),), acronym)
    return None


def _defining(s: Sentence) -> LongForm | None:
    """`Border Gateway Protocol (BGP) is the protocol …`: the long form, then a sentence about it.

    Also `… Firewall（ウェブアプリケーションファイアウォール）の略で、…` (a Japanese name in the bracket)
    and `Routing Information Protocol の略で、…`.
    """
    m = _DEFINED.match(s.text)
    if m and is_acronym(m.group(2)):
        acronym = nfkc(m.group(2).strip())
        long_form = drop_article(acronym, m.group(1).strip())
        if is_latin(long_form) and tight(acronym, long_form):
            return LongForm(long_form, remark_from(m.group(3), s.rest, closed=True), acronym=acronym)
        return None
    if m and is_latin(m.group(1)) and _is_japanese_name(m.group(2)):
        remark = remark_from(m.group(3), s.rest, closed=True)
        return LongForm(ARTICLE.sub("", m.group(1).strip()), remark, (m.group(2).strip(),))
    m = _ABBREVIATION_OF.match(s.text)
    if m and is_latin(m.group(1)):
        return LongForm(m.group(1), remark_from(m.group(2), s.rest, closed=True))
    return None


def _is_japanese_name(text: str) -> bool:
    """Tell whether bracket content is a Japanese name (`共通脆弱性評価システム`), not a sentence."""
    return has_japanese(text) and not is_latin(text) and len(text) <= 40 and not _NOT_NAME.search(text) \
        and not PROSE.search(text)


def _acronym_then_long(s: Sentence) -> LongForm | None:
    """`SQL (Structured Query Language) is used to …`: the acronym, its long form, what it is."""
    m = _ACRONYM_THEN_LONG.match(s.text)
    if not (m and is_acronym(m.group(1)) and is_latin(m.group(2))):
        return None
    acronym = nfkc(m.group(1))
    long_form = drop_article(acronym, m.group(2).strip())
    if not tight(acronym, long_form):
        return None
    return LongForm(long_form, remark_from(m.group(3), s.rest, closed=True), acronym=acronym)


def _named_then_remark(s: Sentence) -> LongForm | None:
    """`Application Programming Interface, a set of rules …`: a name, then a sentence in lower case."""
    split = name_and_remark(s.text) if is_latin(s.text) else None
    return LongForm(split[0], remark_from(split[1], s.rest, closed=True)) if split else None


def _plain(s: Sentence) -> LongForm | None:
    """`Internet Governance Forum`: the whole sentence is the long form."""
    if not is_latin(s.text):
        return None
    # `Security tools (SIEM) are costly`, `ORM (see chapter 4) is retired`: a sentence about an
    # acronym its words do not spell
    stated = _DEFINED.match(s.text)
    if stated and is_acronym(stated.group(2)):
        return None
    first = _ACRONYM_THEN_LONG.match(s.text)
    return None if first and is_acronym(first.group(1)) else LongForm(s.text, s.rest)


def _comma_remark(s: Sentence) -> LongForm | None:
    """`International Telecommunication Union、国連の専門機関`: the long form, then a remark in Japanese."""
    m = _COMMA_REST.match(s.text)
    if not m or not is_latin(m.group(1)) or not has_japanese(m.group(2)):
        return None
    remark = clean(m.group(2) + "。" + s.rest) if s.rest else m.group(2)
    return LongForm(m.group(1), remark)


SHAPES: list[Rule[Sentence, LongForm]] = [
    ("stated-quoted", _stated_quoted),
    ("stated-first", _stated_first),
    ("acronym-then-long", _acronym_then_long),
    ("bracket-after", _bracket_after),
    ("name-first", _name_first),
    ("defining-sentence", _defining),
    ("named-then-remark", _named_then_remark),
    ("plain", _plain),
    ("comma-remark", _comma_remark),
]
