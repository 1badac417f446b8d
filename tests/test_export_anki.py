"""The .apkg as a user meets it in real Anki: cards, links, tags, decks, reverse cards, safe HTML, clean writes."""

from __future__ import annotations

import os
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from anki_support import (
    MTIME,
    build_deck,
    edit,
    fresh_collection,
    import_apkg,
    note_of,
    review,
    schedule,
    write_fixture,
)
from glossdeck import atomic
from glossdeck.errors import GlossdeckError
from glossdeck.export.anki import WORD_JOINER, AnkiOptions, write_apkg
from glossdeck.export.notetype import model
from glossdeck.model import Entry, Glossary, Source


def test_card_shows_term_then_meaning_definition_and_where_it_came_from(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, build_deck(vault, tmp_path / "out")["apkg"])
        card = note_of(col, "EPA").cards()[0]
        question, answer = card.question(), card.answer()
        assert "EPA" in question and "Economic Partnership Agreement" not in question
        for text in ("Economic Partnership Agreement", "経済連携協定", "関税の引き下げ", "デジタル大辞泉"):
            assert text in answer
        assert '<a href="https://kotobank.jp/word/x">デジタル大辞泉</a>' in answer
        vault_name = vault.name
        obsidian = f"obsidian://open?vault={vault_name}&amp;file=%E9%80%9A%E5%95%86%2F%E7%B5%8C%E6%B8%88%E9%80%A3%E6%90%BA"
        assert f'<a href="{obsidian}">通商政策のメモ</a>' in answer
        assert '<a href="https://example.org/trade/memo">example.org</a>' in answer


def test_frontmatter_tags_become_anki_tags_without_spaces_and_folders_on_request(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, build_deck(vault, tmp_path / "out", tag_folders=True)["apkg"])
        assert sorted(note_of(col, "WTO").tags) == ["folder::通商", "国際_機関", "白書::第1部", "通商"]
        assert sorted(note_of(col, "ITU").tags) == ["folder::通信", "通信"]


def test_without_tag_folders_only_the_notes_own_tags_are_used(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, build_deck(vault, tmp_path / "out")["apkg"])
        assert sorted(note_of(col, "ITU").tags) == ["通信"]


def test_subdecks_put_each_top_folder_in_its_own_deck(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, build_deck(vault, tmp_path / "out", subdecks=True)["apkg"])
        deck_of = {t: col.decks.name(note_of(col, t).cards()[0].did) for t in ("WTO", "EPA", "ITU")}
        assert deck_of == {"WTO": "用語集::通商", "EPA": "用語集::通商", "ITU": "用語集::通信"}


def test_reverse_cards_can_be_switched_on_later_without_conflicts_or_lost_reviews(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    out = tmp_path / "out"
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, build_deck(vault, out)["apkg"])
        assert col.card_count() == 3
        card_id = note_of(col, "WTO").cards()[0].id
        review(col, card_id)
        studied = schedule(col, card_id)

        edit(vault, "通信/電波.md", "調整する", "調整している", MTIME + 60)
        log = import_apkg(col, build_deck(vault, out, reverse=True)["apkg"])

        assert not log.conflicting and col.note_count() == 3 and col.card_count() == 6
        reverse = [c for c in note_of(col, "WTO").cards() if c.ord == 1][0]
        assert "World Trade Organization" in reverse.question() and "WTO" not in reverse.question()
        assert "WTO" in reverse.answer()
        assert schedule(col, card_id) == studied


def _hostile_glossary() -> Glossary:
    src = Source("悪意/メモ.md", 3, "<b>題</b>", "javascript:alert(1)")
    entry = Entry(
        key="xss",
        term="<script>alert('term')</script>",
        kind="term",
        expansion=None,
        aliases=('<img src=x onerror="alert(1)">',),
        definition="危険な<iframe src=//evil.example>定義",
        definition_source="辞書<script>",
        definition_url="javascript:alert(2)",
        remarks=("<style>.card{display:none}</style>",),
        sources=(src, Source("悪意/別.md", 4, "別", "data:text/html,x")),
        tags=(),
    )
    return Glossary(name="危険", entries=(entry,), timestamp=MTIME, vault_name="v")


