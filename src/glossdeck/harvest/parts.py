"""Read a footnote's parts: what stands before its reference, and its long form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .text import (
    clean,
    clean_long_form,
    has_japanese,
    is_acronym,
    is_latin,
    japanese_name,
    matching_open,
    nfkc,
    split_sentence,
    starts_word,
    strip_links,
    trailing_acronym,
)

# A long form is a name, not a sentence: at most this many words.
MAX_LONG_FORM_WORDS = 16


# What stands before a reference is read from its end; a link (URL included) or a bracket longer
# than this cannot hold an acronym or a name.
CONTEXT_TAIL = 600


def context(before: str) -> tuple[str | None, str | None, bool]:
    """Read what stands before a reference (see _context)."""
    return _context(before[-CONTEXT_TAIL:])


@lru_cache(maxsize=1 << 14)
def _context(before: str) -> tuple[str | None, str | None, bool]:
    """Read what stands before a reference: return (acronym, Japanese name, bracketed).

    Handles `経済連携協定（EPA）`, `経済協力開発機構（OECD`, `[世界貿易機関（WTO）](url)`,
    `[DFFT（信頼性のある自由なデータ流通）](url)`, `[ICANN](url)` and a bare `GPAI`.
    """
    text = before.rstrip(" \u3000")
    link = re.search(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\([^()\s]*\)$", text)
    if link:
        inner = link.group(1)
        plain = clean(strip_links(inner))
        if is_acronym(plain):
            return nfkc(plain), None, False
        # "[Name（ACR）](url)" or "[ACR（Name）](url)": the whole link text is the name.
        m = re.fullmatch(r"(.*?)[（(]([^（()）]*)[）)]", plain)
        if m:
            a, b = m.group(1).strip(), m.group(2).strip()
            if is_acronym(b) and has_japanese(a):
                return nfkc(b), _short_name(a), False
            if is_acronym(a) and has_japanese(b):
                return nfkc(a), _short_name(b), False
        return None, None, False
    if text.endswith(("）", ")")):
        open_at = matching_open(text, len(text) - 1)
        if open_at < 0:
            return None, None, True
        inner = clean(strip_links(text[open_at + 1:-1]))
        outer = text[:open_at]
        if is_acronym(inner):
            return nfkc(inner), japanese_name(outer), True
        if has_japanese(inner) and not is_latin(inner):
            acr = trailing_acronym(outer)
            if acr and starts_word(outer, acr):
                return acr, _short_name(inner), True
        return None, None, True
    m = re.search(r"[（(]\s*([^（()）]*)$", text)
    if m:
        inner = clean(strip_links(m.group(1)))
        if is_acronym(inner):
            return nfkc(inner), japanese_name(text[: m.start()]), True
        return None, None, True
    m = re.search(r"[「『]([^「」『』]+)[」』]$", text)
    if m:
        # 「GPAI」[^gpai]: a quoted acronym
        inner = clean(strip_links(m.group(1)))
        return (nfkc(inner), None, False) if is_acronym(inner) else (None, None, False)
    acr = trailing_acronym(text)
    if acr and starts_word(text, acr):
        return acr, None, False
    return None, None, False


def _short_name(text: str) -> str | None:
    text = clean(text)
    if not text or len(text) > 40 or "。" in text or "、" in text:
        return None
    return text


@dataclass(frozen=True, slots=True)
class LongForm:
    """What the first sentence of a footnote says: a long form and what stands around it."""

    text: str
    remark: str = ""
    aliases: tuple[str, ...] = ()
    acronym: str | None = None
    """An acronym the footnote states itself (`ITU: International …`, `… Union (ITU)`)."""


SUFFIX = re.compile(r"\s*(?:の)?(?:略称|略語|略|頭字語)(?:である|です)?$")
_STATED_FIRST = re.compile(r"^([A-Za-z0-9Ａ-Ｚａ-ｚ０-９&/\-.]+?)\s*(?:[:：=＝]|とは|は)\s*(.+)$")
_BRACKET_AFTER = re.compile(r"^(.+?)\s*[（(]([^（()）]+)[）)]$")
_STATED_LAST = re.compile(r"^(.+?)\s*[,、，;；:：]\s*([^\s,、，]+)$")
_COMMA_REST = re.compile(r"^([^、，,]+?)\s*[、，,]\s*(.+)$", re.S)


@lru_cache(maxsize=1 << 14)
def split_long_form(text: str) -> LongForm | None:
    """Read a footnote's long form: `Internet Governance Forum。そのまま。` -> long form + remark.

    Also `ITU: International …`, `International … Union (ITU)`, `… Union（国際電気通信連合）`,
    `… Union、国連の機関。` and `World Trade Organizationの略。`.
    """
    first, rest = split_sentence(text.strip())
    plain = SUFFIX.sub("", clean(strip_links(first)))
    remark = rest.strip()
    aliases: tuple[str, ...] = ()
    acronym = None
    m = _STATED_FIRST.match(plain)
    if m and is_acronym(m.group(1)) and is_latin(m.group(2)):
        acronym, plain = nfkc(m.group(1)), m.group(2)
    m = _BRACKET_AFTER.match(plain)
    if m and is_latin(m.group(1)):
        inner = m.group(2).strip()
        if is_acronym(inner):
            plain, acronym = m.group(1), nfkc(inner)
        elif has_japanese(inner) and not is_latin(inner):
            plain, aliases = m.group(1), (inner,)
    elif m and has_japanese(m.group(1)) and not is_latin(m.group(1)) and _short_name(m.group(1)):
        # 国際電気通信連合（International Telecommunication Union, ITU）: name first, long form inside
        inner = m.group(2).strip()
        last = _STATED_LAST.match(inner)
        if last and is_acronym(last.group(2)) and is_latin(last.group(1)):
            inner, acronym = last.group(1), nfkc(last.group(2))
        if is_latin(inner) and not is_acronym(inner):
            plain, aliases = inner, (m.group(1).strip(),)
    if not is_latin(plain):
        m = _COMMA_REST.match(plain)
        if not m or not is_latin(m.group(1)) or not has_japanese(m.group(2)):
            return None
        plain = m.group(1)
        remark = clean(m.group(2) + "。" + remark) if remark else m.group(2)
    if len(plain.split()) > MAX_LONG_FORM_WORDS:
        return None
    return LongForm(clean_long_form(plain), remark, aliases, acronym)
