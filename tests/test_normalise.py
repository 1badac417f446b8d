"""One entry per meaning across the vault: spellings merge, meanings stay apart, order is stable."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import harvest_text
from glossdeck.model import ACRONYM, Candidate, Source
from glossdeck.normalise import entry_key, meaning_key, merge


def note(term: str, japanese: str, expansion: str, label: str | None = None) -> str:
    """Return a note in the user's style: 日本語名（TERM[^x]） and the long form in the footnote."""
    label = label or term.lower()
    return f"会議では{japanese}（{term}[^{label}]）が話題になった。\n\n[^{label}]: {expansion}。\n"


def merged(*texts: str) -> list:
    """Harvest each text as its own note (a.md, b.md, ...) and merge the whole vault."""
    cands = []
    for i, text in enumerate(texts):
        cands += harvest_text(text, f"{chr(ord('a') + i)}.md")
    return merge(cands)


def of(entries, term):
    return [e for e in entries if e.term == term]


def test_full_width_term_and_long_form_are_the_same_itu():
    entries = merged(
        note("ＩＴＵ", "国際電気通信連合", "Ｉｎｔｅｒｎａｔｉｏｎａｌ Ｔｅｌｅｃｏｍｍｕｎｉｃａｔｉｏｎ Ｕｎｉｏｎ"),
        note("ITU", "国際電気通信連合", "International Telecommunication Union"),
    )
    (itu,) = of(entries, "ITU")
    assert itu.expansion == "International Telecommunication Union"
    assert [s.path for s in itu.sources if s.line == 3] == ["a.md", "b.md"]
    assert not of(entries, "ＩＴＵ")


@pytest.mark.parametrize(
    "term, first, second",
    [
        ("ITU", "International Telecommunication Union", "international telecommunication union"),  # case
        ("WTO", "World Trade Organization.", "World Trade Organization"),  # trailing punctuation
        ("APEC", "Asia-Pacific Economic Cooperation", "Asia–Pacific Economic Co‐operation"),  # dashes
        ("APEC", "Asia Pacific Economic Cooperation", "Asia-Pacific Economic Cooperation"),  # hyphen, space
        ("OECD", "Organisation for Economic Co-operation and Development",
         "Organization for Economic Cooperation and Development"),  # British / American
        ("WRC", "World Radiocommunication Conference", "World Radiocommunication Conferences"),  # plural
        ("AJCCBC", "ASEAN Japan Cybersecurity Capacity Building Centre",
         "ASEAN-Japan Cybersecurity Capacity Building Centers"),  # Centre / Centers
        ("R&D", "Research & Development", "Research and Development"),  # & / and
        ("PISA", "Programme for International Student Assessment",
         "Program for International Student Assessment"),  # programme / program
        ("CAS", "Centre for Analysed Samples", "Center for Analyzed Samples"),  # analyse / analyze
    ],
)
def test_one_meaning_written_two_ways_is_one_entry(term, first, second):
    cands = [
        Candidate(term, ACRONYM, Source(f"{name}.md", 3, name), "test", expansion=text, aliases=("何かの機関",))
        for name, text in (("a", first), ("b", second))
    ]
    (entry,) = merge(cands)
    assert {s.path for s in entry.sources} == {"a.md", "b.md"}
    # the spelling not chosen is kept as an alias, cleaned of its trailing "."
    assert entry.expansion == first.rstrip(".")
    variants = (second,) if first.rstrip(".") != second else ()
    assert entry.aliases == ("何かの機関", *variants)


def test_merge_rules_hold_for_notes_in_the_users_style():
    entries = merged(
        note("OECD", "経済協力開発機構", "Organisation for Economic Co-operation and Development", "oecd"),
        note("OECD", "経済協力開発機構", "Organization for Economic Cooperation and Development", "oecd"),
    )
    (oecd,) = of(entries, "OECD")
    assert {s.path for s in oecd.sources} == {"a.md", "b.md"}


def test_different_meanings_of_epa_are_two_entries_titled_epa():
    entries = merged(
        note("EPA", "経済連携協定", "Economic Partnership Agreement"),
        note("EPA", "環境保護庁", "Environmental Protection Agency"),
    )
    epa = of(entries, "EPA")
    assert [e.expansion for e in epa] == ["Economic Partnership Agreement", "Environmental Protection Agency"]
    assert [e.aliases for e in epa] == [("経済連携協定",), ("環境保護庁",)]
    assert len({e.key for e in epa}) == 2


def test_a_mention_without_long_form_joins_the_meaning_of_its_japanese_name():
    entries = merged(
        note("EPA", "経済連携協定", "Economic Partnership Agreement"),
        note("EPA", "環境保護庁", "Environmental Protection Agency"),
        "米国の環境保護庁（EPA）が規制を発表した。\n",
    )
    econ, env = of(entries, "EPA")
    assert "c.md" in {s.path for s in env.sources}
    assert "c.md" not in {s.path for s in econ.sources}


def test_most_common_spelling_wins_and_the_others_become_aliases():
    entries = merged(
        note("OECD", "経済協力開発機構", "Organisation for Economic Co-operation and Development"),
        note("OECD", "経済協力開発機構", "Organization for Economic Cooperation and Development"),
        note("OECD", "経済協力開発機構", "Organization for Economic Cooperation and Development"),
    )
    (oecd,) = of(entries, "OECD")
    assert oecd.expansion == "Organization for Economic Cooperation and Development"
    assert oecd.aliases == ("経済協力開発機構", "Organisation for Economic Co-operation and Development")