def test_field_text_is_escaped_and_only_web_and_obsidian_links_survive(tmp_path):
    path = tmp_path / "x.apkg"
    write_apkg(_hostile_glossary(), path)
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, path)
        card = col.get_card(col.find_cards("")[0])
        html = card.question() + card.answer()
    for raw in ("<script", "<img", "<iframe", "<style>.card{display", "<b>題"):
        assert raw not in html
    assert "&lt;script&gt;alert(&#x27;term&#x27;)&lt;/script&gt;" in html
    assert "javascript:" not in html and "data:text" not in html
    assert 'href="obsidian://open?vault=v&amp;file=' in html


def test_writing_a_deck_leaves_no_temporary_files(make_vault, tmp_path, monkeypatch):
    vault = write_fixture(make_vault)
    scratch = tmp_path / "tmpdir"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", None)  # make tempfile read TMPDIR again
    out = tmp_path / "out"
    build_deck(vault, out, formats=("apkg", "anki-csv", "csv", "json", "md"))
    assert tempfile.gettempdir() == str(scratch)
    assert list(scratch.iterdir()) == []
    # the deck's lock, hidden beside it (a build takes it as sync does); a build keeps no cache
    leftovers = [p.name for p in out.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]
    assert leftovers == [".用語集.lock"]


def test_a_failed_write_keeps_the_previous_deck_whole(make_vault, tmp_path, monkeypatch):
    vault = write_fixture(make_vault)
    out = tmp_path / "out"
    apkg = build_deck(vault, out)["apkg"]
    before = apkg.read_bytes()
    edit(vault, "通信/電波.md", "国際電気通信連合", "国際電気通信連合機関", MTIME + 60)  # a new alias: a new deck

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", disk_full)
    with pytest.raises(GlossdeckError, match=r"用語集\.apkg: No space left on device; outputs left as they were"):
        build_deck(vault, out)
    assert apkg.read_bytes() == before
    assert sorted(p.name for p in out.iterdir() if p.suffix in (".apkg", ".tmp")) == [apkg.name]


def test_the_users_vault_name_is_what_obsidian_links_open(make_vault, tmp_path):
    vault = write_fixture(make_vault)
    renamed = vault.parent / "My Vault"
    os.rename(vault, renamed)
    path = build_deck(Path(renamed), tmp_path / "out")["apkg"]
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, path)
        assert "obsidian://open?vault=My%20Vault&amp;file=" in note_of(col, "ITU").cards()[0].answer()


# Every note type id glossdeck has shipped, with the schema users' collections hold for it.
FIELDS_V1 = ["Term", "Expansion", "Aliases", "Definition", "Source", "Remarks", "Notes", "Reverse"]
SHIPPED = {1_732_560_117: ("glossdeck", FIELDS_V1, ["Term → meaning", "Meaning → term"])}


def test_the_note_type_schema_never_changes_under_a_shipped_id():
    note_type = model()
    schema = (note_type.name, [f["name"] for f in note_type.fields], [t["name"] for t in note_type.templates])
    assert note_type.model_id in SHIPPED, "a new note type: record it in SHIPPED (and docs/anki.md)"
    # Anki reports every note as "conflicting" and updates none when fields or card types change
    # under the same id: a schema change needs a new MODEL_ID and name (docs/anki.md).
    assert schema == SHIPPED[note_type.model_id]


def test_build_writes_every_format_named_after_the_deck(make_vault, tmp_path, cli):
    vault = write_fixture(make_vault)
    out = tmp_path / "out"
    result = cli("build", vault, "--out", out, "--deck", "用語集", "--format", "apkg,csv,anki-csv,json,md")
    assert result.exit_code == 0
    names = sorted(p.name for p in out.iterdir() if p.name.startswith("用語集") and ".identity" not in p.name
                   and ".anki-clock" not in p.name)
    assert names == ["用語集.anki.csv", "用語集.apkg", "用語集.csv", "用語集.json", "用語集.md"]


