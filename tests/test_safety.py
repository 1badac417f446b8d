"""glossdeck writes only into its output folder, never into the vault, and a run killed at any moment
leaves every output either as it was or as the new complete version, with nothing that misleads the
next run (a card's identity, Anki's clock, a removal to announce)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from anki_support import MTIME, TRADE, VAULT, fresh_collection, import_apkg, note_of, review, schedule, write_fixture
from conftest import write_vault
from glossdeck import atomic
from glossdeck.atomic import MAX_STEM_BYTES, is_temp_of

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
        inside = path.parent == out or cache in path.parents
        assert path in (out, cache, *out.parents) or inside, f"written outside {out}: {path}"
    # each deck's lock is hidden beside its files: no one imports or opens it
    locks = [p.name for p in out.iterdir() if p.name.startswith(".") and p.name.endswith(".lock")]
    names = sorted(p.name for p in out.iterdir() if p.is_file() and p.name not in locks)
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
    assert sorted(p.name for p in out.iterdir() if p.is_file() and not p.name.startswith(".")) == names
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [f".{PATH_LIKE[name]}.lock"]


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


@pytest.mark.parametrize(
    ("other", "fmt"),
    [("a.identity", "json"), ("a.anki-clock", "json"), ("a.anki", "csv"), ("A.IDENTITY", "json"),
     ("a.anki", "apkg,csv,json")],
)
def test_another_decks_name_never_overwrites_a_decks_files(other, fmt, make_vault, cli, tmp_path):
    # `a.identity` + `.json` would be deck a's registry, `a.anki` + `.csv` its Anki CSV
    vault = make_vault({"通商.md": NOTE})
    out = tmp_path / "out"
    assert cli("build", vault, "--out", out, "--deck", "a", "--format", ALL_FORMATS).exit_code == 0
    deck_a = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != ".a.lock"}
    assert sorted(deck_a) == sorted("a" + s for s in SUFFIXES)  # an ordinary name keeps its file names

    result = cli("build", vault, "--out", out, "--deck", other, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert {name: (out / name).read_bytes() for name in deck_a} == deck_a
    lines = result.output.splitlines()
    written = [Path(line.removeprefix("wrote ")).name for line in lines if line.startswith("wrote")]
    assert written and not set(written) & set(deck_a)
    again = cli("build", vault, "--out", out, "--deck", "a", "--format", ALL_FORMATS)
    assert again.exit_code == 0 and "wrote" not in again.output, again.output


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
    assert (out / CACHE / "_.._x" / "state.pickle").is_file()
    assert "nothing changed" in cli("sync", "--config", config).output


def test_sync_config_deck_name_with_a_nul_is_refused(make_vault, cli, tmp_path):
    vault = make_vault({"通商.md": NOTE})
    config = sync_config(tmp_path, vault, "out", '"a\\u0000b"')  # TOML's escape: a real NUL
    result = cli("sync", "--config", config)
    assert result.exit_code == 2
    assert "deck name 'a\\x00b' contains a control character" in result.stderr
    assert f"{config}:" in result.stderr  # named by the config's file and line, like every config error
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def not_utf8_folder(parent: Path) -> Path:
    """Make a folder whose name is the bytes `v\\xff` (Linux allows any bytes; macOS none that are not UTF-8)."""
    folder = parent / os.fsdecode(b"v\xff")
    try:
        folder.mkdir()
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    return folder


def test_a_vault_whose_name_is_not_utf8_gets_a_clear_message_or_a_deck(cli, tmp_path, monkeypatch):
    vault = write_vault(not_utf8_folder(tmp_path), {"通商.md": NOTE})
    monkeypatch.chdir(tmp_path)
    result = cli("init", vault.name)  # the path a TOML file would have to hold
    assert result.exit_code == 2 and "not UTF-8" in result.stderr and "rename" in result.stderr
    assert not (tmp_path / "glossdeck.toml").exists()
    result = cli("build", vault, "--out", tmp_path / "out")  # the folder's name would be the deck's
    assert result.exit_code == 2 and "deck name" in result.stderr and "--deck NAME" in result.stderr

    monkeypatch.chdir(vault)  # init inside the vault: the path is ".", the deck is named for sync
    assert cli("init").exit_code == 0
    assert 'deck = "v\ufffd"' in (vault / "glossdeck.toml").read_text(encoding="utf-8")
    assert cli("sync").exit_code == 0


def test_obsidian_links_name_a_vault_that_is_not_utf8_as_obsidian_shows_it(cli, tmp_path):
    vault = write_vault(not_utf8_folder(tmp_path), {"通商.md": NOTE})
    out = tmp_path / "out"
    result = cli("build", vault, "--out", out, "--deck", DECK, "--format", ALL_FORMATS)
    assert result.exit_code == 0, result.output
    # Obsidian reads the folder's name as UTF-8, each bad byte a U+FFFD
    link = "obsidian://open?vault=v%EF%BF%BD&file=%E9%80%9A%E5%95%86"
    assert link in (out / f"{DECK}.anki.csv").read_text(encoding="utf-8").replace("&amp;", "&")
    assert link in (out / f"{DECK}.csv").read_text(encoding="utf-8-sig")


# 2. The vault is never written: not a byte, not an mtime, not a new or removed file.

MESSY_VAULT: dict[str, str | bytes] = {
    "通商.md": NOTE,
    "通信/電波.md": "# 電波\n\n国際電気通信連合（ITU）[^itu]。\n\n[^itu]: International Telecommunication Union。\n",
    "sub/deep/inline.md": "TLS^[Transport Layer Security。]の話。\n",
    ".obsidian/app.json": '{"legacyEditor": false}',
    ".obsidian/templates.json": '{"folder": "テンプレート"}',
    "テンプレート/雛形.md": "# {{title}}\n\n（XYZ）[^x]\n\n[^x]: Placeholder。\n",
    ".trash/old.md": NOTE,
    "画像.png": b"\x89PNG\r\n\x1a\n\x00\x00",
    "sjis.md": "国際連合（UN）[^un]\n\n[^un]: United Nations。\n".encode("cp932"),
    "broken.md": b"\x00\x01\x02\xff binary",
    ".hidden.md": NOTE,
}


def vault_state(root: Path, skip: tuple[str, ...] = ()) -> dict[str, tuple]:
    """Every path under the vault (folders too) with its type, mode, size, mtime, ctime and content hash."""
    state: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if (here / d).relative_to(root).as_posix() not in skip]
        for path in [here, *(here / f for f in filenames)]:
            st = path.lstat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(st.st_mode) else None
            state[path.relative_to(root).as_posix()] = (st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, digest)
    return state


@pytest.fixture
def messy_vault(tmp_path):
    vault = write_vault(tmp_path / "vault", MESSY_VAULT)
    past = time.time() - 3600  # an mtime a write during the test could not give back
    for path in files_under(vault):
        os.utime(path, (past, past))
    return vault


@pytest.mark.parametrize("where", ["--out elsewhere", "default --out"])
def test_build_never_writes_the_vault(messy_vault, cli, tmp_path, monkeypatch, where):
    monkeypatch.chdir(tmp_path)  # the default output folder, decks/, is made here
    out = ["--out", str(tmp_path / "elsewhere")] if where == "--out elsewhere" else []
    before = vault_state(messy_vault)
    for _ in range(2):  # a first build and one that finds its outputs
        result = cli("build", messy_vault, *out, "--format", ALL_FORMATS, "--deck", DECK)
        assert result.exit_code == 0, result.output
        assert vault_state(messy_vault) == before
    decks = tmp_path / ("elsewhere" if out else "decks")
    assert (decks / f"{DECK}.apkg").is_file()


@pytest.mark.parametrize("how", ["default --out in the vault", "--format md into a vault folder"])
def test_outputs_asked_for_inside_the_vault_are_the_only_change(messy_vault, cli, monkeypatch, how):
    if how.startswith("default"):
        monkeypatch.chdir(messy_vault)  # `glossdeck build .` from inside the vault: vault/decks
        args, folder = ["build", ".", "--format", ALL_FORMATS], "decks"
    else:
        args, folder = ["build", messy_vault, "--out", messy_vault / "用語集", "--format", "md"], "用語集"
    before = vault_state(messy_vault, skip=(folder,))
    result = cli(*args)
    assert result.exit_code == 0, result.output
    after = vault_state(messy_vault, skip=(folder,))
    # the vault's top folder gained the output folder: its mtime moved, nothing else did
    assert {k: v for k, v in after.items() if k != "."} == {k: v for k, v in before.items() if k != "."}
    assert sorted(p.name for p in (messy_vault / folder).iterdir() if p.is_file())
    before = after
    assert cli(*args).exit_code == 0
    assert vault_state(messy_vault, skip=(folder,)) == before


@pytest.mark.parametrize("out_in_vault", [False, True], ids=["out elsewhere", "out in the vault"])
def test_sync_never_writes_the_vault(messy_vault, cli, tmp_path, out_in_vault):
    out = str(messy_vault / "用語集") if out_in_vault else "decks"
    skip = ("用語集",) if out_in_vault else ()
    config = sync_config(tmp_path, messy_vault, out, json.dumps(DECK), '["apkg", "csv", "json", "md"]')
    before = vault_state(messy_vault, skip)
    first = cli("sync", "--config", config)
    assert first.exit_code == 0, first.output
    after = vault_state(messy_vault, skip)
    if out_in_vault:  # the top folder gained 用語集/
        after.pop(".")
        before.pop(".")
    assert after == before
    before = vault_state(messy_vault, skip)
    again = cli("sync", "--config", config)
    assert "nothing changed" in again.output
    assert vault_state(messy_vault, skip) == before
    note = messy_vault / "通信" / "電波.md"
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("。\n\n[^itu]", "を調整する。\n\n[^itu]"), encoding="utf-8")
    before = vault_state(messy_vault, skip)  # the edit is ours: the reference is taken after it
    edited = cli("sync", "--config", config)
    assert edited.exit_code == 0 and "1 re-read" in edited.output, edited.output
    assert vault_state(messy_vault, skip) == before


# 3. A run killed at any moment leaves each output as it was or as the new complete version.

MAIN = "import sys; from glossdeck.cli import main; sys.argv[0] = 'glossdeck'; main()"
# Run glossdeck, logging the name of every file atomic.write_bytes puts in place to argv[1], and
# SIGKILL itself just before putting the file named argv[2] ('shard': the first cache shard) in place.
KILL_BEFORE = """\
import os, signal, sys
log, target = sys.argv.pop(1), sys.argv.pop(1)
real = os.replace
def replace(src, dst, *args, **kwargs):
    name = os.path.basename(dst)
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(name + "\\n")
    if name == target or (target == "shard" and name.startswith("notes-")):
        os.kill(os.getpid(), signal.SIGKILL)
    real(src, dst, *args, **kwargs)
