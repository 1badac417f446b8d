"""Properties over generated notes: no input stops a build, outputs read back as written, cards keep
their identity however the vault is laid out, and no note text turns into script on a card.

Run longer with `HYPOTHESIS_PROFILE=fuzz` (and GLOSSDECK_FUZZ_EXAMPLES=n): see conftest.py.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import tempfile
import unicodedata
import zipfile
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from conftest import harvest_text, write_vault
from glossdeck.export.anki import WORD_JOINER, apkg_bytes, note_guid
from glossdeck.export.lang import words_for
from glossdeck.export.notetype import FIELDS
from glossdeck.export.table import write_csv, write_json
from glossdeck.harvest import harvest_note
from glossdeck.model import Entry, Glossary
from glossdeck.pipeline import Options, glossary
from glossdeck.vault import note_from_bytes

FUZZING = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"


def budget(examples: int) -> settings:
    """Return a moderate example count for the everyday run; the fuzz profile's count when fuzzing."""
    if FUZZING:
        return settings(deadline=None)
    return settings(max_examples=examples, deadline=None)


# Text a note file can hold: anything UTF-8 encodes (no lone surrogates).
TEXT = st.characters(codec="utf-8")

# ---------------------------------------------------------------------------------------------
# 1. Whatever a note says, harvesting it gives candidates or nothing, never an exception.

PIECES = [
    # footnotes: references, definitions at line starts, Obsidian inline footnotes, broken ones
    "[^itu]", "[^a]", "[^", "[^]", "[^a b]", "[^itu]:", "\n[^itu]: ", "\n[^a]: Alpha Beta Co\n",
    "\n[^itu]: International Telecommunication Union。\n", "\n    続きの段落\n", "^[", "^[Alpha Beta Co]",
    "\\[^itu]", "\\^[", "[^^]",
    # brackets, fullwidth and ASCII, open ones left unclosed
    "（", "）", "(", ")", "（ITU）", "(ITU)", "（ITU[^itu]）", "（略称：ITU）", "（以下「ITU」という。）",
    "（ABC: Alpha Beta Co）", "(Alpha Beta Co: ABC)", "「", "」", "『", "』", "【", "】",
    # dictionary citations, whole and in pieces
    "「電波の割り当てを調整する機関。」", "（[デジタル大辞泉 「x」](https://kotobank.jp/word/x)より）",
    "（[デジタル大辞泉「x」](https://kotobank.jp/word/x)から引用）", "（出典：[辞書](https://e.org/)）",
    "（デジタル大辞泉「x」より）", "](https://kotobank.jp/word/x)", "より）",
    # links, wiki links, embeds
    "[", "]", "](", "[t](u)", "[t](https://example.org/a_(b))", "[[", "]]", "[[a|b]]", "[[国際機関]]",
    "![[img.png]]", "<https://example.org>", "<", ">", "<br>", "<!--", "-->",
    # code
    "`", "``", "`[^itu]`", "`（ITU）`", "\n```\n", "\n```python\n", "\n~~~\n",
    # block structure
    "\n# ", "\n## 見出し\n", "\n---\n", "---\n", "title: x\n", "tags: [a, b]\n", "url: https://e.org\n",
    "\n- ", "\n1. ", "\n> ", "\nTerm\n: a definition\n", "|", "\n| a | b |\n|---|---|\n", "*", "**", "_", "==",
    # acronyms and long forms, English and Japanese
    "ABC: Alpha Beta Co", "ABC：Alpha Beta Co", "ITU", "WTO", "R&D", "ITU-R", "ＩＴＵ", "IoT",
    "International Telecommunication Union", "Alpha Beta Co (ABC)", "国際電気通信連合", "世界貿易機関",
    "経済連携協定", "とも呼ばれる。", "略称", "、", "。", ":", "：", "世界貿易機関（WTO）[^wto]",
    "\n[^wto]: World Trade Organization\n", "「国際機関。」（[デジタル大辞泉 「世界貿易機関」](https://kotobank.jp/word/w)より）",
    # escapes, whitespace, line ends
    "\\", "\\\\", "\n", "\n\n", " ", "    ", "\u3000", "\t", "\r\n", "\r", "&amp;", "&#", "#tag",
]
# Opening brackets come more often than closing ones, so runs stay unbalanced and nest.
OPENERS = ["（", "(", "[", "「", "『", "[^", "^[", "[[", "[t](", "（[", "【"]
piece = st.sampled_from(PIECES) | st.sampled_from(OPENERS) | st.text(TEXT, max_size=5)
composed = st.lists(piece, max_size=60).map("".join)


