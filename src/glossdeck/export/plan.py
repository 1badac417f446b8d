"""What a push changes in a collection: the glossary's notes against the glossdeck notes already there.

Pure comparison, no `anki` import: collection.py reads the collection into `Have` values, this module
decides, collection.py applies (or, for --dry-run, only reports).
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..model import Entry
from .markup import WORD_JOINER
from .notetype import FIELDS

# Tags Anki itself sets (Mark Note, the leech detector): the user's, kept whatever the vault says.
ANKI_TAGS = ("marked", "leech")


@dataclass(frozen=True, slots=True)
class Want:
    """One entry's note as the .apkg carries it."""

    entry: Entry
    guid: str
    fields: list[str]
    tags: list[str]
    deck: str


@dataclass(frozen=True, slots=True)
class Card:
    """One card of a glossdeck note in the collection."""

    id: int
    deck: int
    """Its home deck (the deck it returns to from a filtered deck)."""
    suspended: bool


@dataclass(slots=True)
class Have:
    """One glossdeck note in the collection."""

    id: int
    fields: list[str]
    tags: list[str]
    cards: list[Card] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Update:
    """An existing note brought to what the vault says."""

    note: int
    want: Want
    what: tuple[str, ...]
    """What changed, as the change list prints it: field names, "tags", "deck", "restored"."""
    write: bool
    """Whether fields or tags differ (a deck move alone leaves the note as it is)."""
    unsuspend: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Retire:
    """A note whose entry left the vault."""

    note: int
    term: str
    expansion: str
    suspend: tuple[int, ...]
    """Its cards not yet suspended."""


@dataclass
class Plan:
    """Every change one push makes."""

    add: list[Want] = field(default_factory=list)
    update: list[Update] = field(default_factory=list)
    move: dict[str, list[int]] = field(default_factory=dict)
    """Deck name -> cards to move there."""
    retire: list[Retire] = field(default_factory=list)
    foreign: list[Want] = field(default_factory=list)
    """Entries whose GUID a note of another note type holds: left alone."""

    def empty(self) -> bool:
        """Tell whether the push changes nothing."""
        return not (self.add or self.update or self.move or self.retire)


@dataclass(frozen=True, slots=True)
class Scope:
    """Which notes of the collection this deck may retire."""

    issued: frozenset[str]
    """GUIDs of every key the deck's identity registry ever issued."""
    tree: frozenset[int]
    """Its deck and subdecks: a note another deck moved into its own is that deck's."""


def nfc(text: str) -> str:
    """Return text as Anki stores it (NFC: Anki normalises note text and tags)."""
    return unicodedata.normalize("NFC", text)


def tag_key(tag: str) -> str:
    """Return the form two tags Anki takes for one compare equal in (case and empty parts ignored)."""
    return "::".join(part or "blank" for part in nfc(tag).split("::")).casefold()


def plan(
    wants: Iterable[Want], have: dict[str, Have], foreign: set[str], scope: Scope,
    deck_id: Callable[[str], int | None], removed_tag: str,
) -> Plan:
    """Return what makes the collection's glossdeck notes match the glossary."""
    out = Plan()
    live = set()
    for want in wants:
        live.add(want.guid)
        note = have.get(want.guid)
        if note is not None:
            _compare(out, want, note, deck_id(want.deck), removed_tag)
        elif want.guid in foreign:
            out.foreign.append(want)
        else:
            out.add.append(want)
    removed_key = tag_key(removed_tag)
    for guid, note in have.items():
        if guid in live or guid not in scope.issued or not any(c.deck in scope.tree for c in note.cards):
            continue
        suspend = tuple(c.id for c in note.cards if not c.suspended)
        if suspend or removed_key not in {tag_key(t) for t in note.tags}:
            out.retire.append(Retire(note.id, shown(note.fields[0]), shown(note.fields[1]), suspend))
    return out


def _compare(out: Plan, want: Want, note: Have, deck: int | None, removed_tag: str) -> None:
    # the note type was checked first: both have FIELDS
    what = [name for name, a, b in zip(FIELDS, note.fields, want.fields, strict=True) if a != b]
    kept = [t for t in note.tags if tag_key(t) in ANKI_TAGS]
    tags = sorted({tag_key(t): t for t in [*want.tags, *kept]}.values())
    old = {tag_key(t) for t in note.tags}
    new = {tag_key(t) for t in tags}
    removed = tag_key(removed_tag)
    write = bool(what) or old != new
    if old - {removed} != new:
        what.append("tags")
    moving = [c.id for c in note.cards if c.deck != deck]
    if moving:
        out.move.setdefault(want.deck, []).extend(moving)
        what.append("deck")
    unsuspend: tuple[int, ...] = ()
    if removed in old:
        unsuspend = tuple(c.id for c in note.cards if c.suspended)
        what.append("restored")
    if what:
        out.update.append(Update(note.id, Want(want.entry, want.guid, want.fields, tags, want.deck),
                                 tuple(what), write, unsuspend))


def shown(value: str) -> str:
    """Return a Term or Expansion field's text as the card shows it (escapes undone), for the change list."""
    return html.unescape(value.replace("<br>", " ")).replace(WORD_JOINER, "").strip()
