"""Card labels and the Markdown glossary speak the vault's language, and decks built before keep updating."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from anki_support import (
    ENGLISH,
    MTIME,
    VAULT,
    build_deck,
    fresh_collection,
    import_apkg,
    note_of,
    review,
    schedule,
    write_fixture,
)
from glossdeck.export.lang import detect
from glossdeck.model import Entry, Source

FIXTURES = Path(__file__).parent / "fixtures" / "anki-v1"
# A remark, so the card shows its label (`Internet Governance Forum。そのまま。`)
FORUM = (
    "# 会議\n\nインターネット・ガバナンス・フォーラム（IGF）[^igf]\n\n[^igf]: Internet Governance Forum。そのまま。\n"
)
JAPANESE_VAULT = {**VAULT, "会議.md": FORUM}


def answer_of(col, term: str, ord_: int = 0) -> str:
    return next(c for c in note_of(col, term).cards() if c.ord == ord_).answer()


def question_of(col, term: str, ord_: int) -> str:
    return next(c for c in note_of(col, term).cards() if c.ord == ord_).question()


@pytest.mark.parametrize(
    ("notes", "term", "labels", "others"),
    [
        (JAPANESE_VAULT, "IGF", ("備考", "ノート", "略語・用語は？"), ("Remarks", "Notes", "Which term?")),
        (ENGLISH, "EPA", ("Remarks", "Notes", "Which term?"), ("備考", "ノート", "略語・用語は？")),
    ],
    ids=["Japanese vault", "English vault"],
)
def test_card_labels_follow_the_vaults_language(notes, term, labels, others, make_vault, tmp_path):
    vault = write_fixture(make_vault, notes)
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, build_deck(vault, tmp_path / "out", reverse=True)["apkg"])
        answer, reverse = answer_of(col, term), question_of(col, term, 1)
    remarks, notes_label, prompt = labels
    assert answer.count(f"<span class=label>{remarks}</span>") == 1
    assert answer.count(f"<span class=label>{notes_label}</span>") == 1
    assert f"<div class=prompt>{prompt}</div>" in reverse
    assert not any(word in answer + reverse for word in others)


def test_the_markdown_glossary_follows_the_vaults_language(make_vault, tmp_path):
    japanese = build_deck(write_fixture(make_vault, JAPANESE_VAULT), tmp_path / "ja", formats=("md",))["md"]
    english = build_deck(write_fixture(make_vault, ENGLISH), tmp_path / "en", formats=("md",))["md"]
    ja, en = japanese.read_text("utf-8"), english.read_text("utf-8")
    assert "# 用語集 用語集" in ja and "4 語。" in ja and "備考: そのまま。" in ja
    assert "ノート: [[通商/経済連携|通商政策のメモ]]（11・14行）" in ja
    assert "# 用語集 glossary" in en and "3 entries." in en
    assert "Remarks: Covers investment and the movement of people, not only tariffs." in en
    assert "Notes: [[trade/agreements|Trade notes]] (lines 6, 8)" in en
    assert "; " not in ja and not any(word in en for word in ("備考", "ノート", "行）", "語。"))


def test_lang_option_and_setting_override_the_vaults_language(make_vault, cli, tmp_path):
    vault = write_fixture(make_vault, JAPANESE_VAULT)
    out = tmp_path / "out"
    result = cli("build", vault, "--out", out, "--deck", "d", "--format", "md", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Remarks: そのまま。" in (out / "d.md").read_text("utf-8")

    english = write_fixture(make_vault, ENGLISH)
    config = tmp_path / "glossdeck.toml"
    config.write_text(f'vault = {json.dumps(str(english))}\nout = "synced"\nformats = ["md"]\nlang = "ja"\n')
    assert cli("sync", "--config", config).exit_code == 0
    assert "備考: Covers investment" in next((tmp_path / "synced").glob("*.md")).read_text("utf-8")


def test_an_unknown_language_is_refused_with_the_choices(make_vault, cli, tmp_path):
    vault = write_fixture(make_vault)
    result = cli("build", vault, "--out", tmp_path / "out", "--lang", "fr")
    assert result.exit_code == 2 and "ja or en" in result.stderr
    config = tmp_path / "glossdeck.toml"
    config.write_text(f'vault = {json.dumps(str(vault))}\n\nlang = "fr"\n')
    result = cli("sync", "--config", config)
    assert result.exit_code == 2 and f"{config}:3: lang: must be \"ja\" or \"en\"" in result.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "decks").exists()


def _entry(term: str, expansion: str, aliases: tuple[str, ...] = (), title: str = "メモ") -> Entry:
    return Entry(
        key=term, term=term, kind="acronym", expansion=expansion, aliases=aliases, definition=None,
        definition_source=None, definition_url=None, remarks=(), sources=(Source("n.md", 1, title, None),), tags=(),
    )  # fmt: skip


def test_the_language_is_the_share_of_japanese_text():
    # Japanese notes pair long English forms with short Japanese names: still a Japanese vault
    japanese = [_entry("WTO", "World Trade Organization", ("世界貿易機関",)),
                _entry("ITU", "International Telecommunication Union", ("国際電気通信連合",)),
                _entry("GPAI", "Global Partnership on Artificial Intelligence")]
    assert detect(japanese) == "ja"
    # English notes that give a few Japanese names stay English
    english = [_entry("METI", "Ministry of Economy, Trade and Industry", ("経済産業省",), "Japan notes"),
               _entry("WTO", "World Trade Organization", title="Japan notes"),
               _entry("OECD", "Organisation for Economic Co-operation and Development", title="Japan notes")]
    assert detect(english) == "en"
    assert detect([]) == "ja"  # nothing to go by: glossdeck's default, as before


def _restore(fixture: str, vault_notes: dict[str, str], make_vault, tmp_path: Path) -> tuple[Path, Path]:
    """Return the fixture vault and an output folder holding the deck an earlier glossdeck built from it."""
    vault = write_fixture(make_vault, vault_notes)
    out = tmp_path / "out"
    shutil.copytree(FIXTURES / fixture, out, ignore=shutil.ignore_patterns("README.md"))
    return vault, out


@pytest.mark.parametrize(
    ("fixture", "notes", "reverse", "label", "old_label"),
    [("ja", VAULT, True, "ノート", "ノート"), ("en", ENGLISH, False, "Notes", "ノート")],
    ids=["Japanese deck", "English deck"],
)
def test_a_deck_built_before_updates_in_place_with_its_reviews(
    fixture, notes, reverse, label, old_label, make_vault, tmp_path
):
    vault, out = _restore(fixture, notes, make_vault, tmp_path)
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, out / "用語集.apkg")  # the deck the user has been studying
        card_id = note_of(col, "WTO").cards()[0].id
        review(col, card_id, ease=4)
        studied = schedule(col, card_id)
        schema = col.db.scalar("select scm from col")
        cards = col.card_count()
        assert f"<span class=label>{old_label}</span>" in answer_of(col, "WTO")

        # the same vault, unchanged, built by this glossdeck
        for rel in notes:
            assert (vault / rel).stat().st_mtime <= MTIME + len(notes)
        log = import_apkg(col, build_deck(vault, out, reverse=reverse)["apkg"])

        assert not log.conflicting and not log.new and len(log.updated) == 3
        assert col.card_count() == cards and schedule(col, card_id) == studied
        # Anki took the note type's new wording with the newer package: one label, in the vault's language
        answer = answer_of(col, "WTO")
        assert answer.count(f"<span class=label>{label}</span>") == 1 and answer.count("class=label") == 1
        # same fields and card types: no schema change, so no full sync with AnkiWeb
        assert col.db.scalar("select scm from col") == schema
        if reverse:
            assert "略語・用語は？" in question_of(col, "WTO", 1)
    assert os.path.exists(out / "用語集.identity.json")
