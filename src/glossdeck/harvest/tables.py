"""Glossaries kept as Markdown tables: `| SLO | Service Level Objective |`, `| VPC | Virtual … | 仮想ネットワーク |`.

CommonMark has no tables, so a table reaches the line rules as the lines of one paragraph: a header
row, a delimiter row (`| --- | --- |`), then the rows. A row is read when one cell is an acronym and
another cell's words spell it tightly; a Japanese name in a third cell is an alias, a description a
remark. Under a header that names the acronym column (略語, Acronym, Abbreviation, Term …), a row may
give the acronym with its Japanese name alone. A table whose header names commands, keys or options
is no glossary; a port number or a count is never an acronym.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .rules import Found, dedupe
from .spelling import PROSE, drop_article, long_form_and_remark, tight
from .text import clean, clean_long_form, has_japanese, is_acronym, is_latin, nfkc, words

# A glossary has a few columns; the cells past these are not read (each cell is tried against each).
MAX_CELLS = 12
_DELIMITER = re.compile(r"\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?")
_PIPE = re.compile(r"(?<!\\)\|")
# A header naming the column of acronyms: `略語`, `Acronym`, `Abbr.`, `Term`.
_ACRONYM_HEAD = re.compile(
    r"略語|略称|頭字語|用語|\b(?:acronym|abbr(?:eviation)?|initialism|term|short form)s?\b", re.I
)
# A header naming a column of descriptions: what its cells say is a remark, never a name.
_REMARK_HEAD = re.compile(
    r"説明|備考|メモ|概要|補足|用途|役割|\b(?:description|note|comment|remark|usage|purpose)s?\b", re.I
)
# A header that makes the table a list of commands, keys or options rather than a glossary: their
# lower-case descriptions (`| CD | change directory |`) spell them as well as a long form would.
_REFUSED_HEAD = re.compile(r"コマンド|ショートカット|キー|オプション|\b(?:command|shortcut|key|option|flag)s?\b", re.I)
# A cell `Virtual Private Cloud（仮想プライベートクラウド）`: the long form, its Japanese name in brackets.
_LONG_THEN_NAME = re.compile(r"(.+?)\s*[（(]([^（()）]+)[）)]")
# A cell `Virtual Private Cloud の略。AWS 内の…`: the long form says it is one, then a remark.
_ABBREVIATION_OF = re.compile(r"(.+?)\s*の(?:略称?|略語)(?:で(?:あり)?|であって|です|である)?[、，,。.]?\s*(.*)")
# A name holds no hiragana but の, and no punctuation a sentence or a list has.
_NOT_NAME = re.compile(r"[\u3041-\u306d\u306f-\u3096、，,。．.:：;；!！?？]")


@dataclass(frozen=True, slots=True)
class Table:
    """Where a paragraph's table is: its header's cells and the index of its delimiter row."""

    header: tuple[str, ...]
    delimiter: int
    end: int
    """The index of the first line after its rows (the first without a pipe)."""
    refused: bool


def table_row(text: str, block_text: str, index: int) -> list[Found] | None:
    """Read line `index` of a paragraph when it is a table's row; None when it is in no table."""
    table = _table(block_text)
    if table is None or not table.delimiter - 1 <= index < table.end:
        return None
    if index == table.delimiter or table.refused:
        return []
    # a table without a header of names may start with an entry: its header row is read by spelling only
    found = _row(_cells(text)[:MAX_CELLS], () if index < table.delimiter else table.header)
    return [found] if found else []


@lru_cache(maxsize=256)
def _table(block_text: str) -> Table | None:
    """Find the table a paragraph holds: the first delimiter row under a header row of cells."""
    lines = block_text.split("\n")
    for at in range(1, len(lines)):
        row = lines[at].strip()
        if _DELIMITER.fullmatch(row) and "|" in row + lines[at - 1]:
            header = _cells(lines[at - 1])
            end = next((i for i in range(at + 1, len(lines)) if "|" not in lines[i]), len(lines))
            return Table(tuple(header), at, end, any(_REFUSED_HEAD.search(h) for h in header))
    return None


def _cells(row: str) -> list[str]:
    """Split a row at its unescaped pipes, the outer pipes dropped."""
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    return [clean(c).replace("\\|", "|") for c in _PIPE.split(row)]


def _row(cells: list[str], header: tuple[str, ...]) -> Found | None:
    """Read one row: the acronym cell, the cell that spells it, and what the other cells say."""
    heads = list(header) + [""] * (len(cells) - len(header))
    named = [i for i, h in enumerate(heads[: len(cells)]) if _ACRONYM_HEAD.search(h)]
    for at in named or range(len(cells)):
        acr = nfkc(cells[at])
        if not is_acronym(acr):
            continue
        found, used = _spelt(acr, cells, at)
        if found is None and named:
            found = Found(acr)
        if found is not None:
            _others(found, cells, heads, {at, used})
            return found if found.expansion or found.aliases else None
    return None


def _spelt(acr: str, cells: list[str], at: int) -> tuple[Found | None, int]:
    """Return the acronym with the long form of the first other cell that spells it, and that cell."""
    for i, cell in enumerate(cells):
        if i != at:
            found = _long_form(acr, cell)
            if found:
                return found, i
    return None, at


def _long_form(acr: str, cell: str) -> Found | None:
    """Read a cell that gives the acronym's long form, with a name in brackets or a remark after it."""
    stated = _ABBREVIATION_OF.fullmatch(cell)
    if stated and _is_long(acr, stated.group(1)):
        return _entry(acr, stated.group(1), remark=stated.group(2))
    bracket = _LONG_THEN_NAME.fullmatch(cell)
    if bracket and _is_long(acr, bracket.group(1)):
        name = clean(bracket.group(2))
        return _entry(acr, bracket.group(1), name) if _is_name(name) else _entry(acr, bracket.group(1), remark=name)
    if _is_long(acr, cell.rstrip("。.")):
        return _entry(acr, cell.rstrip("。."))
    split = long_form_and_remark(acr, cell) if cell[:1].isalpha() and not has_japanese(cell[:1]) else None
    return Found(acr, expansion=split[0], remarks=(split[1],) if split[1] else ()) if split else None


def _entry(acr: str, long_form: str, name: str = "", remark: str = "") -> Found:
    remark = clean(remark)
    return Found(acr, expansion=clean_long_form(drop_article(acr, long_form)), aliases=(name,) if name else (),
                 remarks=(remark,) if remark else ())


def _is_long(acr: str, text: str) -> bool:
    text = text.strip()
    return is_latin(text) and len(words(text)) >= 2 and tight(acr, drop_article(acr, text))


def _others(found: Found, cells: list[str], heads: list[str], used: set[int]) -> None:
    """Give the entry the other cells: Japanese names as aliases, descriptions as remarks."""
    aliases, remarks = list(found.aliases), list(found.remarks)
    for i, cell in enumerate(cells):
        # (a row number, a count or a dash for "none" says nothing about the entry)
        if i in used or not any(c.isalpha() for c in cell):
            continue
        if _is_name(cell) and not _REMARK_HEAD.search(heads[i]):
            aliases.append(cell)
        elif found.expansion:
            remarks.append(cell)
    found.aliases, found.remarks = dedupe(aliases), dedupe(remarks)


def _is_name(text: str) -> bool:
    """Tell whether a cell is a Japanese name (`仮想ネットワーク`, `認証局`), not a sentence about it."""
    return has_japanese(text) and len(text) <= 30 and not _NOT_NAME.search(text) and not PROSE.search(text)
