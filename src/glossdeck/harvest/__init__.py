"""Harvesters: each reads one Note and returns the Candidates it finds, in one ordered list."""

from __future__ import annotations

from collections.abc import Callable

from ..model import Candidate, Note
from .citations import harvest_body_citations
from .footnotes import harvest_footnotes
from .inline import harvest_inline
from .markup import harvest_markup

Harvester = Callable[[Note], list[Candidate]]

HARVESTERS: list[tuple[str, Harvester]] = [
    ("footnotes", harvest_footnotes),
    ("citations", harvest_body_citations),
    ("inline", harvest_inline),
    ("markup", harvest_markup),
]


def harvest_note(note: Note) -> list[Candidate]:
    """Run every harvester over one note, in order."""
    found: list[Candidate] = []
    for _, fn in HARVESTERS:
        found.extend(fn(note))
    return found
