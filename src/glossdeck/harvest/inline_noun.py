"""An acronym used as a modifier, its long form in a bracket after the noun it modifies.

`the CI/CD pipeline (continuous integration and continuous delivery)`, `the APM dashboard (application
performance monitoring)`: the bracket explains the acronym, not the noun before it. One rule of
`inline.RULES`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .pieces import spelt_in_parts
from .rules import Found
from .spelling import ARTICLE, tight
from .text import clean_long_form, is_acronym, is_latin, nfkc, one_word_a_letter, words

if TYPE_CHECKING:
    from .inline import Bracket

# An acronym, then one word in small letters (the noun it modifies), right before the bracket.
_ACRONYM_NOUN = re.compile(r"(?:^|(?<=[\s(\"“]))([A-Za-z0-9][\w&/-]{1,14}) ([a-z][a-z-]{2,20})$")
_HALVES = re.compile(r"\s+(?:and|/|&)\s+")


def acronym_then_noun(b: Bracket) -> list[Found] | None:
    """`the APM dashboard (application performance monitoring)`: the bracket spells the acronym."""
    m = _ACRONYM_NOUN.search(b.plain_before)
    if not m or not is_acronym(m.group(1)) or not is_latin(b.content):
        return None
    acr, long = nfkc(m.group(1)), ARTICLE.sub("", b.content.strip())
    shorts, longs = acr.split("/"), _HALVES.split(long)
    # `CI/CD pipeline (continuous integration and continuous delivery)`: one long form for each half
    if len(shorts) == 2 == len(longs) and all(_spelt(s, x) for s, x in zip(shorts, longs, strict=True)):
        return [Found(s, expansion=clean_long_form(x)) for s, x in zip(shorts, longs, strict=True)]
    return [Found(acr, expansion=clean_long_form(long))] if _spelt(acr, long) else None


def _spelt(acr: str, long: str) -> bool:
    """Tell whether each word of the bracket spells the acronym's letters in turn.

    Stricter than beside the acronym: the bracket may be about the noun (`CLI flag (Colin Ihrig)`).
    """
    return is_acronym(acr) and len(words(long)) >= 2 and tight(acr, long) and (
        one_word_a_letter(acr, long) or spelt_in_parts(acr, long)
    )