def lines_of(text: str) -> int:
    """Return how many lines an editor shows for the text (CR, LF and CRLF end lines)."""
    return len(re.split(r"\r\n|\r|\n", text))


def check_candidates(text: str) -> None:
    cands = harvest_text(text, "n.md")
    for cand in cands:
        assert cand.term.strip(), cand
        # the line a card links to is a line of the note
        assert 1 <= cand.source.line <= lines_of(text), (cand, lines_of(text))
    event(f"candidates: {'some' if cands else 'none'}")


@budget(200)
@given(st.text())
def test_any_text_harvests_without_error(text):
    check_candidates(text)


@budget(200)
@given(st.sampled_from(["", "---\n", "---\ntitle: メモ\n---\n", "---\ntags: [a\n---\n"]), composed)
def test_text_made_of_the_harvesters_patterns_harvests_without_error(head, body):
    check_candidates(head + body)


# ---------------------------------------------------------------------------------------------
# 2. A note file's bytes, whatever they are: a note or a problem, never an exception.

ENCODED = st.tuples(
    st.sampled_from([b"", b"\xef\xbb\xbf", b"---\n", b"\xef\xbb\xbf---\ntitle: t\n---\n"]),
    st.lists(
        composed.map(lambda s: s.encode("utf-8"))
        | composed.map(lambda s: s.encode("cp932", "ignore"))
        | st.binary(max_size=8),
        max_size=4,
    ),
).map(lambda t: t[0] + b"".join(t[1]))


def check_bytes(data: bytes) -> None:
    note, problems = note_from_bytes(data, "n.md", 0.0)
    if note is None:
        assert problems, "a skipped note must say why"
        assert all(p.path == "n.md" and p.line >= 1 for p in problems)
        event("skipped")
        return
    harvest_note(note)
    event("read")


@budget(200)
@given(st.binary())
def test_any_bytes_read_as_a_note_or_a_problem(data):
    check_bytes(data)


@budget(200)
@given(ENCODED)
def test_encoded_notes_with_stray_bytes_read_as_a_note_or_a_problem(data):
    check_bytes(data)


# ---------------------------------------------------------------------------------------------
# Building a generated vault in-process, the way `glossdeck build` does.


def build(notes: dict[str, str], vault_name: str = "vault") -> Glossary:
    """Harvest {path: text} as a vault in a fresh folder, with no identity registry from earlier builds."""
    with tempfile.TemporaryDirectory(prefix="glossdeck-prop-") as tmp:
        vault = write_vault(Path(tmp) / vault_name, notes)
        # the deck is named, so the folder's name only names the vault obsidian:// links open
        result, _ = glossary(Options(vault=vault, out=Path(tmp) / "out", deck="用語集", formats=("apkg",)))
    return result


def anki_notes(result: Glossary) -> list[tuple[str, list[str]]]:
    """Return (guid, fields) of every note in the .apkg glossdeck writes for the glossary."""
    with tempfile.TemporaryDirectory(prefix="glossdeck-apkg-") as tmp:
        with zipfile.ZipFile(io.BytesIO(apkg_bytes(result))) as zf:
            zf.extract("collection.anki2", tmp)
        conn = sqlite3.connect(Path(tmp) / "collection.anki2")
        try:
            rows = conn.execute("SELECT guid, flds FROM notes ORDER BY id").fetchall()
        finally:
            conn.close()
    return [(guid, flds.split("\x1f")) for guid, flds in rows]


# File names: anything a Linux file name can hold, starting like a formula or holding markup often.
NAME = (
    st.sampled_from(["=SUM(A1)", "+1", "-x", "@a", "\tt", "<script>", '" onerror="x', "メモ", "a&b", "'q", "a\x1fb"])
    | st.text(st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=12)
).filter(lambda s: not s.startswith(".") and len(s.encode("utf-8")) < 200)

# Text that reaches CSV cells: formula starts, quotes, separators and line breaks.
CELLISH = st.lists(
    st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\n", "'", '"', ",", ";", "; ", "=SUM(A1:A3)", "-1", "@A1",
                     "＝", "﹦", "＋", "－", "＠", "⁼", " =", "\u3000＋"])
    | st.text(TEXT, max_size=6),
    max_size=6,
).map("".join)

# ---------------------------------------------------------------------------------------------
# 3. The spreadsheet CSV and the JSON read back as the entries they were written from.

