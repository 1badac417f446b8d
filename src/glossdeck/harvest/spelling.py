"""Whether words spell an acronym, and where a long form ends and the sentence about it goes on.

`PMTUD - Path MTU Discovery` (an acronym inside the long form spells its own letters),
`CapEx -- Capital Expenditure` (each capital starts a word), and
`Application Programming Interface, a set of rules …` (the long form, then a remark).
"""

from __future__ import annotations

import re

from .names import is_short_name
from .pieces import spelt_in_parts
from .text import STOPWORDS, _letters, clean, clean_long_form, has_japanese, initials_match, is_latin, words

# An acronym written inside a long form (`Path MTU Discovery`): each of its capitals is a word's initial.
_INNER_ACRONYM = re.compile(r"\b([A-Z]{2,6})s?\b")
# Where a long form can end and a remark begin: a comma, a semicolon, a colon, a dash between spaces,
# a full stop, a bracket (`Precision Time Protocol（IEEE 1588）`), an `=` between spaces (`gross national
# income = GDP + …`), or a verb that starts saying what it is.
_REMARK_AT = re.compile(
    r"\s*(?:[,、，;；:：。]|\.(?=\s)|\s[-–—=]{1,2}\s|—)\s*|\s*(?=[（(])"
    r"|\s+(?=(?:is|are|was|were|refers|means|describes|defines|lets|allows)\b)"
)
# What a remark starts with that says nothing by itself: a copula, `の略で、`, `とは`.
_LEADING_LINK = re.compile(
    r"^(?:(?:is|are|was|were)\s+|(?:の)?(?:略称?|略語)(?:で(?:あり)?|であって)?[、，,]?\s*|と?は[、，,]?)"
)
# A Japanese name in brackets right after the long form, then the remark: `（サービス品質保証）。…`.
_NAME_FIRST = re.compile(r"[（(]([^（()）、。，,]+)[）)][\s。.、，,]*(.*)", re.S)
# A long form is a name: where a remark could begin further in than this, none is looked for (a
# paragraph of commas would otherwise be read once per comma).
MAX_HEAD = 200
# A Japanese phrase holding を, が or は says what a thing does (`経路の正当性を示す仕組み`): it is no name.
PROSE = re.compile(r"[をがは]")
# A remark that is one aside in brackets: `(our provider)`.
_WRAPPED = re.compile(r"[（(]([^（()）]*)[）)][.。]?")
# Words and commas only: no bracket, colon or full stop that would open a remark.
_ONE_LIST = re.compile(r"[^\W\d_][\w'’&/\- ]*(?:,\s*[^\W\d_][\w'’&/\- ]*)*")
# A leading article, dropped from a long form whose letters do not need it.
ARTICLE = re.compile(r"^(?:the|an?)\s+", re.I)


# Runs of blanks between words.
_BLANKS = re.compile(r"\s+")


def spells(short: str, long: str) -> bool:
    """Tell whether the long form spells the acronym from its words' initials.

    The project's `medium` initials check, also read with an acronym inside the long form spelling its
    letters (`Path MTU Discovery` for PMTUD) and, for an acronym in mixed case, its capitals starting
    words while its small letters follow in them (`Capital Expenditure` for CapEx).
    """
    if initials_match(short, long, "medium"):
        return True
    spread = _INNER_ACRONYM.sub(lambda m: " ".join(m.group(1)), long)
    if spread != long and initials_match(short, spread, "medium"):
        return True
    capitals = "".join(c for c in short if c.isupper() or c.isdigit())
    return (
        capitals != short
        and len(capitals) >= 2
        and short[0].isupper()
        and initials_match(capitals, long, "medium")
        and initials_match(short, long, "loose")
    )


def spells_or_parts(short: str, long: str) -> bool:
    """Tell whether the long form spells the acronym (see `spells`), else piece by piece (`IPComp`)."""
    return spells(short, long) or spelt_in_parts(short, long)


def same_initials(short: str, long: str) -> bool:
    """Tell whether the long form's content words start with the acronym's letters, in any order.

    Only where the author tied the two together explicitly (`UTC (Coordinated Universal Time; 協定世界時)`).
    """
    initials = sorted(w[0].lower() for w in words(long) if w.lower() not in STOPWORDS)
    return len(initials) >= 2 and initials == sorted(_letters(short))


def reordered_long_form(short: str, before: str) -> str | None:
    """Return the last words of `before` whose initials are the acronym's letters in another order.

    `Coordinated Universal Time (UTC; 協定世界時)`: only for a bracket that states the acronym with its
    Japanese name, where the author tied the two together.
    """
    tokens = _BLANKS.split(before.strip())
    count = len(_letters(short))
    for k in range(count, min(count + 3, len(tokens)) + 1):
        phrase = " ".join(tokens[-k:])
        if is_latin(phrase) and phrase[:1].isupper() and same_initials(short, phrase):
            return phrase
    return None


def tight(short: str, long: str) -> bool:
    """Tell whether the long form spells the acronym with no words trailing after its letters.

    Its last word must start the acronym's last letter, or be needed to spell it at all.
    """
    ws = long.split()
    if not spells(short, long):
        return False
    letters = _letters(short)
    return len(ws) < 2 or ws[-1][:1].lower() == letters[-1:] or not spells(short, " ".join(ws[:-1]))


