"""The .apkg as a user meets it in real Anki: cards, links, tags, decks, reverse cards, safe HTML, clean writes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from anki_support import (
    MTIME,
    build_deck,
    edit,
    fresh_collection,
    import_apkg,
    note_of,
    review,
    schedule,
    write_fixture,
)
from glossdeck import atomic
from glossdeck.export.anki import write_apkg
from glossdeck.export.notetype import model
from glossdeck.model import Entry, Glossary, Source


def test_card_shows_term_then_meaning_definition_and_where_it_came_from(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, build_deck(vault, tmp_path / "out")["apkg"])
        card = note_of(col, "EPA").cards()[0]
        question, answer = card.question(), card.answer()
        assert "EPA" in question and "Economic Partnership Agreement" not in question
        for text in ("Economic Partnership Agreement", "経済連携協定", "関税の引き下げ", "デジタル大辞泉"):
            assert text in answer
        assert '<a href="https://kotobank.jp/word/x">デジタル大辞泉</a>' in answer
        vault_name = vault.name
        obsidian = f"obsidian://open?vault={vault_name}&amp;file=%E9%80%9A%E5%95%86%2F%E7%B5%8C%E6%B8%88%E9%80%A3%E6%90%BA"
        assert f'<a href="{obsidian}">通商政策のメモ</a>' in answer
        assert '<a href="https://example.org/trade/memo">example.org</a>' in answer


def test_frontmatter_tags_become_anki_tags_without_spaces_and_folders_on_request(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, build_deck(vault, tmp_path / "out", tag_folders=True)["apkg"])
        assert sorted(note_of(col, "WTO").tags) == ["folder::通商", "国際_機関", "白書::第1部", "通商"]
        assert sorted(note_of(col, "ITU").tags) == ["folder::通信", "通信"]


def test_without_tag_folders_only_the_notes_own_tags_are_used(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, build_deck(vault, tmp_path / "out")["apkg"])
        assert sorted(note_of(col, "ITU").tags) == ["通信"]


def test_subdecks_put_each_top_folder_in_its_own_deck(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, build_deck(vault, tmp_path / "out", subdecks=True)["apkg"])
        deck_of = {t: col.decks.name(note_of(col, t).cards()[0].did) for t in ("WTO", "EPA", "ITU")}
        assert deck_of == {"WTO": "用語集::通商", "EPA": "用語集::通商", "ITU": "用語集::通信"}


def test_reverse_cards_can_be_switched_on_later_without_conflicts_or_lost_reviews(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    out = tmp_path / "out"
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, build_deck(vault, out)["apkg"])
        assert col.card_count() == 3
        card_id = note_of(col, "WTO").cards()[0].id
        review(col, card_id)
        studied = schedule(col, card_id)

        edit(vault, "通信/電波.md", "調整する", "調整している", MTIME + 60)
        log = import_apkg(col, build_deck(vault, out, reverse=True)["apkg"])

        assert not log.conflicting and col.note_count() == 3 and col.card_count() == 6
        reverse = [c for c in note_of(col, "WTO").cards() if c.ord == 1][0]
        assert "World Trade Organization" in reverse.question() and "WTO" not in reverse.question()
        assert "WTO" in reverse.answer()
        assert schedule(col, card_id) == studied


def _hostile_glossary() -> Glossary:
    src = Source("悪意/メモ.md", 3, "<b>題</b>", "javascript:alert(1)")
    entry = Entry(
        key="xss",
        term="<script>alert('term')</script>",
        kind="term",
        expansion=None,
        aliases=('<img src=x onerror="alert(1)">',),
        definition="危険な<iframe src=//evil.example>定義",
        definition_source="辞書<script>",
        definition_url="javascript:alert(2)",
        remarks=("<style>.card{display:none}</style>",),
        sources=(src, Source("悪意/別.md", 4, "別", "data:text/html,x")),
        tags=(),
    )
    return Glossary(name="危険", entries=(entry,), timestamp=MTIME, vault_name="v")


def test_field_text_is_escaped_and_only_web_and_obsidian_links_survive(tmp_path):
    path = tmp_path / "x.apkg"
    write_apkg(_hostile_glossary(), path)
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, path)
        card = col.get_card(col.find_cards("")[0])
        html = card.question() + card.answer()
    for raw in ("<script", "<img", "<iframe", "<style>.card{display", "<b>題"):
        assert raw not in html
    assert "&lt;script&gt;alert(&#x27;term&#x27;)&lt;/script&gt;" in html
    assert "javascript:" not in html and "data:text" not in html
    assert 'href="obsidian://open?vault=v&amp;file=' in html


def test_writing_a_deck_leaves_no_temporary_files(make_vault, tmp_path, monkeypatch):
    vault = write_fixture(make_vault)
    scratch = tmp_path / "tmpdir"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", None)  # make tempfile read TMPDIR again
    out = tmp_path / "out"
    build_deck(vault, out, formats=("apkg", "anki-csv", "csv", "json", "md"))
    assert tempfile.gettempdir() == str(scratch)
    assert list(scratch.iterdir()) == []
    # .glossdeck-cache holds the output folder's lock (a build takes it as sync does)
    leftovers = [p.name for p in out.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]
    assert leftovers == [".glossdeck-cache"]
    assert [p.name for p in (out / ".glossdeck-cache").iterdir()] == ["lock"]


def test_a_failed_write_keeps_the_previous_deck_whole(make_vault, tmp_path, monkeypatch):
    vault = write_fixture(make_vault)
    out = tmp_path / "out"
    apkg = build_deck(vault, out)["apkg"]
    before = apkg.read_bytes()
    edit(vault, "通信/電波.md", "国際電気通信連合", "国際電気通信連合機関", MTIME + 60)  # a new alias: a new deck

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", disk_full)
    with pytest.raises(OSError):
        build_deck(vault, out)
    assert apkg.read_bytes() == before
    assert sorted(p.name for p in out.iterdir() if p.suffix in (".apkg", ".tmp")) == [apkg.name]


def test_the_users_vault_name_is_what_obsidian_links_open(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    renamed = vault.parent / "My Vault"
    os.rename(vault, renamed)
    path = build_deck(Path(renamed), tmp_path / "out")["apkg"]
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, path)
        assert "obsidian://open?vault=My%20Vault&amp;file=" in note_of(col, "ITU").cards()[0].answer()


# Every note type id glossdeck has shipped, with the schema users' collections hold for it.
FIELDS_V1 = ["Term", "Expansion", "Aliases", "Definition", "Source", "Remarks", "Notes", "Reverse"]
SHIPPED = {1_732_560_117: ("glossdeck", FIELDS_V1, ["Term → meaning", "Meaning → term"])}


def test_the_note_type_schema_never_changes_under_a_shipped_id():
    note_type = model()
    schema = (note_type.name, [f["name"] for f in note_type.fields], [t["name"] for t in note_type.templates])
    assert note_type.model_id in SHIPPED, "a new note type: record it in SHIPPED (and docs/anki.md)"
    # Anki reports every note as "conflicting" and updates none when fields or card types change
    # under the same id: a schema change needs a new MODEL_ID and name (docs/anki.md).
    assert schema == SHIPPED[note_type.model_id]


def test_build_writes_every_format_named_after_the_deck(make_vault, tmp_path, cli):
    vault = write_fixture(make_vault)
    out = tmp_path / "out"
    result = cli("build", vault, "--out", out, "--deck", "用語集", "--format", "apkg,csv,anki-csv,json,md")
    assert result.exit_code == 0
    names = sorted(p.name for p in out.iterdir() if p.name.startswith("用語集") and ".identity" not in p.name
                   and ".anki-clock" not in p.name)
    assert names == ["用語集.anki.csv", "用語集.apkg", "用語集.csv", "用語集.json", "用語集.md"]
