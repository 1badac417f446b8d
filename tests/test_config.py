"""glossdeck.toml and `glossdeck init`: bad values are named before anything is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from glossdeck.config import ConfigError, load

NOTE = """\
# 通商のメモ

日本は経済連携協定（EPA）[^epa]を各国と結んでいる。

[^epa]: Economic Partnership Agreement。
"""


def write_config(folder: Path, text: str) -> Path:
    path = folder / "glossdeck.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_init_writes_a_config_that_sync_accepts(make_vault, tmp_path, monkeypatch, cli):
    vault = make_vault({"通商.md": NOTE})
    here = tmp_path / "work"
    here.mkdir()
    monkeypatch.chdir(here)
    result = cli("init", vault)
    assert result.exit_code == 0, result.output
    text = (here / "glossdeck.toml").read_text(encoding="utf-8")
    assert text.count("#") > 10  # commented for the user
    result = cli("sync")
    assert result.exit_code == 0, result.output
    assert (here / "decks" / f"{vault.name}.apkg").is_file()
    assert "1 added" in result.output


def test_init_refuses_to_overwrite_without_force(make_vault, tmp_path, monkeypatch, cli):
    vault = make_vault({"通商.md": NOTE})
    monkeypatch.chdir(tmp_path)
    write_config(tmp_path, "# mine\n")
    result = cli("init", vault)
    assert result.exit_code == 2
    assert "already exists" in result.output
    assert (tmp_path / "glossdeck.toml").read_text() == "# mine\n"
    assert cli("init", vault, "--force").exit_code == 0
    assert "vault =" in (tmp_path / "glossdeck.toml").read_text(encoding="utf-8")


def test_templates_folder_is_excluded_by_default(make_vault, tmp_path):
    vault = make_vault({"通商.md": NOTE, "テンプレート/用語.md": "[^x]: {{title}}\n"})
    (vault / ".obsidian").mkdir()
    (vault / ".obsidian" / "templates.json").write_text(json.dumps({"folder": "テンプレート"}))
    config = load(write_config(tmp_path, f'vault = "{vault}"\n'))
    assert config.exclude == (".obsidian", ".trash", "テンプレート")


def test_relative_paths_are_relative_to_the_config_file(make_vault, tmp_path, monkeypatch):
    vault = make_vault({"通商.md": NOTE})
    path = write_config(vault.parent, f'vault = "{vault.name}"\nout = "out/decks"\n')
    monkeypatch.chdir(tmp_path.parent)
    config = load(path)
    assert config.vault == vault.resolve()
    assert config.out == (vault.parent / "out" / "decks").resolve()


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('formats = ["apkg", "pdf"]', "formats"),
        ('reverse = "yes"', "reverse"),
        ("exclude = \".obsidian\"", "exclude"),
        ('dek = "typo"', "dek"),
        ("deck = 3", "deck"),
    ],
)
def test_bad_value_names_key_and_line(make_vault, tmp_path, line, key):
    vault = make_vault({"通商.md": NOTE})
    path = write_config(tmp_path, f'# settings\nvault = "{vault}"\n{line}\n')
    with pytest.raises(ConfigError) as caught:
        load(path)
    assert f"glossdeck.toml:3: {key}:" in str(caught.value)


def test_bad_config_exits_2_and_touches_no_output(make_vault, tmp_path, monkeypatch, cli):
    vault = make_vault({"通商.md": NOTE})
    monkeypatch.chdir(tmp_path)
    write_config(tmp_path, f'vault = "{vault}"\n')
    assert cli("sync").exit_code == 0
    apkg = tmp_path / "decks" / f"{vault.name}.apkg"
    before = apkg.stat().st_mtime_ns
    (vault / "通商.md").write_text(NOTE.replace("EPA", "FTA"), encoding="utf-8")
    write_config(tmp_path, f'vault = "{vault}"\nformats = ["apkg", "docx"]\n')
    result = cli("sync")
    assert result.exit_code == 2
    assert "formats" in result.output and "docx" in result.output
    assert "Traceback" not in result.output
    assert apkg.stat().st_mtime_ns == before


def test_missing_vault_and_missing_file_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="no such config file"):
        load(tmp_path / "glossdeck.toml")
    with pytest.raises(ConfigError, match="vault: .*not a folder"):
        load(write_config(tmp_path, 'vault = "nowhere"\n'))
