"""What a push never touches: other note types' notes, other decks' notes, the note type, Anki's own tags."""

from __future__ import annotations

import pytest

from anki_support import MTIME, NETWORK, TRADE, edit, note_of, review
from glossdeck.export.notetype import MODEL_ID
from push_support import SUSPENDED, make_project, note_rows, push, remove_note


@pytest.fixture
def project(make_vault, tmp_path):
    return make_project(make_vault, tmp_path / "project")


def test_the_users_other_notes_are_never_touched(project, cli):
    with project.open() as col:
        basic = col.models.by_name("Basic")
        for front in ("自分のカード", "WTO"):
            note = col.new_note(basic)
            note["Front"], note["Back"] = front, "my own answer"
            note.tags = ["mine"]
            col.add_note(note, 1)
        review(col, col.find_cards('"Front:自分のカード"')[0], ease=3)
        theirs = note_rows(col, glossdeck=False)
    push(cli, project)
    remove_note(project.vault, "通信/電波.md")
    edit(project.vault, "通商/経済連携.md", "World Trade Organization", "World Trade Organisation", MTIME + 60)
    push(cli, project)
    with project.open() as col:
        assert note_rows(col, glossdeck=False) == theirs
        assert col.note_count() == 2 + 3


def test_a_note_of_another_note_type_holding_a_cards_identity_is_left_alone(project, cli):
    push(cli, project)
    with project.open() as col:
        wto = note_of(col, "WTO")
        # The user changed that note's type to their own (Change Note Type in the browser).
        col.db.execute("update notes set mid=? where id=?", col.models.by_name("Basic")["id"], wto.id)
        theirs = note_rows(col, glossdeck=False)
    edit(project.vault, "通商/経済連携.md", "World Trade Organization", "World Trade Organisation", MTIME + 60)
    result = push(cli, project)
    assert result.exit_code == 0, result.output
    assert "WTO  World Trade Organisation: a note of another note type holds this card's identity" in result.output
    with project.open() as col:
        assert note_rows(col, glossdeck=False) == theirs
        assert not col.find_notes(f'"note:glossdeck" "Term:WTO" mid:{MODEL_ID}')


def test_two_decks_pushing_into_one_collection_never_retire_each_others_notes(make_vault, tmp_path, cli):
    work = make_project(make_vault, tmp_path / "work", {"通商/経済連携.md": TRADE, "標準.md": NIST_NOTE})
    home = make_project(make_vault, tmp_path / "home", {"通信/電波.md": NETWORK, "wto.md": WTO_NOTE},
                        collection=work.collection)
    work.write_config(f'collection = "{work.collection}"', deck="仕事")
    home.write_config(f'collection = "{home.collection}"', deck="趣味")
    assert push(cli, work).exit_code == 0
    assert push(cli, home).exit_code == 0  # WTO is in both vaults: one note, now in the last pusher's deck
    with work.open() as col:
        home_notes = {n: col.get_note(n).mod for n in col.find_notes('"deck:趣味"')}
        assert len(home_notes) == 2

    remove_note(work.vault, "通商/経済連携.md")
    result = push(cli, work)

    assert result.exit_code == 0, result.output
    assert "- EPA  Economic Partnership Agreement" in result.output
    assert "- WTO" not in result.output and "- ITU" not in result.output
    with work.open() as col:
        assert {n: col.get_note(n).mod for n in col.find_notes('"deck:趣味"')} == home_notes
        assert col.find_notes("tag:glossdeck::removed") == col.find_notes('"Term:EPA"')


def test_a_deck_inside_another_decks_tree_keeps_its_notes(make_vault, tmp_path, cli):
    outer = make_project(make_vault, tmp_path / "outer", {"通商/経済連携.md": TRADE, "標準.md": NIST_NOTE})
    inner = make_project(make_vault, tmp_path / "inner", {"通信/電波.md": NETWORK}, collection=outer.collection)
    inner.write_config(f'collection = "{inner.collection}"', deck="用語集::趣味")
    assert push(cli, outer).exit_code == 0 and push(cli, inner).exit_code == 0
    with outer.open() as col:
        itu = note_of(col, "ITU")
        card = itu.cards()[0].id

    remove_note(outer.vault, "通商/経済連携.md")
    result = push(cli, outer)

    assert "0 added, 0 changed, 2 retired" in result.output
    with outer.open() as col:
        after = col.get_note(itu.id)
        assert (after.mod, after.tags) == (itu.mod, itu.tags)
        assert col.get_card(card).queue != SUSPENDED


