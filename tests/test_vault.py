"""Reading the vault: every note is read, bad ones are reported with file and line, none stops the rest."""

from __future__ import annotations

import json

from glossdeck.vault import parse_note, read_vault, walk

GOOD = "# 良いノート\n\n世界貿易機関（WTO[^wto]）。\n\n[^wto]: World Trade Organization。\n"


def terms(cli, vault) -> list[str]:
    return [e["term"] for e in json.loads(cli("harvest", vault, "--format", "json").stdout)]


def test_walk_skips_obsidian_trash_and_other_files(make_vault):
    vault = make_vault({
        "a.md": GOOD,
        "sub/b.md": GOOD,
        ".obsidian/c.md": GOOD,
        ".trash/d.md": GOOD,
        "image.png": b"\x89PNG",
        "notes.txt": "text",
    })
    assert [f.rel for f in walk(vault)] == ["a.md", "sub/b.md"]


def test_lines_count_the_frontmatter(make_vault):
    text = "---\ntitle: 題\ntags: [x]\n---\n# 見出し\n\n国際連合(UN)の話。\n"
    note, problems = parse_note(text, "n.md")
    assert problems == []
    assert note.title == "題"
    line = [b for b in note.blocks if "UN" in b.text][0].line
    assert text.splitlines()[line - 1] == "国際連合(UN)の話。"


def test_bom_note_keeps_its_frontmatter(make_vault, cli):
    vault = make_vault({"bom.md": "\ufeff---\ntitle: BOMつき\ntags: [t]\n---\n" + GOOD})
    entries = json.loads(cli("harvest", vault, "--format", "json").stdout)
    assert entries[0]["sources"][0]["title"] == "BOMつき"
    assert entries[0]["tags"] == ["t"]


def test_shift_jis_note_is_read_with_a_warning(make_vault, cli):
    vault = make_vault({"sjis.md": GOOD.encode("cp932"), "ok.md": GOOD})
    result = cli("harvest", vault, "--format", "json")
    assert result.exit_code == 0
    assert "sjis.md:1: not valid UTF-8: read as Shift_JIS (CP932)" in result.stderr
    entries = json.loads(result.stdout)
    assert {s["path"] for s in entries[0]["sources"]} == {"sjis.md", "ok.md"}


def test_binary_note_is_skipped_and_the_rest_goes_on(make_vault, cli):
    vault = make_vault({"broken.md": b"\x00\x01\x02binary", "ok.md": GOOD})
    result = cli("build", vault, "--out", vault.parent / "out")
    assert result.exit_code == 0
    assert "broken.md:1: binary file, skipped" in result.stderr
    assert "1 entry from 1 note, 1 warning" in result.stdout


def test_bad_frontmatter_is_reported_and_the_body_harvested(make_vault, cli):
    vault = make_vault({"bad.md": "---\ntitle: [unclosed\ntags: x\n---\n" + GOOD})
    result = cli("harvest", vault, "--format", "json")
    assert "bad.md:" in result.stderr and "invalid YAML frontmatter" in result.stderr
    entries = json.loads(result.stdout)
    assert entries[0]["term"] == "WTO"
    assert entries[0]["sources"][0]["line"] == 7  # the body's line in the original file


def test_strict_turns_warnings_into_exit_1(make_vault, cli):
    vault = make_vault({"bad.md": "---\ntitle: [unclosed\n---\n" + GOOD})
    assert cli("build", vault, "--out", vault.parent / "o", "--strict").exit_code == 1


def test_yaml_alias_bomb_is_harmless(make_vault):
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9)
    ) + "tags: *j\n---\n" + GOOD
    vault = make_vault({"bomb.md": bomb})
    notes, problems = read_vault(vault)
    assert notes[0].tags == ()
    assert [(p.path, "alias bomb" in p.message) for p in problems] == [("bomb.md", True)]


def test_build_never_modifies_the_vault(make_vault, cli):
    vault = make_vault({"a.md": GOOD, "sub/b.md": GOOD})
    before = {p: p.read_bytes() for p in vault.rglob("*") if p.is_file()}
    assert cli("build", vault, "--out", vault.parent / "out", "--format", "apkg,csv,json").exit_code == 0
    after = {p: p.read_bytes() for p in vault.rglob("*") if p.is_file()}
    assert after == before


def test_the_glossary_note_written_into_the_vault_is_not_harvested_back(make_vault, cli):
    vault = make_vault({"a.md": GOOD})
    assert cli("build", vault, "--out", vault / "glossary", "--format", "md").exit_code == 0
    assert list((vault / "glossary").glob("*.md"))
    entries = json.loads(cli("harvest", vault, "--format", "json").stdout)
    assert [s["path"] for s in entries[0]["sources"]] == ["a.md", "a.md"]


def test_hidden_folders_and_files_are_not_notes(make_vault, cli):
    vault = make_vault({"a.md": GOOD, ".stversions/a~old.md": GOOD.replace("World", "Old World"), ".hidden.md": GOOD})
    entries = json.loads(cli("harvest", vault, "--format", "json").stdout)
    assert [(e["term"], e["expansion"]) for e in entries] == [("WTO", "World Trade Organization")]


def test_a_file_name_that_is_not_utf8_is_skipped_with_a_warning(tmp_path, cli):
    vault = tmp_path / "v"
    vault.mkdir()
    (vault / "ok.md").write_text(GOOD, encoding="utf-8")
    (vault / "ok.md").parent.joinpath(b"bad\xff.md".decode("utf-8", "surrogateescape")).write_text(GOOD)
    result = cli("build", vault, "--out", tmp_path / "out", "--format", "apkg,csv,json")
    assert result.exit_code == 0, result.output
    assert "file name is not UTF-8: skipped" in result.stderr
    assert "1 entry from 1 note" in result.stdout


def test_output_folder_inside_the_vault_is_not_read_back(make_vault, cli):
    vault = make_vault({"a.md": GOOD})
    assert cli("build", vault, "--out", vault / "decks", "--format", "md,json").exit_code == 0
    (vault / "decks" / "extra.md").write_text(GOOD.replace("World", "Other World"), encoding="utf-8")
    result = cli("build", vault, "--out", vault / "decks", "--format", "md,json")
    assert "entry from 1 note" in result.stdout


def test_escaped_footnote_syntax_is_text(make_vault, cli):
    vault = make_vault({"e.md": "a \\^[not a note] and \\[^wto] here.\n\nWTO^[World Trade Organization。]\n"})
    entries = json.loads(cli("harvest", vault, "--format", "json").stdout)
    assert [(e["term"], e["expansion"]) for e in entries] == [("WTO", "World Trade Organization")]
    assert cli("lint", vault).exit_code == 0


def test_bad_frontmatter_names_the_line_of_the_error(make_vault, cli):
    vault = make_vault({"x.md": "---\na: 1\nb: : x\n---\n" + GOOD})
    assert "x.md:3: invalid YAML frontmatter" in cli("harvest", vault, "--format", "json").stderr
