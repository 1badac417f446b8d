"""`glossdeck push`: the glossary written straight into a real Anki collection, reviews kept, nothing else touched."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from anki_support import MTIME, build_deck, edit, import_apkg, note_of, review, schedule
from glossdeck.lock import BUSY_EXIT
from push_support import SUSPENDED, backups, make_project, note_rows, push, remove_note, restored


@pytest.fixture
def project(make_vault, tmp_path):
    return make_project(make_vault, tmp_path / "project")


def test_a_push_updates_the_studied_note_in_place_and_keeps_its_schedule(project, cli):
    first = push(cli, project)
    assert first.exit_code == 0, first.output
    assert "+ WTO  World Trade Organization" in first.output
    assert "3 added, 0 changed" in first.output
    assert "added the glossdeck note type" in first.output
    with project.open() as col:
        assert col.note_count() == 3
        wto = note_of(col, "WTO")
        card = wto.cards()[0]
        assert col.decks.name(card.did) == "用語集"
        review(col, card.id, ease=4)
        studied = schedule(col, card.id)
    assert studied["ivl"] > 0 and len(studied["revlog"]) == 1

    edit(project.vault, "通商/経済連携.md", "World Trade Organization", "World Trade Organisation", MTIME + 60)
    second = push(cli, project)

    assert second.exit_code == 0, second.output
    assert "~ WTO  World Trade Organisation  (Expansion)" in second.output
    assert "0 added, 1 changed, 0 retired" in second.output
    with project.open() as col:
        assert col.note_count() == 3
        after = note_of(col, "WTO")
        assert after.id == wto.id
        assert after["Expansion"] == "World Trade Organisation"
        assert schedule(col, card.id) == studied


def test_an_unchanged_vault_pushes_nothing_and_the_collection_keeps_every_byte(project, cli):
    push(cli, project)
    before, kept = project.digest(), backups(project)
    again = push(cli, project)
    assert again.exit_code == 0, again.output
    assert "up to date (3 notes" in again.output
    assert project.digest() == before
    assert backups(project) == kept  # no change, no backup


def test_an_entry_gone_from_the_vault_is_retired_and_comes_back_with_its_history(project, cli):
    push(cli, project)
    with project.open() as col:
        itu = note_of(col, "ITU")
        card = itu.cards()[0]
        review(col, card.id, ease=4)
        studied = schedule(col, card.id)
        queue = col.get_card(card.id).queue

    text = remove_note(project.vault, "通信/電波.md")
    gone = push(cli, project)
    assert gone.exit_code == 0, gone.output
    assert "- ITU  International Telecommunication Union" in gone.output
    assert "1 retired (suspended, tagged glossdeck::removed)" in gone.output
    with project.open() as col:
        retired = col.get_note(itu.id)
        assert "glossdeck::removed" in retired.tags
        assert col.get_card(card.id).queue == SUSPENDED
        assert schedule(col, card.id) == studied
        assert col.find_notes("tag:glossdeck::removed") == [itu.id]

    (project.vault / "通信/電波.md").write_text(text, encoding="utf-8")
    back = push(cli, project)
    assert back.exit_code == 0, back.output
    assert "~ ITU  International Telecommunication Union  (restored)" in back.output
    with project.open() as col:
        restored = col.get_note(itu.id)
        assert "glossdeck::removed" not in restored.tags
        assert col.get_card(card.id).queue == queue
        assert schedule(col, card.id) == studied


def test_removed_delete_deletes_the_note(project, cli):
    project.write_config(f'collection = "{project.collection}"\nremoved = "delete"')
    push(cli, project)
    remove_note(project.vault, "通信/電波.md")
    result = push(cli, project)
    assert result.exit_code == 0, result.output
    assert "- ITU  International Telecommunication Union" in result.output
    assert "1 deleted" in result.output
    with project.open() as col:
        assert not col.find_notes('"Term:ITU"')
        assert col.note_count() == 2


HOLD = textwrap.dedent("""\
    import sys
    from anki.collection import Collection
    col = Collection(sys.argv[1])
    print("open", flush=True)
    sys.stdin.read()
    col.close()
