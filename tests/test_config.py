"""glossdeck.toml and `glossdeck init`: bad values are named before anything is written."""

from __future__ import annotations

import json
import re
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


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('vault = "C:\\Users\\me\\vault"\n', "glossdeck.toml:1: invalid TOML"),
        ('out = "decks"\nvault = "C:\\new\\x"\n', "glossdeck.toml:2: invalid TOML"),
        ('vault = "D:\\notes"\n', "glossdeck.toml:1: vault: 'D:\\notes' holds a line break"),  # \n is an escape
    ],
    ids=["bad-escape", "unescaped", "valid-escape"],
)
def test_a_windows_path_in_double_quotes_gets_a_hint(tmp_path, text, said):
    with pytest.raises(ConfigError) as caught:
        load(write_config(tmp_path, text))
    assert said in str(caught.value)
    assert "single quotes ('C:\\Users\\me\\vault') or with / (\"C:/Users/me/vault\")" in str(caught.value)


def test_a_windows_path_in_single_quotes_is_read_as_written(tmp_path):
    folder = tmp_path / "notes\\me"  # on Linux a backslash is a character of the name
    folder.mkdir()
    config = load(write_config(tmp_path, "vault = 'notes\\me'\n"))
    assert config.vault == folder.resolve()


def test_a_byte_order_mark_gets_a_hint(make_vault, tmp_path):
    vault = make_vault({"通商.md": NOTE})
    path = tmp_path / "glossdeck.toml"
    path.write_bytes(f'vault = "{vault}"\n'.encode("utf-8-sig"))
    with pytest.raises(ConfigError, match=r"glossdeck.toml:1: .*BOM.*save the file as UTF-8 without BOM"):
        load(path)


def test_the_templates_commented_examples_are_valid_settings(make_vault, tmp_path):
    vault = make_vault({"通商.md": NOTE})
    from glossdeck.config_template import template

    text = template(vault, tmp_path)
    keys = r"(?:\[|(?:terms|term|match|expansion|aliases|vault_name|lang)\b)"
    examples = re.sub(rf"^# ({keys}.*)$", r"\1", text, flags=re.M)
    config = load(write_config(tmp_path, examples))
    assert config.vault_name == "MyVault" and config.lang == "ja"
    assert [i.term for i in config.corrections.ignore] == ["QUIC", "EPA"]
    assert config.corrections.override[0].expansion == "Economic Partnership Agreement"
    assert config.options().root.name == "MyVault"
