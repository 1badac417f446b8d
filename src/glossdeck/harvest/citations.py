"""Dictionary citations: `「definition」（[Source 「headword」](url)より）` in all their shapes.

Each shape of citation is a pattern and a reader in SHAPES; at each place the first shape that reads
a citation wins. Every pattern's runs are bounded, so a paragraph of thousands of `（[「` that never
close costs linear time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ..model import TERM, Candidate, Lines, Note
from .plain import DEST, link_text
from .rules import Found, Warn, candidates
from .text import clean, is_latin, nfkc

_YORI = r"(?:より|から)(?:引用)?"
_LABEL = r"\[(?P<label>(?:[^\[\]\n]|\[[^\[\]\n]{0,80}\]){1,200})\]"
_QUOTE = r"[「『](?P<{}>[^「」『』\n]{{1,80}})[」』]"
# （[デジタル大辞泉 「経済連携協定」](https://…)より）, （出典：[デジタル大辞泉](https://…)）, and the
# headword after the link: （[デジタル大辞泉](https://…)「経済連携協定」より）. Also without the space
# before 「, with half-width brackets, and with から / から引用 / より引用 instead of より.
_LINKED = re.compile(
    r"[（(][ \t]*(?P<shutten>出典[ \t]*[：:][ \t]*)?" + _LABEL + r"\((?P<url>" + DEST + r")\)"
    r"[ \t]*(?:" + _QUOTE.format("after") + r")?[ \t]*(?P<yori>" + _YORI + r")?[ \t]*[）)]"
)
_IN_LABEL = re.compile(r"(?P<src>.*?)\s*(?:" + _QUOTE.format("head") + r")?\s*", re.S)
# （デジタル大辞泉「経済連携協定」より） — no link: the source is named only.
_NAMED = re.compile(
    r"[（(]\s*(?P<src>[^（()）「」『』\[\]\s][^（()）「」『』\[\]]{0,30}?)\s*" + _QUOTE.format("head")
    + r"\s*" + _YORI + r"\s*[）)]"
)
_HTTP = re.compile(r"https?://", re.I)
DEFINITION_LIMIT = 2000
"""The longest definition kept, in characters; a longer one is cut with … and a warning."""
_READ = 2 * DEFINITION_LIMIT
LONG_DEFINITION = "long-definition"
"""The kind of the warning a cut definition gives."""
# "X、Yとも呼ばれる" / "Xともいう": other names the remark gives.
_ALSO_CALLED = re.compile(r"([^。]+?)(?:など)?とも(?:呼ばれる|よばれる|いう|言う|称される|呼ぶ)")
_BRACKET_OR_STOP = re.compile(r"[（(「『）)」』。]")
_LEAD = re.compile(r"^([^、，,：:]+)[、，,：:]\s*")


# The joiners between the names a citation lists.
_NAME_BREAK = re.compile(r"[、，,・]|や|または|及び|および")


@dataclass(frozen=True, slots=True)
class Citation:
    """A cited definition found in a run of text."""

    definition: str
    source: str
    headword: str
    """The dictionary's headword, or "" when the citation names none."""
    url: str | None
    """The link, when it is http(s); a link of any other scheme is dropped."""
    start: int
    """Where the definition starts in the text."""
    end: int
    """Just after the citation's closing bracket."""
    lead: str
    """What stands between the enclosing bracket and the definition (a long form, say)."""
    cut: bool = False
    """The definition was longer than DEFINITION_LIMIT and was cut."""
    shape: str = ""
    """The name of the shape that read it (`citation-link`)."""


@dataclass(frozen=True, slots=True)
class _Cited:
    """What a citation's brackets say: its source, headword and link."""

    source: str
    headword: str
    url: str | None
    linked: bool
    """The citation holds a link (whatever its scheme): a definition before it needs no quotes."""


def _linked(m: re.Match[str]) -> _Cited | None:
    """（[Source 「headword」](url)より）, （出典：[Source](url)）, （[Source](url)「headword」より）."""
    if not m.group("shutten") and not m.group("yori"):
        return None
    label = _IN_LABEL.fullmatch(m.group("label"))
    if label is None:
        return None
    head = label.group("head") or m.group("after") or ""
    url = m.group("url")
    return _Cited(clean(label.group("src")), clean(nfkc(head)), url if _HTTP.match(url) else None, True)


def _named(m: re.Match[str]) -> _Cited | None:
    """（デジタル大辞泉「経済連携協定」より）: a source named without a link."""
    return _Cited(clean(m.group("src")), clean(nfkc(m.group("head"))), None, False)


SHAPES: list[tuple[str, re.Pattern[str], Callable[[re.Match[str]], _Cited | None]]] = [
    ("citation-link", _LINKED, _linked),
    ("citation-named", _NAMED, _named),
]


def find_citations(text: str) -> tuple[Citation, ...]:
    """Return every cited definition in `text`, in order."""
    if "より" not in text and "から" not in text and "出典" not in text:
        return ()
    return _find_citations(text)


