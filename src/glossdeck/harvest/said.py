"""Acronyms a sentence of a line spells out, wherever they stand in it.

`SSO = single sign-on. IdP = identity provider.` (several on one line), `…; FACS stands for
fluorescence-activated cell sorting`, `…, where COGS means cost of goods sold`, `CAGR is the compound
annual growth rate.`, `US GAAP — generally accepted accounting principles — while …`. Glossaries in
meeting notes and asides in lecture notes and reports are written this way.
"""

from __future__ import annotations

import re

from .english_long import english_long_form
from .pieces import initials_or_parts_spell
from .rules import Found
from .spelling import ARTICLE, long_form_and_remark, name_in_remark, tight
from .text import clean_long_form, initials_match, is_acronym, is_latin, item_text, nfkc, words

# A sentence or clause of a line: pieces end at `.`/`;` followed by a space (or the line's end).
_PIECE = re.compile(r"(?<=[.;])\s+")
# `ACR = …`, `ACR stands for …`, `ACR means …`, `ACR is short for …`: an acronym and a word that says so
# (a look-ahead, so that `margin = …` does not hide a later `COGS means …`).
_SAYS = re.compile(
    r"(?=(?:^|(?<=[\s(,]))([A-Za-z0-9][\w&/-]{0,14}?)s?(?:\s*=|\s+(?:stands for|means|is short for)\s)\s*(\S.*))"
)
# `CAGR is the compound annual growth rate.`: only a sentence that starts with the acronym.
_IS_THE = re.compile(r"([A-Za-z0-9][\w&/-]{0,14})\s+is\s+(?:the|an?)\s+([^,.;:()]+?)[.;]?")
# `ACR = …` at the start of a line, or `ACR stands for …` as the whole line: `line-acronym` or
# `acronym-stated` reads it when it is the only one (the latter not when a clause follows: `…; it …`).
_STARTS_EQUALS = re.compile(r"[\w&/-]{1,16}\s*=")
_STARTS_STANDS = re.compile(r"[\w&/-]{1,16}\s+(?:stands|is short) for\s")
# `US GAAP — generally accepted accounting principles — while …`: an aside between two dashes.
# `… the SPOF — single point of failure.`: the aside may close the sentence instead.
_DASHED = re.compile(
    r"(?<![\w&/-])([A-Za-z0-9][\w&/-]{1,14})(?:\s+(?:—|–|--)|—)\s*([^—–\n]{3,120}?)\s*(?:(?:—|–|--)(?=\s)|—|[.;](?=\s|$)|$)"
)
# `Zero lower bound — ZLB — limits …`: the acronym is the aside, its long form the words before it.
_DASHED_ACRONYM = re.compile(r"\s(?:—|–|--)\s*([A-Za-z0-9][\w&/-]{1,14})\s*(?:—|–|--)(?=\s)")


def said_in_line(text: str) -> list[Found] | None:
    """Read every `ACR = long form` / `ACR stands for …` / `ACR is the …` a line's sentences hold.

    The line is claimed only when it holds two or more, or one not written `ACR = …` (or `ACR stands
    for …`) at its start: that line is `line-acronym`'s (or `acronym-stated`'s).
    """
    text = item_text(text)
    found: list[Found] = []
    pieces = _PIECE.split(text)
    first_at_start = False
    for i, piece in enumerate(pieces):
        item = _said(piece.strip())
        if item is not None:
            found.append(item)
            first_at_start = first_at_start or (i == 0 and _left_to_others(piece.lstrip(), len(pieces)))
    if not found or (len(found) == 1 and first_at_start):
        return None
    return found


def _left_to_others(first: str, pieces: int) -> bool:
    return bool(_STARTS_EQUALS.match(first) or (pieces == 1 and _STARTS_STANDS.match(first)))


def _said(piece: str) -> Found | None:
    m = _IS_THE.fullmatch(piece)
    if m and is_acronym(m.group(1)):
        acr, long = nfkc(m.group(1)), m.group(2).strip()
        # a sentence about it (`QUIC is a transport protocol …`) is no long form: its words must be
        # the acronym's letters, about one each, ending on its last
        if len(words(long)) <= len(acr) + 1 and tight(acr, long) and initials_match(acr, long, "medium"):
            return Found(acr, expansion=clean_long_form(long))
        return None
    m = next((m for m in _SAYS.finditer(piece) if is_acronym(m.group(1))), None)
    if m is None:
        return None
    acr = nfkc(m.group(1))
    split = long_form_and_remark(acr, m.group(2).rstrip(".; "))
    if split is None:
        return _whole(acr, m.group(2))
    long, remark = split
    if not initials_or_parts_spell(acr, long):
        return None
    # `Statistical Process Control（統計的工程管理）、つまり …`: the bracket names it in Japanese
    names, remark = name_in_remark(remark)
    return Found(acr, expansion=long, aliases=names, remarks=(remark,) if remark else ())


def _whole(acr: str, rest: str) -> Found | None:
    """The whole rest of the piece is the long form (`single sign-on.`), when it spells the acronym."""
    long = ARTICLE.sub("", rest.strip().rstrip(".; "))
    if not is_latin(long) or len(words(long)) < 2 or len(words(long)) > len(acr) + 2:
        return None
    if not initials_or_parts_spell(acr, long):
        return None
    return Found(acr, expansion=clean_long_form(long))


def dashed_asides(text: str) -> list[Found] | None:
    """Read `ACR — long form —` (or `long form — ACR —`) in a sentence: the words spell it tightly."""
    if "—" not in text and "–" not in text and "--" not in text:
        return None
    found = [f for m in _DASHED.finditer(text) if (f := _aside(m.group(1), m.group(2)))]
    found += [f for m in _DASHED_ACRONYM.finditer(text) if (f := _named_aside(m.group(1), text[: m.start()]))]
    return found or None


def _named_aside(short: str, before: str) -> Found | None:
    """`Zero lower bound — ZLB —`: the words before the dash spell the acronym."""
    if not is_acronym(short):
        return None
    long = english_long_form(short, before)
    return Found(nfkc(short), expansion=clean_long_form(long)) if long and tight(short, long) else None


def _aside(short: str, aside: str) -> Found | None:
    if not is_acronym(short):
        return None
    acr, long = nfkc(short), ARTICLE.sub("", aside.strip())
    if not is_latin(long) or not 2 <= len(words(long)) <= len(acr) + 3 or not tight(acr, long):
        return None
    if not initials_or_parts_spell(acr, long):
        return None
    return Found(acr, expansion=clean_long_form(long))
