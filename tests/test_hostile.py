"""Broken and hostile notes: keep going, lose nothing, let nothing through.

tests/fixtures/hostile holds one note of each kind a real vault collects: a BOM, Shift_JIS, a binary
file named .md, an empty note, a note of frontmatter only, invalid YAML, non-text keys and a
`content` key, a frontmatter that never closes, an alias bomb, a `!!python` tag, HTML and
`javascript:` links, spreadsheet formulas, thousands of unclosed brackets, control characters and
CRLF line ends. Each good note defines one acronym the build must find.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES
from glossdeck import parallel
from glossdeck.harvest import harvest_note
from glossdeck.lint import lint_note
from glossdeck.vault import cut, inline_note_spans, note_from_bytes, parse_note, pieces, read_vault, walk
from glossdeck.vault import files as vault_files

HOSTILE = FIXTURES / "hostile"
GOOD = "# 良いノート\n\n世界貿易機関（WTO[^wto]）。\n\n[^wto]: World Trade Organization。\n"

# every acronym a good note of the fixture vault defines
HARVESTED = {"WHO", "ILO", "IMF", "WTO", "IAEA", "ICAO", "IMO", "CSP", "OECD", "ITU", "GPS", "UPU", "WMO"}
# each bad file, and what its warning says
WARNED = {
    "binary.md:1": "binary file",
    "cp932.md:1": "Shift_JIS",
    "bad-yaml.md:4": "invalid YAML",
    "odd-keys.md:2": "`1` is not text",
    "odd-keys.md:3": "`yes` is not text",
    "odd-keys.md:4": "`content`",
    "unclosed.md:1": "never closes",
    "alias-bomb.md:": "alias bomb",
    "python-tag.md:2": "`title` is a list",
}


def tree_digest(root: Path) -> dict[str, tuple]:
    """Every path under root (symlinks as links) with its kind, size, mtime and content hash."""
    out: dict[str, tuple] = {}
    for dirpath, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(dirpath) / name
            st = path.lstat()
            if path.is_symlink():
                out[str(path)] = ("link", os.readlink(path))
            elif path.is_file():
                out[str(path)] = ("file", st.st_size, st.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
            else:
                out[str(path)] = ("dir", st.st_mtime_ns)
    return out


def big_note(size: int) -> str:
    """A pasted note of about `size` characters: many blocks, one acronym defined at the very end."""
    unit = (
        "## 節\n\n"
        "地域の課題を解くため、関係機関と連携して制度づくりを進めてきた（詳しくは後述）。"
        "[資料](https://example.org/a)を参照。\n\n"
        "- 項目の一つ目\n- 項目の二つ目\n    続きの行\n\n"
        "```text\n[^code]: コードの中は脚注ではない\n```\n\n"
    )
    body = unit * (size // len(unit) + 1)
    return "冒頭で国連教育科学文化機関（UNESCO[^unesco]）に触れる。\n\n" + body + (
        "[^unesco]: United Nations Educational, Scientific and Cultural Organization\n"
    )


@pytest.fixture
def hostile_vault(tmp_path: Path) -> Path:
    """The fixture vault, plus what git cannot hold: symlink loops, broken links and a big note."""
    vault = tmp_path / "hostile"
    shutil.copytree(HOSTILE, vault)
    (vault / "sub").mkdir()
    (vault / "sub" / "loop").symlink_to("..")
    (vault / "again").symlink_to("sub")
    (vault / "missing.md").symlink_to("nowhere.md")
    (vault / "self.md").symlink_to("self.md")
    (vault / "sub" / "big.md").write_text(big_note(600_000), encoding="utf-8")
    return vault


def test_a_vault_of_broken_and_hostile_notes_builds_and_names_every_bad_file(hostile_vault, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = tree_digest(hostile_vault)
    out = tmp_path / "out"
    result = cli("build", hostile_vault, "--out", out, "--format", "apkg,csv,json,anki-csv")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output

    entries = json.loads((out / "hostile.json").read_text(encoding="utf-8"))
    terms = {e["term"] for e in entries}
    assert HARVESTED | {"UNESCO"} <= terms

    warnings = result.stderr.splitlines()
    for where, what in WARNED.items():
        assert any(w.startswith(where) and what in w for w in warnings), (where, what, warnings)
    assert any(w.startswith("sub/loop:1: symlink loop") for w in warnings), warnings
    assert any(w.startswith("again:1: same folder as sub") for w in warnings), warnings
    assert any(w.startswith("missing.md:1: symlink to a file that does not exist") for w in warnings)
    assert any(w.startswith("self.md:1: symlink loop") for w in warnings)
    assert all(re.match(r"[^:]+:\d+: ", w) for w in warnings), warnings

    assert tree_digest(hostile_vault) == before  # the vault is never written
    assert not list(tmp_path.rglob("glossdeck-was-here"))  # the !!python tag never ran
    assert_no_formula(out / "hostile.csv")
    assert_no_script(out / "hostile.apkg")
    assert cli("build", hostile_vault, "--out", out, "--strict").exit_code == 1


def assert_no_formula(path: Path) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert any("=1+1" in cell for cell in cells)  # the remark is there, defused
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def assert_no_script(apkg: Path) -> None:
    with zipfile.ZipFile(apkg) as zf:
        data = zf.read("collection.anki2")
    db = sqlite3.connect(":memory:")
    db.deserialize(data)
    fields = [f for (flds,) in db.execute("select flds from notes") for f in flds.split("\x1f")]
    assert any("&lt;script&gt;" in f for f in fields)  # shown as text, not run
    for field in fields:
        lowered = field.lower()
        assert "<script" not in lowered and "javascript:" not in lowered
        assert not re.search(r"<[^>]*\son\w+\s*=", lowered), field
        for href in re.findall(r'href="([^"]*)"', field):
            assert href.startswith(("https://", "http://", "obsidian://")), href


# --- frontmatter: only title, url and tags are read, each checked ------------------------------


@pytest.mark.parametrize(
    ("frontmatter", "warning", "title"),
    [
        ("1: 数\nyes: 真\ntitle: 題\n", "frontmatter key `1` is not text", "題"),
        ("[1, 2]: 組\ntitle: 題\n", "frontmatter key (a list) is not text", "題"),
        ("content: 本文\ntitle: 題\n", "frontmatter key `content`", "題"),
        ("title: [一, 二]\n", "frontmatter `title` is a list, not text", None),
        ("tags:\n  - {a: b}\n  - 良い\ntitle: 題\n", "a tag in frontmatter `tags` is a mapping", "題"),
        ("- 一\n- 二\n", "frontmatter is not a list of `key: value` lines", None),
        ("title: [閉じない\n", "invalid YAML frontmatter", None),
        ("a: &a [*a]\ntags: *a\ntitle: 題\n", "alias bomb", "題"),
    ],
    ids=["number-and-bool-keys", "list-key", "content-key", "list-title", "mapping-tag", "not-a-mapping",
         "invalid", "self-alias"],
)
def test_odd_frontmatter_is_warned_about_and_the_rest_is_read(frontmatter, warning, title):
    note, problems = parse_note(f"---\n{frontmatter}---\n{GOOD}", "n.md")
    assert [p.message for p in problems if warning in p.message], problems
    assert all(p.path == "n.md" and p.line >= 1 for p in problems)
    assert note.title == (title or "n")  # no title: the file name, as Obsidian shows it
    assert [c.term for c in harvest_note(note)][:1] == ["WTO"]


def test_a_bad_value_elsewhere_in_the_frontmatter_does_not_cost_the_title():
    text = "---\ncreated: 2024-13-45\nsize: " + "9" * 5000 + "\ntitle: 題\ntags: [良い, 2024]\n---\n" + GOOD
    note, problems = parse_note(text, "n.md")
    assert problems == []
    assert (note.title, note.tags) == ("題", ("良い", "2024"))


def test_the_yaml_loader_builds_no_python_objects(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = '---\ntitle: !!python/object/apply:os.system ["touch ran"]\nurl: !!python/name:os.system\n---\n' + GOOD
    note, problems = parse_note(text, "n.md")
    assert not (tmp_path / "ran").exists()
    assert note.url is None
    assert [c.term for c in harvest_note(note)][:1] == ["WTO"]


def test_an_alias_bomb_is_named_once_and_the_note_harvested():
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9)
    ) + "tags: *j\ntitle: 題\n---\n" + GOOD
    note, problems = parse_note(bomb, "bomb.md")
    assert len(problems) == 1 and "alias bomb" in problems[0].message and "`tags`" in problems[0].message
    assert (note.title, note.tags) == ("題", ())
    assert [c.term for c in harvest_note(note)][:1] == ["WTO"]


def test_a_frontmatter_that_never_closes_is_named_and_read_as_body():
    note, problems = parse_note("---\ntitle: 題\n\n" + GOOD, "n.md")
    assert [(p.line, p.kind) for p in problems] == [(1, "bad-frontmatter")]
    assert [c.term for c in harvest_note(note)][:1] == ["WTO"]


def test_a_note_that_opens_with_a_rule_is_no_broken_frontmatter():
    note, problems = parse_note("---\n\n" + GOOD, "n.md")
    assert problems == []
    assert [c.term for c in harvest_note(note)][:1] == ["WTO"]


# --- big notes are parsed in pieces -----------------------------------------------------------


@pytest.mark.parametrize(
    "path", sorted((FIXTURES / "harvest").glob("*.md")), ids=lambda p: p.stem
)
def test_a_note_read_in_small_pieces_gives_what_it_gives_whole(path, monkeypatch):
    text = path.read_text(encoding="utf-8")
    whole = harvest_note(parse_note(text, "n.md")[0])
    monkeypatch.setattr(cut, "BIG_NOTE", 512)
    assert harvest_note(parse_note(text, "n.md")[0]) == whole


def test_a_big_note_is_harvested_with_its_lines_right_and_its_code_left_alone():
    text = big_note(700_000)
    assert len(list(pieces(text, 0, cut.BIG_NOTE))) > 4
    note, problems = parse_note(text, "big.md")
    assert problems == []
    found = harvest_note(note)
    assert {c.term for c in found} == {"UNESCO"}
    assert "United Nations Educational, Scientific and Cultural Organization" in {c.expansion for c in found}
    lines = text.splitlines()
    for fn in note.footnotes:  # every definition starts on the line that says so
        assert lines[fn.line - 1].startswith(f"[^{fn.label}]:")
    assert {fn.label for fn in note.footnotes} == {"unesco"}  # the ones in code blocks are code


def test_a_fenced_block_cut_in_two_stays_code():
    code = "```\n" + "".join(f"[^c{i}]: コードの中\n" for i in range(200)) + "```\n"
    text = "前文[^a]\n\n" + code + "\n[^a]: Alpha Beta\n"
    split = list(pieces(text, 0, 256))
    assert len(split) > 2 and split[1][0].startswith("```")  # the next piece reopens the fence
    whole = parse_note(text, "n.md")[0]
    assert [fn.label for fn in whole.footnotes] == ["a"]


def test_one_enormous_line_is_cut_between_words():
    line = "国際電気通信連合（ITU）の会合。" * 40_000  # 640k characters: past HUGE_BLOCK pieces of 20k
    split = list(pieces(line, 3, 20_000))
    assert len(split) > 3
    assert "".join(p for p, _ in split) == line
    assert all(p.endswith("。") for p, _ in split[:-1]) and {n for _, n in split} == {3}


def test_a_big_note_without_blank_lines_is_never_cut_inside_a_footnote(monkeypatch):
    monkeypatch.setattr(cut, "BIG_NOTE", 4096)
    filler = "".join(f"会合{i}では多くの議題が話し合われた。\n" for i in range(2000))  # no blank line anywhere
    mention = "国際電気通信連合（ITU[^itu]）\n"
    lead = filler[:filler.index("\n", 4096 - 40 - len(mention)) + 1]
    definition = "[^itu]: International Telecommunication\nUnion。\n"
    text = lead + mention + definition + filler + "# 次の節\n" + filler
    start = len(lead + mention)
    assert start < 4096 < start + definition.index("\n")  # the piece's size falls inside the long form
    split = list(pieces(text, 0))
    assert len(split) > 1
    assert not any(p.rstrip("\n").endswith("Telecommunication") for p, _ in split)
    for piece, lines_before in split:  # a piece starts at a block's first line, and counts lines right
        assert text.splitlines()[lines_before] == piece.splitlines()[0]
    from glossdeck.normalise import merge

    entries = merge(harvest_note(parse_note(text, "n.md")[0]))
    assert [e.expansion for e in entries if e.term == "ITU"] == ["International Telecommunication Union"]


def test_a_paragraph_is_cut_only_when_it_is_enormous():
    paragraph = "".join(f"文{i}。\n" for i in range(3000))  # one paragraph of lazy lines
    assert len(list(pieces(paragraph, 0, 1024))) > 1  # 16 pieces' worth and more: cut after a sentence
    assert len(list(pieces(paragraph[:12_000], 0, 1024))) == 1  # under that: never inside it


# --- pathological text: linear time, no recursion errors --------------------------------------

# Runs of these, tens of thousands long, made markdown-it's footnote rules, label-typo matching,
# citation and link patterns quadratic (seconds to minutes) before; they must now pass quickly,
# and the good acronym beside them must still be found. (Timings: bench/hostile.py.)
HOSTILE_RUNS = [
    "（", "(", "[", "「", "^[", "[^", "[a](", "](", "![[", "[[", "（ITU（", "`", "<", "*", "\\",
    "[^a]: ", "（ABC[^a]", "x[^a]\n", "（[辞典 「語」](https://example.org/x)より）", "「語",
    "<!--", "$$", "%%", "（略称：ITU）", "Alpha Beta (AB) ",
]


@pytest.mark.parametrize("unit", HOSTILE_RUNS)
def test_a_paragraph_of_thousands_of_one_pattern_is_read_and_the_rest_harvested(unit):
    text = GOOD + "\n" + unit * 20_000 + "\n"
    note, _ = parse_note(text, "n.md")
    assert "WTO" in {c.term for c in harvest_note(note)}
    lint_note(note)


def test_nested_brackets_and_inline_footnotes_thousands_deep_raise_nothing():
    for text in ("^[" * 5000 + "x" + "]" * 5000, "[" * 5000 + "]" * 5000, "（" * 5000 + "ITU" + "）" * 5000,
                 "> " * 5000 + "x", "- " * 5000 + "x"):
        note, _ = parse_note(GOOD + "\n" + text + "\n", "n.md")
        assert "WTO" in {c.term for c in harvest_note(note)}


def test_inline_footnotes_pair_their_brackets_like_markdown_it():
    raw = r"a^[one [nested] two] b \^[not] c^[open d^[x]"
    spans = [(raw[s:s + 2], raw[s + 2:e]) for s, e in inline_note_spans(raw)]
    assert spans == [("^[", "one [nested] two"), ("^[", "x")]


# --- the vault's files: links, loops, unreadable folders, notes that change under us ----------


def test_symlinked_folders_are_followed_once_and_loops_are_not(make_vault):
    vault = make_vault({"real/a.md": GOOD})
    (vault / "link").symlink_to("real")
    (vault / "real" / "up").symlink_to("..")
    problems: list = []
    assert [f.rel for f in walk(vault, problems=problems)] == ["real/a.md"]
    assert [(p.path, p.message.split(":")[0]) for p in problems] == [
        ("link", "same folder as real (a symlink)"), ("real/up", "symlink loop"),
    ]


def test_a_symlinked_folder_outside_the_vault_is_read(make_vault, tmp_path):
    outside = make_vault({"b.md": GOOD})
    vault = make_vault({"a.md": "# 空\n"})
    (vault / "shared").symlink_to(outside)
    assert [f.rel for f in walk(vault)] == ["a.md", "shared/b.md"]


def test_a_folder_that_cannot_be_read_is_named_and_the_rest_read(make_vault, cli, monkeypatch):
    vault = make_vault({"ok.md": GOOD, "locked/b.md": GOOD})
    real_scandir = os.scandir

    def scandir(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = cli("harvest", vault, "--format", "json")
    assert result.exit_code == 0
    assert "locked:1: cannot read folder: Permission denied" in result.stderr
    assert [s["path"] for s in json.loads(result.stdout)[0]["sources"]] == ["ok.md", "ok.md"]


def test_a_note_deleted_during_the_run_is_named_and_the_rest_harvested(make_vault, cli, monkeypatch):
    vault = make_vault({"a.md": GOOD, "b.md": GOOD})
    real = parallel.read_file

    def read_file(nf):
        if nf.rel == "a.md":
            nf.path.unlink()
        return real(nf)

    monkeypatch.setattr(parallel, "read_file", read_file)
    result = cli("build", vault, "--out", vault.parent / "out", "--format", "json")
    assert result.exit_code == 0
    assert "a.md:1: vanished during the run (deleted or renamed): skipped" in result.stderr
    entries = json.loads((vault.parent / "out" / f"{vault.name}.json").read_text(encoding="utf-8"))
    assert {s["path"] for s in entries[0]["sources"]} == {"b.md"}


def test_a_note_that_keeps_changing_while_read_is_harvested_with_a_warning(make_vault, monkeypatch):
    vault = make_vault({"a.md": GOOD})
    note = vault / "a.md"
    inode = note.stat().st_ino
    real = os.read

    def read(fd: int, size: int) -> bytes:
        data = real(fd, size)
        if data and os.fstat(fd).st_ino == inode:
            with open(note, "a", encoding="utf-8") as fh:  # a sync client appending as we read
                fh.write("\n追記。\n")
        return data

    monkeypatch.setattr(os, "read", read)
    notes, problems = read_vault(vault)
    assert [(p.path, p.kind) for p in problems] == [("a.md", "changed-while-read")]
    assert "WTO" in {c.term for c in harvest_note(notes[0])}


def test_a_file_too_big_to_be_a_note_is_skipped_with_a_warning(make_vault, monkeypatch):
    vault = make_vault({"dump.md": "x" * 5000, "ok.md": GOOD})
    monkeypatch.setattr(vault_files, "MAX_NOTE_BYTES", 4096)
    notes, problems = read_vault(vault)
    assert [n.path for n in notes] == ["ok.md"]
    assert [(p.path, "larger than any note" in p.message) for p in problems] == [("dump.md", True)]


def test_control_characters_are_dropped_and_the_note_is_read():
    text = "万国郵便連合（UPU[^u]）\x1f\x07。\n\n[^u]: Universal\x1f Postal Union\n"
    note, _ = note_from_bytes(text.encode(), "n.md", 0)
    (cand, *_) = [c for c in harvest_note(note) if c.expansion]
    assert cand.expansion == "Universal Postal Union"


def test_a_utf16_note_from_windows_notepad_is_read_with_a_warning(make_vault, cli):
    vault = make_vault({"utf16.md": GOOD.encode("utf-16"), "half.md": b"\xff\xfe" + GOOD.encode("utf-8")[:9]})
    result = cli("harvest", vault, "--format", "json")
    assert "utf16.md:1: UTF-16, not UTF-8: read as UTF-16" in result.stderr
    assert "half.md:1: starts like UTF-16 but is not: skipped" in result.stderr
    assert [e["term"] for e in json.loads(result.stdout)] == ["WTO"]


# Special files named .md, and notes caught while an editor rewrites them.

SPECIAL_RUN = """\
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))  # a run reading /dev/zero stops at 2 GB
from glossdeck.cli import main
sys.argv[0] = "glossdeck"
main()
"""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("command", ["build", "sync", "lint"])
def test_a_fifo_or_a_link_to_a_device_is_skipped_with_a_warning_and_never_read(command, make_vault, tmp_path):
    import subprocess
    import sys

    vault = make_vault({"a.md": GOOD})
    os.mkfifo(vault / "pipe.md")  # opening it to read would wait for a writer for ever
    (vault / "zero.md").symlink_to("/dev/zero")  # reading it would never end
    (tmp_path / "glossdeck.toml").write_text(f'vault = "{vault}"\n', encoding="utf-8")
    args = {"build": ["build", vault, "--out", tmp_path / "out"], "sync": ["sync"], "lint": ["lint", vault]}[command]
    proc = subprocess.run([sys.executable, "-c", SPECIAL_RUN, *map(str, args)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == (1 if command == "lint" else 0), proc.stderr
    kind = "unreadable-note: " if command == "lint" else ""  # lint names each problem's kind
    assert f"pipe.md:1: {kind}a FIFO (named pipe), not a regular file: skipped" in proc.stdout + proc.stderr
    assert f"zero.md:1: {kind}a device, not a regular file: skipped" in proc.stdout + proc.stderr


def test_a_file_that_grows_past_the_size_cap_while_read_is_not_read_past_it(make_vault, monkeypatch):
    vault = make_vault({"grows.md": "x" * 1000, "ok.md": GOOD})
    monkeypatch.setattr(vault_files, "MAX_NOTE_BYTES", 4096)
    path = vault / "grows.md"
    real = os.read
    sizes: list[int] = []

    def read(fd: int, size: int) -> bytes:
        sizes.append(size)
        if os.fstat(fd).st_ino == path.stat().st_ino and path.stat().st_size < 100_000:
            with open(path, "a") as fh:  # a runaway writer: it grows whenever it is read
                fh.write("y" * 50_000)
        return real(fd, size)

    monkeypatch.setattr(os, "read", read)
    notes, problems = read_vault(vault)
    assert [n.path for n in notes] == ["ok.md"]
    assert [(p.path, "larger than any note" in p.message) for p in problems] == [("grows.md", True)]
    assert max(sizes) <= 4097  # never asked for more than the cap allows


def test_a_note_caught_empty_while_an_editor_rewrites_it_is_read_again(make_vault, monkeypatch):
    import threading

    vault = make_vault({"a.md": GOOD})
    note = vault / "a.md"
    note.write_bytes(b"")  # the editor has truncated it, and writes it again a moment later
    writer = threading.Timer(0.3, lambda: note.write_text(GOOD, encoding="utf-8"))
    writer.start()
    try:
        notes, problems = read_vault(vault)
    finally:
        writer.join()
    assert problems == []
    assert "WTO" in {c.term for c in harvest_note(notes[0])}


def test_an_empty_note_that_stays_empty_is_an_empty_note(make_vault):
    vault = make_vault({"empty.md": ""})
    os.utime(vault / "empty.md", (1_700_000_000, 1_700_000_000))  # emptied long ago: no wait
    notes, problems = read_vault(vault)
    assert [n.path for n in notes] == ["empty.md"] and problems == []
