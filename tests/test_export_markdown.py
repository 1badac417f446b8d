"""The md output: one Obsidian note with the whole glossary, sorted, linking back to its notes."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from anki_support import VAULT, build_deck, write_fixture
from glossdeck.export.markdown import md_escape, write_markdown
from glossdeck.model import Entry, Glossary, Source


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
    assert "> —— [デジタル大辞泉](https://kotobank.jp/word/x)" in epa
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


# Notes whose names, titles and citations try to write markup into the glossary note.
HOSTILE = {
    "a]]![[private-diary.md": "# 表\n\n国際電気通信連合（ITU）[^i]\n\n[^i]: International Telecommunication Union。\n",
    "private-diary.md": "# 日記\n\n誰にも見せない。\n",
    "題.md": '---\ntitle: "題\\n<iframe src=https://evil.example></iframe>"\n---\n'
    "世界貿易機関（WTO）[^w]\n\n[^w]: World Trade Organization。\n",
    "引用.md": "# 引用\n\n経済連携協定（EPA）[^e]\n\n[^e]: Economic Partnership Agreement。"
    "「協定。」（[辞書 「経済連携協定」](https://e.org/a>![[secret.md]])より）\n",
    "x|y#z^w.md": "# 記号\n\n自由貿易協定（FTA）[^f]\n\n[^f]: Free Trade Agreement。\n",
    "改行\nの名前.md": "# 改行\n\n国際連合（UN）[^u]\n\n[^u]: United Nations。\n",
}
# Obsidian's wiki-links and embeds: `[[…]]` and `![[…]]` wherever no backslash escapes a bracket.
OBSIDIAN_LINK = re.compile(r"\\.|(!?)\[\[(.*?)\]\]", re.S)


def obsidian_links(source: str) -> list[tuple[bool, str]]:
    """Return (embed?, target) for each wiki-link Obsidian would make of a note's source."""
    return [(m.group(1) == "!", m.group(2).split("|")[0]) for m in OBSIDIAN_LINK.finditer(source) if m.group(2)]


def parse(source: str) -> list[Token]:
    """Return every token (inline children too) CommonMark with Obsidian's math and tables reads."""
    md = MarkdownIt("commonmark").use(front_matter_plugin).use(dollarmath_plugin).enable(["table", "strikethrough"])
    tokens = []
    for tok in md.parse(source):
        tokens += [tok, *(tok.children or [])]
    return tokens


def test_note_names_titles_and_urls_write_no_embed_html_or_foreign_link(make_vault, tmp_path):
    vault = write_fixture(make_vault, HOSTILE)
    source = build_deck(vault, tmp_path / "out", formats=("md",))["md"].read_text("utf-8")
    tokens = parse(source)
    kinds = {t.type for t in tokens}
    assert not kinds & {"html_block", "html_inline", "image", "math_inline", "math_block", "code_block"}, kinds
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]
    assert headings == ["EPA", "FTA", "ITU", "UN", "WTO"]
    # Obsidian sees no embed, and each wiki-link names a note of the vault
    notes = {rel.removesuffix(".md") for rel in HOSTILE}
    assert all(not embed and target in notes for embed, target in obsidian_links(source))
    # every Markdown link opens the note it names (percent-encoded), or the dictionary page cited
    hrefs = [t.attrs["href"] for t in tokens if t.type == "link_open"]
    linked = {unquote(h) for h in hrefs if not h.startswith("https:")}
    linked |= {target + ".md" for _, target in obsidian_links(source)}
    assert linked == {rel for rel in HOSTILE if rel != "private-diary.md"}
    assert [h for h in hrefs if h.startswith("https:")] == ["https://e.org/a%3E!%5B%5Bsecret.md%5D%5D"]
    # the title is shown as the text it is, on one line
    shown = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "link_open"]
    assert "題 <iframe src=https://evil.example></iframe>" in shown


def _entry(**fields) -> Entry:
    base = dict(
        key="k", term="T", kind="term", expansion=None, aliases=(), definition=None, definition_source=None,
        definition_url=None, remarks=(), sources=(Source("n.md", 1, "n", None),), tags=(),
    )  # fmt: skip
    return Entry(**{**base, **fields})


LINE_STARTS = ("- 箇条", "+ 加算", "1. 番号", "2) 括弧", "    字下げ", "---", "&amp; 実体", "%%注%%", "==強調==",
               "$x$ 数式", "#タグ", "^ブロック", "[[秘密]]", "![[秘密.md]]", "<b>太字</b>", "`コード`", "~~消~~")


def test_every_piece_of_entry_text_shows_as_written(tmp_path):
    entries = (
        _entry(key="a", term="A", aliases=LINE_STARTS),  # the line starts with the first alias
        _entry(key="d", term="D", definition="- 定義\n1. 続き <script>x</script>", definition_source="辞書 & [典]",
               definition_url="https://e.org/x(y)[z]<w>%%q%%$m$!"),
        _entry(key="r", term="R", remarks=("%%隠%% ==印== #tag",)),
    )
    path = tmp_path / "g.md"
    write_markdown(Glossary(name="用語集 \"x\" \\ y: #z", entries=entries), path)
    source = path.read_text("utf-8")
    tokens = parse(source)
    kinds = {t.type for t in tokens}
    assert not kinds & {"html_block", "html_inline", "image", "math_inline", "math_block", "code_block",
                        "bullet_list_open", "ordered_list_open", "hr", "s_open", "code_inline"}, kinds
    assert obsidian_links(source) == [(False, "n")] * 3
    texts = ["".join(c.content for c in t.children or [] if c.type == "text") for t in tokens if t.type == "inline"]
    assert "、".join(a.strip() for a in LINE_STARTS) in texts  # one line, nothing lost but the indent
    assert "- 定義 1. 続き <script>x</script>—— 辞書 & [典]" in texts  # the line break became a space
    assert "備考: %%隠%% ==印== #tag" in texts
    hrefs = [t.attrs["href"] for t in tokens if t.type == "link_open"]
    assert [unquote(h) for h in hrefs] == ["https://e.org/x(y)[z]<w>%%q%%$m$!"]  # the same URL, encoded
    front = yaml.safe_load(next(t.content for t in tokens if t.type == "front_matter"))
    assert front == {"title": '用語集 "x" \\ y: #z 用語集', "glossdeck": "generated"}  # the deck's name, whole


def test_only_obsidian_links_that_open_a_note_are_links_in_the_glossary(tmp_path):
    entries = (
        _entry(key="a", term="A", definition="定義", definition_source="命令",
               definition_url="obsidian://advanced-uri?vault=v&commandid=app%3Adelete-file"),
        _entry(key="b", term="B", definition="定義", definition_source="脚本", definition_url="obsidian:javascript:x"),
        _entry(key="c", term="C", definition="定義", definition_source="ノート", definition_url="obsidian://open?vault=v&file=x"),
    )  # fmt: skip
    write_markdown(Glossary(name="g", entries=entries), tmp_path / "g.md")
    tokens = parse((tmp_path / "g.md").read_text("utf-8"))
    assert [t.attrs["href"] for t in tokens if t.type == "link_open"] == ["obsidian://open?vault=v&file=x"]
    texts = [t.content for t in tokens if t.type == "inline"]
    assert "定義\n—— 命令" in texts and "定義\n—— 脚本" in texts  # the source named, not linked