CAPITALISED = [
    "Eastern", "Federal", "Global", "Harbor", "Inland", "Joint", "Kinetic", "Lunar", "Maritime", "Northern",
    "Orbital", "Polar", "Quantum", "Rural", "Solar", "Tidal", "Urban", "Vector", "Western", "Zonal",
]
# Two words for each of a few initials, so one acronym often stands for two long forms (two cards).
TWINS = {"A": ("Alpine", "Arctic"), "B": ("Boreal", "Bay"), "C": ("Coastal", "Central"), "D": ("Digital", "Delta")}
JAPANESE = [
    "国際電気通信連合", "世界貿易機関", "沿岸警備局", "極域観測機構", "潮流研究所", "月面開発機構", "都市交通局",
]


@st.composite
def acronym_pair(draw) -> tuple[str, str]:
    """Return (acronym, long form) whose words' initials spell the acronym."""
    if draw(st.booleans()):
        initials = draw(st.sampled_from(["AB", "CD", "ABD"]))
        words = [draw(st.sampled_from(TWINS[c])) for c in initials]
    else:
        words = draw(st.lists(st.sampled_from(CAPITALISED), min_size=2, max_size=4))
    return "".join(w[0] for w in words), " ".join(words)


@st.composite
def table_note(draw) -> str:
    """A note with footnoted acronyms, cited definitions and remarks that start like formulas."""
    parts = []
    fm = draw(st.sampled_from(["", "---\ntitle: {}\ntags: [{}]\n---\n"]))
    if fm:
        parts.append(fm.format(json.dumps(draw(CELLISH)), json.dumps(draw(CELLISH))))
    feet = []
    for i, (acr, long_form) in enumerate(draw(st.lists(acronym_pair(), max_size=3))):
        name = draw(st.sampled_from(JAPANESE))
        parts.append(f"{name}（{acr}[^f{i}]）について。\n")
        definition = draw(CELLISH).replace("」", "").replace("「", "")
        cite = f"「{definition}」（[{draw(CELLISH)} 「{name}」](https://kotobank.jp/word/{i})より）"
        feet.append(f"[^f{i}]: {long_form}。{draw(st.sampled_from(['', cite]))}{draw(CELLISH)}\n")
    if draw(st.booleans()):
        head = draw(CELLISH).replace("」", "").replace("\n", "")
        parts.append(f"「{draw(CELLISH)}」（[{draw(CELLISH)} 「{head}」](https://e.org/{draw(NAME)})より）\n")
    return "\n".join(parts) + "\n" + "\n".join(feet)


def expected_cells(entry: Entry, vault: str) -> list[str]:
    """The spreadsheet row the documentation promises for an entry, before the formula guard."""
    first = entry.sources[0].path.removesuffix(".md") if entry.sources else None
    return [
        entry.term,
        entry.expansion or "",
        "; ".join(entry.aliases),
        entry.definition or "",
        entry.definition_source or "",
        entry.definition_url or "",
        "; ".join(entry.remarks),
        "; ".join(f"{s.path}:{s.line}" for s in entry.sources),
        "; ".join(entry.tags),
        f"obsidian://open?vault={quote(vault, safe='')}&file={quote(first, safe='')}" if first else "",
    ]


HEADER = [
    "Term", "Long form", "Aliases", "Definition", "Source", "Source URL", "Remarks", "Notes", "Tags", "Obsidian link",
]
JSON_KEYS = [
    "term", "kind", "expansion", "aliases", "definition", "definition_source", "definition_url", "remarks",
    "sources", "tags",
]
# What a spreadsheet reads as a formula's start: = + - @ in any width (＝ ﹦ ⁼ …), after spaces too.
FORMULA_SIGNS = "=+-@"


def formula_like(cell: str) -> bool:
    rest = cell.lstrip()
    return cell.startswith(("\t", "\r", "\n")) or (
        bool(rest) and unicodedata.normalize("NFKC", rest[0])[:1] in FORMULA_SIGNS
    )


