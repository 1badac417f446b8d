"""Make a note's text plain once, before any rule reads it: the words a reader of the rendered note sees.

Removed: comments (`%%…%%`, `<!-- -->`), `<script>`, `<style>`, `<iframe>` and ruby readings with their
content, other HTML tags (their text kept; an `<abbr title="Long Form">ACR</abbr>` reads `ACR (Long Form)`, what
hovering shows), embeds (`![[logo.png]]`, images), block ids (` ^abc123`),
zero-width and bidi control characters; decoded: HTML entities (`&amp;`); unwrapped: `**…**`, `__…__`,
`*…*`, `_…_`, `~~…~~`, `==…==`. Links are written one way, `[text](url)` (a `<url>` unwrapped, a title
dropped, the scheme in lower case), and kept, with footnote references and inline footnotes: rules read
a link's text as a name (`link_text`) and citations read its URL.

Every line break is kept, so a position in the plain text is on the same line as in the note.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from functools import lru_cache

from ..model import Block, FootnoteDef, FootnoteRef, Note

# A link destination once written one way: no spaces, at most one level of balanced parentheses
# (`https://ja.wikipedia.org/wiki/水星_(惑星)`). Every run is bounded, so a try costs little.
DEST = r"[^()\s]{0,2000}(?:\([^()\s]{0,200}\)[^()\s]{0,2000}){0,4}"
LINK = re.compile(r"!?\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\((" + DEST + r")\)")
# A reference-style link `[Software Package Data Exchange][spdx]` (or `[text][]`) reads as its text.
_REF_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\[(?:[^\[\]^\s][^\[\]]*)?\]")
_WIKI = re.compile(r"!?\[\[([^\]|]+)(?:\|([^\]]+))?\]\]")
_FOOTREF = re.compile(r"\[\^[^\]\s]+\]|\^\[[^\]]*\]")
# Marks around letters that are no part of a name, when a text was not made plain (a fragment).
_STRAY_MARKS = re.compile(r"\*+|==|__|~~|(?<![A-Za-z0-9])_(?=\S)|(?<=\S)_(?![A-Za-z0-9])")

# Characters without which no step below but links and block ids changes a text: looked for one by
# one (`in` runs at memchr speed, a character class search over Japanese text ten times slower).
_MARK_CHARS = "<&*_~=!%\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e" \
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
_ODD_LINK_HINTS = ("](<", "](H", '"', "'", " (", "\t(")
# A link not yet written one way: `<url>`, a blank or a title inside, an upper-case scheme.
_ODD_LINK = re.compile(
    r"\]\((?:[ \t]*<|[A-Za-z0-9+.\-]*[A-Z][A-Za-z0-9+.\-]*:|[^()\s]*+(?:\([^()\s]*+\)[^()\s]*+)*+[ \t])"
)
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_COMMENTS = (("<!--", "-->"), ("%%", "%%"))
# Elements whose content is no text of the note: code run by a browser, or a ruby reading.
_HIDDEN_ELEMENTS = ("script", "style", "iframe", "rt", "rp")
_ELEMENT_OPEN = re.compile(r"<(script|style|iframe|rt|rp)\b[^<>]{0,500}>", re.I)
# Only tags of real HTML elements go: `<WTO>` or `<名前>` in prose is text.
_INLINE_TAGS = frozenset(
    "a abbr b bdi bdo big cite code data del dfn em font i img ins kbd mark nobr q rb ruby s samp small span "
    "strike strong sub sup time tt u var wbr".split()
)
_BREAK_TAGS = frozenset(
    "address article aside blockquote br center dd details div dl dt figcaption figure footer h1 h2 h3 h4 h5 "
    "h6 header hr li main nav ol p section summary table tbody td tfoot th thead tr ul".split()
)
# `<abbr title="Dynamic Host Configuration Protocol">DHCP</abbr>`: the title is the long form the reader
# sees on hovering; written `DHCP (Dynamic …)`, the inline rules read it like any bracket after an acronym.
_ABBR_TITLE = re.compile(
    r"<abbr\s+title\s*=\s*(?:\"([^\"<>\n]{1,200})\"|'([^'<>\n]{1,200})')\s*>([^<>\n]{1,40})</abbr\s*>", re.I
)
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]{0,15})(?:\s[^<>]{0,500}?)?\s*/?>")
# (a link's destination is matched first and kept: `![[…]]` inside a URL is part of the URL)
_EMBED = re.compile(r"(\]\(" + DEST + r"\))|!\[\[[^\[\]\n]*\]\]|!\[[^\[\]\n]{0,300}\]\(" + DEST + r"\)")
# (a run of blanks is tried once, from its start: trying from inside it too was quadratic)
_BLOCK_ID = re.compile(r"(?:(?<![ \t])[ \t]+|^)\^[A-Za-z0-9-]{1,64}[ \t]*$", re.M)
# A link destination, written any way CommonMark allows: `<url>`, a title, parentheses.
_ANY_DEST = re.compile(
    r"\]\([ \t]*(?:<([^<>\n]{0,2000})>|(" + DEST + r"))"
    r"(?:[ \t]+(?:\"[^\"\n]{0,300}\"|'[^'\n]{0,300}'|\([^()\n]{0,300}\)))?[ \t]*\)"
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
# Emphasis marks, and what holds marks that are none: a link's destination, a bare URL, a footnote
# reference, a wiki link (so `_` in `https://x.org/_a_` or `[^_b_]` is no emphasis).
_MARKS = re.compile(
    r"\]\(" + DEST + r"\)|(?i:https?://)[^\s<>]*|\[\^[^\[\]\s]+\]|\[\[[^\[\]]*\]\]"
    r"|(?P<mark>\*\*|__|~~|==|\*|_)"
)
_EMPHASIS_REACH = 200
"""The farthest apart two marks are paired, in characters."""


def plain_markdown(text: str) -> str:
    """Return the text as a reader sees it, links and footnotes kept, every line break in place."""
    # cached: the same footnotes and paragraphs recur note after note (long texts are not kept)
    return _plain_cached(text) if len(text) <= _CACHED_LENGTH else _plain(text)


_CACHED_LENGTH = 4096


@lru_cache(maxsize=1 << 14)
def _plain_cached(text: str) -> str:
    return _plain(text)


def _anything_to_take(text: str) -> tuple[bool, bool, bool]:
    """Tell whether some link, some block id, or some other mark could be taken out of `text`."""
    # (a link to write another way has one of these; most notes' links have none)
    links = "](" in text and any(c in text for c in _ODD_LINK_HINTS) and _ODD_LINK.search(text) is not None
    ids = " ^" in text or "\t^" in text or "\n^" in text or text.startswith("^")
    return links, ids, any(c in text for c in _MARK_CHARS)


def _plain(text: str) -> str:
    links, ids, marks = _anything_to_take(text)
    if not (links or ids or marks):
        return text  # most text holds nothing to take away
    if "<" in text or "%%" in text:
        text = _drop_comments(text)
    if "<" in text:
        text = _TAG.sub(_tag, _abbr_titles(_drop_hidden_elements(text)))
    if "&" in text:
        text = _ENTITY.sub(_entity, text)
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    if links:
        text = _ANY_DEST.sub(_dest, text)
    if "![" in text:
        text = _EMBED.sub(lambda m: m.group(1) or "", text)
    if ids:
        # (not on every `[^label]`: a paragraph of thousands of references has a text-before each)
        text = _BLOCK_ID.sub("", text)
    if "*" in text or "_" in text or "~~" in text or "==" in text:
        text = _unwrap_marks(text)
    return text


def link_text(text: str) -> str:
    """Return the words a reader sees: links read as their text, no footnote references or marks."""
    text = _FOOTREF.sub("", text)
    text = _WIKI.sub(lambda m: m.group(2) or m.group(1), text)
    text = LINK.sub(lambda m: m.group(1), text)
    if "][" in text:
        text = _REF_LINK.sub(lambda m: m.group(1), text)
    if "*" in text or "_" in text or "==" in text or "~~" in text:
        text = _STRAY_MARKS.sub("", text)
    return text


def plain_note(note: Note) -> Note:
    """Return the note with every text a rule reads made plain (blocks, footnotes, references, lists)."""
    # One look at all of a note's text first: most notes hold nothing to take away. Every text a
    # rule reads (a footnote's, a reference's text-before, a list item's) is cut from the blocks.
    if not any(_anything_to_take("\n".join(b.text for b in note.blocks))):
        return note
    blocks = tuple(_plain_block(b) for b in note.blocks)
    footnotes = tuple(_plain_footnote(f) for f in note.footnotes)
    refs = tuple(_plain_ref(r) for r in note.refs if not in_comment(r.before))
    extras = tuple((plain_markdown(term), plain_markdown(text), line) for term, text, line in note.extras)
    return replace(note, blocks=blocks, footnotes=footnotes, refs=refs, extras=extras)


def in_comment(before: str) -> bool:
    """Tell whether a reference whose text-before is `before` sits inside a comment left open."""
    return before.rfind("<!--") > before.rfind("-->") or before.count("%%") % 2 == 1


def _plain_block(block: Block) -> Block:
    text = plain_markdown(block.text)
    return block if text == block.text else replace(block, text=text)


def _plain_footnote(fn: FootnoteDef) -> FootnoteDef:
    text = plain_markdown(fn.text)
    return fn if text == fn.text else replace(fn, text=text)


def _plain_ref(ref: FootnoteRef) -> FootnoteRef:
    before = plain_markdown(ref.before)
    return ref if before == ref.before else replace(ref, before=before)


def _newlines(text: str) -> str:
    return "\n" * text.count("\n")


def _drop_comments(text: str) -> str:
    """Remove each comment, from its opening mark to the next closing one; one left open stays text."""
    for opening, closing in _COMMENTS:
        if opening not in text:
            continue
        out: list[str] = []
        pos = 0
        start = text.find(opening)
        while start >= 0:
            end = text.find(closing, start + len(opening))
            if end < 0:
                break
            end += len(closing)
            out.append(text[pos:start] + _newlines(text[start:end]))
            pos = end
            start = text.find(opening, end)
        text = "".join(out) + text[pos:]
    return text


def _drop_hidden_elements(text: str) -> str:
    """Remove `<script>…</script>` (and the like) with their content; an unclosed one loses its tag only."""
    out: list[str] = []
    pos = 0
    unclosed: set[str] = set()
    for m in _ELEMENT_OPEN.finditer(text):
        name = m.group(1).lower()
        if m.start() < pos or name in unclosed:
            continue
        close = re.compile(rf"</{name}\s*>", re.I).search(text, m.end())
        if close is None:
            unclosed.add(name)  # searching again from a later tag would read to the end again
            continue
        out.append(text[pos:m.start()] + _newlines(text[m.start():close.end()]))
        pos = close.end()
    return "".join(out) + text[pos:]


def _abbr_titles(text: str) -> str:
    """Write each `<abbr title="Long">ACR</abbr>` as `ACR (Long)`."""
    if "<abbr" not in text.lower():
        return text
    return _ABBR_TITLE.sub(lambda m: f"{m.group(3)} ({m.group(1) or m.group(2)})", text)


def _tag(m: re.Match[str]) -> str:
    name = m.group(1).lower()
    if name in _INLINE_TAGS or name in _HIDDEN_ELEMENTS:
        return _newlines(m.group(0))
    if name in _BREAK_TAGS:
        return _newlines(m.group(0)) or " "
    return m.group(0)


def _entity(m: re.Match[str]) -> str:
    char = html.unescape(m.group(0))
    if char == m.group(0):
        return char  # not an entity HTML knows
    # a decoded line break or control character would move lines or split a field
    return _INVISIBLE.sub("", _CONTROL.sub(" ", char))


def _dest(m: re.Match[str]) -> str:
    url = (m.group(1) if m.group(1) is not None else m.group(2)).strip().replace(" ", "%20")
    scheme = _SCHEME.match(url)
    if scheme:
        url = scheme.group(0).lower() + url[scheme.end():]
    return f"]({url})"


def _unwrap_marks(text: str) -> str:
    """Remove each pair of emphasis marks, keeping what they enclose (`**W**orld`, `_a_`, `==b==`).

    One pass pairs each closing mark with the last opening mark of its kind, as a stack: pairing by
    a pattern tried the text after every mark that never closes (slow on a paragraph of `**a `).
    """
    opened: dict[str, list[int]] = {}
    drop: list[tuple[int, int]] = []
    for m in _MARKS.finditer(text):
        mark = m.group("mark")
        if mark is None:
            continue  # a link's destination, a URL, a reference: no marks inside
        at, end = m.start(), m.end()
        stack = opened.setdefault(mark, [])
        if stack and at - stack[-1] > _EMPHASIS_REACH:
            stack.clear()  # an opening mark too far back is no emphasis of this one
        if stack and _can_close(text, at, end, mark):
            drop.append((stack.pop(), len(mark)))
            drop.append((at, len(mark)))
        elif _can_open(text, at, end, mark):
            stack.append(at)
    if not drop:
        return text
    out: list[str] = []
    pos = 0
    for at, size in sorted(drop):
        out.append(text[pos:at])
        pos = at + size
    return "".join(out) + text[pos:]


def _can_open(text: str, at: int, end: int, mark: str) -> bool:
    after = text[end:end + 1]
    if not after or after.isspace() or (mark == "*" and after == "["):
        return False  # `*[HTML]:` is an abbreviation
    before = text[at - 1:at] if at else ""
    # a single `*` or `_` inside a word (`snake_case`, `2*3`) opens nothing
    return len(mark) == 2 or not (before.isalnum() or before == "\\" or before == mark == "_")


def _can_close(text: str, at: int, end: int, mark: str) -> bool:
    before = text[at - 1:at] if at else ""
    if not before or before.isspace() or before == "\\":
        return False
    after = text[end:end + 1]
    return len(mark) == 2 or not (after.isalnum() or after == mark == "_")
