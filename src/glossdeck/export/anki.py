"""Glossary -> Anki package (.apkg) with genanki: stable ids, escaped fields, same bytes every build."""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import json
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import genanki

from ..atomic import scratch_file, write_bytes
from ..model import Entry, Glossary, Source
from .lang import JAPANESE, Words, words_for
from .markup import WORD_JOINER, escape, link, note_link, obsidian_url, safe_url
from .notetype import FIELDS, MODEL_ID, MODEL_NAME, model

__all__ = [
    "FIELDS", "MODEL_ID", "MODEL_NAME", "WORD_JOINER", "AnkiOptions", "NoteLinks", "escape", "link", "obsidian_url",
    "safe_url", "write_apkg",
]

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class AnkiOptions:
    """What the user chose for the deck."""

    reverse: bool = False
    tag_folders: bool = False
    subdecks: bool = False
    lang: str | None = None
    """Language of the card labels and the glossary note: "ja", "en", or None for the vault's own."""


DEFAULT_OPTIONS = AnkiOptions()


def deck_id(name: str) -> int:
    """Return a deck id derived from the deck name alone (same name, same deck)."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def note_guid(entry: Entry) -> str:
    """Return the note GUID, made from the entry's identity only, never from its fields."""
    return key_guid(entry.key)


def key_guid(key: str) -> str:
    """Return the note GUID of an entry key (an identity registry's keys give a deck's every GUID)."""
    return str(genanki.guid_for("glossdeck", key))


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br>")


def _label(text: str) -> str:
    # The label is part of the field, not of the note type: one note type serves every language
    # (docs/anki.md, "Labels").
    return f"<span class=label>{text}</span>"


class NoteLinks(dict[tuple[str, str, str | None], tuple[str, str]]):
    """Each note's link as cards show it, made once per note for one rendering of a deck.

    A vault links the same note from thousands of cards; an LRU of fixed size (16k) missed on nearly
    every card once the vault had more notes than it held (the 50k-note bench: 280k misses, most of
    a one-note sync), and this holds one link per note and goes with the rendering.
    """

    def __init__(self, vault: str) -> None:
        super().__init__()
        self.vault = vault

    def __missing__(self, key: tuple[str, str, str | None]) -> tuple[str, str]:
        value = self[key] = _note_link(self.vault, *key)
        return value


def _notes(sources: tuple[Source, ...], links: NoteLinks, words: Words) -> str:
    # One line per note, however many times the entry occurs in it; Obsidian opens notes, not lines.
    lines: dict[str, list[int]] = {}
    first: list[Source] = []
    for src in sources:
        found = lines.get(src.path)
        if found is None:
            lines[src.path] = [src.line]
            first.append(src)
        else:
            found.append(src.line)
    out = []
    for src in first:
        head, tail = links[src.path, src.title, src.url]
        out.append(head + words.after_path + words.where(lines[src.path]) + tail)
    return _label(words.notes) + "<br>".join(out) if out else ""


def _note_link(vault: str, path: str, title: str, url: str | None) -> tuple[str, str]:
    head = note_link(vault, path, title or path) + f"<span class=lines>{escape(path)}"
    tail = "</span>"
    web = safe_url(url)
    if web:
        tail += " · " + link(web, urlsplit(web).netloc or web)
    return head, tail


def fields(
    entry: Entry, vault: str, reverse: bool = False, words: Words = JAPANESE, links: NoteLinks | None = None,
) -> list[str]:
    """Return the note's field values in FIELDS order, every piece of text escaped (see escape).

    `links`: the note links of the deck being rendered (one NoteLinks for all its entries).
    """
    source = ""
    if entry.definition_source:
        source = link(entry.definition_url, entry.definition_source)
    elif entry.definition_url and safe_url(entry.definition_url):
        source = link(entry.definition_url, urlsplit(entry.definition_url).netloc)
    remarks = "<br>".join(_text(r) for r in entry.remarks)
    values = [
        _text(entry.term),
        _text(entry.expansion or ""),
        _text(words.list_sep.join(entry.aliases)),
        _text(entry.definition or ""),
        source,
        _label(words.remarks) + remarks if remarks else "",
        _notes(entry.sources, links if links is not None else NoteLinks(vault), words),
        # non-empty turns the meaning -> term card on; its text is that card's question
        words.prompt if reverse and (entry.expansion or entry.aliases or entry.definition) else "",
    ]
    # Anki joins a note's fields with U+001F: one inside a field (a title, a file name) would
    # split it and Anki would refuse the whole package. No control character belongs in HTML.
    return [_CONTROL.sub("", v) for v in values]


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@lru_cache(maxsize=1 << 12)
def _tag(text: str) -> str:
    # cached: a vault's few tags are on thousands of entries
    # Anki splits tags on whitespace (full-width space included); Obsidian's nested tags a/b
    # become Anki's hierarchical a::b.
    text = re.sub(r"\s+", "_", _CONTROL.sub("", text).strip().lstrip("#"))
    return "::".join(part for part in text.split("/") if part)


def tags(entry: Entry, tag_folders: bool = False) -> list[str]:
    """Return Anki tags: frontmatter tags and, if asked, folder::<path> tags."""
    out = {_tag(t) for t in entry.tags}
    if tag_folders:
        for src in entry.sources:
            folder = src.path.rpartition("/")[0]
            if folder:
                out.add(_tag("folder/" + folder))
    out.discard("")
    return sorted(out)


