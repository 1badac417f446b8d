"""Excludes are paths from the vault's root, the same for every command, and --exclude adds more."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from glossdeck.config import load
from glossdeck.vault import Excludes, walk

NOTE = "# {name}\n\n{ja}（{acr}）[^x]。\n\n[^x]: {long}。\n"
ITU = NOTE.format(name="ITU", ja="国際電気通信連合", acr="ITU", long="International Telecommunication Union")
WTO = NOTE.format(name="WTO", ja="世界貿易機関", acr="WTO", long="World Trade Organization")
EPA = NOTE.format(name="EPA", ja="経済連携協定", acr="EPA", long="Economic Partnership Agreement")
TEMPLATE = NOTE.format(name="雛形", ja="{{title}}", acr="TPL", long="Template Placeholder Line")


def terms_of(output: str) -> list[str]:
    return sorted(e["term"] for e in json.loads(output))


def test_an_output_folder_inside_the_vault_skips_that_folder_only(make_vault, cli):
    vault = make_vault({"Projects/decks/itu.md": ITU, "wto.md": WTO})
    out = vault / "decks"
    result = cli("build", vault, "--out", out, "--deck", "d", "--format", "json")
    assert result.exit_code == 0, result.output
    assert terms_of((out / "d.json").read_text(encoding="utf-8")) == ["ITU", "WTO"]  # Projects/decks/ is read
    assert "2 entries from 2 notes" in result.output
    again = cli("build", vault, "--out", out, "--deck", "d", "--format", "json,md")
    assert "2 entries from 2 notes" in again.output  # its own glossary note in vault/decks is not read back


def test_harvest_writes_nothing_so_a_folder_named_like_the_default_output_is_read(make_vault, cli, monkeypatch):
    vault = make_vault({"decks/itu.md": ITU, "wto.md": WTO})
    monkeypatch.chdir(vault)  # `decks`, the default --out, is a folder of notes here
    result = cli("harvest", ".", "--format", "json")
    assert terms_of(result.stdout) == ["ITU", "WTO"], result.output


def test_the_templates_folder_is_the_top_one_only(make_vault, tmp_path):
    vault = make_vault({"Templates/t.md": TEMPLATE, "Work/Templates/itu.md": ITU, "wto.md": WTO})
    (vault / ".obsidian").mkdir()
    (vault / ".obsidian" / "templates.json").write_text('{"folder": "Templates"}', encoding="utf-8")
    (tmp_path / "glossdeck.toml").write_text(f'vault = "{vault}"\n', encoding="utf-8")
    config = load(tmp_path / "glossdeck.toml")
    assert [f.rel for f in walk(vault, config.exclude)] == ["Work/Templates/itu.md", "wto.md"]


def test_a_subfolder_build_skips_the_vaults_templates_folder_inside_it(make_vault, cli):
    vault = make_vault({"白書/雛形/t.md": TEMPLATE, "白書/itu.md": ITU, "雛形/wto.md": WTO})
    (vault / ".obsidian").mkdir()
    (vault / ".obsidian" / "templates.json").write_text('{"folder": "白書/雛形"}', encoding="utf-8")
    # the vault's settings name the folder from the vault's root; the build starts one folder down
    result = cli("harvest", vault / "白書", "--format", "json")
    assert terms_of(result.stdout) == ["ITU"], result.output
    (vault / ".obsidian" / "templates.json").write_text('{"folder": "雛形"}', encoding="utf-8")
    subfolder_named_alike = make_vault({"雛形/itu.md": ITU})  # no vault above it: its own 雛形 is notes
    assert terms_of(cli("harvest", subfolder_named_alike, "--format", "json").stdout) == ["ITU"]


@pytest.mark.parametrize("command", ["build", "harvest", "lint"])
def test_every_command_skips_the_templates_plugins_folder_and_takes_exclude(command, make_vault, cli, tmp_path):
    vault = make_vault({
        "Meta/雛形/t.md": TEMPLATE + "[^dangling]\n", "itu.md": ITU, "Archive/2019/wto.md": WTO, "Drafts/epa.md": EPA,
        "Work/Drafts/keep.md": EPA.replace("[^x]。", "[^x]。[^gone]"),
    })
    (vault / ".obsidian").mkdir()
    (vault / ".obsidian" / "templates.json").write_text('{"folder": "Meta/雛形"}', encoding="utf-8")

    def run(*extra: str) -> tuple[list[str], str]:
        if command == "build":
            result = cli("build", vault, "--out", tmp_path / "out", "--deck", "d", "--format", "json", *extra)
            return terms_of((tmp_path / "out" / "d.json").read_text(encoding="utf-8")), result.output
        if command == "harvest":
            result = cli("harvest", vault, "--format", "json", *extra)
            return terms_of(result.stdout), result.output
        result = cli("lint", vault, "--format", "json", *extra)
        return sorted(p["path"] for p in json.loads(result.stdout)), result.output

    found, output = run()
    if command == "lint":  # the template's dangling reference is no problem of the vault's
        assert found == ["Work/Drafts/keep.md"], output
    else:
        assert found == ["EPA", "ITU", "WTO"], output
    found, output = run("--exclude", "Archive/2019", "--exclude", "Drafts")
    if command == "lint":
        assert found == ["Work/Drafts/keep.md"], output  # `Drafts` is the top folder only
    else:
        assert found == ["EPA", "ITU"], output
    found, _ = run("--exclude", "**/Drafts/", "--exclude", "Archive/*/*.md")
    assert found == ([] if command == "lint" else ["ITU"])


@pytest.mark.parametrize(("pattern", "skipped"), [
    ("Templates", ["Templates/a.md"]),
    ("/Templates/", ["Templates/a.md"]),
    ("**/Templates", ["Templates/a.md", "Work/Templates/b.md"]),
    ("Work/*", ["Work/Templates/b.md", "Work/c.md", "Work/y.excalidraw.md"]),
    ("*.excalidraw.md", ["x.excalidraw.md"]),
    ("**/*.excalidraw.md", ["Work/y.excalidraw.md", "x.excalidraw.md"]),
    ("Work/[Tt]emplates", ["Work/Templates/b.md"]),
    ("Work/?.md", ["Work/c.md"]),
    ("Work/Templates/", ["Work/Templates/b.md"]),
    ("Work/c.md/", []),  # folders only: the note Work/c.md stays
    ("c.md/", ["c.md/e.md"]),
    ("decks\\[1\\]", ["decks[1]/d.md"]),
    ("decks[1]", []),  # a set: `decks1`
])
def test_an_exclude_is_a_path_from_the_root_or_a_gitignore_style_pattern(pattern, skipped, make_vault):
    notes = ["Templates/a.md", "Work/Templates/b.md", "Work/c.md", "x.excalidraw.md", "Work/y.excalidraw.md",
             "decks[1]/d.md", "c.md/e.md"]
    vault = make_vault({rel: WTO for rel in notes})
    kept = [f.rel for f in walk(vault, (pattern,))]
    assert sorted(set(notes) - set(kept)) == sorted(skipped)
    for rel in notes:  # watch asks the same question of a changed file
        assert Excludes((pattern,)).skips_path(rel) == (rel in skipped), rel


def test_a_broken_templates_setting_excludes_nothing_more_and_stops_nothing(make_vault, cli):
    vault = make_vault({"itu.md": ITU})
    (vault / ".obsidian").mkdir()
    (vault / ".obsidian" / "templates.json").write_text("[" * 100_000, encoding="utf-8")  # nested without end
    result = cli("harvest", vault, "--format", "json")
    assert result.exit_code == 0 and terms_of(result.stdout) == ["ITU"], result.output


def test_the_config_exclude_key_takes_paths_and_patterns(make_vault, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    vault = make_vault({"itu.md": ITU, "a/decks/wto.md": WTO, "b/Drafts/epa.md": EPA})
    Path("glossdeck.toml").write_text(f'vault = "{vault}"\nexclude = ["**/Drafts", "decks"]\nformats = ["json"]\n',
                                      encoding="utf-8")
    assert cli("sync").exit_code == 0
    assert terms_of(Path("decks", f"{vault.name}.json").read_text(encoding="utf-8")) == ["ITU", "WTO"]
