"""Glossary -> Anki package (.apkg) with genanki: stable ids, escaped fields, same bytes every build."""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import genanki

from ..atomic import write_bytes
from ..model import Entry, Glossary

# Never change: Anki matches note types by this id. A new field means a new id and name
# (see README, "Changing the note type"), because Anki will not update notes whose note type
# gained a field under the same id: it reports them as conflicting.
MODEL_ID = 1_732_506_401
MODEL_NAME = "glossdeck"
FIELDS = ["Term", "Expansion", "Aliases", "Definition", "Source", "Remarks", "Notes"]

CSS = """\
.card {
  font-family: "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans CJK JP", "Noto Sans JP",
    "Yu Gothic", "Meiryo", "Segoe UI", "Helvetica Neue", Arial, sans-serif;
  font-size: 20px; line-height: 1.7; text-align: left; color: #1f2328; background: #ffffff;
  max-width: 40em; margin: 0 auto; padding: 0.6em 1em;
  word-break: normal; overflow-wrap: anywhere; line-break: strict;
}
.term { font-size: 2.1em; font-weight: 700; letter-spacing: 0.02em; text-align: center; margin: 0.4em 0; }
.expansion { font-size: 1.25em; font-weight: 600; text-align: center; margin: 0.2em 0 0.6em; }
.aliases { text-align: center; color: #57606a; margin-bottom: 0.8em; }
.definition { margin: 0.8em 0; padding: 0.6em 0.9em; border-left: 4px solid #0969da; background: #f6f8fa; }
.source, .remarks, .notes { font-size: 0.8em; color: #57606a; margin-top: 0.5em; }
.label { font-weight: 600; margin-right: 0.4em; }
a { color: #0969da; text-decoration: none; }
hr#answer { border: none; border-top: 1px solid #d0d7de; margin: 1em 0; }
.nightMode.card, .night_mode .card { color: #e6edf3; background: #0d1117; }
.nightMode .aliases, .nightMode .source, .nightMode .remarks, .nightMode .notes { color: #9da7b3; }
.nightMode .definition { background: #161b22; border-left-color: #4493f8; }
.nightMode a { color: #4493f8; }
.nightMode hr#answer { border-top-color: #30363d; }
"""

MEANING = (
    "{{#Expansion}}<div class=expansion>{{Expansion}}</div>{{/Expansion}}"
    "{{#Aliases}}<div class=aliases>{{Aliases}}</div>{{/Aliases}}"
    "{{#Definition}}<div class=definition>{{Definition}}</div>{{/Definition}}"
)
DETAILS = (
    "{{#Source}}<div class=source><span class=label>出典</span>{{Source}}</div>{{/Source}}"
    "{{#Remarks}}<div class=remarks><span class=label>備考</span>{{Remarks}}</div>{{/Remarks}}"
    "{{#Notes}}<div class=notes>{{Notes}}</div>{{/Notes}}"
)
FORWARD = {
    "name": "Term → meaning",
    "qfmt": "<div class=term>{{Term}}</div>",
    "afmt": "{{FrontSide}}<hr id=answer>" + MEANING + DETAILS,
}
REVERSE = {
    "name": "Meaning → term",
    "qfmt": "{{#Expansion}}<div class=expansion>{{Expansion}}</div>{{/Expansion}}"
    "{{^Expansion}}{{#Definition}}<div class=definition>{{Definition}}</div>{{/Definition}}{{/Expansion}}",
    "afmt": "{{FrontSide}}<hr id=answer><div class=term>{{Term}}</div>"
    "{{#Aliases}}<div class=aliases>{{Aliases}}</div>{{/Aliases}}" + DETAILS,
}


@dataclass(frozen=True, slots=True)
class AnkiOptions:
    """What the user chose for the deck."""

    reverse: bool = False
    tag_folders: bool = False
    subdecks: bool = False


def model(reverse: bool = False) -> genanki.Model:
    """Return the glossdeck note type; `reverse` adds the meaning -> term card."""
    templates = [FORWARD, REVERSE] if reverse else [FORWARD]
    return genanki.Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[{"name": f} for f in FIELDS],
        templates=templates,
        css=CSS,
        sort_field_index=0,
    )


