"""Definitions written in the running text (body and footnotes alike).

`（AJCCBC: ASEAN Japan …）`, `（Meeting of … Level: MCM）`, `HAPS(High Altitude Platform Station)`,
`国際連合(UN)`, `DFFT（信頼性のある自由なデータ流通）` and English `Long Form (LF)`.
"""

from __future__ import annotations

import re

from ..model import ACRONYM, Candidate, Lines, Note
from .parts import CONTEXT_TAIL
from .text import (
    STOPWORDS,
    _letters,
    clean,
    clean_long_form,
    has_japanese,
    initials_match,
    is_acronym,
    is_latin,
    japanese_name,
    nfkc,
    starts_word,
    strip_links,
    trailing_acronym,
    words,
)

_PAREN = re.compile(r"[（(]([^（()）\n]*)[）)]")
_COLON = re.compile(r"\s*[：:]\s*")
# (No class runs over a `[`: each try stops at the next bracket, so runs of `[` cost linear time.)
_MASK = re.compile(
    r"\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*\)|!\[\[[^\[\]]*\]\]|\[\[[^\[\]|]*\||\[\^[^\[\]\s]+\]"
)
_STATED = re.compile(
    r"(?:英語)?(?:略称|略)\s*[：:は]?\s*[「『]?([^「」『』\s]+?)[」』]?"
    r"|以下[、,]?\s*[「『]?([^「」『』\s、]+?)[」』]?\s*(?:という|と呼ぶ|とする|と略す)?。?"
)
_ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*$")


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
        inner = clean(strip_links(raw_before[open_at + 1:]))
        if inner and has_japanese(inner) and len(inner) <= 40 and "、" not in inner:
            return inner
    return japanese_name(raw_before)


def harvest_inline(note: Note) -> list[Candidate]:
    """Find definitions in brackets throughout the note's text."""
    out: list[Candidate] = []
    for block in note.blocks:
        if "(" not in block.text and "（" not in block.text:
            continue
        masked = mask(block.text)
        lines = Lines(block.text, block.line)
        for m in _PAREN.finditer(masked):
            content = clean(strip_links(m.group(1)).replace("[", "").replace("]", ""))
            if not content:
                continue
            # only the end of what stands before the bracket can hold its acronym or name; reading
            # whole prefixes made a paragraph with thousands of brackets quadratic
            start = max(0, m.start() - CONTEXT_TAIL)
            found = _read(content, block.text[start: m.start()], masked[start: m.start()])
            if found is None:
                continue
            term, expansion, aliases, rule = found
            line = lines.at(m.start())
            out.append(
                Candidate(
                    term=nfkc(term),
                    kind=ACRONYM,
                    source=note.source(line),
                    rule=rule,
                    expansion=expansion,
                    aliases=tuple(a for a in aliases if a),
                    tags=note.tags,
                )
            )
    return out


def _read(content: str, before: str, masked_before: str) -> tuple[str, str | None, list, str] | None:
    """Read one bracket: return (term, long form, aliases, rule) or None."""
    content = nfkc(content) if not has_japanese(content) else content
    stated = _STATED.fullmatch(content)
    short = stated and (stated.group(1) or stated.group(2))
    if short and is_acronym(short):
        # 国際電気通信連合（略称：ITU）, （以下「ITU」という。）: the name is before the bracket.
        name = name_before(before)
        return (nfkc(short), None, [name], "inline-stated") if name else None
    parts = _COLON.split(content, maxsplit=1)
    if len(parts) == 2:
        left, right = parts[0].strip(), parts[1].strip()
        if is_acronym(left) and is_latin(right) and initials_match(left, right, "medium"):
            return left, clean_long_form(right), [name_before(before)], "inline-colon"
        if is_acronym(right) and is_latin(left) and initials_match(right, left, "medium"):
            return right, clean_long_form(left), [name_before(before)], "inline-colon"
        return None
    plain_before = nfkc(strip_links(masked_before)).rstrip()
    acr_before = trailing_acronym(masked_before)
    if acr_before and starts_word(masked_before, acr_before):
        # ACR(Long Form) or ACR（日本語名）: the acronym comes first.
        if is_latin(content) and len(words(content)) >= 2 and initials_match(acr_before, content, "medium"):
            return acr_before, clean_long_form(content), [], "inline-acronym-first"
        if _japanese_name_inside(content):
            return acr_before, None, [content], "inline-acronym-first"
        return None
    if is_acronym(content):
        if plain_before and _ENGLISH_WORD.search(plain_before) and not has_japanese(plain_before[-1:]):
            long_form = english_long_form(content, plain_before)
            return (content, long_form, [], "inline-english") if long_form else None
        name = name_before(before)
        return (content, None, [name], "inline-japanese-name") if name else None
    return None


def _japanese_name_inside(content: str) -> bool:
    """Tell whether bracket content reads as a Japanese name (not a date, place note or sentence)."""
    return (
        has_japanese(content)
        and len(content) >= 4
        and len(content) <= 40
        and not content[0].isdigit()
        and not re.search(r"[、。，]", content)
        and not re.fullmatch(r"[0-9０-９年月日頃以降現在時点]+", content)
    )


def english_long_form(short: str, before: str) -> str | None:
    """Find `Long Form` before `(LF)` in English: the shortest run of words that spells it.

    Word initials must spell the acronym (or every word must help spell it); failing that,
    Schwartz-Hearst's own answer is taken only when it spans more than one word, which refuses
    its classic error `registries (RIRs)`.
    """
    # A long form does not run across a sentence or a bracket.
    segment = re.split(r"[.;:!?()\[\]\"“”]\s", before + " ")[-1]
    tokens = re.findall(r"[A-Za-z0-9][A-Za-z0-9'’&\-/]*", segment)
    letters = _letters(short)
    if not tokens or not letters:
        return None
    limit = min(len(letters) + 5, len(letters) * 2)
    tail = tokens[-limit:]
    for k in range(1, len(tail) + 1):
        cand = tail[-k:]
        if cand[0][0].lower() != letters[0]:
            continue
        phrase = " ".join(cand)
        if initials_match(short, phrase, "medium"):
            return phrase
    found = _schwartz_hearst(short, " ".join(tail))
    if found and _enough_words(found, letters):
        return found
    return None


def _enough_words(long_form: str, letters: str) -> bool:
    """Tell whether a long form has content words enough for half its acronym's letters."""
    content = [w for w in words(long_form) if w.lower() not in STOPWORDS]
    return len(content) > 1 and len(content) * 2 >= len(letters) and content[0].lower() != letters


def _schwartz_hearst(short: str, text: str) -> str | None:
    """Schwartz & Hearst (2003) best long form, kept only when most letters start words.

    Their algorithm matches letters right to left anywhere inside words; when fewer than half of
    the letters land on word starts the pair is one of its known errors (`its Radiocommunication
    Sector (ITU-R)`, `agreed on the text (AGREED)`) and is refused.
    """
    s = len(short) - 1
    i = len(text) - 1
    at_word_start = 0
    letters = 0
    while s >= 0:
        c = short[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while (i >= 0 and text[i].lower() != c) or (s == 0 and i > 0 and text[i - 1].isalnum()):
            i -= 1
        if i < 0:
            return None
        letters += 1
        at_word_start += i == 0 or not text[i - 1].isalnum()
        i -= 1
        s -= 1
    if at_word_start * 2 < letters:
        return None
    start = text.rfind(" ", 0, i + 1) + 1
    return text[start:]
