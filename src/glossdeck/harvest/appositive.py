"""An acronym and its long form set off by commas in a sentence, either way round.

`An NDA, or non-disclosure agreement, is …`, `UEFI, the Unified Extensible Firmware Interface, …`,
`check the SDS, i.e. the safety data sheet, before …`; and `the Consumer Rights Act 2015, abbreviated
CRA 2015`, `non-disclosure agreement, or NDA`. Prose writers name a thing this way instead of with
brackets.
"""

from __future__ import annotations

import re

from .english_long import english_long_form
from .pieces import initials_or_parts_spell
from .rules import Found
from .spelling import ARTICLE, tight
from .text import clean_long_form, is_acronym, is_latin, nfkc, words

_SAYING = r"(?:or|i\.e\.,?|that is,?|aka|a\.k\.a\.|also called|also known as|short for)"
# `ACR, or long form,` / `ACR, the long form,`: the long form runs to the next comma or clause end.
_AFTER = re.compile(
    rf"(?<![\w&/.-])([A-Za-z0-9][\w&/-]{{1,14}}),\s+(?:{_SAYING}\s+)?((?:the|an?)\s+)?([^,;:()—–\"]+?)"
    r"\s*(?=,|;|\)|—|–|\.\s|\.$|$)"
)
# `long form, abbreviated ACR` / `long form, or ACR` (a year after both is the statute's: `… Act 2015`),
# or `the European Central Bank, ECB, raised …` with no word between (the acronym closed by a comma,
# `for short` may follow it).
_BEFORE = re.compile(
    r"([^,;:()]{3,160}?),\s+(?:(?:or|abbreviated(?: as)?|hereafter|henceforth|known as|or simply)\s+"
    r"([A-Za-z0-9][\w&/-]{1,14})(?:\s((?:1[89]|20)[0-9]{2}))?(?=[\s,.;)]|$)"
    r"|([A-Za-z0-9][\w&/-]{1,14})(?:\s+for short)?(?=,))"
)


def appositives(text: str) -> list[Found] | None:
    """Read each acronym a sentence names with its long form between commas; None when there is none."""
    if "," not in text:
        return None
    found = [f for m in _AFTER.finditer(text) if (f := _after(m.group(1), m.group(3)))]
    found += [f for m in _BEFORE.finditer(text) if (f := _before(m.group(1), m.group(2) or m.group(4), m.group(3)))]
    return found or None


def _spelt(acr: str, long: str) -> bool:
    # (`The team, or TT,`: an article never spells a letter here)
    return (
        not ARTICLE.match(long) and is_latin(long) and 2 <= len(words(long)) <= len(acr) + 2 and tight(acr, long)
        and initials_or_parts_spell(acr, long)
    )


def _after(short: str, long: str) -> Found | None:
    if not is_acronym(short):
        return None
    acr, long = nfkc(short), long.strip()
    if not _spelt(acr, long):
        return None
    # (the article before `the Unified …` was matched apart: the letters never need it)
    return Found(acr, expansion=clean_long_form(long))


def _before(before: str, short: str, year: str | None) -> Found | None:
    if not is_acronym(short):
        return None
    before = before.rstrip()
    if year:
        if not before.endswith(year):
            return None
        before = before[: -len(year)].rstrip()
    long = english_long_form(short, before)
    if long is None or not _spelt(short, long):
        return None
    return Found(nfkc(short), expansion=clean_long_form(long))
