"""glossdeck writes only into its output folder, never into the vault, and a run killed at any moment
leaves every output either as it was or as the new complete version, with nothing that misleads the
next run (a card's identity, Anki's clock, a removal to announce)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import write_vault
from glossdeck.atomic import MAX_STEM_BYTES

DECK = "用語"
ALL_FORMATS = "apkg,csv,anki-csv,json,md"
SUFFIXES = (".apkg", ".csv", ".anki.csv", ".json", ".md", ".identity.json", ".anki-clock.json")
CACHE = ".glossdeck-cache"

NOTE = """\
---
title: 通商のメモ
tags: [通商]
---
# 通商のメモ

日本は世界貿易機関（WTO）[^wto]の枠組みで経済連携協定（EPA）[^epa]を結ぶ。

[^wto]: World Trade Organization。
[^epa]: Economic Partnership Agreement。
"""


def files_under(root: Path) -> set[Path]:
    return {root, *root.rglob("*")}


def assert_written_only_into(out: Path, before: set[Path], after: set[Path]) -> list[str]:
    """Every path a run created is the output folder (and its parents), a file directly in it, or its
    cache; return the output files' names."""
    cache = out / CACHE
    for path in sorted(after - before):
        assert path in (out, cache, *out.parents) or path.parent in (out, cache), f"written outside {out}: {path}"
    names = sorted(p.name for p in out.iterdir() if p.is_file())
    for name in names:
        assert not name.startswith("."), f"hidden output: {name!r}"
        assert name.isprintable() and not set(name) & set('/\\:*?"<>|'), f"unclear file name: {name!r}"
        assert len(name.encode("utf-8")) <= 255
    return names


# 1. Deck names cannot put a file outside the output folder, and each gives one clear file name.

PATH_LIKE = {
    "../../x": "_.._x",
    "..": "glossdeck",
    ".": "glossdeck",
    "/etc/passwd": "_etc_passwd",
    "a/../../b": "a_.._.._b",
    "C:\\x": "C__x",
    "CON": "CON_",
    "nul.txt": "nul_.txt",
    ".hidden": "hidden",
    "Languages::日本語": "Languages__日本語",
}


@pytest.mark.parametrize("name", PATH_LIKE)
def test_a_path_like_deck_name_writes_plain_files_inside_the_output_folder(name, make_vault, cli, tmp_path):
    vault = make_vault({"通商.md": NOTE})
    out = tmp_path / "work" / "out"
    before = files_under(tmp_path)
    result = cli("build", vault, "--out", out, "--deck", name, "--format", ALL_FORMATS)
    assert result.exit_code == 0, result.output
    names = assert_written_only_into(out, before, files_under(tmp_path))
    assert names == sorted(PATH_LIKE[name] + suffix for suffix in SUFFIXES)
    # Anki shows the deck under the name given, whatever its files are called.
    assert f"#deck:{name}\n" in (out / f"{PATH_LIKE[name]}.anki.csv").read_text(encoding="utf-8")
    # The next build finds its identity registry and clock under the same names: nothing changes.
    again = cli("build", vault, "--out", out, "--deck", name, "--format", ALL_FORMATS)
    assert again.exit_code == 0 and "wrote" not in again.output, again.output
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == names


def test_long_deck_names_get_short_distinct_file_names(make_vault, cli, tmp_path):
    vault = make_vault({"通商.md": NOTE})
    out = tmp_path / "out"
    before = files_under(tmp_path)
    long_names = ["語" * 300, "x" * 300, "x" * 299 + "y"]
    for name in long_names:
        result = cli("build", vault, "--out", out, "--deck", name, "--format", "apkg,csv")
        assert result.exit_code == 0, result.output
    names = assert_written_only_into(out, before, files_under(tmp_path))
    stems = {n.split(".")[0] for n in names}
    assert len(stems) == 3 and len(names) == 3 * 4  # apkg, csv, registry, clock of each deck
    for stem in stems:
        assert len(stem.encode("utf-8")) <= MAX_STEM_BYTES
    assert {stem[:50] for stem in stems} == {"語" * 50, "x" * 50}


CONTROL = ["a\x00b", "tab\there", "line\nbreak", "\x1b[31mred", "para\u2029graph"]


@pytest.mark.parametrize("name", CONTROL, ids=repr)
def test_a_deck_name_with_control_characters_is_refused_and_nothing_is_written(name, make_vault, cli, tmp_path):
    vault = make_vault({"通商.md": NOTE})
    before = files_under(tmp_path)
    result = cli("build", vault, "--out", tmp_path / "out", "--deck", name)
    assert result.exit_code == 2
    assert "deck name" in result.stderr and "control character" in result.stderr
    assert "Traceback" not in result.output
    assert files_under(tmp_path) == before


def test_a_vault_folder_name_with_a_control_character_asks_for_a_deck_name(cli, tmp_path):
    vault = write_vault(tmp_path / "my\tvault", {"通商.md": NOTE})
    result = cli("build", vault, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "--deck NAME" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
    assert cli("build", vault, "--out", tmp_path / "out", "--deck", "用語").exit_code == 0


def sync_config(folder: Path, vault: Path, out: str, deck: str, formats: str = '["apkg", "csv"]',
                name: str = "glossdeck.toml", extra: str = "") -> Path:
    config = folder / name
    config.write_text(
        f"vault = {json.dumps(str(vault))}\nout = {json.dumps(out)}\ndeck = {deck}\nformats = {formats}\n{extra}",
        encoding="utf-8",
    )
    return config


def test_sync_config_deck_names_stay_inside_the_output_folder(make_vault, cli, tmp_path):
    vault = make_vault({"通商.md": NOTE})
    out = tmp_path / "out"
    before = files_under(tmp_path)
    config = sync_config(tmp_path, vault, "out", '"../../x"')
    result = cli("sync", "--config", config)
    assert result.exit_code == 0, result.output
    names = assert_written_only_into(out, before | {config}, files_under(tmp_path))
    assert names == sorted(f"_.._x{s}" for s in (".apkg", ".csv", ".identity.json", ".anki-clock.json"))
    assert (out / CACHE / "state.pickle").is_file()
    assert "nothing changed" in cli("sync", "--config", config).output


def test_sync_config_deck_name_with_a_nul_is_refused(make_vault, cli, tmp_path):
    vault = make_vault({"通商.md": NOTE})
    config = sync_config(tmp_path, vault, "out", '"a\\u0000b"')  # TOML's escape: a real NUL
    result = cli("sync", "--config", config)
    assert result.exit_code == 2
    assert "deck name 'a\\x00b' contains a control character" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
