"""Ordered lists of named rules, run as markdown-it-py runs its core rules: first match wins.

Each place a definition can stand (a footnote's text, the bracket after a word, a line, a citation,
markup) has its own list `[("footnote-acronym", fn), …]`. A rule reads one thing and returns None when
the shape is not its own (the next rule is tried), or a list of what it found: empty when the shape is
its own but the text gives nothing (the rules after it are not tried).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from ..model import ACRONYM, Candidate, Note

C = TypeVar("C")
R = TypeVar("R")

Rule = tuple[str, Callable[[C], R | None]]
"""A rule's name (recorded in every source it reads, `sources[].rule`) and its function."""

Warn = Callable[[str, int, str], None]
"""Report a problem (kind, line, message) at a line of the note being harvested."""


def first_match(rules: Sequence[tuple[str, Callable[[C], R | None]]], thing: C) -> tuple[str, R] | None:
    """Return the name and answer of the first rule that recognises `thing`, or None."""
    for name, rule in rules:
        found = rule(thing)
        if found is not None:
            return name, found
    return None


@dataclass(slots=True)
class Found:
    """What one rule read at one place: an entry's fields, before they are tied to the note's lines."""

    term: str
    kind: str = ACRONYM
    expansion: str | None = None
    aliases: tuple[str, ...] = ()
    definition: str | None = None
    definition_source: str | None = None
    definition_url: str | None = None
    remarks: tuple[str, ...] = ()
    cut: bool = False
    """The definition was longer than a definition can be and was cut (the place warns)."""


def candidates(note: Note, found: Found, rule: str, lines: Sequence[int]) -> list[Candidate]:
    """Tie what a rule found to the lines it read: all of it at the first, the entry's name at the rest."""
    found = singular(found)
    out = [
        Candidate(
            term=found.term,
            kind=found.kind,
            source=note.source(lines[0], rule),
            rule=rule,
            expansion=found.expansion,
            aliases=tuple(a for a in found.aliases if a),
            definition=found.definition,
            definition_source=found.definition_source,
            definition_url=found.definition_url,
            remarks=found.remarks,
            tags=note.tags,
        )
    ]
    # every other place (a footnote's references) uses the same entry: its term and meaning join them
    out.extend(
        Candidate(term=found.term, kind=found.kind, source=note.source(line, rule), rule=rule,
                  expansion=found.expansion, tags=note.tags)
        for line in lines[1:]
    )
    return out


# A plural acronym (VMs, SLOs) and the English plural that ends its long form.
_PLURAL_TERM = re.compile(r".*[A-Z0-9]s")
_PLURAL_WORD = re.compile(r"(.*?[A-Za-z]{2})(?:(ies)|((?:ss|sh|ch|x)es)|([^su\W]s))")


def singular(found: Found) -> Found:
    """`VMs (virtual machines)` is the entry VM = virtual machine: plural acronyms name one thing.

    Only when the long form is there and ends with a plural (`MSMEs` with a Japanese name stays).
    """
    if found.expansion is None or not _PLURAL_TERM.fullmatch(found.term):
        return found
    m = _PLURAL_WORD.fullmatch(found.expansion)
    if not m:
        return found
    stem, ies, es, s = m.groups()
    last = "y" if ies else es[:-2] if es else s[:-1]
    return replace(found, term=found.term[:-1], expansion=stem + last)


def dedupe(items: Sequence[str | None]) -> tuple[str, ...]:
    """Return the items cleaned of surrounding blanks, empty and repeated ones dropped, in order."""
    seen: list[str] = []
    for item in items:
        item = " ".join((item or "").split())
        if item and item not in seen:
            seen.append(item)
    return tuple(seen)