def deck_id(name: str) -> int:
    """Return a deck id derived from the deck name alone (same name, same deck)."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def note_guid(entry: Entry) -> str:
    """Return the note GUID, made from the entry's identity only, never from its fields."""
    return genanki.guid_for("glossdeck", entry.key)


def _link(url: str, text: str) -> str:
    if not url.startswith(("http://", "https://", "obsidian://")):
        return html.escape(text)
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(text)}</a>'


def obsidian_url(vault: str, path: str) -> str:
    """Return the obsidian:// link that opens a note."""
    file = path[:-3] if path.endswith(".md") else path
    return f"obsidian://open?vault={quote(vault, safe='')}&file={quote(file, safe='')}"


def fields(entry: Entry, vault: str) -> list[str]:
    """Return the note's field values, every piece of text HTML-escaped."""
    esc = html.escape
    source = ""
    if entry.definition_source:
        name = esc(entry.definition_source)
        source = _link(entry.definition_url, entry.definition_source) if entry.definition_url else name
    notes = []
    for src in entry.sources:
        link = _link(obsidian_url(vault, src.path), f"{src.title} ({src.path}:{src.line})")
        if src.url:
            link += " · " + _link(src.url, "web")
        if link not in notes:
            notes.append(link)
    return [
        esc(entry.term),
        esc(entry.expansion or ""),
        esc("、".join(entry.aliases)),
        esc(entry.definition or ""),
        source,
        "<br>".join(esc(r) for r in entry.remarks),
        "<br>".join(notes),
    ]


def tags(entry: Entry, tag_folders: bool) -> list[str]:
    """Return Anki tags: frontmatter tags (spaces become _) and, if asked, folder tags."""
    out = {t.replace(" ", "_") for t in entry.tags if t.strip()}
    if tag_folders:
        for src in entry.sources:
            folder = src.path.rpartition("/")[0]
            if folder:
                out.add("folder::" + folder.replace("/", "::").replace(" ", "_"))
    return sorted(out)


def package(glossary: Glossary, options: AnkiOptions = AnkiOptions()) -> genanki.Package:
    """Build the genanki package for a glossary."""
    note_type = model(options.reverse)
    decks: dict[str, genanki.Deck] = {}
    for entry in glossary.entries:
        name = glossary.name
        if options.subdecks and entry.sources and "/" in entry.sources[0].path:
            name = f"{glossary.name}::{entry.sources[0].path.split('/')[0]}"
        deck = decks.get(name)
        if deck is None:
            deck = decks[name] = genanki.Deck(deck_id(name), name)
        deck.add_note(
            genanki.Note(
                model=note_type,
                fields=fields(entry, glossary.vault_name or glossary.name),
                guid=note_guid(entry),
                tags=tags(entry, options.tag_folders),
                sort_field=entry.term,
            )
        )
    if not decks:
        decks[glossary.name] = genanki.Deck(deck_id(glossary.name), glossary.name)
    return genanki.Package([decks[k] for k in sorted(decks)])


def apkg_bytes(glossary: Glossary, options: AnkiOptions = AnkiOptions()) -> bytes:
    """Return the .apkg bytes: the same glossary gives the same bytes."""
    pkg = package(glossary, options)
    timestamp = glossary.timestamp or 0.0
    # genanki's write_to_file leaves its temporary database behind and zips with the current
    # time; do its two steps ourselves in a folder we remove, with fixed zip entry times.
    with tempfile.TemporaryDirectory(prefix="glossdeck-") as tmp:
        db_path = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(db_path)
        try:
            pkg.write_to_db(conn.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
            conn.commit()
        finally:
            conn.close()
        db = db_path.read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in (("collection.anki2", db), ("media", b"{}")):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()


def write_apkg(glossary: Glossary, path: Path, options: AnkiOptions = AnkiOptions()) -> bool:
    """Write the deck atomically; return whether the file changed."""
    return write_bytes(path, apkg_bytes(glossary, options))
