"""The data that flows between stages: vault -> notes -> candidates -> glossary -> files.

Dataclasses only (and the plain-value rows entries are cached and hashed as); every stage takes
these and returns these. The ones made per note, per block or per candidate are not frozen: a frozen
dataclass's `__init__` sets each field through `object.__setattr__` (a Candidate took 1.5 µs, 0.2 µs
plain), and no stage changes a value another made (they use `dataclasses.replace`) nor hashes one.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from itertools import starmap
from operator import attrgetter
from typing import Any

ACRONYM = "acronym"
TERM = "term"


@dataclass(slots=True)
class Source:
    """One place in the vault where an entry is defined or used."""

    path: str
    """Path relative to the vault, with `/` separators."""
    line: int
    """1-based line in the original file (frontmatter counted)."""
    title: str
    """The note's name as Obsidian shows it: frontmatter `title` when set and not empty, else its file name."""
    url: str | None = None
    """The note's frontmatter `url`, if any."""
    rule: str = ""
    """Name of the harvest rule that read this place (`footnote-acronym`); `harvest --explain` shows it."""

    def to_json(self) -> dict[str, Any]:
        """Return the contract's JSON object for this source."""
        return {"path": self.path, "line": self.line, "title": self.title, "url": self.url, "rule": self.rule}


@dataclass(slots=True)
class Block:
    """One inline run of a note (a paragraph, heading, list item or footnote paragraph)."""

    text: str
    """Markdown source of the run, inline code blanked out with spaces."""
    line: int
    """1-based file line where the run starts."""
    footnote: str | None = None
    """Label of the footnote definition this run belongs to, or None for body text."""


@dataclass(slots=True)
class FootnoteDef:
    """A footnote definition `[^label]: text` (or an Obsidian inline footnote `^[text]`)."""

    label: str
    text: str
    line: int
    inline: bool = False
    """True for `^[text]`: its reference is the place it stands."""


class Lines:
    """The line of each position in a text, counted on from the last position asked.

    Counting from the start for every match made a paragraph with thousands of matches quadratic.
    """

    __slots__ = ("_text", "_pos", "_line")

    def __init__(self, text: str, first_line: int) -> None:
        self._text = text
        self._pos = 0
        self._line = first_line

    def at(self, pos: int) -> int:
        """Return the line of position `pos` (positions asked in any order; ascending is cheap)."""
        if pos < self._pos:
            self._pos, self._line = 0, self._line - self._text.count("\n", 0, self._pos)
        self._line += self._text.count("\n", self._pos, pos)
        self._pos = pos
        return self._line


REF_CONTEXT = 1000
"""How much of the text before a reference is kept: every rule reads only the end of it, and
keeping all of it made a long paragraph with many references quadratic in memory."""


@dataclass(slots=True)
class FootnoteRef:
    """A reference `[^label]` in the text, with what stands just before it."""

    label: str
    line: int
    before: str
    """The block's text up to the reference (same block only, at most REF_CONTEXT characters)."""
    hidden: bool = False
    """True in math, a comment or a link's target, where Obsidian shows no footnote (lint skips it)."""


@dataclass(slots=True)
class Note:
    """A note read from the vault, parsed once."""

    path: str
    title: str
    url: str | None
    tags: tuple[str, ...]
    blocks: tuple[Block, ...]
    footnotes: tuple[FootnoteDef, ...]
    refs: tuple[FootnoteRef, ...]
    mtime: float = 0.0
    extras: tuple[tuple[str, str, int], ...] = ()
    """Other definitions markdown-it found: (term, definition, line) from definition lists."""

    def source(self, line: int, rule: str = "") -> Source:
        """Return a Source pointing at `line` of this note, read by `rule`."""
        return Source(self.path, line, self.title, self.url, rule)


@dataclass(slots=True)
class Candidate:
    """One thing a harvester found at one place; many candidates merge into one Entry."""

    term: str
    kind: str
    source: Source
    rule: str
    """Name of the harvester rule that found it (for debugging and tests)."""
    expansion: str | None = None
    aliases: tuple[str, ...] = ()
    definition: str | None = None
    definition_source: str | None = None
    definition_url: str | None = None
    remarks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(slots=True)