@lru_cache(maxsize=1 << 14)
def _find_citations(text: str) -> tuple[Citation, ...]:
    # cached: the same footnote (one acronym defined in many notes) is read again and again
    found: dict[int, tuple[str, re.Match[str], _Cited]] = {}
    for name, pattern, read in SHAPES:
        for m in pattern.finditer(text):
            if m.start() in found:
                continue
            cited = read(m)
            if cited is not None and cited.source:
                found[m.start()] = (name, m, cited)
    if not found:
        return ()
    starts = sorted(found)
    anchors = _Anchors(text, starts)
    out: list[Citation] = []
    after = 0  # a definition never runs back over the citation before it
    for at in starts:
        name, m, cited = found[at]
        citation = _citation(text, anchors, after, m, cited, name)
        if citation is not None:
            out.append(citation)
        after = max(after, m.end())
    return tuple(out)


def _citation(
    text: str, anchors: _Anchors, after: int, m: re.Match[str], cited: _Cited, name: str
) -> Citation | None:
    """Read the definition a citation closes: a 「quote」, else the text back to its sentence's start."""
    quote_open = anchors.quote_before(m.start())
    lead = ""
    if quote_open >= 0:
        start, end = quote_open, anchors.quote_close(m.start())
        body = text[start + 1: min(end, start + 1 + _READ)]
    else:
        start, end = max(after, anchors.anchor(m.start())), m.start()
        body = text[start: min(end, start + _READ)]
        # "Limited Partner、ファンドの…": an English long form leads the definition; split it off.
        lead_m = _LEAD.match(body)
        if lead_m and is_latin(lead_m.group(1)):
            lead = clean(lead_m.group(1))
            body = body[lead_m.end():]
            start += lead_m.end()
    definition = clean(link_text(body))
    # Without a link or a headword, only a 「quoted」 definition is sure to be one.
    if not definition or ((not cited.linked or not cited.headword) and quote_open < 0):
        return None
    # (only the first _READ characters are read: reading every long run in full made nested quotes quadratic)
    cut = len(definition) > DEFINITION_LIMIT or end - start > _READ
    if cut:
        definition = definition[:DEFINITION_LIMIT].rstrip() + "…"
    return Citation(definition, cited.source, cited.headword, cited.url, start, m.end(), lead, cut, name)


class _Anchors:
    """Where the definition before each citation starts, found in one pass over the text's brackets.

    Reading back from every citation made a paragraph of thousands of citations quadratic.
    """

    def __init__(self, text: str, starts: list[int]) -> None:
        self._text = text
        self._anchor: dict[int, int] = {}
        self._quote: dict[int, int] = {}
        self._close: dict[int, int] = {}
        levels = [0]  # where the text of each open bracket level starts (after its bracket or 。)
        opened: list[int] = []
        marks = iter(_BRACKET_OR_STOP.finditer(text))
        mark = next(marks, None)
        for at in starts:
            last_close = (-1, -1)
            while mark is not None and mark.start() < at:
                c, pos = mark.group(), mark.start()
                if c in "（(「『":
                    opened.append(pos)
                    levels.append(pos + 1)
                elif c in "）)」』":
                    if opened:
                        levels.pop()
                        last_close = (pos, opened.pop())
                else:
                    levels[-1] = pos + 1
                mark = next(marks, None)
            self._anchor[at] = levels[-1]
            self._note_quote(at, last_close)

    def _note_quote(self, at: int, last_close: tuple[int, int]) -> None:
        """Remember the opening quote when the citation at `at` follows a closing 」 or 』."""
        q = at - 1
        while q >= 0 and self._text[q].isspace():
            q -= 1
        if q >= 0 and self._text[q] in "」』" and last_close[0] == q:
            self._quote[at] = last_close[1]
            self._close[at] = q

    def anchor(self, at: int) -> int:
        """Return where the sentence (or bracket) that the citation at `at` closes starts."""
        return self._anchor[at]

    def quote_before(self, at: int) -> int:
        """Return the opening 「 of the quote just before the citation at `at`, or -1."""
        return self._quote.get(at, -1)

    def quote_close(self, at: int) -> int:
        """Return the closing 」 of the quote just before the citation at `at`."""
        return self._close[at]


def cut_message(term: str) -> str:
    """Return the warning for a definition of `term` that was cut."""
    return f"the definition of {term} is over {DEFINITION_LIMIT} characters: cut there, with …"


def also_called(remark: str) -> list[str]:
    """Return the other names a remark gives: `国政監察官、行政監察官とも呼ばれる。`."""
    m = _ALSO_CALLED.search(remark)
    if not m:
        return []
    names = _NAME_BREAK.split(m.group(1))
    return [n.strip() for n in names if 1 < len(n.strip()) <= 30]


def remark_after(text: str, end: int) -> str:
    """Return the text that follows a citation (a remark), cleaned."""
    return clean(link_text(text[end:])).lstrip("。、 ")


def harvest_body_citations(note: Note, warn: Warn) -> list[Candidate]:
    """Cited definitions in body text (footnotes are the footnote harvester's): term = headword."""
    out: list[Candidate] = []
    for block in note.blocks:
        if block.footnote is not None:
            continue
        lines = Lines(block.text, block.line)
        for cite in find_citations(block.text):
            if not cite.headword:
                continue
            line = lines.at(cite.start)
            if cite.cut:
                warn(LONG_DEFINITION, line, cut_message(cite.headword))
            found = Found(cite.headword, kind=TERM, definition=cite.definition,
                          definition_source=cite.source, definition_url=cite.url)
            out.extend(candidates(note, found, cite.shape, [line]))
    return out
