"""When the harvest is wrong: [ignore] and [[override]] in glossdeck.toml, and `glossdeck: false` in a note."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from glossdeck.config import ConfigError, load

# The author wrote the wrong long form under EPA: the harvest reads what is written.
WRONG = """\
日本は各国と経済連携協定（EPA）[^epa]を結んでいる。

[^epa]: Environmental Protection Agency。
"""
FIXED = WRONG.replace("Environmental Protection Agency", "Economic Partnership Agreement")
NET = """\
通信の暗号化にはTLS[^tls]が、新しい転送にはQUIC[^quic]が使われる。

[^tls]: Transport Layer Security。
[^quic]: Quick UDP Internet Connections。
"""
TWO_EPAS = """\
米国の環境保護庁（EPA）[^a]と、日本の経済連携協定（EPA）[^b]。

[^a]: Environmental Protection Agency。
[^b]: Economic Partnership Agreement。
"""
OVERRIDE = """
[[override]]
term = "EPA"
expansion = "Economic Partnership Agreement"
aliases = ["経済連携協定", "日EU・EPA"]
"""


def configure(folder: Path, vault: Path, extra: str = "") -> Path:
    path = folder / "glossdeck.toml"
    path.write_text(f'vault = "{vault}"\nout = "decks"\n{extra}', encoding="utf-8")
    return path


def entries(cli, vault: Path, *args) -> list[tuple[str, str | None, list[str]]]:
    result = cli("harvest", vault, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return [(e["term"], e["expansion"], e["aliases"]) for e in json.loads(result.stdout)]


def import_into(col: Collection, apkg: Path) -> None:
    opts = ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False, merge_notetypes=False)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg), options=opts))


def touch(vault: Path, when: float) -> None:
    for path in vault.rglob("*.md"):
        os.utime(path, (when, when))


def test_ignore_drops_a_term_and_one_meaning_of_another(make_vault, tmp_path, monkeypatch, cli):
    vault = make_vault({"net.md": NET, "epa.md": TWO_EPAS})
    monkeypatch.chdir(tmp_path)
    configure(tmp_path, vault, '[ignore]\nterms = ["QUIC", {term = "EPA", expansion = "Environmental Protection '
                               'Agency"}]\n')
    assert [(t, x) for t, x, _ in entries(cli, vault)] == [
        ("EPA", "Economic Partnership Agreement"), ("TLS", "Transport Layer Security"),
    ]


def test_override_corrects_an_entry(make_vault, tmp_path, monkeypatch, cli):
    vault = make_vault({"epa.md": WRONG})
    monkeypatch.chdir(tmp_path)
    assert entries(cli, vault) == [("EPA", "Environmental Protection Agency", ["経済連携協定"])]
    configure(tmp_path, vault, OVERRIDE)
    assert entries(cli, vault) == [("EPA", "Economic Partnership Agreement", ["経済連携協定", "日EU・EPA"])]


def test_an_override_keeps_the_card_and_so_does_fixing_the_note_later(make_vault, tmp_path, monkeypatch, cli):
    vault = make_vault({"epa.md": WRONG.replace("Agency", "Agncy")})
    monkeypatch.chdir(tmp_path)
    configure(tmp_path, vault)
    col = Collection(str(tmp_path / "collection.anki2"))
    apkg = tmp_path / "decks" / f"{vault.name}.apkg"

    def sync(when: float) -> None:
        touch(vault, when)
        assert cli("sync").exit_code == 0
        import_into(col, apkg)

    try:
        sync(1_700_000_000)
        (card,) = col.find_notes('"Term:EPA"')
        # 0. a typo in the long form fixed in the note: the same card, under the key it was first issued
        (vault / "epa.md").write_text(WRONG, encoding="utf-8")
        sync(1_700_003_600)
        assert col.find_notes("") == [card]
        # 1. the wrong long form corrected from the config: still that card, updated
        configure(tmp_path, vault, OVERRIDE)
        sync(1_700_007_200)
        assert col.find_notes("") == [card]
        assert col.get_note(card)["Expansion"] == "Economic Partnership Agreement"
        # 2. later the note itself is fixed and the override goes: still that card
        (vault / "epa.md").write_text(FIXED, encoding="utf-8")
        configure(tmp_path, vault)
        sync(1_700_010_800)
        assert col.find_notes("") == [card]
    finally:
        col.close()
    registry = json.loads((tmp_path / "decks" / f"{vault.name}.identity.json").read_text(encoding="utf-8"))
    assert registry["keys"]["EPA|environmentalprotectionagncy"] == "EPA|economicpartnershipagreement"


def test_sync_applies_a_config_change_without_reading_the_notes_again(make_vault, tmp_path, monkeypatch, cli):
    vault = make_vault({"net.md": NET, "epa.md": WRONG})
    monkeypatch.chdir(tmp_path)
    configure(tmp_path, vault)
    assert "(2 re-read)" in cli("sync").stdout
    configure(tmp_path, vault, OVERRIDE + '\n[ignore]\nterms = ["QUIC"]\n')
    result = cli("sync")
    assert result.exit_code == 0, result.output
    assert "~ EPA  Economic Partnership Agreement  (expansion, aliases)" in result.stdout
    assert "- QUIC  Quick UDP Internet Connections" in result.stdout
    assert "(0 re-read)" in result.stdout
    assert "nothing changed" in cli("sync").stdout


def test_an_override_of_a_term_with_two_meanings_needs_match(make_vault, tmp_path, monkeypatch, cli):
    vault = make_vault({"epa.md": TWO_EPAS})
    monkeypatch.chdir(tmp_path)
    configure(tmp_path, vault, '[[override]]\nterm = "EPA"\naliases = ["環境保護庁"]\n')
    result = cli("harvest", vault, "--format", "json")
    assert "glossdeck.toml:3: [[override]] EPA matches 2 entries" in result.stderr
    assert "add match =" in result.stderr
    configure(tmp_path, vault, '[[override]]\nterm = "EPA"\nmatch = "Environmental Protection Agency"\n'
                               'aliases = ["環境保護庁"]\n')
    assert [(x, a) for _, x, a in entries(cli, vault)] == [
        ("Economic Partnership Agreement", ["経済連携協定"]), ("Environmental Protection Agency", ["環境保護庁"]),
    ]


def test_lint_reports_an_override_and_an_ignore_that_match_nothing(make_vault, tmp_path, monkeypatch, cli):
    vault = make_vault({"net.md": NET})
    monkeypatch.chdir(tmp_path)
    configure(tmp_path, vault, '\n[ignore]\nterms = ["HTTP"]\n\n[[override]]\nterm = "EPA"\nexpansion = "x"\n')
    result = cli("lint", vault, "--format", "json")
    assert result.exit_code == 1
    found = {(p["kind"], p["path"], p["line"], p["label"]) for p in json.loads(result.stdout)}
    assert found == {("unused-ignore", "glossdeck.toml", 5, "HTTP"), ("unused-override", "glossdeck.toml", 7, "EPA")}
    # build says so too, and --strict fails on it
    built = cli("build", vault, "--out", tmp_path / "out", "--strict")
    assert "glossdeck.toml:5: [ignore] HTTP matches no entry" in built.stderr
    assert built.exit_code == 1


def test_a_note_with_glossdeck_false_is_skipped(make_vault, cli):
    vault = make_vault({"net.md": NET, "draft.md": "---\nglossdeck: false\n---\n" + WRONG})
    assert [t for t, _, _ in entries(cli, vault)] == ["QUIC", "TLS"]
    assert cli("lint", vault).exit_code == 0


def test_commands_take_corrections_only_from_the_config_of_their_vault(make_vault, tmp_path, monkeypatch, cli):
    vault, other = make_vault({"net.md": NET}), make_vault({"net.md": NET})
    monkeypatch.chdir(tmp_path)
    configure(tmp_path, vault, '[ignore]\nterms = ["QUIC"]\n')
    assert [t for t, _, _ in entries(cli, vault)] == ["TLS"]
    assert [t for t, _, _ in entries(cli, other)] == ["QUIC", "TLS"]  # ./glossdeck.toml is another vault's
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert [t for t, _, _ in entries(cli, vault)] == ["QUIC", "TLS"]
    assert [t for t, _, _ in entries(cli, vault, "--config", tmp_path / "glossdeck.toml")] == ["TLS"]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('ignore = ["QUIC"]\n', "ignore"),
        ('[ignore]\nterms = [3]\n', "ignore.terms"),
        ('[[override]]\nexpansion = "x"\n', "override"),
        ('[[override]]\nterm = "EPA"\n', "override"),
        ('[[override]]\nterm = "EPA"\nexpanshun = "x"\n', "override"),
        ('[[override]]\nterm = "EPA"\naliases = "x"\n', "override.aliases"),
    ],
)
def test_a_bad_correction_is_named_with_its_line(tmp_path, text, key):
    path = configure(tmp_path, tmp_path, text)
    with pytest.raises(ConfigError, match=rf"glossdeck.toml:\d+: {key}: "):
        load(path)
