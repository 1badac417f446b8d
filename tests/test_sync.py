"""`glossdeck sync`: only what changed is rebuilt, reported, and written; overlapping or killed runs are safe."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import threading
import time
import zipfile
from pathlib import Path

import pytest

from glossdeck import atomic
from glossdeck.atomic import deck_file
from glossdeck.cache import cache_dir
from glossdeck.lock import BUSY_EXIT, locked

TRADE = """\
---
title: 通商政策のメモ
tags: [通商]
---
# 通商政策のメモ

日本は世界貿易機関（WTO）[^wto]の枠組みを土台に、経済連携協定（EPA）[^epa]を広げてきた。

[^wto]: World Trade Organization。
[^epa]: Economic Partnership Agreement。
"""

RADIO = """\
# 電波のメモ

国際電気通信連合（ITU）[^itu]は電波の割り当てを調整する。

[^itu]: International Telecommunication Union。
"""

ENV = """\
# 環境のメモ

米国の環境保護庁（EPA）[^epa]は排出規制を定める。

[^epa]: Environmental Protection Agency。
"""


@pytest.fixture
def project(make_vault, tmp_path, monkeypatch):
    """A vault of three notes and a glossdeck.toml beside it; returns (vault, decks folder)."""
    vault = make_vault({"通商/経済連携.md": TRADE, "通信/電波.md": RADIO, "環境.md": ENV})
    monkeypatch.chdir(tmp_path)
    (tmp_path / "glossdeck.toml").write_text(
        f'vault = "{vault}"\nout = "decks"\ndeck = "用語"\nformats = ["apkg", "csv", "json"]\n',
        encoding="utf-8",
    )
    return vault, tmp_path / "decks"


def outputs(decks: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in decks.iterdir() if p.is_file() and not p.name.startswith(".")}


def csv_rows(decks: Path) -> dict[tuple[str, str], list[str]]:
    text = (decks / "用語.csv").read_text(encoding="utf-8-sig")
    return {(r[0], r[1]): r for r in list(csv.reader(io.StringIO(text)))[1:]}


def apkg_notes(path: Path, tmp_path: Path) -> dict[str, str]:
    """Return {Term field + Expansion field: tags} of the notes in an .apkg."""
    with zipfile.ZipFile(path) as zf:
        db = tmp_path / "inspect.anki2"
        db.write_bytes(zf.read("collection.anki2"))
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("select flds, tags from notes").fetchall()
    finally:
        conn.close()
    db.unlink()
    return {" ".join(f.split("\x1f")[:2]): tags.strip() for f, tags in rows}


def test_nothing_changed_leaves_outputs_untouched(project, cli):
    vault, decks = project
    first = cli("sync")
    assert first.exit_code == 0, first.output
    assert "4 added" in first.output
    before = outputs(decks)
    time.sleep(0.01)
    again = cli("sync")
    assert again.exit_code == 0
    assert "nothing changed" in again.output
    assert outputs(decks) == before


def test_touched_but_unedited_note_changes_no_entry(project, cli):
    vault, decks = project
    cli("sync")
    note = vault / "通信" / "電波.md"
    note.write_bytes(note.read_bytes())
    result = cli("sync")
    assert "nothing changed (3 notes, 0 re-read)" in result.output


def test_one_note_edited_changes_only_its_entries(project, cli):
    vault, decks = project
    cli("sync")
    rows = csv_rows(decks)
    (vault / "通信" / "電波.md").write_text(
        RADIO.replace("国際電気通信連合", "国際電気通信機関"), encoding="utf-8"
    )
    result = cli("sync")
    assert result.exit_code == 0, result.output
    assert "1 re-read" in result.output
    assert "0 added, 1 changed, 0 removed" in result.output
    assert "~ ITU  International Telecommunication Union  (aliases)" in result.output
    after = csv_rows(decks)
    assert after.keys() == rows.keys()
    changed = {k for k in rows if rows[k] != after[k]}
    assert changed == {("ITU", "International Telecommunication Union")}


def test_deleted_note_is_reported_with_an_anki_search_and_tagged_once(project, cli, tmp_path):
    vault, decks = project
    cli("sync")
    (vault / "環境.md").unlink()
    result = cli("sync")
    assert result.exit_code == 0, result.output
    assert "0 added, 0 changed, 1 removed" in result.output
    assert "- EPA  Environmental Protection Agency" in result.output
    assert '"note:glossdeck" "Term:EPA" "Expansion:Environmental Protection Agency"' in result.output
    notes = apkg_notes(decks / "用語.apkg", tmp_path)
    assert notes["EPA Environmental Protection Agency"] == "glossdeck::removed"
    assert "glossdeck::removed" not in notes["EPA Economic Partnership Agreement"]
    # People's formats never show a removed entry.
    assert ("EPA", "Environmental Protection Agency") not in csv_rows(decks)
    # One more build later (something else changed) it is gone from the deck too.
    (vault / "通信" / "電波.md").write_text(RADIO + "\n追記。\n", encoding="utf-8")
    cli("sync")
    assert "EPA Environmental Protection Agency" not in apkg_notes(decks / "用語.apkg", tmp_path)


def test_removed_entry_search_finds_the_note_in_anki(project, cli, tmp_path):
    anki = pytest.importorskip("anki.collection")
    vault, decks = project
    cli("sync")
    col = anki.Collection(str(tmp_path / "collection.anki2"))
    try:
        request = anki.ImportAnkiPackageRequest(
            package_path=str(decks / "用語.apkg"), options=anki.ImportAnkiPackageOptions()
        )
        col.import_anki_package(request)
        (vault / "環境.md").unlink()
        result = cli("sync")
        search = result.output.split("find it in Anki: ")[1].splitlines()[0]
        found = col.find_notes(search)
        assert len(found) == 1
        assert col.get_note(found[0])["Expansion"] == "Environmental Protection Agency"
    finally:
        col.close()


def test_renamed_note_moves_its_sources(project, cli):
    vault, decks = project
    cli("sync")
    (vault / "通信" / "電波.md").rename(vault / "通信" / "無線.md")
    result = cli("sync")
    assert "0 added, 1 changed, 0 removed" in result.output
    assert "(sources)" in result.output
    sources = csv_rows(decks)[("ITU", "International Telecommunication Union")][7]  # Notes
    assert sources.startswith("通信/無線.md:3") and "電波" not in sources


def test_sync_outputs_match_build(project, cli, tmp_path):
    vault, decks = project
    cli("sync")
    cli("build", vault, "--out", tmp_path / "built", "--deck", "用語", "--format", "apkg,csv,json")
    for name in ("用語.apkg", "用語.csv", "用語.json"):
        assert (decks / name).read_bytes() == (tmp_path / "built" / name).read_bytes()


def test_second_run_while_first_holds_the_lock(project, cli):
    vault, decks = project
    cli("sync")
    (vault / "環境.md").write_text(ENV + "\n追記。\n", encoding="utf-8")
    before = outputs(decks)
    with locked(deck_file(decks.resolve(), "用語", ".lock", hidden=True)):
        result = cli("sync")
    assert result.exit_code == BUSY_EXIT
    assert "another glossdeck run" in result.output
    assert outputs(decks) == before


def test_second_run_waits_for_the_lock_with_wait(project, cli):
    vault, decks = project
    cli("sync")
    (vault / "環境.md").write_text(ENV + "\n追記。\n", encoding="utf-8")
    held = threading.Event()

    def hold():
        with locked(deck_file(decks.resolve(), "用語", ".lock", hidden=True)):
            held.set()
            time.sleep(0.5)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait()
    result = cli("sync", "--wait", "10")
    thread.join()
    assert result.exit_code == 0, result.output
    assert "1 re-read" in result.output


def test_run_killed_mid_write_leaves_previous_outputs_and_next_run_recovers(project, cli, monkeypatch):
    vault, decks = project
    cli("sync")
    apkg = decks / "用語.apkg"
    old = apkg.read_bytes()
    (vault / "通信" / "電波.md").unlink()
    real_replace = atomic.os.replace

    def killed(src, dst):
        raise KeyboardInterrupt  # stands for SIGKILL/Ctrl-C between writing the temp file and renaming

    monkeypatch.setattr(atomic.os, "replace", killed)
    result = cli("sync")
    assert result.exit_code == 130
    assert apkg.read_bytes() == old
    assert zipfile.ZipFile(apkg).testzip() is None
    assert not [p for p in decks.iterdir() if p.name.endswith(".tmp")]
    monkeypatch.setattr(atomic.os, "replace", real_replace)
    result = cli("sync")
    assert result.exit_code == 0
    assert "1 removed" in result.output and "- ITU" in result.output


def test_damaged_cache_is_rebuilt(project, cli):
    vault, decks = project
    cli("sync")
    for path in cache_dir(decks, "用語").glob("*.pickle"):
        path.write_bytes(b"\x80garbage")
    result = cli("sync")
    assert result.exit_code == 0, result.output
    assert "3 re-read" in result.output
    assert "nothing changed" in cli("sync").output


def test_a_damaged_cache_is_a_warning_that_sync_strict_fails_on(project, cli):
    vault, decks = project
    cli("sync")
    state = cache_dir(decks, "用語") / "state.pickle"
    state.write_bytes(b"\x80garbage")
    (vault / "環境.md").write_text(ENV + "\n追記。\n", encoding="utf-8")
    result = cli("sync", "--strict")
    assert result.exit_code == 1, result.output
    assert f"{state}:1: cache unreadable (" in result.stderr and "): rebuilding it" in result.stderr
    assert "3 re-read), 1 warning" in result.stdout  # rebuilt all the same, and counted
    assert cli("sync", "--strict").exit_code == 0  # the cache is whole again: nothing to warn about


def test_a_damaged_anki_clock_is_a_warning_that_build_strict_fails_on(project, cli):
    vault, decks = project
    args = ("build", vault, "--out", decks, "--deck", "用語")
    assert cli(*args, "--strict").exit_code == 0
    clock = decks / "用語.anki-clock.json"
    clock.write_text("{damaged", encoding="utf-8")
    result = cli(*args, "--strict")
    assert result.exit_code == 1, result.output
    assert f"{clock}:1: unreadable Anki clock" in result.stderr
    assert "entries from 3 notes, 1 warning" in result.stdout


def test_one_damaged_shard_means_a_full_rebuild(project, cli):
    vault, decks = project
    cli("sync")
    shards = sorted(cache_dir(decks, "用語").glob("notes-*.pickle"))
    assert shards
    shards[0].write_bytes(b"\x80garbage")
    (vault / "環境.md").write_text(ENV + "\n追記。\n", encoding="utf-8")
    result = cli("sync")
    assert result.exit_code == 0, result.output
    assert "nothing changed (3 notes, 3 re-read), 1 warning" in result.output


def test_deleted_output_is_written_again(project, cli):
    vault, decks = project
    cli("sync")
    (decks / "用語.csv").unlink()
    result = cli("sync")
    assert "wrote" in result.output and (decks / "用語.csv").is_file()


def test_watch_rebuilds_after_a_change_and_survives_a_failed_rebuild(make_vault):
    from glossdeck.watch import watch

    vault = make_vault({"電波.md": RADIO})
    stop = threading.Event()
    calls: list[str] = []
    errors: list[BaseException] = []

    def rebuild():
        calls.append("rebuild")
        if len(calls) == 1:
            raise OSError("disk full")  # the first rebuild fails; watching must go on
        stop.set()

    thread = threading.Thread(target=watch, args=(vault, (".obsidian",), rebuild, errors.append, 0.2, stop))
    thread.start()
    try:
        time.sleep(0.5)
        (vault / "環境.md").write_text(ENV, encoding="utf-8")
        deadline = time.monotonic() + 10
        while not errors and time.monotonic() < deadline:
            time.sleep(0.05)
        (vault / "環境.md").write_text(ENV + "\n追記。\n", encoding="utf-8")
        thread.join(timeout=10)
    finally:
        stop.set()
        thread.join()
    assert [str(e) for e in errors] == ["disk full"]
    assert calls == ["rebuild", "rebuild"]


def test_watch_rebuilds_a_note_saved_while_the_first_sync_reads_the_vault(make_vault):
    from glossdeck.watch import watch

    vault = make_vault({"電波.md": RADIO})
    stop = threading.Event()
    calls: list[str] = []

    def first():
        calls.append("first")
        (vault / "環境.md").write_text(ENV, encoding="utf-8")  # saved in Obsidian mid-sync

    def rebuild():
        calls.append("rebuild")
        stop.set()

    thread = threading.Thread(
        target=watch, args=(vault, (".obsidian",), rebuild, print, 0.2, stop), kwargs={"first": first}
    )
    thread.start()
    thread.join(timeout=10)
    stop.set()
    thread.join()
    assert calls == ["first", "rebuild"]


# Incremental merge: after a few notes change, sync re-merges only their terms; its outputs must be
# the bytes a full build writes. Ten more notes keep one change under the full-merge share.
OTHERS = [
    ("ASEAN", "Association of Southeast Asian Nations", "東南アジア諸国連合"),
    ("IMF", "International Monetary Fund", "国際通貨基金"),
    ("WHO", "World Health Organization", "世界保健機関"),
    ("ILO", "International Labour Organization", "国際労働機関"),
    ("IAEA", "International Atomic Energy Agency", "国際原子力機関"),
    ("NATO", "North Atlantic Treaty Organization", "北大西洋条約機構"),
    ("FAO", "Food and Agriculture Organization", "国連食糧農業機関"),
    ("OPEC", "Organization of the Petroleum Exporting Countries", "石油輸出国機構"),
    ("UNDP", "United Nations Development Programme", "国連開発計画"),
    ("WMO", "World Meteorological Organization", "世界気象機関"),
]
SECOND_ITU = """\
# 社内のメモ

