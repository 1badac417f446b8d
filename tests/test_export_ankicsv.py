"""The anki-csv output: Anki's text import reads it into the same notes (same GUIDs) as the .apkg."""

from __future__ import annotations

from anki_support import (
    MTIME,
    build_deck,
    edit,
    fresh_collection,
    guids,
    import_apkg,
    import_csv,
    note_of,
    review,
    schedule,
    write_fixture,
)
from glossdeck.export.anki import note_guid, write_apkg
from glossdeck.export.ankicsv import write_anki_csv
from glossdeck.export.notetype import MODEL_ID
from glossdeck.model import Entry, Glossary


def test_anki_csv_starts_with_the_headers_anki_reads(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    text = build_deck(vault, tmp_path / "out", formats=("anki-csv",))["anki-csv"].read_text("utf-8")
    head = [line for line in text.splitlines() if line.startswith("#")]
    assert head == [
        "#separator:tab",
        "#html:true",
        f"#notetype:{MODEL_ID}",
        "#deck:用語集",
        "#columns:guid\tTerm\tExpansion\tAliases\tDefinition\tSource\tRemarks\tNotes\tReverse\ttags",
        "#guid column:1",
        "#tags column:10",
    ]


def test_anki_csv_makes_the_same_notes_with_the_same_guids_as_the_apkg(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    built = build_deck(vault, tmp_path / "out", formats=("apkg", "anki-csv"))
    with fresh_collection(tmp_path / "from-apkg") as col:
        import_apkg(col, built["apkg"])
        apkg_guids = guids(col)
        apkg_fields = {t: note_of(col, t).items() for t in ("EPA", "ITU", "WTO")}
    with fresh_collection(tmp_path / "from-csv") as col:
        # The note type comes with the .apkg (a CSV cannot carry one); start from no notes at all.
        import_apkg(col, built["apkg"])
        col.remove_notes(col.find_notes(""))
        assert col.note_count() == 0
        log = import_csv(col, built["anki-csv"])
        assert len(log.new) == 3
        assert guids(col) == apkg_guids and len(apkg_guids) == 3
        assert {t: note_of(col, t).items() for t in ("EPA", "ITU", "WTO")} == apkg_fields
        assert sorted(note_of(col, "WTO").tags) == ["国際_機関", "白書::第1部", "通商"]
        assert col.decks.name(note_of(col, "WTO").cards()[0].did) == "用語集"


def test_switching_to_anki_csv_updates_the_studied_cards_in_place(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    out = tmp_path / "out"
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, build_deck(vault, out)["apkg"])
        card_id = note_of(col, "EPA").cards()[0].id
        review(col, card_id)
        studied = schedule(col, card_id)

        edit(vault, "通商/経済連携.md", "人の往来まで含めて", "人の往来や知的財産まで含めて", MTIME + 60)
        log = import_csv(col, build_deck(vault, out, formats=("anki-csv",))["anki-csv"])

        assert not log.new and len(log.updated) == 1
        assert col.note_count() == 3
        assert "人の往来や知的財産まで含めて" in col.get_card(card_id).answer()
        assert schedule(col, card_id) == studied


def test_anki_csv_with_subdecks_names_each_rows_deck(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    built = build_deck(vault, tmp_path / "out", formats=("apkg", "anki-csv"), subdecks=True)
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, built["apkg"])
        col.remove_notes(col.find_notes(""))
        import_csv(col, built["anki-csv"])
        assert col.decks.name(note_of(col, "ITU").cards()[0].did) == "用語集::通信"
        assert col.decks.name(note_of(col, "EPA").cards()[0].did) == "用語集::通商"


def test_a_note_whose_guid_starts_with_hash_is_not_dropped_as_a_comment(tmp_path):
    # Anki skips unquoted lines starting with '#'; GUIDs are base91 and may start with one.
    key = next(f"k{i}" for i in range(10_000) if note_guid(_entry(f"k{i}")).startswith("#"))
    glossary = Glossary(name="用語集", entries=(_entry(key), _entry("plain")), timestamp=MTIME, vault_name="v")
    write_apkg(glossary, tmp_path / "g.apkg")
    write_anki_csv(glossary, tmp_path / "g.anki.csv")
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, tmp_path / "g.apkg")
        expected = guids(col)
        col.remove_notes(col.find_notes(""))
        import_csv(col, tmp_path / "g.anki.csv")
        assert guids(col) == expected and len(expected) == 2


def _entry(key: str) -> Entry:
    return Entry(
        key=key, term=f"T{key}", kind="acronym", expansion="Test Entry", aliases=("試験",), definition=None,
        definition_source=None, definition_url=None, remarks=(), sources=(), tags=(),
    )  # fmt: skip
