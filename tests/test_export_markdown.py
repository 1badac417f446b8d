"""The md output: one Obsidian note with the whole glossary, sorted, linking back to its notes."""

from __future__ import annotations

import html

from markdown_it import MarkdownIt

from anki_support import VAULT, build_deck, write_fixture
from glossdeck.export.markdown import md_escape


def test_glossary_note_is_sorted_and_links_back_with_wiki_links(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    out = tmp_path / "out"
    path = build_deck(vault, out, formats=("md",))["md"]
    assert path.parent == out and not list(vault.glob("*用語集*"))
    text = path.read_text("utf-8")
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["EPA", "ITU", "WTO"]
    epa = text.split("## EPA")[1].split("## ITU")[0]
    assert "**Economic Partnership Agreement** — 経済連携協定" in epa
    assert "> 二つ以上の国が" in epa
    assert "> —— [デジタル大辞泉](<https://kotobank.jp/word/x>)" in epa
    assert "[[通商/経済連携|通商政策のメモ]]（11・14行）" in epa
    assert "[[通信/電波|通信のメモ]]" in text.split("## ITU")[1]


def test_two_meanings_of_one_term_get_distinct_headings(make_vault, tmp_path):
    notes = {
        **VAULT,
        "環境/規制.md": "# 環境規制\n\n米国の環境保護庁（EPA）[^epa-us]は排出を規制する。\n\n"
        "[^epa-us]: Environmental Protection Agency。\n",
    }
    vault = write_fixture(make_vault, notes)
    text = build_deck(vault, tmp_path / "out", formats=("md",))["md"].read_text("utf-8")
    headings = [line[3:] for line in text.splitlines() if line.startswith("## EPA")]
    assert sorted(headings) == ["EPA (Economic Partnership Agreement)", "EPA (Environmental Protection Agency)"]


def test_text_that_obsidian_would_read_as_markup_is_shown_as_written():
    raw = "[[秘密]] #タグ ==強調== %%注%% <b>太字</b> *星* `式`"
    escaped = md_escape(raw)
    assert "[[" not in escaped and " #タグ" not in escaped and "<b>" not in escaped
    # A CommonMark renderer (Obsidian's base) shows the escaped text exactly as the user wrote it.
    rendered = MarkdownIt("commonmark").renderInline(escaped)
    assert rendered == html.escape(raw, quote=False)