情報技術部（ITU）[^itu]が端末を配る。

[^itu]: Information Technology Unit。
"""


def other_note(acronym: str, long_form: str, name: str) -> str:
    return (
        f"# {name}のメモ\n\n{name}（{acronym}）[^a]と世界貿易機関（WTO）[^wto]が協議した。\n\n"
        f"[^a]: {long_form}。\n[^wto]: World Trade Organization。\n"
    )


def edit_long_form(vault: Path) -> None:
    note = vault / "通信" / "電波.md"
    note.write_text(RADIO.replace("Telecommunication", "Telecomunication"), encoding="utf-8")


def delete_only_source(vault: Path) -> None:
    (vault / "環境.md").unlink()  # the only note defining EPA as the Environmental Protection Agency


def add_second_meaning(vault: Path) -> None:
    (vault / "社内.md").write_text(SECOND_ITU, encoding="utf-8")


def rename_note(vault: Path) -> None:
    (vault / "通信" / "電波.md").rename(vault / "通信" / "無線.md")


@pytest.fixture
def big_project(make_vault, tmp_path):
    """Thirteen notes; returns (vault, a function running sync, a function running build)."""
    from glossdeck.pipeline import Options
    from glossdeck.sync import sync

    notes = {"通商/経済連携.md": TRADE, "通信/電波.md": RADIO, "環境.md": ENV}
    notes.update({f"国際/{a}.md": other_note(a, e, j) for a, e, j in OTHERS})
    vault = make_vault(notes)
    formats = ("apkg", "csv", "json", "anki-csv")

    def run_sync():
        return sync(Options(vault=vault, out=tmp_path / "synced", deck="用語", formats=formats))

    def run_build(cli):
        result = cli("build", vault, "--out", tmp_path / "built", "--deck", "用語", "--format", ",".join(formats))
        assert result.exit_code == 0, result.output

    return vault, run_sync, run_build


def same_outputs(tmp_path: Path, removed: bool) -> None:
    # Removed entries stay in the Anki outputs of a sync for one more build (tagged): a build has none.
    names = ["用語.csv", "用語.json"] + ([] if removed else ["用語.apkg", "用語.anki.csv"])
    for name in names:
        assert (tmp_path / "synced" / name).read_bytes() == (tmp_path / "built" / name).read_bytes(), name


@pytest.mark.parametrize(
    "change", [edit_long_form, delete_only_source, add_second_meaning, rename_note], ids=lambda f: f.__name__
)
def test_incremental_sync_writes_what_a_full_build_writes(big_project, cli, tmp_path, change):
    vault, run_sync, run_build = big_project
    first = run_sync()
    run_build(cli)
    assert first.remerged is None  # the first run merges everything
    same_outputs(tmp_path, removed=False)
    change(vault)
    report = run_sync()
    run_build(cli)
    assert report.remerged is not None and 0 < report.remerged < 10, report.remerged
    same_outputs(tmp_path, removed=bool(report.removed))
    assert bool(report.removed) == (change is delete_only_source)


def test_incremental_syncs_in_a_row_match_a_build(big_project, cli, tmp_path):
    vault, run_sync, run_build = big_project
    run_sync()
    run_build(cli)  # both folders' identity registries must see the same history
    for change in (edit_long_form, add_second_meaning, rename_note, delete_only_source):
        change(vault)
        report = run_sync()
        assert report.remerged is not None
        run_build(cli)
        same_outputs(tmp_path, removed=bool(report.removed))
    # A build later the removed entry has left the Anki outputs too.
    (vault / "国際/IMF.md").write_text(other_note(*OTHERS[1]) + "\n追記。\n", encoding="utf-8")
    run_sync()
    run_build(cli)
    same_outputs(tmp_path, removed=False)


def test_only_changed_shards_are_rewritten(big_project):
    vault, run_sync, _ = big_project
    run_sync()
    folder = cache_dir(vault.parent / "synced", "用語")
    before = {p.name for p in folder.glob("notes-*.pickle")}
    (vault / "環境.md").write_text(ENV + "\n追記。\n", encoding="utf-8")
    run_sync()
    after = {p.name for p in folder.glob("notes-*.pickle")}
    assert len(before - after) == 1 and len(after - before) == 1


def test_many_changed_notes_take_the_full_merge_and_match_a_build(big_project, cli, tmp_path):
    vault, run_sync, run_build = big_project
    run_sync()
    run_build(cli)
    for acronym, long_form, name in OTHERS[:4]:  # 4 of 13 notes: over the incremental share
        (vault / f"国際/{acronym}.md").write_text(other_note(acronym, long_form + " Office", name), encoding="utf-8")
    report = run_sync()
    run_build(cli)
    assert report.remerged is None and report.reread == 4
    same_outputs(tmp_path, removed=bool(report.removed))


def test_build_into_a_folder_a_sync_is_writing_waits_for_no_one_and_writes_nothing(project, cli):
    vault, decks = project
    cli("sync")
    (vault / "環境.md").write_text(ENV + "\n追記。\n", encoding="utf-8")
    before = outputs(decks)
    with locked(deck_file(decks.resolve(), "用語", ".lock", hidden=True)):
        result = cli("build", vault, "--out", decks, "--deck", "用語", "--format", "apkg,csv,json")
    assert result.exit_code == BUSY_EXIT, result.output
    assert "another glossdeck run" in result.output
    assert outputs(decks) == before
    assert cli("build", vault, "--out", decks, "--deck", "用語", "--format", "apkg,csv,json").exit_code == 0


def test_a_sync_reads_the_registry_once_saves_it_once_and_hashes_the_code_once(project, monkeypatch):
    from glossdeck import cache, identity
    from glossdeck.config import load
    from glossdeck.sync import sync

    vault, decks = project
    options = load(Path("glossdeck.toml")).options()
    sync(options)
    (vault / "環境.md").write_text(ENV + "\n追記。\n", encoding="utf-8")
    calls: list[str] = []
    real_load, real_save = identity.load, identity.save
    monkeypatch.setattr(identity, "load", lambda path: calls.append("load") or real_load(path))
    monkeypatch.setattr(identity, "save", lambda path, reg: calls.append("save") or real_save(path, reg))
    cache.code_fingerprint.cache_clear()
    report = sync(options)
    assert report.reread == 1
    assert calls == ["load", "save"]
    assert cache.code_fingerprint.cache_info().misses == 1


def test_a_touched_and_edited_note_is_read_once(project, monkeypatch):
    from glossdeck.config import load
    from glossdeck.sync import sync

    vault, decks = project
    options = load(Path("glossdeck.toml")).options()
    sync(options)
    note = vault / "通信" / "電波.md"
    same_size = RADIO.replace("調整する", "調停する")  # same size: only its bytes tell the change
    assert len(same_size.encode()) == len(RADIO.encode())
    note.write_text(same_size, encoding="utf-8")
    opened: list[Path] = []
    real = os.open
    monkeypatch.setattr(os, "open", lambda path, *args, **kw: opened.append(Path(path)) or real(path, *args, **kw))
    report = sync(options)
    assert report.reread == 1 and not report.nothing_changed
    assert opened.count(note) == 1


def test_build_and_sync_count_the_same_notes(make_vault, tmp_path):
    from glossdeck.pipeline import Options, build
    from glossdeck.sync import sync

    vault = make_vault({"通信/電波.md": RADIO, "環境.md": ENV, "壊れた.md": b"\x00\x01\x02\xff\xfe" * 50})
    options = Options(vault=vault, out=tmp_path / "decks", deck="用語", formats=("csv",))
    built = build(Options(vault=vault, out=tmp_path / "built", deck="用語", formats=("csv",)))
    first = sync(options)
    assert any(p.kind == "unreadable-note" for p in first.problems)
    assert built.notes == first.notes == 2  # the unreadable file is not a note read
    again = sync(options)
    assert again.nothing_changed and again.notes == 2


def test_workers_are_not_forked_from_a_process_running_threads(make_vault, monkeypatch):
    from glossdeck import parallel
    from glossdeck.vault import walk

    assert parallel._context().get_start_method() == "fork"
    vault = make_vault({f"n{i}.md": RADIO for i in range(4)})
    files = walk(vault)
    serial = list(parallel.harvest_files(files, jobs=1))
    stop = threading.Event()
    observer = threading.Thread(target=stop.wait)  # stands for watchdog's observer thread
    observer.start()
    try:
        assert parallel._context().get_start_method() == "forkserver"
        monkeypatch.setattr(parallel, "MIN_PARALLEL", 2)
        assert list(parallel.harvest_files(files, jobs=2)) == serial
    finally:
        stop.set()
        observer.join()


def test_watch_ignores_changes_in_an_output_folder_inside_the_vault(make_vault):
    from watchdog.events import FileModifiedEvent

    from glossdeck.pipeline import Options
    from glossdeck.watch import _Changes

    vault = make_vault({"電波.md": RADIO})

    def rebuilds(handler: _Changes, rel: str) -> bool:
        handler.pending.clear()
        handler.on_any_event(FileModifiedEvent(str(vault / rel)))
        return handler.pending.is_set()

    # An output folder inside the vault is one of the build's excludes, and so one of watch's.
    given_out = _Changes(vault, Options(vault=vault, out=vault / "decks", excludes=(".obsidian",)).excludes)
    assert not rebuilds(given_out, "decks/用語.md")  # the Markdown deck is not a note
    assert not rebuilds(given_out, "decks/.glossdeck-cache/用語/state.pickle")
    assert rebuilds(given_out, "電波.md")
    # The build's walk skips the out folder as an exclude path from the vault's top: so does watch.
    excluded = _Changes(vault, (".obsidian", "sub/decks"))
    assert not rebuilds(excluded, "sub/decks/用語.md")
    assert rebuilds(excluded, "sub/電波.md")


# Narrow windows: a note caught empty, a run killed after its commit but before its report.

def test_a_note_that_had_entries_and_reads_empty_is_read_again_before_its_entries_are_removed(project, cli):
    vault, decks = project
    assert cli("sync").exit_code == 0
    note = vault / "通信" / "電波.md"
    note.write_bytes(b"")  # an editor's save caught half done; a clock set back hides how recent it is
    os.utime(note, (1_600_000_000, 1_600_000_000))
    writer = threading.Timer(0.2, lambda: note.write_text(RADIO + "\n追記。\n", encoding="utf-8"))
    writer.start()
    try:
        result = cli("sync")
    finally:
        writer.join()
    assert result.exit_code == 0, result.output
    assert "- ITU" not in result.output, result.output
    assert "0 removed" in result.output or "nothing changed" in result.output, result.output


def test_removals_a_killed_run_never_printed_are_announced_by_the_next_run(project, cli, monkeypatch):
    from glossdeck.cli import sync_commands as cli_module

    vault, decks = project
    assert cli("sync").exit_code == 0
    (vault / "通信" / "電波.md").unlink()
    real = cli_module.synced

    def killed(report, *_):
        raise KeyboardInterrupt  # stands for a kill after the commit, before a line of the report

    monkeypatch.setattr(cli_module, "synced", killed)
    assert cli("sync").exit_code == 130
    monkeypatch.setattr(cli_module, "synced", real)
    result = cli("sync")
    assert result.exit_code == 0, result.output
    assert "- ITU  International Telecommunication Union" in result.output
    assert '"note:glossdeck" "Term:ITU"' in result.output
    assert "1 removed" in result.output and "tag:glossdeck::removed" in result.output
    assert "nothing changed" in cli("sync").output  # announced once: then forgotten
