"""Dictionary citations: `「definition」（[Source 「headword」](url)より）` in all their shapes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..model import TERM, Candidate, Lines, Note
from .text import clean, is_latin, matching_open, nfkc, strip_links

# （[デジタル大辞泉 「経済連携協定」](https://…)より） — also without the space before 「, without a
# headword, with half-width brackets, and with から / から引用 / より引用 instead of より.
_YORI = r"(?:より|から)(?:引用)?"
CITATION = re.compile(
    r"[（(]\s*\[(?P<src>[^\[\]「」『』]*?)\s*(?:[「『](?P<head>[^」』\]]+)[」』]\s*)?\]"
    r"\((?P<url>[^()\s]+)\)\s*" + _YORI + r"\s*[）)]"
)
# （出典：[デジタル大辞泉](https://…)）
CITATION_SHUTTEN = re.compile(
    r"[（(]\s*出典\s*[：:]\s*\[(?P<src>[^\[\]「」『』]*?)\s*(?:[「『](?P<head>[^」』\]]+)[」』]\s*)?\]"
    r"\((?P<url>[^()\s]+)\)\s*(?:" + _YORI + r")?\s*[）)]"
)
# （デジタル大辞泉「経済連携協定」より） — no link: the source is named only.
CITATION_PLAIN = re.compile(
    r"[（(]\s*(?P<src>[^（()）「」『』\[\]\s][^（()）「」『』\[\]]{0,30}?)\s*[「『](?P<head>[^」』]+)[」』]\s*"
    + _YORI + r"\s*[）)]"
)
DEFINITION_REACH = 2000
"""The longest definition a citation closes, in characters."""
# "X、Yとも呼ばれる" / "Xともいう": other names the remark gives.
_ALSO_CALLED = re.compile(r"([^。]+?)(?:など)?とも(?:呼ばれる|よばれる|いう|言う|称される|呼ぶ)")


@dataclass(frozen=True, slots=True)
class Citation:
    """A cited definition found in a run of text."""

    definition: str
    source: str
    headword: str
    """The dictionary's headword, or "" when the citation names none."""
    url: str | None
    start: int
    """Where the definition starts in the text."""
    end: int
    """Just after the citation's closing bracket."""
    lead: str
    """What stands between the enclosing bracket and the definition (a long form, say)."""


def find_citations(text: str) -> tuple[Citation, ...]:
    """Return every cited definition in `text`, in order."""
    if "より" not in text and "から" not in text and "出典" not in text:
        return ()
    return _find_citations(text)


@lru_cache(maxsize=1 << 14)
def _find_citations(text: str) -> tuple[Citation, ...]:
    # cached: the same footnote (one acronym defined in many notes) is read again and again
    found: dict[int, Citation] = {}
    for pattern in (CITATION, CITATION_SHUTTEN, CITATION_PLAIN):
        for m in pattern.finditer(text):
            url = m.groupdict().get("url")
            if url is not None and not url.startswith(("http://", "https://")):
                continue
            head = clean(nfkc(m.group("head") or ""))
            source = clean(m.group("src"))
            if not source or m.start() in found:
                continue
            definition, start, lead = _definition_before(text, m.start())
            # Without a link or a headword, only a 「quoted」 definition is sure to be one.
            quoted = text[max(0, m.start() - DEFINITION_REACH): m.start()].rstrip().endswith(("」", "』"))
            if not definition or ((url is None or not head) and not quoted):
                continue
            found[m.start()] = Citation(definition, source, head, url, start, m.end(), lead)
    return tuple(found[k] for k in sorted(found))


def _definition_before(text: str, cite_start: int) -> tuple[str, int, str]:
    """Find the definition the citation closes: a 「quote」, else the text back to its opening bracket."""
    # Read back at most DEFINITION_REACH characters: reading the whole text before every
    # citation made a paragraph of thousands of citations quadratic.
    base = max(0, cite_start - DEFINITION_REACH)
    open_at, definition, lead = _definition_in(text[base:cite_start], whole=base == 0)
    return definition, base + open_at, lead


_BRACKET_OR_STOP = re.compile(r"[（(「『）)」』。]")


def _definition_in(head: str, whole: bool) -> tuple[int, str, str]:
    """Read the definition at the end of `head`; `whole` when `head` starts where its block starts."""
    head = head.rstrip()
    if head.endswith(("」", "』")):
        open_at = matching_open(head, len(head) - 1)
        if open_at >= 0:
            return open_at, clean(strip_links(head[open_at + 1:-1])), ""
    # Unquoted: back to the unmatched bracket that encloses it, or the sentence start.
    depth = 0
    start = 0 if whole else -1
    for mark in reversed(list(_BRACKET_OR_STOP.finditer(head))):
        c = mark.group()
        if c in "）)」』":
            depth += 1
        elif c in "（(「『":
            if depth == 0:
                start = mark.end()
                break
            depth -= 1
        elif depth == 0:
            start = mark.end()
            break
    if start < 0:
        return 0, "", ""  # no sentence start within reach: not a definition
    body = head[start:]
    lead = ""
    # "Limited Partner、ファンドの…": an English long form leads the definition; split it off.
    m = re.match(r"^([^、，,：:]+)[、，,：:]\s*", body)
    if m and is_latin(m.group(1)):
        lead = clean(m.group(1))
        body = body[m.end():]
        start += m.end()
    return start, clean(strip_links(body)), lead


def also_called(remark: str) -> list[str]:
    """Return the other names a remark gives: `国政監察官、行政監察官とも呼ばれる。`."""
    m = _ALSO_CALLED.search(remark)
    if not m:
        return []
    names = re.split(r"[、，,・]|や|または|及び|および", m.group(1))
    return [n.strip() for n in names if 1 < len(n.strip()) <= 30]


def remark_after(text: str, end: int) -> str:
    """Return the text that follows a citation (a remark), cleaned."""
    return clean(strip_links(text[end:])).lstrip("。、 ")


def harvest_body_citations(note: Note) -> list[Candidate]:
    """Cited definitions in body text (footnotes are the footnote harvester's): term = headword."""
    out: list[Candidate] = []
    for block in note.blocks:
        if block.footnote is not None:
            continue
        lines = Lines(block.text, block.line)
        for cite in find_citations(block.text):
            if not cite.headword:
                continue
            out.append(
                Candidate(
                    term=cite.headword,
                    kind=TERM,
                    source=note.source(lines.at(cite.start)),
                    rule="citation",
                    definition=cite.definition,
                    definition_source=cite.source,
                    definition_url=cite.url,
                    tags=note.tags,
                )
            )
    return out
