"""Spreadsheet CSV and JSON outputs as a spreadsheet user and a script see them."""

from __future__ import annotations

import csv
import io
import json

from anki_support import build_deck, write_fixture
from glossdeck.export.table import write_csv
from glossdeck.model import Entry, Glossary

FORMULAS = """\
---
title: 表計算のメモ
---
# 表計算のメモ

合計関数（SUM）[^sum]と平均関数（AVG）[^avg]、差分（DIFF）[^diff]、参照記号（REF）[^ref]を使う。

[^sum]: Summation。「=SUM(A1:A3)のように書いて範囲の合計を出す関数。」（[デジタル大辞泉 「合計」](https://kotobank.jp/word/sum)より）
[^avg]: Average。「+AVERAGE(B1:B3)とも書ける平均の関数。」（[デジタル大辞泉 「平均」](https://kotobank.jp/word/avg)より）
[^diff]: Difference。「-1を掛けて向きを変えた差の値。」（[デジタル大辞泉 「差分」](https://kotobank.jp/word/diff)より）
[^ref]: Reference。「@A1のように書いてセルを指す記法。」（[デジタル大辞泉 「参照」](https://kotobank.jp/word/ref)より）
"""


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_spreadsheet_csv_opens_with_a_bom_and_runs_no_formulas(make_vault, tmp_path):
    vault = write_fixture(make_vault, {"表計算.md": FORMULAS})
    data = build_deck(vault, tmp_path / "out", formats=("csv",))["csv"].read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    header, *rows = _rows(data)
    assert [r[0] for r in rows] == ["AVG", "DIFF", "REF", "SUM"]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n")), cell
    definitions = {r[0]: r[header.index("Definition")] for r in rows}
    # The text is all there, shown as text: the quote is how spreadsheets mark a literal cell.
    assert definitions["SUM"] == "'=SUM(A1:A3)のように書いて範囲の合計を出す関数。"
    assert definitions["AVG"].startswith("'+AVERAGE") and definitions["DIFF"].startswith("'-1")
    assert definitions["REF"].startswith("'@A1")


WIDE_FORMULAS = """\
# 全角の式

（ABC）[^abc]、（DEF）[^def]、（GHI）[^ghi]、（JKL）[^jkl]、（MNO）[^mno]

[^abc]: Alpha Beta Co。「＝SUM(A1:A3)で合計する。」（[辞書 「合計」](https://e.org/1)より）
[^def]: Delta Echo Foxtrot。「﹦HYPERLINK(\"https://e.org\")を開く。」（[辞書 「リンク」](https://e.org/2)より）
[^ghi]: Golf Hotel India。「＋1のように書く。」（[辞書 「正」](https://e.org/3)より）
[^jkl]: Juliet Kilo Lima。「－1を掛ける。」（[辞書 「負」](https://e.org/4)より）
[^mno]: Mike November Oscar。「＠A1を指す。」（[辞書 「参照」](https://e.org/5)より）
"""


def test_full_width_and_spaced_formula_signs_are_neutralised_too(make_vault, tmp_path):
    # Spreadsheets read ＝ ﹦ ＋ － ＠ as = + - @, and a formula after spaces
    vault = write_fixture(make_vault, {"全角.md": WIDE_FORMULAS})
    header, *rows = _rows(build_deck(vault, tmp_path / "out", formats=("csv",))["csv"].read_bytes())
    definitions = {r[0]: r[header.index("Definition")] for r in rows}
    assert definitions == {
        "ABC": "'＝SUM(A1:A3)で合計する。",
        "DEF": "'﹦HYPERLINK(\"https://e.org\")を開く。",
        "GHI": "'＋1のように書く。",
        "JKL": "'－1を掛ける。",
        "MNO": "'＠A1を指す。",
    }


def test_a_formula_after_spaces_is_neutralised(tmp_path):
    # the harvest trims what it reads; a cell may still start with spaces (a note's tag, a file name)
    entry = Entry(
        key="k", term="K", kind="acronym", expansion=" =1+1", aliases=("\u3000＝1",), definition="  +A1",
        definition_source=None, definition_url=None, remarks=(" - 注",), sources=(), tags=(" @x",),
    )  # fmt: skip
    write_csv(Glossary(name="d", entries=(entry,)), tmp_path / "d.csv")
    header, row = _rows((tmp_path / "d.csv").read_bytes())
    cells = dict(zip(header, row, strict=True))
    assert cells["Long form"] == "' =1+1" and cells["Aliases"] == "'\u3000＝1"
    assert cells["Definition"] == "'  +A1" and cells["Remarks"] == "' - 注" and cells["Tags"] == "' @x"


def test_spreadsheet_csv_has_a_header_people_read_and_one_row_per_entry(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    rows = _rows(build_deck(vault, tmp_path / "out", formats=("csv",))["csv"].read_bytes())
    assert rows[0] == [
        "Term", "Long form", "Aliases", "Definition", "Source", "Source URL", "Remarks", "Notes", "Tags",
        "Obsidian link",
    ]
    by_term = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert sorted(by_term) == ["EPA", "ITU", "WTO"]
    assert by_term["EPA"]["Long form"] == "Economic Partnership Agreement"
    assert by_term["EPA"]["Aliases"] == "経済連携協定"
    assert by_term["EPA"]["Source"] == "デジタル大辞泉"
    assert by_term["EPA"]["Source URL"] == "https://kotobank.jp/word/x"
    assert by_term["ITU"]["Notes"].startswith("通信/電波.md:")
    assert by_term["WTO"]["Tags"] == "国際 機関; 白書/第1部; 通商"  # lists joined with "; "
    # the first source note, opened in Obsidian by a click (the vault named as Obsidian names it)
    assert by_term["ITU"]["Obsidian link"] == (
        f"obsidian://open?vault={vault.name}&file=%E9%80%9A%E4%BF%A1%2F%E9%9B%BB%E6%B3%A2"
    )


def test_json_output_is_the_contract_entry_array(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    entries = json.loads(build_deck(vault, tmp_path / "out", formats=("json",))["json"].read_text("utf-8"))
    wto = next(e for e in entries if e["term"] == "WTO")
    assert wto["kind"] == "acronym" and wto["expansion"] == "World Trade Organization"
    assert wto["aliases"] == ["世界貿易機関"]
    assert wto["sources"][0]["path"] == "通商/経済連携.md"
    assert wto["sources"][0]["url"] == "https://example.org/trade/memo"
    assert list(wto) == [
        "term", "kind", "expansion", "aliases", "definition", "definition_source",
        "definition_url", "remarks", "sources", "tags",
    ]
