"""The words glossdeck writes around the vault's text (card labels, the glossary note), in the vault's language."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import Entry

LANGS = ("ja", "en")


@dataclass(frozen=True, slots=True)
class Words:
    """Everything a writer says in one language."""

    lang: str
    remarks: str
    """Label of the author's remarks."""
    notes: str
    """Label of the notes an entry came from."""
    prompt: str
    """The question on the front of a meaning -> term card."""
    source: str
    """A cited definition's source when only its link is known."""
    glossary: str
    """`{deck} 用語集`: the glossary note's title."""
    intro: str
    """The glossary note's first line: `{n}` entries."""
    intro_one: str
    list_sep: str
    """Between aliases (and between notes in the glossary)."""
    line: str
    lines: str
    """`{}` the line number(s) of a note, joined with line_sep."""
    line_sep: str
    after_path: str
    """Between a note's path and its line numbers on a card."""
    aside: str
    """`{}` the line numbers after a note's link in the glossary: `（11行）`, ` (line 11)`."""

    def where(self, numbers: Sequence[int]) -> str:
        """Return the line numbers of one note: `11・14行`, `lines 11, 14`."""
        joined = self.line_sep.join(map(str, numbers))
        return (self.lines if len(numbers) > 1 else self.line).format(joined)


JAPANESE = Words(
    lang="ja", remarks="備考", notes="ノート", prompt="略語・用語は？", source="出典", glossary="{} 用語集",
    intro="{} 語。glossdeck が生成したノートです（編集しても次の build で上書きされます）。",
    intro_one="{} 語。glossdeck が生成したノートです（編集しても次の build で上書きされます）。", list_sep="、",
    line="{}行", lines="{}行", line_sep="・", after_path=" ", aside="（{}）",
)  # fmt: skip
ENGLISH = Words(
    lang="en", remarks="Remarks", notes="Notes", prompt="Which term?", source="Source", glossary="{} glossary",
    intro="{} entries. glossdeck wrote this note (edits are overwritten by the next build).",
    intro_one="{} entry. glossdeck wrote this note (edits are overwritten by the next build).", list_sep="; ",
    line="line {}", lines="lines {}", line_sep=", ", after_path=", ", aside=" ({})",
)  # fmt: skip
WORDS = {"ja": JAPANESE, "en": ENGLISH}

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f\uff21-\uff3a\uff41-\uff5a]+")
# Counted in words: two kana or kanji make about one (経済連携協定, Economic Partnership Agreement).
# Long forms are English in Japanese notes too, so a vault is Japanese from a quarter on: the user's
# notes measure 71% (57% without their cited definitions), English notes that give a Japanese name
# now and then about 10%.
JAPANESE_SHARE = 0.25


def _texts(entries: Iterable[Entry]) -> Iterable[str]:
    titles: set[str] = set()
    for e in entries:
        yield from (e.term, e.expansion or "", *e.aliases, e.definition or "", *e.remarks)
        titles.update(s.title for s in e.sources)
    yield from titles


def detect(entries: Iterable[Entry]) -> str:
    """Return "ja" when Japanese is a quarter of the entries' text or more, else "en".

    The text is every entry's term, long form, aliases, definition and remarks, and the names of the
    notes they came from, counted in words (two kana or kanji make one). No words at all (an empty
    vault) is Japanese, glossdeck's default.
    """
    japanese = words = 0
    for text in _texts(entries):
        japanese += len(_JAPANESE.findall(text))
        words += len(_WORD.findall(text))
    if japanese + words == 0:
        return "ja"
    return "ja" if japanese / 2 >= JAPANESE_SHARE * (japanese / 2 + words) else "en"


def words_for(lang: str | None, entries: Iterable[Entry]) -> Words:
    """Return the words of `lang` ("ja", "en"), or of the entries' language when it is None."""
    return WORDS[lang or detect(entries)]
