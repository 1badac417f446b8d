"""Glossary -> CSV for spreadsheets and JSON: one row (object) per entry, in contract order."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..atomic import write_bytes
from ..model import Entry, Glossary

COLUMNS = [
    "term", "kind", "expansion", "aliases", "definition", "definition_source",
    "definition_url", "remarks", "sources", "tags",
]
# OWASP: a cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula by prefixing a quote."""
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value


def row(entry: Entry) -> list[str]:
    """Return an entry as spreadsheet cells, lists joined with '; '."""
    sources = "; ".join(f"{s.path}:{s.line}" for s in entry.sources)
    cells = [
        entry.term,
        entry.kind,
        entry.expansion or "",
        "; ".join(entry.aliases),
        entry.definition or "",
        entry.definition_source or "",
        entry.definition_url or "",
        "; ".join(entry.remarks),
        sources,
        "; ".join(entry.tags),
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
        for entry in glossary.entries:
            writer.writerow(row(entry))
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
