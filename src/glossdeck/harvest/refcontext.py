"""What stands just before a footnote reference: the acronym and Japanese name the footnote is about.

`経済連携協定（EPA）[^epa]`, `経済協力開発機構（OECD[^oecd]`, `[世界貿易機関（WTO）](url)[^wto]`,
`[DFFT（信頼性のある自由なデータ流通）](url)[^dfft]`, `「GPAI」[^gpai]`, a bare `GPAI[^gpai]`: each shape
has a reader in READERS, tried in order (first match wins).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .names import japanese_name
from .plain import DEST, link_text
from .rules import Rule, first_match
from .text import clean, has_japanese, is_acronym, is_latin, matching_open, nfkc, starts_word, trailing_acronym

# What stands before a reference is read from its end; a link (URL included) or a bracket longer
# than this cannot hold an acronym or a name.
CONTEXT_TAIL = 600


@dataclass(frozen=True, slots=True)
class RefContext:
    """What a reference's text-before says."""

    acronym: str | None = None
    name: str | None = None
    """The Japanese name beside the acronym (`経済連携協定` in `経済連携協定（EPA）`)."""
    bracketed: bool = False
    """The reference follows a bracket (`（EPA）[^epa]`): the word before it is no name of its own."""


NOTHING = RefContext()
IN_BRACKET = RefContext(bracketed=True)
_LINK_END = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(" + DEST + r"\)$")
_IN_BRACKETS = re.compile(r"(.*?)[（(]([^（()）]*)[）)]")
_OPEN_END = re.compile(r"[（(]\s*([^（()）]*)$")
_QUOTED_END = re.compile(r"[「『]([^「」『』]+)[」』]$")


def context(before: str) -> RefContext:
    """Read what stands before a reference."""
    return _context(before[-CONTEXT_TAIL:].rstrip(" \u3000"))


@lru_cache(maxsize=1 << 14)
def _context(text: str) -> RefContext:
    found = first_match(READERS, text)
    return found[1] if found else NOTHING


def _in_link(text: str) -> RefContext | None:
    """`[世界貿易機関（WTO）](url)`, `[DFFT（信頼性のある…）](url)`, `[ICANN](url)`: the link text says."""
    link = _LINK_END.search(text)
    if not link:
        return None
    plain = clean(link_text(link.group(1)))
    if is_acronym(plain):
        return RefContext(nfkc(plain))
    # "[Name（ACR）](url)" or "[ACR（Name）](url)": the whole link text is the name.
    m = _IN_BRACKETS.fullmatch(plain)
    if m:
        a, b = m.group(1).strip(), m.group(2).strip()
        if is_acronym(b) and has_japanese(a):
            return RefContext(nfkc(b), short_name(a))
        if is_acronym(a) and has_japanese(b):
            return RefContext(nfkc(a), short_name(b))
        if is_acronym(b) and is_latin(a):
            return RefContext(nfkc(b))  # `[Common Vulnerabilities and Exposures (CVE)](url)`
    return NOTHING


def _closed_bracket(text: str) -> RefContext | None:
    """`経済連携協定（EPA）`, or `DFFT（信頼性のある自由なデータ流通）`: acronym or name in the bracket."""
    if not text.endswith(("）", ")")):
        return None
    open_at = matching_open(text, len(text) - 1)
    if open_at < 0:
        return IN_BRACKET
    inner = clean(link_text(text[open_at + 1:-1]))
    outer = text[:open_at]
    if is_acronym(inner):
        return RefContext(nfkc(inner), japanese_name(outer), True)
    if has_japanese(inner) and not is_latin(inner):
        acr = trailing_acronym(outer)
        if acr and starts_word(outer, acr):
            return RefContext(acr, short_name(inner), True)
    return IN_BRACKET


def _open_bracket(text: str) -> RefContext | None:
    """`経済協力開発機構（OECD[^oecd]）`: the reference stands inside the bracket, after the acronym."""
    m = _OPEN_END.search(text)
    if not m:
        return None
    inner = clean(link_text(m.group(1)))
    if is_acronym(inner):
        return RefContext(nfkc(inner), japanese_name(text[: m.start()]), True)
    return IN_BRACKET


def _quoted(text: str) -> RefContext | None:
    """`「GPAI」[^gpai]`: a quoted acronym."""
    m = _QUOTED_END.search(text)
    if not m:
        return None
    inner = clean(link_text(m.group(1)))
    return RefContext(nfkc(inner)) if is_acronym(inner) else NOTHING


def _bare(text: str) -> RefContext | None:
    """`GPAI[^gpai]`: an acronym that starts a word."""
    acr = trailing_acronym(text)
    return RefContext(acr) if acr and starts_word(text, acr) else None


READERS: list[Rule[str, RefContext]] = [
    ("link", _in_link),
    ("closed-bracket", _closed_bracket),
    ("open-bracket", _open_bracket),
    ("quoted", _quoted),
    ("bare", _bare),
]


def short_name(text: str) -> str | None:
    """Return `text` as a Japanese name when it is short and no sentence or list."""
    text = clean(text)
    if not text or len(text) > 40 or "。" in text or "、" in text:
        return None
    return text