@budget(100)
@given(st.dictionaries(NAME.map(lambda n: n + ".md"), table_note(), min_size=1, max_size=4))
def test_csv_and_json_read_back_as_the_entries(notes):
    result = build(notes)
    with tempfile.TemporaryDirectory(prefix="glossdeck-out-") as tmp:
        write_csv(result, Path(tmp) / "deck.csv")
        write_json(result, Path(tmp) / "deck.json")
        data = (Path(tmp) / "deck.csv").read_bytes()
        text = (Path(tmp) / "deck.json").read_bytes().decode("utf-8")
    event(f"entries: {min(len(result.entries), 5)}")

    assert data.startswith(b"\xef\xbb\xbf")
    header, *rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert header == HEADER
    assert len(rows) == len(result.entries)
    for entry, cells in zip(result.entries, rows, strict=True):
        for want, got in zip(expected_cells(entry, result.vault_name), cells, strict=True):
            # the OWASP guard (a leading ' on a cell that would run as a formula) is the only change
            guarded = formula_like(want)
            assert got == ("'" + want if guarded else want)
            assert not formula_like(got)
            if guarded:
                event("a cell was guarded")

    parsed = json.loads(text)
    assert len(parsed) == len(result.entries)
    for entry, obj in zip(result.entries, parsed, strict=True):
        assert list(obj) == JSON_KEYS  # the contract's key order
        assert obj == {
            "term": entry.term,
            "kind": entry.kind,
            "expansion": entry.expansion,
            "aliases": list(entry.aliases),
            "definition": entry.definition,
            "definition_source": entry.definition_source,
            "definition_url": entry.definition_url,
            "remarks": list(entry.remarks),
            "sources": [
                {"path": s.path, "line": s.line, "title": s.title, "url": s.url, "rule": s.rule} for s in entry.sources
            ],
            "tags": list(entry.tags),
        }


# ---------------------------------------------------------------------------------------------
# 4. A card's GUID does not depend on where its notes sit in the vault or in what order they sort.


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@st.composite
def defining_note(draw, pairs: list[tuple[str, str]]) -> tuple[str, list[tuple[str, str]], str | None]:
    """A note in the user's style defining a few of the pairs, spelt in ways that read the same.

    Return (text, the pairs it defines, an acronym it names without a long form or None).
    """
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=3, unique=True))
    body, feet = [], []
    for i, (acr, long_form) in enumerate(chosen):
        name = draw(st.sampled_from(JAPANESE))
        shown = fullwidth(acr) if draw(st.integers(0, 4)) == 0 else acr
        spelt = fullwidth(long_form) if draw(st.integers(0, 4)) == 0 else long_form
        spelt += draw(st.sampled_from(["", "。", "."]))
        label = draw(st.sampled_from([f"{acr.lower()}{i or ''}", f"n{i}", f"{acr}-{i}"]))  # one per footnote
        body.append(f"{name}（{shown}[^{label}]）の話。")
        feet.append(f"[^{label}]: {spelt}\n")
    named = None
    if draw(st.booleans()):
        named, _ = draw(st.sampled_from(pairs))
        body.append(f"後で{draw(st.sampled_from(JAPANESE))}（{named}）にも触れる。")
    return "\n\n".join(body) + "\n\n" + "".join(feet), chosen, named


@st.composite
def vault_layouts(draw) -> tuple[set[tuple[str, str]], dict[str, str], dict[str, str]]:
    """Return (the cards the notes make, one layout of the notes, another with other names, folders, order)."""
    pairs = draw(st.lists(acronym_pair(), min_size=1, max_size=6, unique=True))
    made = draw(st.lists(defining_note(pairs), min_size=1, max_size=6))
    texts = [text for text, _, _ in made]
    first = {f"note{i:02d}.md": t for i, t in enumerate(texts)}
    order = draw(st.permutations(range(len(texts))))
    folder = st.sampled_from(["", "a/", "zz/", "通信/", "b/c/"])
    folders = draw(st.lists(folder, min_size=len(texts), max_size=len(texts)))
    second = {f"{folders[k]}{len(texts) - k:02d}-{draw(NAME)}.md": texts[i] for k, i in enumerate(order)}
    defined = {pair for _, chosen, _ in made for pair in chosen}
    # an acronym named without a long form joins a card of its long form, else has one of its own
    loose = {(named, "") for _, _, named in made if named and all(named != acr for acr, _ in defined)}
    return defined | loose, first, second


def cards(notes: dict[str, str]) -> dict[tuple[str, str], str]:
    """Build the vault's .apkg; return {(front, long form): note GUID}, every GUID distinct."""
    result = build(notes)
    found = anki_notes(result)
    guids = [guid for guid, _ in found]
    assert len(set(guids)) == len(guids), "two cards share a GUID"
    by_card = {(fields[0], fields[1]): guid for guid, fields in found}
    assert len(by_card) == len(found), "two cards show the same term and long form"
    return by_card