def test_a_tie_goes_to_the_spelling_first_in_vault_order():
    entries = merged(
        note("OECD", "経済協力開発機構", "Organisation for Economic Co-operation and Development"),
        note("OECD", "経済協力開発機構", "Organization for Economic Cooperation and Development"),
    )
    assert of(entries, "OECD")[0].expansion == "Organisation for Economic Co-operation and Development"


def test_merging_unites_aliases_remarks_tags_sources_and_prefers_the_cited_definition():
    plain = (
        "---\ntags: [通商]\n---\n経済連携協定（EPA[^epa]）の話。\n\n"
        "[^epa]: Economic Partnership Agreement。自分で書いた説明。\n"
    )
    cited = (
        "---\ntags: [白書]\n---\n日本の経済連携（EPA[^e]）について。\n\n"
        "[^e]: Economic Partnership Agreement。「国と国の間で貿易の自由化を進める協定。」"
        "（[デジタル大辞泉 「経済連携協定」](https://kotobank.jp/word/epa)より）\n"
    )
    (epa,) = of(merged(plain, cited), "EPA")
    assert epa.definition == "国と国の間で貿易の自由化を進める協定。"
    assert epa.definition_source == "デジタル大辞泉"
    assert epa.definition_url == "https://kotobank.jp/word/epa"
    assert "経済連携協定" in epa.aliases
    assert "自分で書いた説明。" in epa.remarks
    assert set(epa.tags) == {"通商", "白書"}
    assert {(s.path, s.line) for s in epa.sources} >= {("a.md", 4), ("a.md", 6), ("b.md", 4), ("b.md", 6)}


def test_key_is_term_and_meaning_and_survives_edits_and_a_second_meaning():
    before = of(merged(note("EPA", "経済連携協定", "Economic Partnership Agreement")), "EPA")[0]
    assert before.key == "EPA|economicpartnershipagreement"
    edited = (
        "経済連携協定・経済協定（EPA[^x]）。\n\n[^x]: Economic Partnership Agreements。新しい備考。\n"
    )
    after = of(merged(edited, note("EPA", "環境保護庁", "Environmental Protection Agency")), "EPA")
    assert after[0].key == before.key
    assert after[0].remarks == ("新しい備考。",)
    assert after[1].key == "EPA|environmentalprotectionagency"


def test_output_order_is_term_casefolded_then_term_then_meaning_whatever_the_input_order():
    rows = [
        ("ITU", "International Telecommunication Union"),
        ("IoT", "Internet of Things"),
        ("EPA", "Environmental Protection Agency"),
        ("iOS", "iPhone Operating System"),
        ("APEC", "Asia-Pacific Economic Cooperation"),
        ("EPA", "Economic Partnership Agreement"),
        ("IOT", "Input Output Tester"),
    ]
    cands = [
        Candidate(term, ACRONYM, Source(f"n{i}.md", 1, "t"), "test", expansion=long)
        for i, (term, long) in enumerate(rows)
    ]
    first = merge(cands)
    assert [(e.term, e.expansion.split()[0]) for e in first] == [
        ("APEC", "Asia-Pacific"), ("EPA", "Economic"), ("EPA", "Environmental"),
        ("iOS", "iPhone"), ("IOT", "Input"), ("IoT", "Internet"), ("ITU", "International"),
    ]
    random.Random(4).shuffle(cands)
    assert merge(cands) == first


def test_a_full_width_term_is_grouped_with_its_ascii_twin():
    entries = merged(
        note("ＷＴＯ", "世界貿易機関", "World Trade Organization", "wto"),
        note("WTO", "世界貿易機関", "World Trade Organization", "wto"),
    )
    assert [e.term for e in entries] == ["WTO"]


# Spellings a user might type for one meaning: case, width, dashes, British/American, plurals, &.
WORDS = [
    ["Organisation", "Organization", "ORGANISATIONS", "organizations"],
    ["for"],
    ["Economic", "economic", "ECONOMIC"],
    ["Co-operation", "Cooperation", "Co‐operation", "Co–operation", "co operation", "COOPERATION"],
    ["and", "&", "AND"],
    ["Development", "Developments", "development"],
    ["Centre", "Center", "Centres", "centers"],
]


@st.composite
def spellings(draw) -> str:
    words = [draw(st.sampled_from(options)) for options in WORDS]
    seps = [draw(st.sampled_from([" ", "  ", " - ", "-", "\u3000"])) for _ in words[1:]]
    text = words[0] + "".join(s + w for s, w in zip(seps, words[1:], strict=True))
    text += draw(st.sampled_from(["", ".", "。", " 。", "．"]))
    if draw(st.booleans()):
        text = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)  # full width
    return text


@settings(max_examples=200, deadline=None)
@given(st.lists(spellings(), min_size=1, max_size=6), st.booleans())
def test_random_spellings_of_one_meaning_never_give_two_entries(texts, full_width_term):
    term = "ＯＥＣＤ" if full_width_term else "OECD"
    cands = [
        Candidate(term if i % 2 else "OECD", ACRONYM, Source(f"n{i}.md", 1, "t"), "test", expansion=text)
        for i, text in enumerate(texts)
    ]
    entries = merge(cands)
    assert len(entries) == 1
    expected = meaning_key("Organization for Economic Cooperation and Development Center")
    assert entries[0].key == entry_key("OECD", expected)
    assert unicodedata.normalize("NFKC", entries[0].expansion) == entries[0].expansion


def test_japanese_long_forms_keep_their_voiced_kana():
    assert meaning_key("バス") != meaning_key("ハス")
    assert meaning_key("Société Générale") == meaning_key("Societe Generale")
