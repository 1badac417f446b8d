"""The walking skeleton end to end: vault -> build -> a deck real Anki imports; harvest -> JSON."""

from __future__ import annotations

import json
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from conftest import EXAMPLE_VAULT

NOTE = """---
title: 通商のメモ
tags: [通商]
url: https://example.org/trade
---
# 通商のメモ

日本は各国と経済連携協定（EPA）[^epa]を結び、[世界貿易機関（WTO）](https://example.org/wto)[^wto]の交渉にも参加する。

まだ調べていないこと[^todo]がある。

[^epa]: Economic Partnership Agreement。「国と国の間で貿易や投資の自由化を進める協定。」（[デジタル大辞泉 「経済連携協定」](https://kotobank.jp/word/epa)より）
[^wto]: World Trade Organization。
[^todo]: 交渉の年表をあとで作る。
"""


def import_apkg(path: Path, tmp_path: Path) -> Collection:
    col = Collection(str(tmp_path / "collection.anki2"))
    opts = ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False, merge_notetypes=False)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=opts))
    return col


def test_build_writes_a_deck_real_anki_imports(make_vault, cli, tmp_path):
    vault = make_vault({"通商.md": NOTE})
    out = tmp_path / "decks"
    result = cli("build", vault, "--out", out, "--deck", "白書")
    assert result.exit_code == 0, result.output
    assert "2 entries from 1 notes" in result.stdout
    assert (out / "白書.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    col = import_apkg(out / "白書.apkg", tmp_path)
    try:
        assert col.note_count() == 2
        epa = col.get_note(col.find_notes('"Term:EPA"')[0])
        assert epa["Expansion"] == "Economic Partnership Agreement"
        assert epa["Aliases"] == "経済連携協定"
        assert epa["Definition"] == "国と国の間で貿易や投資の自由化を進める協定。"
        assert "デジタル大辞泉" in epa["Source"] and "https://kotobank.jp/word/epa" in epa["Source"]
        assert "通商のメモ" in epa["Notes"]
        assert col.decks.by_name("白書") is not None
    finally:
        col.close()


def test_build_on_the_example_vault_uses_the_folder_name_as_deck(cli, tmp_path):
    result = cli("build", EXAMPLE_VAULT, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    col = import_apkg(tmp_path / "vault.apkg", tmp_path)
    try:
        terms = {col.get_note(n)["Term"] for n in col.find_notes("")}
    finally:
        col.close()
    assert {"ITU", "ITU-R", "OECD", "GPAI", "WTO", "EPA", "RCEP", "ICANN", "国際場裡"} <= terms


def test_harvest_json_lists_the_entries_and_writes_nothing(make_vault, cli):
    vault = make_vault({"通商.md": NOTE})
    before = sorted(p.name for p in vault.rglob("*"))
    result = cli("harvest", vault, "--format", "json")
    assert result.exit_code == 0
    entries = json.loads(result.stdout)
    assert [(e["term"], e["expansion"], e["aliases"]) for e in entries] == [
        ("EPA", "Economic Partnership Agreement", ["経済連携協定"]),
        ("WTO", "World Trade Organization", ["世界貿易機関"]),
    ]
    epa = entries[0]
    assert epa["definition_source"] == "デジタル大辞泉"
    assert epa["sources"][0] == {
        "path": "通商.md", "line": 8, "title": "通商のメモ", "url": "https://example.org/trade",
        "rule": "footnote-acronym",
    }
    assert epa["tags"] == ["通商"]
    assert sorted(p.name for p in vault.rglob("*")) == before


def test_commentary_footnote_gives_no_entry(make_vault, cli):
    vault = make_vault({"通商.md": NOTE})
    entries = json.loads(cli("harvest", vault, "--format", "json").stdout)
    assert not any("年表" in json.dumps(e, ensure_ascii=False) for e in entries)


def test_harvest_table_is_readable(make_vault, cli):
    vault = make_vault({"通商.md": NOTE})
    result = cli("harvest", vault)
    assert result.exit_code == 0
    assert "EPA" in result.stdout and "2 entries from 1 notes" in result.stdout


def test_missing_vault_is_a_usage_error_without_traceback(cli, tmp_path):
    result = cli("build", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "no such folder" in result.output
    assert "Traceback" not in result.output


def test_unknown_format_is_a_usage_error(make_vault, cli):
    vault = make_vault({"a.md": NOTE})
    result = cli("build", vault, "--format", "apkg,pdf")
    assert result.exit_code == 2


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout.startswith("glossdeck ")


def test_an_unwritable_output_is_a_clear_error(make_vault, cli, tmp_path):
    vault = make_vault({"通商.md": NOTE})
    out = tmp_path / "out"
    (out / "白書.csv").mkdir(parents=True)  # a folder where the CSV should go
    result = cli("build", vault, "--out", out, "--deck", "白書")
    assert result.exit_code == 2
    assert "白書.csv: Is a directory" in result.stderr
    assert "Traceback" not in result.output
    assert not list(out.glob(".*.tmp"))


def test_harvest_reads_no_identity_registry(make_vault, cli, tmp_path, monkeypatch):
    vault = make_vault({"通商.md": NOTE})
    monkeypatch.chdir(tmp_path)
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / f"{vault.name}.identity.json").write_text("garbage", encoding="utf-8")
    result = cli("harvest", vault, "--format", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 2