""")


def test_anki_holding_the_collection_means_exit_75_and_not_a_byte_written(project, cli):
    push(cli, project)
    build = cli("build", project.vault, "--out", project.decks, "--deck", "用語集")  # the .apkg the message names
    assert build.exit_code == 0
    edit(project.vault, "通商/経済連携.md", "World Trade Organization", "World Trade Organisation", MTIME + 60)
    before = project.digest()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(project.collection)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        result = push(cli, project)
    finally:
        holder.communicate("")
    assert result.exit_code == BUSY_EXIT
    assert "close Anki, or import" in result.output
    assert "用語集.apkg" in result.output
    assert "nothing was written to the collection" in result.output
    assert project.digest() == before


def test_dry_run_says_what_would_change_and_writes_nothing(project, cli):
    push(cli, project)
    remove_note(project.vault, "通信/電波.md")
    edit(project.vault, "通商/経済連携.md", "World Trade Organization", "World Trade Organisation", MTIME + 60)
    before, decks = project.digest(), files(project.decks)
    result = push(cli, project, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "~ WTO  World Trade Organisation  (Expansion)" in result.output
    assert "- ITU  International Telecommunication Union" in result.output
    assert "dry run, nothing written" in result.output and "0 added, 1 changed, 1 retired" in result.output
    assert project.digest() == before
    assert files(project.decks) == decks  # no output, registry or cache written either
    # and the real push after it still finds both changes
    assert "0 added, 1 changed, 1 retired" in push(cli, project).output


def files(folder):
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.name != "lock"}


def test_pushed_notes_and_a_later_apkg_import_share_one_note_type(project, cli):
    push(cli, project)
    with project.open() as col:
        scm = col.db.scalar("select scm from col")
        log = import_apkg(col, build_deck(project.vault, project.folder / "built")["apkg"])
        assert not log.conflicting and not log.new
        assert col.note_count() == 3
        assert [m.name for m in col.models.all_names_and_ids()].count("glossdeck") == 1
        assert col.db.scalar("select scm from col") == scm


def test_a_backup_of_the_collection_as_it_was_is_made_before_a_push_changes_it(project, cli, tmp_path):
    push(cli, project)
    assert len(backups(project)) == 1 and backups(project)[0].endswith(".colpkg")
    with restored(project.collection.parent / "backups" / backups(project)[0], tmp_path / "r1") as col:
        assert col.note_count() == 0  # the new profile, before glossdeck's first push
    edit(project.vault, "通商/経済連携.md", "World Trade Organization", "World Trade Organisation", MTIME + 60)
    push(cli, project)
    # Anki names backups by the second: two pushes within one second share one file
    with restored(project.collection.parent / "backups" / backups(project)[-1], tmp_path / "r2") as col:
        assert note_of(col, "WTO")["Expansion"] == "World Trade Organization"


def test_subdecks_put_new_notes_where_the_apkg_would(make_vault, tmp_path, cli):
    project = make_project(make_vault, tmp_path / "p")
    project.write_config(f'collection = "{project.collection}"', extra="subdecks = true\n")
    assert push(cli, project).exit_code == 0
    with project.open() as col:
        decks = {col.decks.name(col.get_card(c).did) for c in col.find_cards('"note:glossdeck"')}
    assert decks == {"用語集::通商", "用語集::通信"}


def test_sync_with_an_anki_table_pushes_and_retries_after_anki_was_open(project, cli):
    first = cli("sync", "--config", project.config)
    assert first.exit_code == 0, first.output
    assert "3 added" in first.output
    with project.open() as col:
        assert col.note_count() == 3
        edit(project.vault, "通商/経済連携.md", "World Trade Organization", "World Trade Organisation", MTIME + 60)
        busy = cli("sync", "--config", project.config)  # while "Anki" (this test) holds the collection
    assert busy.exit_code == BUSY_EXIT and "close Anki" in busy.output
    before = project.digest()
    again = cli("sync", "--config", project.config)  # vault unchanged since, but the push is still owed
    assert again.exit_code == 0, again.output
    assert "~ WTO  World Trade Organisation  (expansion)" in again.output
    assert "0 added, 1 changed, 0 retired" in again.output
    assert project.digest() != before
    untouched = project.digest()
    quiet = cli("sync", "--config", project.config)
    assert "nothing changed" in quiet.output
    assert project.digest() == untouched


def test_a_missing_anki_package_is_a_clear_message_and_nothing_is_written(project, cli, monkeypatch):
    for name in [m for m in sys.modules if m == "anki" or m.startswith("anki.")]:
        monkeypatch.setitem(sys.modules, name, None)  # what an install without the extra looks like
    result = push(cli, project)
    assert result.exit_code == 2
    assert "pip install 'glossdeck[anki]'" in result.output
    assert not project.decks.exists()



def test_turning_reverse_on_adds_the_reverse_cards_in_the_deck_and_keeps_reviews(project, cli):
    push(cli, project)
    with project.open() as col:
        card = note_of(col, "WTO").cards()[0].id
        review(col, card, ease=4)
        studied = schedule(col, card)
    project.write_config(f'collection = "{project.collection}"', extra="reverse = true\n")
    result = push(cli, project)
    assert "~ WTO  World Trade Organization  (Reverse)" in result.output
    with project.open() as col:
        assert col.card_count() == 6
        assert {col.decks.name(col.get_card(c).did) for c in col.find_cards("")} == {"用語集"}
        assert schedule(col, card) == studied


def test_a_card_moved_out_of_the_deck_in_anki_is_moved_back(project, cli):
    push(cli, project)
    with project.open() as col:
        card = note_of(col, "EPA").cards()[0].id
        col.set_deck([card], col.decks.id("Elsewhere"))
    result = push(cli, project)
    assert "~ EPA  Economic Partnership Agreement  (deck)" in result.output
    with project.open() as col:
        assert col.decks.name(col.get_card(card).did) == "用語集"


def test_a_vault_that_gives_no_entries_retires_nothing(project, cli):
    push(cli, project)
    before = project.digest()
    for note in list(project.vault.rglob("*.md")):
        note.unlink()  # a cloud folder not synced yet, an unmounted drive
    result = push(cli, project)
    assert result.exit_code == 0, result.output
    assert "3 notes in Anki were left as they were, not retired" in result.output
    assert project.digest() == before


def test_a_deck_bigger_than_one_read_batch_is_read_whole(project, cli, monkeypatch):
    from glossdeck.export import collection

    monkeypatch.setattr(collection, "_BATCH", 2)  # the deck's 3 notes take two batches
    push(cli, project)
    edit(project.vault, "通信/電波.md", "Telecommunication Union", "Telecommunications Union", MTIME + 60)
    result = push(cli, project)
    assert "0 added, 1 changed, 0 retired" in result.output
    assert "~ ITU  International Telecommunications Union  (Expansion)" in result.output


def test_switching_from_apkg_imports_to_push_changes_nothing(project, cli):
    built = cli("build", project.vault, "--out", project.decks, "--deck", "用語集", "--reverse", "--subdecks")
    assert built.exit_code == 0
    with project.open() as col:
        import_apkg(col, project.decks / "用語集.apkg")
        before = note_rows(col, glossdeck=True)
    project.write_config(f'collection = "{project.collection}"', extra="reverse = true\nsubdecks = true\n")
    result = push(cli, project)
    assert result.exit_code == 0, result.output
    assert "up to date (3 notes" in result.output
    with project.open() as col:
        assert note_rows(col, glossdeck=True) == before
