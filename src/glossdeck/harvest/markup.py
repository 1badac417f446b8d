"""Definitions marked up as such: definition lists (`Term` / `: definition`).

The items markdown-it found (Note.extras) are read by the first rule of RULES that recognises them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import TERM, Candidate, Note
from .plain import link_text
from .rules import Found, Rule, Warn, candidates, first_match
from .spelling import long_form_and_remark, loose_long_form_and_remark, name_in_remark, one_phrase
from .text import clean, clean_long_form, initials_match, is_acronym, is_latin, nfkc


@dataclass(slots=True)
class Item:
    """A definition-list item: its term and its definition."""

    term: str
    text: str


def harvest_markup(note: Note, warn: Warn) -> list[Candidate]:
    """Harvest definition-list items."""
    out: list[Candidate] = []
    for term, text, line in note.extras:
        match = first_match(RULES, Item(term, text))
        if match:
            rule, found = match
            for item in found:
                out.extend(candidates(note, item, rule, [line]))
    return out


def term_and_meaning(term: str, text: str) -> list[Found]:
    """Read a marked-up term and what it stands for: an acronym's long form, else a definition."""
    term = clean(nfkc(link_text(term)))
    text = clean(link_text(text))
    if not term or not text or len(term) > 60:
        return []
    split = long_form_and_remark(term, text) if is_acronym(term) else None
    if split:
        # `*[API]: Application Programming Interface, a set of rules …`: the rest is a remark
        names, remark = name_in_remark(split[1])
        return [Found(term, expansion=split[0], aliases=names, remarks=(remark,) if remark else ())]
    if is_acronym(term) and is_latin(text) and initials_match(term, text):
        if one_phrase(term, text):
            return [Found(term, expansion=clean_long_form(text))]
        loose = loose_long_form_and_remark(term, text)
        if loose:
            return [Found(term, expansion=loose[0], remarks=(loose[1],) if loose[1] else ())]
        # a sentence whose letters happen to fall in order (`The lock icon, whatever …`) is a definition
    return [Found(term, kind=TERM, definition=text)]


def _definition_list(item: Item) -> list[Found] | None:
    """`API` / `: Application Programming Interface`, `冗長化` / `: 障害に備えて…`."""
    return term_and_meaning(item.term, item.text)


RULES: list[Rule[Item, list[Found]]] = [
    ("definition-list", _definition_list),
]