@budget(100)
@given(vault_layouts())
def test_guids_do_not_depend_on_note_names_folders_or_order(layouts):
    expected, first, second = layouts
    one, two = cards(first), cards(second)
    # every long form the notes define is a card of its own, so the property is about real cards
    assert set(one) == expected
    assert one == two
    terms = {term for term, _ in expected}
    event(f"cards: {min(len(one), 6)}, a term with two meanings: {len(expected) > len(terms)}")


# ---------------------------------------------------------------------------------------------
# 5. What notes say reaches Anki as text: no script, no event handlers, no links but web and Obsidian.

PAYLOADS = [
    "<script>alert(1)</script>", "<SCRIPT SRC=//e.org/x.js>", "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>', "javascript:alert(1)", "JaVaScRiPt:x", "onerror=", " onclick=\"x\"",
    '<a href="javascript:alert(1)">x</a>', "<", ">", '"', "'", "&", "&lt;script&gt;", "</span>", "<br>",
    "<!--", "-->", "<![CDATA[x]]>", "data:text/html,<b>x</b>", "<style>.card{display:none}</style>",
    "\u3000", "\n", "\x1f", "\x7f", "Alpha Beta Co",
    # Anki's own markup: sounds, text to speech, LaTeX, and MathJax (which runs \\href and \\style)
    "[sound:x.mp3]", "[SOUND:x.mp3]", "[anki:tts lang=en_US]x[/anki:tts]", "[latex]x[/latex]", "[$]x[/$]",
    "[$$]x[/$$]", "\\(", "\\)", "\\[", "\\]", "\\href{javascript:alert(1)}{x}", "\\style{position:fixed}",
    "\\begin{x}", "\\\\(",
]
# What the reviewer would still turn into sound, LaTeX or MathJax: matched on the field's raw HTML
# (Anki's sound and LaTeX tags) or on the text the browser shows (MathJax's delimiters).
ANKI_TAGS = re.compile(r"\[(sound:|anki:tts|/anki:tts|latex\]|/latex\]|\$\$?\]|/\$\$?\])", re.I)
MATHJAX = re.compile(r"\\[()\[\]]|\\begin\{")
HOSTILE = st.lists(
    st.sampled_from(PAYLOADS) | st.text(TEXT, max_size=4),
    max_size=6,
).map("".join)
URLISH = st.sampled_from([
    "https://kotobank.jp/word/x", "https://e.org/\"onmouseover=\"x", "https://e.org/'><script>x</script>",
    "javascript:alert(1)", "JAVASCRIPT://e.org/%0aalert(1)", "data:text/html,x", "vbscript:x", "HTTPS://E.ORG/a",
    "obsidian://open?vault=v&file=x", "//e.org/x", "https:x", "http://<script>", "java\tscript:x",
])


def quoted(text: str) -> str:
    """Return text as a YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False)


@st.composite
def hostile_note(draw) -> str:
    """A note whose every harvested place (names, long forms, citations, remarks, title, url) holds markup."""
    h = lambda: draw(HOSTILE)  # noqa: E731
    parts = []
    if draw(st.booleans()):
        url = draw(URLISH | HOSTILE)
        parts.append(f"---\ntitle: {quoted(h())}\nurl: {quoted(url)}\ntags: [{quoted(h())}]\n---\n")
    if draw(st.booleans()):
        parts.append(f"# {h()}\n")
    definition = h().replace("」", "")
    cite = f"「{definition}」（[{h()} 「{h()}」]({draw(URLISH)})より）"
    parts.append(f"{h()}国際電気通信連合（ABC[^a]）{h()}。\n\n[^a]: Alpha Beta Co{h()}。{cite}{h()}\n")
    parts.append(f"\n{h()}「{definition}」（[{h()} 「{h().replace('」', '')}」]({draw(URLISH)})より）\n")
    parts.append(f"\n{h()}沿岸警備局（DEF）{h()}。Digital Eastern Federal{h()}（DEF）\n")
    parts.append(f"\nGHI: {h()}\n\n{h()}（JKL: {h()}）\n\n名前（MNO）^[{h()}]\n")
    return "".join(parts)


ALLOWED = {"a": {"href"}, "br": set(), "span": {"class"}}
SCHEMES = ("http", "https", "obsidian")


class FieldHTML(HTMLParser):
    """Read a field as a browser would: its tags with their attributes, and the text it shows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.shown: list[str] = []
        self.other: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        if tag == "br":
            self.shown.append("\n")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.shown.append(data)

    def handle_comment(self, data):
        self.other.append("<!--" + data)

    def handle_decl(self, decl):
        self.other.append("<!" + decl)

    def unknown_decl(self, data):
        self.other.append("<![" + data)

    def handle_pi(self, data):
        self.other.append("<?" + data)