def initials_are(short: str, long: str) -> bool:
    """Tell whether the long form's content words begin with the acronym's letters, one each, in order."""
    letters = _letters(short)
    content = [w for w in words(ARTICLE.sub("", long)) if w.lower() not in STOPWORDS]
    return len(content) >= 2 and "".join(w[0].lower() for w in content) == letters


def drop_article(short: str, long: str) -> str:
    """Return the long form without a leading The/A/An the acronym's letters do not need."""
    bare = ARTICLE.sub("", long)
    return bare if bare != long and spells(short, bare) else long


def long_form_and_remark(short: str, text: str) -> tuple[str, str] | None:
    """Split `Long Form, what it is …` into the long form the acronym spells and the remark after it.

    The long form ends at the first place a remark can begin (a comma, a full stop, a dash, `is`)
    where the words before it spell the acronym tightly; None when no such place exists.
    """
    text = clean(text)
    if len(text) <= MAX_HEAD and _ONE_LIST.fullmatch(text) and initials_are(short, text):
        # `ADME (Absorption, Distribution, Metabolism, Excretion)`: a list of words, one a letter, is
        # the long form whole, though its first three could spell ADME already (metabolism holds an e)
        return clean_long_form(text), ""
    for m in _REMARK_AT.finditer(text, 0, MAX_HEAD):
        head = drop_article(short, text[: m.start()].strip())
        if is_latin(head) and len(words(head)) >= 2 and tight(short, head):
            return clean_long_form(head), remark_from(text[m.end():])
    return None


def loose_long_form_and_remark(short: str, text: str) -> tuple[str, str] | None:
    """Split `OpenTelemetry Protocol, the wire format …` where the letters are only inside the words.

    For a term the author marked as an acronym (`OTLP` / `: OpenTelemetry Protocol, …`): the long form
    is the words up to the first place a remark can begin, when they hold the letters in order (Schwartz-Hearst's
    check), the first starting it; None when only the whole text does, or nothing.
    """
    text = clean(text)
    m = _REMARK_AT.search(text, 0, MAX_HEAD)
    if m is None or m.end() >= len(text):
        return None
    head = drop_article(short, text[: m.start()].strip())
    # only a name may be spelt that loosely: `A company that makes everything, …` is a definition
    if is_latin(head) and _is_title(head) and initials_match(short, head):
        return clean_long_form(head), remark_from(text[m.end():])
    return None


def one_phrase(short: str, text: str) -> bool:
    """Tell whether a text is one name: no place where a remark could begin, or a list of the words
    that spell the acronym, each item a capital starting one of its letters (`Basically Available, Soft
    state, Eventually consistent` for BASE, where `The lock icon, whatever …` is a sentence)."""
    text = clean(text).rstrip(".。")
    if _REMARK_AT.search(text) is None:
        return True
    items = [item.strip() for item in text.split(",")]
    if len(items) < 2 or not all(item[:1].isupper() for item in items):
        return False
    initials = "".join(item[0].lower() for item in items)
    return _REMARK_AT.search(" ".join(items)) is None and _subsequence(initials, _letters(short))


def _subsequence(part: str, whole: str) -> bool:
    rest = iter(whole)
    return all(c in rest for c in part)


def name_and_remark(text: str) -> tuple[str, str] | None:
    """Split `Application Programming Interface, a set of rules …` where no acronym is at hand.

    The long form is a name (its words other than `of`, `and` … capitalised, two or more) and the
    remark after it starts in lower case, as a sentence about it does.
    """
    text = clean(text)
    for m in _REMARK_AT.finditer(text, 0, MAX_HEAD):
        head, tail = text[: m.start()].strip(), text[m.end():].strip()
        if not (is_latin(head) and _is_title(head) and tail[:1].islower()):
            continue
        return clean_long_form(ARTICLE.sub("", head)), remark_from(tail)
    return None


def remark_from(tail: str, rest: str = "", closed: bool = False) -> str:
    """Return what follows a long form as a remark: `is`/`の略で、` dropped, the note's next sentences kept.

    `closed`: the tail was a sentence whose full stop was split off; it gets one back.
    """
    remark = _LEADING_LINK.sub("", clean(tail).lstrip(",、，;；:：-–— ")).strip()
    if remark and (closed or rest.strip()) and not remark.endswith((".", "。", "!", "?", "！", "？")):
        remark += "。" if has_japanese(remark[-1:]) else "."
    return clean(remark + " " + rest)


def name_in_remark(remark: str) -> tuple[tuple[str, ...], str]:
    """Take a Japanese name in brackets off the front of a remark: return it (as aliases) and the rest.

    A remark that is only an aside in brackets (`(our provider)`) loses the brackets.
    """
    m = _NAME_FIRST.fullmatch(remark)
    # (a short word in brackets, `（非推奨）`, `（後述）`, is an aside rather than a name)
    name = m.group(1).strip() if m else ""
    if m and has_japanese(name) and (4 <= len(name) <= 40 or is_short_name(name)) and not PROSE.search(name):
        return (m.group(1).strip(),), remark_from(m.group(2))
    wrapped = _WRAPPED.fullmatch(remark)
    return (), wrapped.group(1).strip() if wrapped else remark


def _is_title(text: str) -> bool:
    ws = [w for w in ARTICLE.sub("", text).split() if w.lower() not in STOPWORDS]
    return len(ws) >= 2 and all(w[:1].isupper() or w[:1].isdigit() for w in ws)
