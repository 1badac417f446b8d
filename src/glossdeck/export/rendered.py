"""The notes a sync's last .apkg rendered, kept in the sync cache so the next renders only what changed."""

from __future__ import annotations

from collections.abc import Callable

from ..model import Entry, EntryRow, entry_row

Rendered = tuple[list[str], list[str]]
"""A card's note as the package stores it: its fields (FIELDS order) and its tags."""


class Cards:
    """The notes the last sync's package rendered, by entry row, to take again for unchanged entries.

    A note's fields and tags follow from its entry's row and the rendering's settings (vault name,
    reverse cards, folder tags, label language) alone, and rendering every note was most of a
    one-note sync (the 10k bench: 1.3 of 2.1 s); the sync cache keeps these, so a sync renders
    only the entries that changed. `rows` gives an entry's row when the caller has it (by id).
    """

    __slots__ = ("settings", "notes", "rows", "kept")

    def __init__(self, settings: str = "", notes: dict[EntryRow, Rendered] | None = None) -> None:
        self.settings = settings
        self.notes = notes or {}
        self.rows: dict[int, EntryRow] = {}
        self.kept: dict[EntryRow, Rendered] = {}
        """What this run's package rendered or took: the next run's `notes`."""

    def start(self, settings: str) -> None:
        """Begin a rendering with these settings: notes rendered with others are dropped."""
        if settings != self.settings:
            self.settings, self.notes = settings, {}
        self.kept = {}

    def note(self, entry: Entry, render: Callable[[Entry], Rendered]) -> Rendered:
        """Return the entry's note: the last run's when its row is the same, else rendered now."""
        row = self.rows.get(id(entry)) or entry_row(entry)
        got = self.notes.get(row)
        if got is None:
            got = render(entry)
        self.kept[row] = got
        return got
