"""Glossary -> CSV for Anki's own text import: same note type, fields and GUIDs as the .apkg."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..atomic import write_bytes
from ..model import Glossary
from .anki import DEFAULT_OPTIONS, AnkiOptions, NoteLinks, deck_for, fields, note_guid, tags, vault_of
from .lang import words_for
from .notetype import FIELDS, MODEL_ID


def anki_csv_text(glossary: Glossary, options: AnkiOptions = DEFAULT_OPTIONS) -> str:
    """Return the Anki-import CSV: file headers, then one row per note."""
    columns = ["guid", *FIELDS, "tags"]
    if options.subdecks:
        columns.append("deck")
    header = [
        "#separator:tab",
        "#html:true",
        # By id, not name: Anki renames an imported note type whose name is taken, never its id.
        f"#notetype:{MODEL_ID}",
        f"#deck:{glossary.name}",
        "#columns:" + "\t".join(columns),
        "#guid column:1",
        f"#tags column:{columns.index('tags') + 1}",
    ]
    if options.subdecks:
        header.append(f"#deck column:{columns.index('deck') + 1}")
    buf = io.StringIO()
    buf.write("\n".join(header) + "\n")
    # Quote every cell: Anki skips an unquoted row that starts with '#', and a GUID may.
    writer = csv.writer(buf, delimiter="\t", quoting=csv.QUOTE_ALL, lineterminator="\n")
    words = words_for(options.lang, glossary.entries)
    vault = vault_of(glossary)
    links = NoteLinks(vault)
    for entry in glossary.entries:
        row = [note_guid(entry), *fields(entry, vault, options.reverse, words, links)]
        row.append(" ".join(tags(entry, options.tag_folders)))
        if options.subdecks:
            row.append(deck_for(glossary, entry, True))
        writer.writerow(row)
    return buf.getvalue()


def write_anki_csv(glossary: Glossary, path: Path, options: AnkiOptions = DEFAULT_OPTIONS) -> bool:
    """Write the Anki-import CSV (UTF-8, no BOM) atomically; return whether it changed."""
    return write_bytes(path, anki_csv_text(glossary, options).encode("utf-8"))