os.replace = replace
""" + MAIN.replace("; ", "\n")


def big_note(i: int, suffix: str = "") -> str:
    letters = "".join(chr(65 + (i // 26**k) % 26) for k in (2, 1, 0))
    return (
        f"# メモ{i}\n\n第{i}機関（Q{letters}）[^a]と世界貿易機関（WTO）[^w]が協議した。\n\n"
        f"[^a]: Quality {letters} Organization{suffix}。\n[^w]: World Trade Organization。\n"
    )


ITU_TYPO = "\n国際電気通信連合（ITU）[^itu]\n\n[^itu]: International Telecomunication Union。\n"


def big_vault(root: Path, count: int) -> Path:
    """`count` small notes (a worker pool reads 200 or more), note 0 with a misspelt long form."""
    notes: dict[str, str | bytes] = {f"f{i % 8}/n{i:03d}.md": big_note(i) for i in range(count)}
    notes["f0/n000.md"] = str(notes["f0/n000.md"]) + ITU_TYPO
    write_vault(root, notes)
    for i, rel in enumerate(sorted(notes)):
        os.utime(root / rel, (MTIME + i, MTIME + i))
    return root


def change_notes(vault: Path) -> None:
    """A day's work: a misspelling corrected, four long forms edited, a note deleted, a note added."""
    first = vault / "f0" / "n000.md"
    first.write_text(first.read_text(encoding="utf-8").replace("Telecomunication", "Telecommunication"), "utf-8")
    edited = [vault / f"f{i % 8}" / f"n{i:03d}.md" for i in range(1, 5)]
    for i, path in enumerate(edited, 1):
        path.write_text(big_note(i, " Office"), encoding="utf-8")
    (vault / "f7" / "n007.md").unlink()
    (vault / "f0" / "new.md").write_text(big_note(9999), encoding="utf-8")
    for k, path in enumerate([first, *edited, vault / "f0" / "new.md"]):
        os.utime(path, (MTIME + 10_000 + k, MTIME + 10_000 + k))


def outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and not p.name.startswith(".")}


def temporaries(out: Path, cache: bool = True) -> list[str]:
    found = [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    if cache:
        found += [p.name for p in (out / CACHE).rglob("*.tmp")]
    return sorted(found)


def assert_readable(out: Path) -> None:
    """What a user opens: the .apkg is a zip with its collection, the CSV and the JSON files parse."""
    for path in out.glob("*.apkg"):
        with zipfile.ZipFile(path) as zf:
            assert zf.testzip() is None
            db = out.parent / "check.anki2"
            db.write_bytes(zf.read("collection.anki2"))
        conn = sqlite3.connect(db)
        try:
            assert conn.execute("select count(*) from notes").fetchone()[0] > 100
        finally:
            conn.close()
            db.unlink()
    for path in out.glob("*.csv"):
        assert len(list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))) > 100
    for path in out.glob("*.json"):
        assert json.loads(path.read_text(encoding="utf-8"))


def assert_old_or_new(out: Path, old: dict[str, bytes], new: dict[str, bytes]) -> None:
    now = outputs(out)
    assert now.keys() == old.keys() == new.keys()
    for name, data in now.items():
        assert data in (old[name], new[name]), f"{name} is neither the previous version nor the new one"
    assert_readable(out)
    for name in temporaries(out):
        assert name.startswith("."), name  # hidden: not a deck anyone imports


