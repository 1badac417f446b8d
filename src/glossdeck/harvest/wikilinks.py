"""A wiki link whose target is the long form and whose shown text is the acronym.

`[[Distributed Hash Table|DHT]]`, `[[Conflict-free Replicated Data Type (CRDT)|CRDTs]]`: Obsidian and
other Zettelkasten notes link to the note named by the long form and show the short form. A reader
sees only the acronym, so the long form is in the link's target.
"""

from __future__ import annotations

import re

from .pieces import initials_or_parts_spell
from .rules import Found
from .spelling import tight
from .text import clean_long_form, is_acronym, is_latin, nfkc, words

# `[[target|shown]]`, the target without a heading or block part (`#…`).
_ALIASED = re.compile(r"(?<!!)\[\[([^\[\]|#\n]+)(?:#[^\[\]|\n]*)?\|([^\[\]|\n]+)\]\]")
# A target that states the acronym itself: `Long Form (ACR)`.
_STATED = re.compile(r"(.+?)\s*\(([^()]+)\)")


def wikilink_aliases(text: str) -> list[Found] | None:
    """Read each `[[Long Form|ACR]]` of a line whose words spell the acronym; None when there is none."""
    if "[[" not in text:
        return None
    found = [f for m in _ALIASED.finditer(text) if (f := _aliased(m.group(1).strip(), m.group(2).strip()))]
    return found or None


def _aliased(target: str, shown: str) -> Found | None:
    acr = nfkc(shown)
    # a plural shown (`CRDTs`) names the same acronym
    short = acr[:-1] if len(acr) > 2 and acr.endswith("s") and acr[-2].isupper() else acr
    if not is_acronym(short):
        return None
    m = _STATED.fullmatch(target)
    if m:
        if nfkc(m.group(2)).strip() != short:
            return None
        target = m.group(1)
    if not is_latin(target) or len(words(target)) < 2:
        return None
    # the whole target is the long form: `[[Log-Structured Merge Tree|LSM]]` names the tree, not LSM
    if not tight(short, target) or not initials_or_parts_spell(short, target):
        return None
    return Found(short, expansion=clean_long_form(target))
