"""Glossary -> CSV for spreadsheets and JSON: one row (object) per entry, in contract order."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path

from ..atomic import write_bytes
from ..model import Entry, Glossary
from .anki import vault_of
from .markup import obsidian_url

# The spreadsheet's header, for people; the json output keeps the contract's machine names.
COLUMNS = [
    "Term", "Long form", "Aliases", "Definition", "Source", "Source URL", "Remarks", "Notes", "Tags",
    "Obsidian link",
]
# OWASP: a cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@")
_CONTROL_START = ("\t", "\r", "\n")


def safe_cell(value: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula by prefixing a quote.

    Spreadsheets read `＝`, `﹦`, `＋`, `－`, `＠` (and the other forms NFKC folds into = + - @) as the
    ASCII signs, and a formula may follow spaces.
    """
    if value.startswith(_CONTROL_START):
        return "'" + value
    rest = value.lstrip()
    if rest and unicodedata.normalize("NFKC", rest[0]).startswith(_FORMULA_START):
        return "'" + value
    return value


def row(entry: Entry, vault: str) -> list[str]:
    """Return an entry as spreadsheet cells, lists joined with '; ', the first note's obsidian:// link last."""
    cells = [
        entry.term,
        entry.expansion or "",
        "; ".join(entry.aliases),
        entry.definition or "",
        entry.definition_source or "",
        entry.definition_url or "",
        "; ".join(entry.remarks),
        "; ".join(f"{s.path}:{s.line}" for s in entry.sources),
        "; ".join(entry.tags),
        obsidian_url(vault, entry.sources[0].path) if entry.sources else "",
    ]
    return [safe_cell(c) for c in cells]


def csv_bytes(glossary: Glossary) -> bytes:
    """Return the spreadsheet CSV as UTF-8 with BOM (Excel on Japanese Windows needs the BOM)."""
    # Encoded row by row: a str holding Japanese text takes 2-4 bytes a character, UTF-8 here ~3
    # for kana and 1 for ASCII, and the whole file is never held twice.
    buf = io.BytesIO()
    with io.TextIOWrapper(buf, encoding="utf-8-sig", newline="", write_through=True) as text:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        vault = vault_of(glossary)
        for entry in glossary.entries:
            writer.writerow(row(entry, vault))
        text.flush()
        return buf.getvalue()


def write_csv(glossary: Glossary, path: Path) -> bool:
    """Write the spreadsheet CSV atomically."""
    return write_bytes(path, csv_bytes(glossary))


def json_text(entries: list[Entry] | tuple[Entry, ...]) -> str:
    """Return the contract's JSON entry array, stable byte for byte."""
    return json.dumps([e.to_json() for e in entries], ensure_ascii=False, indent=2) + "\n"


def write_json(glossary: Glossary, path: Path) -> bool:
    """Write the JSON entry array atomically."""
    return write_bytes(path, json_text(glossary.entries).encode("utf-8"))