def run(args: list, cwd: Path, script: str = MAIN) -> subprocess.Popen:
    """Start glossdeck in a process of its own, its temporary folder ($TMPDIR) in `cwd`/tmpdir."""
    scratch = cwd / "tmpdir"
    scratch.mkdir(exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)], cwd=cwd, env={**os.environ, "TMPDIR": str(scratch)},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )


def end(proc: subprocess.Popen) -> str:
    """Wait for a run we started; kill what is left of its process group (pool workers); return its output."""
    output, _ = proc.communicate(timeout=60)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return output


def reset(out: Path, saved: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(saved, out)


def test_build_killed_at_any_moment_leaves_previous_or_new_outputs(tmp_path, cli):
    vault = big_vault(tmp_path / "vault", 240)
    out, saved, ref = tmp_path / "out", tmp_path / "saved", tmp_path / "ref"

    def build(folder: Path) -> list:
        return ["build", vault, "--out", folder, "--deck", DECK, "--format", ALL_FORMATS, "--wait", "10"]

    assert cli(*build(out)).exit_code == 0
    shutil.copytree(out, saved)
    old = outputs(out)
    change_notes(vault)
    # The new complete version: the same build, from the same registry and clock, in another folder.
    shutil.copytree(saved, ref)
    start = time.perf_counter()
    output = end(proc := run(build(ref), tmp_path))
    duration = time.perf_counter() - start
    assert proc.returncode == 0, output
    new = outputs(ref)
    assert [n for n in new if new[n] == old[n]] == []  # every file changes: each kill can tell them apart

    killed = 0
    for fraction in (0.1, 0.35, 0.5, 0.6, 0.68, 0.76, 0.84, 0.92):  # from start-up to the last writes
        reset(out, saved)
        proc = run(build(out), tmp_path)
        time.sleep(fraction * duration)
        proc.send_signal(signal.SIGKILL)  # the process alone, as `kill -9` or the OOM killer does
        end(proc)
        killed += proc.returncode == -signal.SIGKILL
        assert_old_or_new(out, old, new)
        result = cli(*build(out))
        assert result.exit_code == 0, result.output
        assert ".tmp" not in result.output  # a leftover temporary file is no output
        assert outputs(out) == new
        assert temporaries(out) == []
    assert killed >= 3, "the runs ended before they could be killed: nothing was tested"


def removals(output: str) -> list[str]:
    lines = [re.sub(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ", "", line) for line in output.splitlines()]  # a log's time
    return [line for line in lines if line.startswith("- ") or "find it in Anki" in line]


def test_sync_killed_before_each_write_recovers_and_still_announces_removals(tmp_path, cli):
    vault = big_vault(tmp_path / "vault", 210)
    formats = '["apkg", "csv", "json"]'
    config = sync_config(tmp_path, vault, "out", json.dumps(DECK), formats)
    ref_config = sync_config(tmp_path, vault, "ref", json.dumps(DECK), formats, name="ref.toml")
    out, saved, ref = tmp_path / "out", tmp_path / "saved", tmp_path / "ref"
    assert cli("sync", "--config", config).exit_code == 0
    shutil.copytree(out, saved)
    old = outputs(out)
    change_notes(vault)
    shutil.copytree(saved, ref)
    log = tmp_path / "written.log"
    reference = end(proc := run([log, "", "sync", "--config", ref_config], tmp_path, KILL_BEFORE))
    assert proc.returncode == 0, reference
    new = outputs(ref)
    announced = removals(reference)
    assert any(line.startswith("- QAAH") for line in announced), reference  # the deleted note's entry
    written = log.read_text(encoding="utf-8").split()
    points = [name for name in written if not name.startswith("notes-")] + ["shard"]
    assert {f"{DECK}.apkg", f"{DECK}.identity.json", "state.pickle", "index.pickle"} <= set(points)

    for target in points:
        reset(out, saved)
        log.unlink()
        end(proc := run([log, target, "sync", "--config", config, "--wait", "10"], tmp_path, KILL_BEFORE))
        assert proc.returncode == -signal.SIGKILL, target
        assert_old_or_new(out, old, new)
        left = temporaries(out)
        assert [n for n in left if n.startswith(".notes-") or is_temp_of(n, target)], (target, left)
        result = cli("sync", "--config", config, "--wait", "10")
        assert result.exit_code == 0, result.output
        assert ".tmp" not in result.output
        assert outputs(out) == new, target
        assert temporaries(out, cache=False) == [], target
        if "nothing changed" in result.output:
            # Killed once its outputs and the index were written: the removal is announced with the
            # next change, and that run's writes remove what the killed one left in the cache.
            note = vault / "f3" / "n011.md"
            text, st = note.read_bytes(), note.stat()
            note.write_text(big_note(11, " Bureau"), encoding="utf-8")
            later = cli("sync", "--config", config)
            note.write_bytes(text)
            os.utime(note, ns=(st.st_atime_ns, st.st_mtime_ns))
            assert set(announced) <= set(removals(later.output)), (target, later.output)
        else:
            assert removals(result.output) == announced, (target, result.output)
        assert temporaries(out) == [], target


# SIGKILL itself while packing the .apkg: between writing the collection and zipping it.
KILL_WHILE_PACKING = """\
import os, shutil, signal
shutil.copyfileobj = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
""" + MAIN.replace("; ", "\n")


def test_a_run_killed_while_packing_the_deck_leaves_nothing_outside_the_output_folder(make_vault, cli, tmp_path):
    vault = make_vault({"通商.md": NOTE})
    out = tmp_path / "out"
    (tmp_path / "tmpdir").mkdir()
    before = files_under(tmp_path)
    end(proc := run(["build", vault, "--out", out, "--deck", DECK], tmp_path, KILL_WHILE_PACKING))
    assert proc.returncode == -signal.SIGKILL
    assert cli("build", vault, "--out", out, "--deck", DECK).exit_code == 0
    assert_written_only_into(out, before, files_under(tmp_path))


def test_a_stale_temporary_file_is_removed_by_the_next_write_of_its_target(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".用語.apkg.ab12cd_9.tmp"
    others = [out / ".用語.apkg.x.apkg.ab12cd_9.tmp", out / ".用語.csv.ab12cd_9.tmp", out / "用語.apkg.ab12cd_9.tmp"]
    for path in (stale, *others):
        path.write_bytes(b"half a deck")
    assert atomic.write_bytes(out / "用語.apkg", b"deck")
    assert not stale.exists() and all(p.exists() for p in others)
    stale.write_bytes(b"half a deck")
    assert not atomic.write_bytes(out / "用語.apkg", b"deck")  # unchanged: not rewritten, still cleaned
    assert not stale.exists()
    assert is_temp_of(stale.name, "用語.apkg") and not is_temp_of(others[0].name, "用語.apkg")


def test_ctrl_c_between_two_renames_waits_until_every_output_is_in_place(tmp_path, monkeypatch):
    out = tmp_path / "out"
    batch = atomic.Batch()
    for name in ("用語.apkg", "用語.csv", "用語.json"):
        batch.stage(out / name, name.encode())
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        real(src, dst, *args, **kwargs)
        if str(dst).endswith(".apkg"):
            os.kill(os.getpid(), signal.SIGINT)  # the user presses Ctrl-C right after the first rename

    monkeypatch.setattr(atomic.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        batch.commit()
    assert sorted(p.name for p in out.iterdir()) == ["用語.apkg", "用語.csv", "用語.json"]
    assert (out / "用語.json").read_bytes() == "用語.json".encode()


# 4. The order of the writes: the identity registry and the Anki clock before the deck.

def kill_right_after_the_apkg(monkeypatch) -> None:
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        real(src, dst, *args, **kwargs)
        if str(dst).endswith(".apkg"):
            raise KeyboardInterrupt  # stands for a kill between the .apkg and the next write

    monkeypatch.setattr(atomic.os, "replace", replace)


@pytest.fixture(params=["build", "sync"])
def deck_run(request, tmp_path, cli):
    """A function running `glossdeck build` or `sync` on a vault into tmp_path/decks; returns the result."""

    def go(vault: Path, tag_folders: bool = False):
        if request.param == "build":
            flags = ["--tag-folders"] if tag_folders else []
            return cli("build", vault, "--out", tmp_path / "decks", "--deck", "用語集", "--format", "apkg,csv", *flags)
        extra = f"tag_folders = {str(tag_folders).lower()}\n"
        config = sync_config(tmp_path, vault, "decks", '"用語集"', extra=extra)
        return cli("sync", "--config", config)

    return go


def test_a_deck_written_just_before_a_kill_keeps_its_cards_identity(make_vault, tmp_path, deck_run, monkeypatch):
    typo = {**VAULT, "通商/経済連携.md": TRADE.replace("World Trade Organization", "World Trade Organizaton")}
    vault = write_fixture(make_vault, typo)
    apkg = tmp_path / "decks" / "用語集.apkg"
    with fresh_collection(tmp_path / "anki") as col:
        assert deck_run(vault).exit_code == 0
        import_apkg(col, apkg)
        wto = note_of(col, "WTO")
        review(col, wto.cards()[0].id, ease=4)
        studied = schedule(col, wto.cards()[0].id)

        note = vault / "通商" / "経済連携.md"
        note.write_text(TRADE, encoding="utf-8")  # the misspelling corrected
        os.utime(note, (MTIME + 3600, MTIME + 3600))
        with monkeypatch.context() as patch:
            kill_right_after_the_apkg(patch)
            assert deck_run(vault).exit_code == 130
        import_apkg(col, apkg)  # the deck on disk is the new one: the user imports it
        assert col.get_note(wto.id)["Expansion"] == "World Trade Organization"

        # Another note brings the old spelling back: a second meaning, not the studied card.
        article = vault / "通商" / "古い記事.md"
        article.write_text(typo["通商/経済連携.md"], encoding="utf-8")
        os.utime(article, (MTIME + 7200, MTIME + 7200))  # newer than the deck imported: Anki takes it
        assert deck_run(vault).exit_code == 0
        import_apkg(col, apkg)
        assert col.get_note(wto.id)["Expansion"] == "World Trade Organization"
        assert schedule(col, wto.cards()[0].id) == studied
        assert len(col.find_notes('"Term:WTO"')) == 2


def test_a_deck_written_just_before_a_kill_is_followed_by_updates_anki_takes(make_vault, tmp_path, deck_run,
                                                                              monkeypatch):
    vault = write_fixture(make_vault)
    apkg = tmp_path / "decks" / "用語集.apkg"
    with fresh_collection(tmp_path / "anki") as col:
        assert deck_run(vault).exit_code == 0
        import_apkg(col, apkg)
        note = vault / "通信" / "電波.md"
        who = "\n世界保健機関（WHO）[^who]\n\n[^who]: World Health Organization。\n"
        note.write_text(note.read_text(encoding="utf-8") + who, encoding="utf-8")  # a new card
        os.utime(note, (MTIME + 3600, MTIME + 3600))
        with monkeypatch.context() as patch:
            kill_right_after_the_apkg(patch)
            assert deck_run(vault).exit_code == 130
        import_apkg(col, apkg)
        # A new option changes every card, and no note is newer than the deck just imported.
        assert deck_run(vault, tag_folders=True).exit_code == 0
        import_apkg(col, apkg)
        assert "folder::通信" in note_of(col, "ITU").tags
