"""A rebuild after an edit updates the user's cards in place in real Anki and never costs a review."""

from __future__ import annotations

import hashlib
from pathlib import Path

from anki_support import (
    MTIME,
    TRADE,
    VAULT,
    build_deck,
    edit,
    fresh_collection,
    import_apkg,
    note_of,
    review,
    schedule,
    write_fixture,
)

TYPO = {**VAULT, "通商/経済連携.md": TRADE.replace("World Trade Organization", "World Trade Organizaton")}


def test_rebuild_after_fixing_a_long_form_updates_the_studied_card_and_keeps_its_schedule(make_vault, tmp_path):
    vault = write_fixture(make_vault, TYPO)
    out = tmp_path / "decks"
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, build_deck(vault, out)["apkg"])
        assert col.note_count() == 3
        note = note_of(col, "WTO")
        card = note.cards()[0]
        assert "World Trade Organizaton" in card.answer()
        review(col, card.id, ease=4)  # "Easy": the card leaves learning with an interval of days
        studied = schedule(col, card.id)
        assert studied["ivl"] > 0 and studied["reps"] == 1 and len(studied["revlog"]) == 1

        edit(vault, "通商/経済連携.md", "Organizaton", "Organization", MTIME + 3600)
        log = import_apkg(col, build_deck(vault, out)["apkg"])

        assert col.note_count() == 3 and col.card_count() == 3
        assert not log.conflicting and not log.new
        after = note_of(col, "WTO")
        assert after.id == note.id
        card = col.get_card(card.id)
        assert "World Trade Organization" in card.answer()
        assert "Organizaton" not in card.answer()
        assert schedule(col, card.id) == studied


def test_editing_a_definition_updates_the_card_and_the_unedited_cards_stay_as_they_were(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    out = tmp_path / "decks"
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, build_deck(vault, out)["apkg"])
        itu = note_of(col, "ITU")
        review(col, itu.cards()[0].id, ease=4)
        itu_schedule = schedule(col, itu.cards()[0].id)

        edit(vault, "通商/経済連携.md", "人の往来まで含めて", "人の往来や知的財産まで含めて", MTIME + 60)
        import_apkg(col, build_deck(vault, out)["apkg"])

        assert col.note_count() == 3
        assert "人の往来や知的財産まで含めて" in note_of(col, "EPA").cards()[0].answer()
        assert note_of(col, "ITU").id == itu.id
        assert schedule(col, itu.cards()[0].id) == itu_schedule


def test_rebuilding_an_unchanged_vault_gives_a_byte_identical_apkg(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    first = build_deck(vault, tmp_path / "a")["apkg"].read_bytes()
    second = build_deck(vault, tmp_path / "b")["apkg"].read_bytes()
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()


def test_rebuild_into_the_same_folder_leaves_an_unchanged_deck_untouched(make_vault, tmp_path, cli):
    vault = write_fixture(make_vault)
    out = tmp_path / "decks"
    cli("build", vault, "--out", out, "--format", "apkg")
    before = next(out.glob("*.apkg")).stat()
    result = cli("build", vault, "--out", out, "--format", "apkg")
    assert "unchanged" in result.stdout
    after = next(out.glob("*.apkg")).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_an_edit_moves_the_package_clock_forward_so_anki_takes_the_update(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    out = tmp_path / "decks"
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, build_deck(vault, out)["apkg"])
        first_mod = note_of(col, "ITU").mod
        # the card's text changes (its Japanese name), so the clock is the edited note's mtime
        edit(vault, "通信/電波.md", "国際電気通信連合", "国際電気通信連合機関", MTIME + 7200)
        log = import_apkg(col, build_deck(vault, out)["apkg"])
        assert note_of(col, "ITU").mod == MTIME + 7200 > first_mod
        assert "国際電気通信連合機関" in note_of(col, "ITU")["Aliases"]
        assert len(log.updated) >= 1 and not log.new


# The package clock must move forward whenever the cards change, not only when the newest note does:
# Anki's default import ("if newer") keeps its copy of a note whose package clock is not newer.
WTO_A = "# A\n\n世界貿易機関（WTO）[^w]の会合。\n\n[^w]: World Trade Organization。\n"
WTO_B = (
    "# B\n\n世界貿易機関（WTO）[^w]と国際電気通信連合（ITU）[^i]。\n\n"
    "[^w]: World Trade Organization。\n[^i]: International Telecommunication Union。\n"
)


def two_notes(make_vault) -> Path:
    """a.md, then b.md written a second later, both defining WTO; b.md alone defines ITU."""
    return write_fixture(make_vault, {"a.md": WTO_A, "b.md": WTO_B})


def test_deleting_the_newest_note_still_updates_the_card_in_anki(make_vault, tmp_path):
    vault = two_notes(make_vault)
    out = tmp_path / "decks"
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, build_deck(vault, out)["apkg"])
        wto = note_of(col, "WTO")
        assert "b.md" in wto["Notes"]
        (vault / "b.md").unlink()  # the newest note: the newest mtime goes back a second
        log = import_apkg(col, build_deck(vault, out)["apkg"])
        after = note_of(col, "WTO")
        assert after.id == wto.id and not log.new
        assert "a.md" in after["Notes"] and "b.md" not in after["Notes"]


def test_a_rebuild_after_the_clock_moved_on_gives_the_same_bytes(make_vault, tmp_path):
    vault = two_notes(make_vault)
    out = tmp_path / "decks"
    build_deck(vault, out)
    (vault / "b.md").unlink()
    first = build_deck(vault, out)["apkg"].read_bytes()
    before = (out / "用語集.apkg").stat()
    assert build_deck(vault, out)["apkg"].read_bytes() == first
    assert (out / "用語集.apkg").stat().st_mtime_ns == before.st_mtime_ns  # reported unchanged


def test_turning_on_reverse_cards_reaches_anki(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    out = tmp_path / "decks"
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, build_deck(vault, out)["apkg"])
        cards = col.card_count()
        import_apkg(col, build_deck(vault, out, reverse=True)["apkg"])  # no note changed: only the option
        assert col.card_count() > cards
        reverse = [c for c in note_of(col, "ITU").cards() if c.ord == 1][0]
        assert "略語・用語は？" in reverse.question()  # the reverse card's question, in the vault's language


def test_sync_after_deleting_a_note_updates_the_card_and_tags_the_removed_one_in_anki(make_vault, tmp_path):
    from glossdeck.pipeline import REMOVED_TAG, Options
    from glossdeck.sync import sync

    vault = two_notes(make_vault)
    options = Options(vault=vault, out=tmp_path / "decks", deck="用語集", formats=("apkg",))
    apkg = tmp_path / "decks" / "用語集.apkg"
    with fresh_collection(tmp_path / "anki") as col:
        sync(options)
        import_apkg(col, apkg)
        assert "b.md" in note_of(col, "WTO")["Notes"]
        (vault / "b.md").unlink()
        report = sync(options)
        assert [e.term for e, _ in report.removed] == ["ITU"]
        import_apkg(col, apkg)
        assert "b.md" not in note_of(col, "WTO")["Notes"]
        assert REMOVED_TAG in note_of(col, "ITU").tags