NIST_NOTE = """\
# 標準

米国の国立標準技術研究所（NIST）[^n]が基準を示す。

[^n]: National Institute of Standards and Technology。
"""

WTO_NOTE = """\
# WTO

世界貿易機関（WTO）[^w]。

[^w]: World Trade Organization。
"""


def test_a_note_type_whose_fields_were_changed_is_refused_and_nothing_is_written(project, cli):
    push(cli, project)
    with project.open() as col:
        nt = col.models.get(MODEL_ID)
        col.models.add_field(nt, col.models.new_field("My field"))
        col.models.update_dict(nt, skip_checks=True)
    edit(project.vault, "通商/経済連携.md", "World Trade Organization", "World Trade Organisation", MTIME + 60)
    before = project.digest()
    result = push(cli, project)
    assert result.exit_code == 2
    assert "My field" in result.output and "full sync" in result.output
    assert "nothing was written" in result.output
    assert project.digest() == before


def test_anki_s_own_tags_stay_and_tags_anki_spells_its_own_way_are_not_changes(make_vault, tmp_path, cli):
    decomposed = "カ\u3099イド"  # a note name as macOS writes it (NFD): Anki stores fields in NFC
    notes = {f"{decomposed}.md": "---\ntags: [Trade]\n---\n" + NETWORK.split("---\n", 2)[2]}
    project = make_project(make_vault, tmp_path / "p", notes)
    with project.open() as col:
        own = col.new_note(col.models.by_name("Basic"))
        own["Front"] = "mine"
        own.tags = ["trade"]  # Anki keeps one spelling per tag: ours will be stored as "trade"
        col.add_note(own, 1)
    assert "1 added" in push(cli, project).output
    with project.open() as col:
        itu = note_of(col, "ITU")
        assert itu.tags == ["trade"]
        itu.tags.append("marked")  # the user marks it in the browser
        col.update_note(itu)
    assert "up to date" in push(cli, project).output
    (project.vault / f"{decomposed}.md").write_text(notes[f"{decomposed}.md"].replace("Trade", "Trade, 電波"),
                                                   encoding="utf-8")
    result = push(cli, project)
    assert "~ ITU  International Telecommunication Union  (tags)" in result.output
    with project.open() as col:
        assert sorted(note_of(col, "ITU").tags) == ["marked", "trade", "電波"]


def test_a_restyled_note_type_is_kept_and_the_user_is_told(project, cli):
    push(cli, project)
    with project.open() as col:
        nt = col.models.get(MODEL_ID)
        nt["css"] += "\n.card { font-size: 28px; }"
        col.models.update_dict(nt)
    edit(project.vault, "通商/経済連携.md", "World Trade Organization", "World Trade Organisation", MTIME + 60)
    result = push(cli, project)
    assert result.exit_code == 0, result.output
    assert "looks different from this glossdeck's" in result.output
    with project.open() as col:
        assert col.models.get(MODEL_ID)["css"].endswith("font-size: 28px; }")


def test_a_card_studied_in_a_filtered_deck_stays_there(project, cli):
    push(cli, project)
    with project.open() as col:
        cram = col.sched.get_or_create_filtered_deck(0)
        cram.name = "Cram"
        cram.config.search_terms[0].search = '"Term:EPA"'
        cram_id = col.sched.add_or_update_filtered_deck(cram).id
        card = note_of(col, "EPA").cards()[0].id
        assert col.get_card(card).did == cram_id
    edit(project.vault, "通商/経済連携.md", "Economic Partnership Agreement", "Economic Partnership Agreements",
         MTIME + 60)
    result = push(cli, project)
    assert "~ EPA  Economic Partnership Agreements  (Expansion)" in result.output
    with project.open() as col:
        assert col.get_card(card).did == cram_id
