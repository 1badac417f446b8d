"""Spreadsheet CSV and JSON outputs as a spreadsheet user and a script see them."""

from __future__ import annotations

import csv
import io
import json

from anki_support import build_deck, write_fixture

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
    assert header[:5] == ["term", "kind", "expansion", "aliases", "definition"]
    assert [r[0] for r in rows] == ["AVG", "DIFF", "REF", "SUM"]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n")), cell
    definitions = {r[0]: r[4] for r in rows}
    # The text is all there, shown as text: the quote is how spreadsheets mark a literal cell.
    assert definitions["SUM"] == "'=SUM(A1:A3)のように書いて範囲の合計を出す関数。"
    assert definitions["AVG"].startswith("'+AVERAGE") and definitions["DIFF"].startswith("'-1")
    assert definitions["REF"].startswith("'@A1")


def test_spreadsheet_csv_has_one_row_per_entry_with_sources(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    rows = _rows(build_deck(vault, tmp_path / "out", formats=("csv",))["csv"].read_bytes())
    by_term = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert sorted(by_term) == ["EPA", "ITU", "WTO"]
    assert by_term["EPA"]["expansion"] == "Economic Partnership Agreement"
    assert by_term["EPA"]["definition_source"] == "デジタル大辞泉"
    assert by_term["ITU"]["sources"].startswith("通信/電波.md:")


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
