"""The walking skeleton end to end: vault -> build -> a deck real Anki imports; harvest -> JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import quote

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from conftest import EXAMPLE_VAULT
from glossdeck.errors import GlossdeckError

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
    assert "2 entries from 1 note" in result.stdout
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
    assert "EPA" in result.stdout and "2 entries from 1 note" in result.stdout


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


# --- what a new user trips over (issue 16) ---------------------------------------------------------

TYPO = "日本は世界貿易機関（WTO）[^wt]に加盟している。\n\n[^wto]: World Trade Organization。\n"
LONG_DEFINITION = "「" + "国と国の間で貿易や投資の自由化を進め、人の移動や知的財産の保護まで約束する協定。" * 3 + "」"


def test_help_shows_flags_as_flags_and_h_is_help(cli):
    for command in ("build", "sync", "init"):
        shown = cli(command, "--help").stdout
        assert "<bool>" not in shown, shown
        assert cli(command, "-h").stdout == shown
    assert "--reverse " in cli("build", "-h").stdout
    assert "<bool>" not in cli("-h").stdout and "--debug" in cli("-h").stdout


def test_debug_works_anywhere_on_the_line(cli, tmp_path):
    assert cli("build", tmp_path / "nowhere").exit_code == 2  # a message, no traceback
    with pytest.raises(GlossdeckError, match="no such folder"):
        cli("build", tmp_path / "nowhere", "--debug")  # the traceback, as --debug before the command gives
    with pytest.raises(GlossdeckError):
        cli("--debug", "build", tmp_path / "nowhere")


def test_format_is_case_insensitive(make_vault, cli, tmp_path):
    vault = make_vault({"通商.md": NOTE})
    result = cli("build", vault, "--out", tmp_path / "out", "--format", "APKG,Json")
    assert result.exit_code == 0, result.output
    assert [(tmp_path / "out" / f"{vault.name}{s}").is_file() for s in (".apkg", ".json", ".csv")] == [1, 1, 0]
    assert len(json.loads(cli("harvest", vault, "--format", "JSON").stdout)) == 2
    assert cli("lint", vault, "--format", "Text").exit_code == 0


def test_counts_read_as_english(make_vault, cli, tmp_path):
    vault = make_vault({"wto.md": TYPO})
    result = cli("build", vault, "--out", tmp_path / "out")
    assert result.stdout.endswith("1 entry from 1 note, 1 warning\n")
    assert "1 entry from 1 note" in cli("harvest", vault).stdout
    assert cli("lint", make_vault({"a.md": "本文[^x]。\n"})).stderr.endswith("\n1 problem\n")


def test_a_typo_label_read_as_another_is_a_warning_that_strict_fails_on(make_vault, cli, tmp_path, monkeypatch):
    vault = make_vault({"wto.md": TYPO})
    result = cli("build", vault, "--out", tmp_path / "out", "--strict")
    assert "wto.md:1: [^wt] is referenced but never defined; read as [^wto]" in result.stderr
    assert result.exit_code == 1
    assert json.loads(cli("harvest", vault, "--format", "json").stdout)[0]["expansion"] == "World Trade Organization"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "glossdeck.toml").write_text(f'vault = "{vault}"\n', encoding="utf-8")
    assert cli("sync", "--strict").exit_code == 1


def test_the_harvest_table_marks_a_cut_cell(make_vault, cli):
    note = f"経済連携協定（EPA）[^epa]。\n\n[^epa]: Economic Partnership Agreement。{LONG_DEFINITION}（[辞書 「EPA」](https://example.org/epa)より）\n"
    shown = cli("harvest", make_vault({"epa.md": note})).stdout.replace("│", "").replace(" ", "").replace("\n", "")
    assert "人の移動や知的財産の保護まで約束する協定。国と国の間で貿易や投資" in shown
    assert "…(辞書)" in shown and "まで約束する協定。(辞書)" not in shown


def test_an_out_that_is_a_file_is_named(make_vault, cli, tmp_path, monkeypatch):
    vault = make_vault({"通商.md": NOTE})
    (tmp_path / "decks").write_text("a file", encoding="utf-8")
    result = cli("build", vault, "--out", tmp_path / "decks")
    assert result.exit_code == 2
    assert f"--out: {tmp_path / 'decks'} is a file, not a folder" in result.stderr
    monkeypatch.chdir(tmp_path)
    (tmp_path / "glossdeck.toml").write_text(f'vault = "{vault}"\nout = "decks"\n', encoding="utf-8")
    result = cli("sync")
    assert result.exit_code == 2
    assert f"glossdeck.toml:2: out: {tmp_path / 'decks'} is a file, not a folder" in result.stderr


@pytest.mark.parametrize(
    ("notes", "said"),
    [
        ({}, "no notes (.md files) in this folder"),
        ({"a.md": "# メモ\n\n脚注のない文。\n"}, "no acronym or cited definition in 1 note"),
    ],
    ids=["empty", "nothing-harvested"],
)
def test_an_empty_vault_says_what_glossdeck_looks_for(make_vault, cli, tmp_path, monkeypatch, notes, said):
    vault = make_vault(notes)
    pointer = '"What is harvested" in its README'
    build = cli("build", vault, "--out", tmp_path / "out", "--strict")
    lint = cli("lint", vault)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "glossdeck.toml").write_text(f'vault = "{vault}"\nout = "synced"\n', encoding="utf-8")
    sync = cli("sync", "--strict")
    for result in (build, lint, sync):
        (line,) = [line for line in result.stderr.splitlines() if said in line]
        assert pointer in line
    assert build.exit_code == 1 and sync.exit_code == 1 and lint.exit_code == 0


def test_a_subfolder_of_a_vault_links_into_that_vault(make_vault, cli, tmp_path):
    vault = make_vault({"白書/通商.md": NOTE, "日記.md": "# 日記\n"})
    (vault / ".obsidian").mkdir()
    result = cli("build", vault / "白書", "--out", tmp_path / "out", "--format", "csv,json")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "白書.csv").read_text(encoding="utf-8-sig"))))
    file = quote("白書/通商", safe="")
    assert rows[0]["Obsidian link"] == f"obsidian://open?vault={vault.name}&file={file}"
    assert rows[0]["Notes"].startswith("白書/通商.md:8; ")
    entries = json.loads((tmp_path / "out" / "白書.json").read_text(encoding="utf-8"))
    assert entries[0]["sources"][0]["path"] == "白書/通商.md"


def test_vault_name_names_a_vault_without_obsidian_settings(make_vault, cli, tmp_path):
    vault = make_vault({"通商.md": NOTE})
    cli("build", vault, "--out", tmp_path / "out", "--format", "csv", "--vault-name", "Main Vault")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / f"{vault.name}.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0]["Obsidian link"].startswith("obsidian://open?vault=Main%20Vault&file=")


def test_a_note_is_named_by_its_title_else_its_file_name_never_a_heading(make_vault, cli):
    body = "# 第Ⅰ部\n\n世界貿易機関（WTO）[^wto]。\n\n[^wto]: World Trade Organization。\n"
    vault = make_vault({"000_43.md": "---\ntitle:\n---\n" + body, "b.md": "---\ntitle: 通商のメモ\n---\n" + body})
    sources = json.loads(cli("harvest", vault, "--format", "json").stdout)[0]["sources"]
    assert {(s["path"], s["title"]) for s in sources} == {("000_43.md", "000_43"), ("b.md", "通商のメモ")}


def test_init_warns_on_a_folder_without_notes_and_inside_the_vault(make_vault, cli, tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    result = cli("init")
    assert result.exit_code == 0
    assert "holds no notes (.md); give the vault's folder" in result.stderr
    vault = make_vault({"通商.md": NOTE})
    (vault / ".obsidian").mkdir()
    monkeypatch.chdir(vault)
    result = cli("init")
    assert result.exit_code == 0 and (vault / "glossdeck.toml").is_file()
    assert f"this folder is inside the vault {vault.resolve()}" in result.stderr
    assert f"run init from a folder outside it: mkdir -p {vault.parent.resolve() / 'glossdeck'}" in result.stderr
    assert "holds no notes" not in result.stderr