ANKI_MARKUP = (
    "[sound:x.mp3]", "[anki:tts lang=en_US]spoken[/anki:tts]", "[latex]\\LaTeX[/latex]", "[$]x^2[/$]",
    "\\(\\href{javascript:alert(1)}{click}\\)", "\\[\\style{position:fixed;top:0}{\\text{cover}}\\]",
)  # fmt: skip


def _markup_glossary() -> Glossary:
    text = " ".join(ANKI_MARKUP)
    src = Source(f"メモ/{ANKI_MARKUP[0]}.md", 3, text, f"https://e.org/{ANKI_MARKUP[0]}")
    entry = Entry(
        key="markup", term="[sound:t.mp3]", kind="term", expansion=text, aliases=(text,), definition=text,
        definition_source=text, definition_url="https://e.org/[latex]x[/latex]", remarks=(text,),
        sources=(src,), tags=(),
    )  # fmt: skip
    return Glossary(name="記法", entries=(entry,), timestamp=MTIME, vault_name="v")


class _Shown(HTMLParser):
    """The text a browser shows for some HTML: what MathJax searches for its delimiters."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def shown_text(html: str) -> str:
    parser = _Shown()
    parser.feed(html.split("</style>")[-1])
    return "".join(parser.text)


def test_ankis_own_markup_in_note_text_plays_no_sound_runs_no_latex_or_mathjax(tmp_path):
    path = tmp_path / "x.apkg"
    write_apkg(_markup_glossary(), path, AnkiOptions(reverse=True))
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, path)
        cards = [col.get_card(cid) for cid in col.find_cards("")]
        assert len(cards) == 2
        for card in cards:
            question, answer = card.question(), card.answer()
            # Anki turns [sound:…] and [anki:tts] into play buttons and [latex]/[$] into images
            assert card.question_av_tags() == [] and card.answer_av_tags() == []
            assert "latex-" not in answer and "<img" not in answer
            assert "[sound:" not in answer and "[latex]" not in answer  # the raw HTML Anki matches
            shown = shown_text(answer)
            # MathJax typesets \( … \) and \[ … \] in the text the browser shows
            assert "\\(" not in shown and "\\[" not in shown and "\\)" not in shown and "\\]" not in shown
            # and the reader sees every character the note holds (the joiners are invisible)
            assert " ".join(ANKI_MARKUP) in shown.replace(WORD_JOINER, "")
            if card.ord == 0:
                assert shown_text(question).replace(WORD_JOINER, "") == "[sound:t.mp3]"
        links = re.findall(r'href="([^"]*)"', cards[0].answer())
        assert "https://e.org/&#91;latex]x&#91;/latex]" in links  # the same URL once the browser reads it


def test_only_obsidian_links_that_open_a_note_become_links(tmp_path):
    # Obsidian's other URIs act: advanced-uri runs commands, and `obsidian:javascript:` is no note at all
    urls = {
        "a.md": "obsidian://advanced-uri?vault=v&commandid=editor%3Adelete-file",
        "b.md": "obsidian:javascript:alert(1)",
        "c.md": "obsidian://search?query=secret",
        "d.md": "obsidian://open?vault=other&file=kept",
    }
    sources = tuple(Source(path, 1, path, url) for path, url in urls.items())
    entry = Entry(
        key="k", term="OBS", kind="acronym", expansion="Obsidian Links", aliases=(), definition="x",
        definition_source="辞書", definition_url=urls["a.md"], remarks=(), sources=sources, tags=(),
    )  # fmt: skip
    path = tmp_path / "x.apkg"
    write_apkg(Glossary(name="d", entries=(entry,), timestamp=MTIME, vault_name="v"), path)
    with fresh_collection(tmp_path / "anki") as col:
        import_apkg(col, path)
        answer = note_of(col, "OBS").cards()[0].answer()
    hrefs = re.findall(r'href="([^"]*)"', answer)
    assert [h for h in hrefs if not h.startswith("obsidian://open?vault=v&amp;file=")] == [
        "obsidian://open?vault=other&amp;file=kept"
    ]
    assert "advanced-uri" not in answer and "javascript" not in answer and "search?" not in answer