class Entry:
    """One glossary entry: one term with one meaning, merged from every place it occurs."""

    key: str
    """Stable identity (term + normalised meaning); the Anki GUID is made from it alone."""
    term: str
    kind: str
    expansion: str | None
    aliases: tuple[str, ...]
    definition: str | None
    definition_source: str | None
    definition_url: str | None
    remarks: tuple[str, ...]
    sources: tuple[Source, ...]
    tags: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """Return the contract's JSON object for this entry."""
        return {
            "term": self.term,
            "kind": self.kind,
            "expansion": self.expansion,
            "aliases": list(self.aliases),
            "definition": self.definition,
            "definition_source": self.definition_source,
            "definition_url": self.definition_url,
            "remarks": list(self.remarks),
            "sources": [s.to_json() for s in self.sources],
            "tags": list(self.tags),
        }


@dataclass(slots=True)
class Problem:
    """A lint finding or a bad-input warning, always tied to a file and line."""

    kind: str
    path: str
    line: int
    message: str
    label: str | None = None
    suggestion: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the contract's JSON object for this problem."""
        return {
            "kind": self.kind,
            "label": self.label,
            "path": self.path,
            "line": self.line,
            "message": self.message,
            "suggestion": self.suggestion,
        }

    def to_text(self) -> str:
        """Return the compiler-style line `path:line: kind: message (did you mean [^x]?)`."""
        text = f"{self.path}:{self.line}: {self.kind}: {self.message}"
        if self.suggestion:
            text += f" (did you mean [^{self.suggestion}]?)"
        return text


@dataclass(frozen=True, slots=True)
class Glossary:
    """The finished glossary handed to the writers."""

    name: str
    """Deck name."""
    entries: tuple[Entry, ...]
    timestamp: float = 0.0
    """Newest modification time of the notes the glossary came from (Anki's update clock)."""
    vault_name: str = ""
    """Obsidian vault name, for obsidian:// links."""


# Plain-value rows. Pickling or hashing slotted frozen dataclasses runs Python code per object
# (seconds for a big vault), so entries sit in the sync cache and feed the Anki clock's digest as
# tuples of plain values: an Entry's fields in order, its sources as tuples of theirs.
EntryRow = tuple[Any, ...]
_ENTRY_FIELDS = [f.name for f in fields(Entry)]
_SOURCES_AT = _ENTRY_FIELDS.index("sources")
_entry_values = attrgetter(*_ENTRY_FIELDS)
_source_values = attrgetter(*(f.name for f in fields(Source)))


CandidateRow = tuple[Any, ...]
"""A Candidate's fields in order, its source a tuple of the Source's fields: what a worker sends back
and the sync cache keeps, and what normalise.merge reads (at the positions below), never rebuilt."""
_CANDIDATE_FIELDS = [f.name for f in fields(Candidate)]
C_TERM, C_KIND, C_SOURCE, C_RULE, C_EXPANSION, C_ALIASES, C_DEFINITION, C_DEFINITION_SOURCE, \
    C_DEFINITION_URL, C_REMARKS, C_TAGS = range(len(_CANDIDATE_FIELDS))
S_PATH, S_LINE = 0, 1
_candidate_values = attrgetter(*_CANDIDATE_FIELDS)


def candidate_row(c: Candidate) -> CandidateRow:
    """Return a Candidate as a tuple of plain values, its source as a tuple of the Source's."""
    row = list(_candidate_values(c))
    row[C_SOURCE] = _source_values(row[C_SOURCE])
    return tuple(row)


def entry_row(e: Entry) -> EntryRow:
    """Return an Entry as a tuple of plain values (its key first)."""
    row = list(_entry_values(e))
    row[_SOURCES_AT] = tuple(map(_source_values, e.sources))
    return tuple(row)


def entry_from_row(row: EntryRow) -> Entry:
    """Rebuild an Entry from entry_row()'s tuple."""
    values = list(row)
    values[_SOURCES_AT] = tuple(starmap(Source, row[_SOURCES_AT]))
    return Entry(*values)
