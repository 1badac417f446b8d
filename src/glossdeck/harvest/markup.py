"""Definitions marked up as such: `*[HTML]: HyperText Markup Language` and definition lists."""

from __future__ import annotations

import re

from ..model import ACRONYM, TERM, Candidate, Lines, Note
from .text import clean, clean_long_form, initials_match, is_acronym, is_latin, nfkc, strip_links

_ABBR = re.compile(r"^\*\[([^\]\n]+)\]:[ \t]*(.+)$", re.M)


def harvest_markup(note: Note) -> list[Candidate]:
    """Harvest Markdown abbreviations and definition-list items."""
    out: list[Candidate | None] = []
    for block in note.blocks:
        if block.footnote is not None or "*[" not in block.text:
            continue
        lines = Lines(block.text, block.line)
        for m in _ABBR.finditer(block.text):
            line = lines.at(m.start())
            out.append(_candidate(note, m.group(1), m.group(2), line, "abbreviation"))
    for term, definition, line in note.extras:
        out.append(_candidate(note, term, definition, line, "definition-list"))
    return [c for c in out if c is not None]


def _candidate(note: Note, term: str, text: str, line: int, rule: str) -> Candidate | None:
    term = clean(nfkc(strip_links(term)))
    text = clean(strip_links(text))
    if not term or not text or len(term) > 60:
        return None
    if is_acronym(term) and is_latin(text) and initials_match(term, text):
        return Candidate(term=term, kind=ACRONYM, source=note.source(line), rule=rule,
                         expansion=clean_long_form(text), tags=note.tags)
    return Candidate(term=term, kind=TERM, source=note.source(line), rule=rule,
                     definition=text, tags=note.tags)
