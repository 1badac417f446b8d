"""Harvest a note: make its text plain once, then run each place's ordered list of named rules.

A place is where a definition can stand: a footnote's text, a citation, the bracket after a word, a
line, a marked-up item. Each place's harvester reads its own spots of the note and hands each to its
RULES, first match wins (markdown-it-py's core rules); every source records the rule that read it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Candidate, Note, Problem
from .plain import plain_note
from .rules import Warn

Harvester = Callable[[Note, Warn], list[Candidate]]


@dataclass(frozen=True, slots=True)
class Place:
    """Where a definition can stand, the harvester that finds those spots, and the rules that read them."""

    name: str
    harvest: Harvester
    rules: Sequence[tuple[str, Any]]


_HARVESTERS: list[Place] = []


def places() -> list[Place]:
    """Return every place in the order they are read (the same list each call; bench/stages.py wraps it).

    The rule modules compile some hundred patterns (~0.1 s): they load when a note is first
    harvested, not when glossdeck starts, so a sync with nothing changed never pays for them.
    """
    if not _HARVESTERS:
        from . import citations, footnotes, inline, lines, markup

        _HARVESTERS.extend([
            Place("footnote", footnotes.harvest_footnotes, footnotes.RULES),
            Place("citation", citations.harvest_body_citations, [(name, read) for name, _, read in citations.SHAPES]),
            Place("inline", inline.harvest_inline, inline.RULES),
            Place("line", lines.harvest_lines, lines.RULES),
            Place("markup", markup.harvest_markup, markup.RULES),
        ])
    return _HARVESTERS


def rule_names() -> dict[str, list[str]]:
    """Return each place's rule names, in the order they are tried."""
    return {place.name: [name for name, _ in place.rules] for place in places()}


def harvest_note(note: Note, problems: list[Problem] | None = None) -> list[Candidate]:
    """Run every place's rules over one note, in order; warnings go to `problems` when given."""
    plain = plain_note(note)

    def warn(kind: str, line: int, message: str) -> None:
        if problems is not None:
            problems.append(Problem(kind, note.path, line, message))

    found: list[Candidate] = []
    for place in places():
        found.extend(place.harvest(plain, warn))
    return found