def read_field(value: str) -> FieldHTML:
    parser = FieldHTML()
    parser.feed(value)
    parser.close()
    return parser


def check_safe(value: str) -> str:
    """Assert a field holds no script, handler, foreign link or Anki markup; return the text it shows."""
    assert "<script" not in value.lower(), value
    assert not ANKI_TAGS.search(value), value
    parsed = read_field(value)
    assert not MATHJAX.search("".join(parsed.shown)), value
    assert not parsed.other, (parsed.other, value)  # no comments, CDATA or declarations
    for tag, attrs in parsed.tags:
        assert tag in ALLOWED, (tag, value)
        for name, attr in attrs:
            assert not name.startswith("on"), (name, value)
            assert name in ALLOWED[tag], (tag, name, value)
            if name == "href":
                assert attr is not None, value
                scheme, sep, _ = attr.partition(":")
                assert sep and scheme.lower() in SCHEMES and attr[len(scheme):].startswith("://"), attr
    return "".join(parsed.shown)


def unjoined(entry: Entry) -> Entry:
    """Return the entry without word joiners (a note may hold them too)."""
    def strip(text: str) -> str:
        return text.replace(WORD_JOINER, "")

    return replace(
        entry, term=strip(entry.term), expansion=entry.expansion and strip(entry.expansion),
        aliases=tuple(map(strip, entry.aliases)), definition=entry.definition and strip(entry.definition),
        definition_source=entry.definition_source and strip(entry.definition_source),
        remarks=tuple(map(strip, entry.remarks)),
    )  # fmt: skip


def visible(text: str) -> str:
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text)


def has_markup(entry: Entry) -> bool:
    texts = [entry.term, entry.expansion or "", *entry.aliases, entry.definition or "", *entry.remarks]
    texts += [entry.definition_source or "", *(s.title for s in entry.sources)]
    return any(c in t for t in texts for c in "<>\"&")


@budget(100)
@given(
    st.dictionaries(NAME.map(lambda n: n + ".md"), hostile_note(), min_size=1, max_size=3),
    NAME.filter(lambda n: n not in ("..", "out")),
)
def test_anki_fields_carry_no_script_and_show_the_notes_text(notes, vault_name):
    result = build(notes, vault_name)
    entries = {note_guid(e): e for e in result.entries}
    words = words_for(None, result.entries)
    found = anki_notes(result)
    assert len(found) == len(entries)
    for guid, fields in found:
        assert len(fields) == len(FIELDS), fields
        # the same characters as the note, apart from the invisible joiners that keep MathJax off
        shown = [check_safe(value).replace(WORD_JOINER, "") for value in fields]
        entry = unjoined(entries[guid])
        # escaped, not dropped: the card shows the text the note holds
        assert shown[0] == entry.term
        assert shown[1] == (entry.expansion or "")
        assert shown[2] == words.list_sep.join(entry.aliases)
        assert shown[3] == (entry.definition or "")
        if entry.definition_source:
            assert shown[4] == entry.definition_source
        remarks = "\n".join(entry.remarks)
        assert shown[5] == (words.remarks + remarks if remarks else "")  # the label, in the vault's language
        for src in entry.sources:
            # a file name can hold control characters; no field can (U+001F splits Anki fields)
            path, title = visible(src.path), visible(src.title or src.path)
            assert path in shown[6] and title in shown[6]
        assert fields[7] == ""
    event(f"markup reached a card: {any(has_markup(e) for e in result.entries)}")


NOTE = "国際電気通信連合（ITU[^itu]）\n\n[^itu]: International Telecommunication Union\n"


@budget(50)
@example(name="a", title="a\x1fb")
@given(NAME, st.text(st.characters(codec="utf-8"), min_size=1, max_size=8))
def test_no_note_text_splits_an_anki_field(name, title):
    # U+001F is Anki's field separator: one in a title or file name made 9 fields and Anki refused the package
    result = build({f"{name}.md": f"---\ntitle: {quoted(title)}\n---\n{NOTE}"})
    for _, fields in anki_notes(result):
        assert len(fields) == len(FIELDS), fields
