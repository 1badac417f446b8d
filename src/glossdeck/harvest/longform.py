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
_STATED_FIRST = re.compile(r"^([A-Za-z0-9Ａ-Ｚａ-ｚ０-９&/\-.]+?)\s*(?:[:：=＝]|とは|は)\s*(.+)$")
_BRACKET_AFTER = re.compile(r"^(.+?)\s*[（(]([^（()）]+)[）)]$")
_STATED_LAST = re.compile(r"^(.+?)\s*[,、，;；:：]\s*([^\s,、，]+)$")
# `SoC は “System on a Chip”`, `SIM stands for "Subscriber Identity Module"`: the long form quoted.
_STATED_QUOTED = re.compile(
    r"^([A-Za-z0-9Ａ-Ｚａ-ｚ０-９&/\-.]+?)\s*(?:[:：=＝]|とは|は|stands for|is short for|is an abbreviation (?:of|for))"
    r"\s*[“\"「『‘']?([^“”\"「」『』‘’']+)[”\"」』’']?$"
)
_COMMA_REST = re.compile(r"^([^、，,]+?)\s*[、，,]\s*(.+)$", re.S)


def first_sentence(text: str) -> Sentence:
    """Split a footnote into its first sentence (plain, `の略` dropped) and the rest."""
    first, rest = split_sentence(text.strip())
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
    if not (m and is_acronym(m.group(1)) and is_latin(m.group(2))):
        return None
    inner = _bracket_after(Sentence(m.group(2), s.rest))
    return inner if inner and inner.acronym else LongForm(m.group(2), s.rest, acronym=nfkc(m.group(1)))


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


def _plain(s: Sentence) -> LongForm | None:
    """`Internet Governance Forum`: the whole sentence is the long form."""
    return LongForm(s.text, s.rest) if is_latin(s.text) else None


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
    ("bracket-after", _bracket_after),
    ("name-first", _name_first),
    ("plain", _plain),
    ("comma-remark", _comma_remark),
]
