"""A deck's note links: made once per note for a whole rendering, the same text as linking each card alone."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from glossdeck.export.anki import NoteLinks, fields
from glossdeck.export.markup import link, note_link, obsidian_url, safe_url
from glossdeck.model import Entry, Source

# Names a vault or note may have: spaces, brackets, quotes, percent signs, control and bidi characters, kana.
NAMES = st.text(st.sampled_from(list("aZ0 _-.~/[]()\"'<>&%#?=\t\u3000\u202eノート\x01")), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(vault=NAMES, path=NAMES, text=NAMES)
def test_an_obsidian_link_to_a_note_is_always_safe_and_linked_as_any_safe_url(vault, path, text):
    url = obsidian_url(vault, path)
    assert safe_url(url) == url
    assert note_link(vault, path, text) == link(url, text)


def entry(term: str, *sources: Source) -> Entry:
    return Entry(f"{term}|", term, "acronym", None, (), None, None, None, (), sources, ())


def test_one_links_memo_for_a_deck_gives_each_card_the_fields_it_has_alone():
    notes = [Source(f"白書/第{i}節.md", line, f"第{i}節", f"https://example.org/{i}" if i % 2 else None)
             for i in range(40) for line in (3, 9)]
    entries = [entry(f"T{i}", *notes[i:i + 7]) for i in range(0, 70, 3)]
    links = NoteLinks("研究")
    shared = [fields(e, "研究", links=links) for e in entries]
    assert shared == [fields(e, "研究") for e in entries]
    assert len(links) == len({s.path for e in entries for s in e.sources})  # one link per note, however many cards