def deck_for(glossary: Glossary, entry: Entry, subdecks: bool = False) -> str:
    """Return the deck an entry goes to: the glossary's, or a subdeck per top folder."""
    if subdecks and entry.sources and "/" in entry.sources[0].path:
        folder = _CONTROL.sub("", entry.sources[0].path.split("/")[0]).replace("::", ":") or "_"
        return f"{glossary.name}::{folder}"
    return glossary.name


def vault_of(glossary: Glossary) -> str:
    """Return the vault name obsidian:// links use."""
    return glossary.vault_name or glossary.name


class _Note(genanki.Note):  # type: ignore[misc]  # genanki has no type hints
    """A genanki note whose fields glossdeck built and escaped itself."""

    def _check_invalid_html_tags_in_fields(self) -> None:
        # genanki scans every field for HTML tags Anki does not know, only to warn; our fields
        # hold only <a>, <br> and <span>, and the scan costs a regex pass per field per build.
        return None


class _Deck(genanki.Deck):  # type: ignore[misc]
    """A deck whose notes are made one at a time while it is written, never all held at once."""

    def __init__(
        self, deck_id: int, name: str, note_type: genanki.Model, entries: list[Entry],
        make: Callable[[Entry], genanki.Note],
    ) -> None:
        super().__init__(deck_id, name)
        self.add_model(note_type)
        self.entries = entries
        self.make = make

    def write_to_db(self, cursor: sqlite3.Cursor, timestamp: float, id_gen: Iterator[int]) -> None:
        # genanki's own write_to_db walks self.notes twice and needs them all built first; on a
        # big vault the built notes alone take ~80 MB, so this does its steps with one note at
        # a time (same rows, same order).
        decks = json.loads(cursor.execute("SELECT decks FROM col").fetchone()[0])
        decks[str(self.deck_id)] = self.to_json()
        cursor.execute("UPDATE col SET decks = ?", (json.dumps(decks),))
        models = json.loads(cursor.execute("SELECT models FROM col").fetchone()[0])
        models.update({m.model_id: m.to_json(timestamp, self.deck_id) for m in self.models.values()})
        cursor.execute("UPDATE col SET models = ?", (json.dumps(models),))
        for entry in self.entries:
            self.make(entry).write_to_db(cursor, timestamp, self.deck_id, id_gen)


def package(glossary: Glossary, options: AnkiOptions = DEFAULT_OPTIONS) -> genanki.Package:
    """Build the genanki package for a glossary (its notes are made as it is written)."""
    note_type = model()
    vault = vault_of(glossary)
    words = words_for(options.lang, glossary.entries)
    links = NoteLinks(vault)

    def make(entry: Entry) -> genanki.Note:
        return _Note(
            model=note_type,
            fields=fields(entry, vault, options.reverse, words, links),
            guid=note_guid(entry),
            tags=tags(entry, options.tag_folders),
            sort_field=entry.term,
        )

    by_deck: dict[str, list[Entry]] = {}
    for entry in glossary.entries:
        by_deck.setdefault(deck_for(glossary, entry, options.subdecks), []).append(entry)
    if not by_deck:
        by_deck[glossary.name] = []
    return genanki.Package(
        [_Deck(deck_id(name), name, note_type, by_deck[name], make) for name in sorted(by_deck)]
    )


def apkg_bytes(glossary: Glossary, options: AnkiOptions = DEFAULT_OPTIONS, beside: Path | None = None) -> bytes:
    """Return the .apkg bytes: the same glossary gives the same bytes.

    The collection database is built in a scratch file beside `beside` (the deck's path) when
    given, so a run killed while packing leaves nothing outside the output folder.
    """
    pkg = package(glossary, options)
    # Anki updates a note on re-import only when this clock is newer than its copy (IF_NEWER):
    # the newest note mtime moves forward with every edit and stays put for an unchanged vault.
    timestamp = glossary.timestamp or 0.0
    # genanki's write_to_file leaves its mkstemp database in $TMPDIR and zips with the current
    # time; do its two steps ourselves in a scratch file we remove, with fixed zip entry times.
    with contextlib.ExitStack() as stack:
        if beside is not None:
            db_path = scratch_file(beside)
            stack.callback(db_path.unlink, missing_ok=True)
        else:
            db_path = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="glossdeck-"))) / "db"
        conn = sqlite3.connect(db_path)
        try:
            conn.execute("PRAGMA journal_mode=OFF")  # a scratch database: no journal file beside it
            pkg.write_to_db(conn.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
            conn.commit()
        finally:
            conn.close()
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            # the database goes into the zip from disk in pieces, not read whole into memory
            with db_path.open("rb") as db, zf.open(_entry_info("collection.anki2"), "w") as dest:
                shutil.copyfileobj(db, dest, 1 << 20)
            zf.writestr(_entry_info("media"), b"{}")
    return buf.getvalue()


def _entry_info(name: str) -> zipfile.ZipInfo:
    # fixed time and mode: zip entries otherwise carry the build's clock and break same-bytes
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def write_apkg(glossary: Glossary, path: Path, options: AnkiOptions = DEFAULT_OPTIONS) -> bool:
    """Write the deck atomically; return whether the file changed."""
    return write_bytes(path, apkg_bytes(glossary, options, beside=path))
