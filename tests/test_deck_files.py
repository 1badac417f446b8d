"""A deck's own files: two decks share a folder without touching each other, one run per deck at a
time, nothing a killed run left survives the next, no file glossdeck did not write is replaced, and a
full disk leaves every output as it was."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from glossdeck.atomic import deck_file
from glossdeck.cache import cache_dir
from glossdeck.lock import BUSY_EXIT, locked

WORK = "# 仕事\n\n世界貿易機関（WTO）[^wto]と経済連携協定（EPA）[^epa]。\n\n" \
       "[^wto]: World Trade Organization。\n[^epa]: Economic Partnership Agreement。\n"
HOME = "# 家\n\n国際電気通信連合（ITU）[^itu]。\n\n[^itu]: International Telecommunication Union。\n"


def config(folder: Path, name: str, vault: Path, formats: str = '["apkg", "csv"]') -> Path:
    path = folder / name
    path.write_text(f'vault = "{vault}"\nout = "decks"\nformats = {formats}\n', encoding="utf-8")
    return path


def apkg_tags(apkg: Path) -> list[str]:
    import sqlite3

    db = apkg.with_suffix(".check")
    db.write_bytes(zipfile.ZipFile(apkg).read("collection.anki2"))
    try:
        return [row[0] for row in sqlite3.connect(db).execute("select tags from notes")]
    finally:
        db.unlink()


# 15.1 Two configs, one output folder.

def test_two_decks_in_one_output_folder_never_announce_each_others_cards_as_removed(make_vault, cli, tmp_path,
                                                                                     monkeypatch):
    monkeypatch.chdir(tmp_path)
    work = make_vault({"w.md": WORK})
    home = make_vault({"h.md": HOME})
    work_toml, home_toml = config(tmp_path, "work.toml", work), config(tmp_path, "personal.toml", home)
    for toml in (work_toml, home_toml, work_toml, home_toml):
        result = cli("sync", "--config", toml)
        assert result.exit_code == 0, result.output
        assert "removed;" not in result.output or " 0 removed;" in result.output, result.output
        assert "- " not in result.output and "find it in Anki" not in result.output, result.output
    for vault in (work, home):
        tags = apkg_tags(tmp_path / "decks" / f"{vault.name}.apkg")
        assert tags and not any("glossdeck::removed" in t for t in tags)
    # each deck keeps its own cache: editing one vault re-reads one note, and says nothing of the other
    without_epa = WORK.replace("（EPA）[^epa]", "").replace("[^epa]: Economic Partnership Agreement。\n", "")
    (work / "w.md").write_text(without_epa, encoding="utf-8")
    result = cli("sync", "--config", work_toml)
    assert "1 removed" in result.output and "- EPA" in result.output and "ITU" not in result.output
    assert "(1 re-read)" in result.output
    assert "nothing changed" in cli("sync", "--config", home_toml).output


# 15.15 The lock survives deleting the cache; 15.17 scratch files of killed runs go.

def test_deleting_the_cache_during_a_sync_does_not_let_a_second_sync_in(make_vault, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    vault = make_vault({"w.md": WORK})
    toml = config(tmp_path, "glossdeck.toml", vault)
    assert cli("sync", "--config", toml).exit_code == 0
    (vault / "w.md").write_text(WORK + "\n追記。\n", encoding="utf-8")
    decks = tmp_path / "decks"
    before = {p.name: p.read_bytes() for p in decks.iterdir() if p.is_file() and not p.name.startswith(".")}
    with locked(deck_file(decks, vault.name, ".lock", hidden=True)):  # a first sync, still writing
        shutil.rmtree(decks / ".glossdeck-cache")  # "safe to delete", says the README
        second = cli("sync", "--config", toml)
    assert second.exit_code == BUSY_EXIT, second.output
    assert "another glossdeck run" in second.output
    assert {p.name: p.read_bytes() for p in decks.iterdir() if p.is_file() and not p.name.startswith(".")} == before
    assert cli("sync", "--config", toml).exit_code == 0


@pytest.mark.parametrize("command", ["sync", "build"])
def test_scratch_files_of_killed_runs_are_removed_by_the_next_run_even_when_nothing_changed(
        command, make_vault, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    vault = make_vault({"w.md": WORK})
    toml = config(tmp_path, "glossdeck.toml", vault)
    args = ["sync", "--config", toml] if command == "sync" else ["build", vault, "--out", "decks"]
    assert cli(*args).exit_code == 0
    decks, deck = tmp_path / "decks", vault.name
    scratch = [decks / f".{deck}.apkg.k1ll3d_x.tmp", decks / f".{deck}.csv.ab12cd34.tmp",
               decks / f".{deck}.identity.json.zz_00000.tmp"]
    if command == "sync":
        cache = cache_dir(decks, deck)
        scratch += [cache / ".state.pickle.q9w8e7r6.tmp", cache / ".notes-07-1a2b3c4d.pickle.x8k2_q0z.tmp"]
    others = [decks / ".other.apkg.k1ll3d_x.tmp", decks / "notes.md"]  # another deck's, and no scratch file
    for path in scratch + others:
        path.write_bytes(b"half written")
    again = cli(*args)
    assert again.exit_code == 0, again.output
    if command == "sync":
        assert "nothing changed" in again.output
    else:
        assert "wrote" not in again.output
    assert [p for p in scratch if p.exists()] == []
    assert all(p.exists() for p in others)


def test_the_cache_of_earlier_versions_is_dropped_and_each_deck_rebuilds_its_own(make_vault, cli, tmp_path,
                                                                                monkeypatch):
    monkeypatch.chdir(tmp_path)
    vault = make_vault({"w.md": WORK})
    old = tmp_path / "decks" / ".glossdeck-cache"
    old.mkdir(parents=True)
    for name in ("state.pickle", "index.pickle", "notes-03-0badf00d.pickle", "lock", ".state.pickle.abcdefgh.tmp"):
        (old / name).write_bytes(b"\x80 an older glossdeck's cache")
    result = cli("sync", "--config", config(tmp_path, "glossdeck.toml", vault))
    assert result.exit_code == 0, result.output
    assert "unreadable-cache" not in result.output and "cache unreadable" not in result.output
    assert sorted(p.name for p in old.iterdir()) == [vault.name]


# 15.4 --out inside the vault never replaces a file glossdeck did not write.

def test_a_hand_written_note_in_an_outputs_place_is_never_replaced(make_vault, cli):
    vault = make_vault({"w.md": WORK, "Glossary/用語集.md": "# 私の用語集\n\n手で書いたノート。\n"})
    mine = vault / "Glossary" / "用語集.md"
    result = cli("build", vault, "--out", vault / "Glossary", "--deck", "用語集", "--format", "md")
    assert result.exit_code == 2
    assert f"{mine}: this file was not written by glossdeck" in result.stderr
    assert mine.read_text(encoding="utf-8") == "# 私の用語集\n\n手で書いたノート。\n"
    # nothing else written either (but the deck's hidden lock, which no walk reads)
    assert sorted(p.name for p in mine.parent.iterdir()) == [".用語集.lock", "用語集.md"]


@pytest.mark.parametrize(("fmt", "suffix", "foreign"), [
    ("csv", ".csv", "name,phone\nme,123\n"),
    ("json", ".json", '{"settings": true}\n'),
    ("anki-csv", ".anki.csv", "#separator:tab\n#notetype:Basic\nfront\tback\n"),
    ("md", ".md", "---\ntitle: mine\n---\nglossdeck: generated\n"),
])
def test_no_format_replaces_a_file_of_someone_elses(fmt, suffix, foreign, make_vault, cli, tmp_path):
    vault = make_vault({"w.md": WORK})
    out = tmp_path / "out"
    out.mkdir()
    (out / f"d{suffix}").write_text(foreign, encoding="utf-8")
    result = cli("build", vault, "--out", out, "--deck", "d", "--format", f"{fmt},apkg")
    assert result.exit_code == 2, result.output
    assert (out / f"d{suffix}").read_text(encoding="utf-8") == foreign
    assert not (out / "d.apkg").exists()


def test_an_anki_export_of_the_users_own_is_never_replaced(make_vault, cli, tmp_path):
    vault = make_vault({"w.md": WORK})
    out = tmp_path / "out"
    out.mkdir()
    with zipfile.ZipFile(out / "d.apkg", "w") as zf:  # Anki's own export carries the time it was made
        zf.writestr("collection.anki21b", b"reviews of years")
        zf.writestr("media", b"{}")
    before = (out / "d.apkg").read_bytes()
    result = cli("build", vault, "--out", out, "--deck", "d")
    assert result.exit_code == 2 and (out / "d.apkg").read_bytes() == before


def test_outputs_glossdeck_wrote_before_are_replaced_without_a_word(make_vault, cli, tmp_path):
    vault = make_vault({"w.md": WORK})
    out = tmp_path / "out"
    assert cli("build", vault, "--out", out, "--deck", "d", "--format", "apkg,csv,anki-csv,json,md").exit_code == 0
    # the spreadsheet CSV of glossdeck's first versions had the contract's machine names as its header
    (out / "d.csv").write_text(
        "\ufeffterm,kind,expansion,aliases,definition,definition_source,definition_url,remarks,sources,tags\r\n"
        "WTO,acronym,World Trade Organisation,,,,,,w.md:3,\r\n", encoding="utf-8")
    (vault / "w.md").write_text(WORK + HOME, encoding="utf-8")
    result = cli("build", vault, "--out", out, "--deck", "d", "--format", "apkg,csv,anki-csv,json,md")
    assert result.exit_code == 0, result.output
    assert all(f"wrote {out / ('d' + s)}" in result.output for s in (".apkg", ".csv", ".anki.csv", ".json", ".md"))
    assert [e["term"] for e in json.loads((out / "d.json").read_text(encoding="utf-8"))] == ["EPA", "ITU", "WTO"]


# 15.12 A full disk (here: a file size limit) while packing the .apkg.

FSIZE_RUN = """\
import resource, sys
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv.pop(1)),) * 2)
from glossdeck.cli import main
sys.argv[0] = "glossdeck"
main()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_FSIZE as Linux applies it")
def test_a_full_disk_while_packing_the_deck_is_a_clear_error_and_leaves_every_output_as_it_was(make_vault, cli,
                                                                                              tmp_path):
    vault = make_vault({f"n{i}.md": WORK.replace("WTO", f"W{i:03d}") for i in range(60)})
    out = tmp_path / "out"
    args = ["build", str(vault), "--out", str(out), "--deck", "d", "--format", "csv,apkg"]
    assert cli(*args).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    (vault / "n0.md").write_text(WORK + "\n国際電気通信連合（ITU）[^itu]\n\n[^itu]: International.\n", encoding="utf-8")
    # room for the CSV (and the small registry and clock), not for the .apkg's collection
    limit = max(len(before["d.csv"]), len(before["d.identity.json"])) + 4096
    assert limit < 64 * 1024  # the collection alone is larger
    proc = subprocess.run([sys.executable, "-c", FSIZE_RUN, str(limit), *args], capture_output=True, text=True,
                          timeout=120, preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_CORE, (0, 0)))
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert "outputs left as they were" in proc.stderr
    assert "disk" in proc.stderr or "File too large" in proc.stderr, proc.stderr
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and not p.name.startswith(".")}
    assert after["d.csv"] == before["d.csv"] and after["d.apkg"] == before["d.apkg"]
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []
    assert os.path.exists(out / "d.apkg")
