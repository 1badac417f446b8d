"""Japanese names: the one that stands before a bracket, and which short texts are names at all."""

from __future__ import annotations

import re

from .plain import LINK, link_text
from .text import clean, has_japanese, is_japanese_char

_LINK_AT_END = re.compile(LINK.pattern + "$")
_KATAKANA = re.compile(r"[\u30a0-\u30ffー]+")
_HIRAGANA = re.compile(r"[\u3041-\u3096\u309d\u309e]")
# A count or frequency that precedes a name ("4年に一度", "一度") is not part of the name.
_LEADING_COUNT = re.compile(r"^[0-9０-９一二三四五六七八九十百千]+[度回件つ個]")
# Single-kanji prefixes meaning former / current / the same, never part of an organisation's name.
_LEADING_PREFIX = re.compile(r"^[旧元前現同各両当]")
# A wiki link that ends a text.
_WIKILINK_AT_END = re.compile(r"\[\[([^\]|]+)(?:\|([^\]]+))?\]\]$")
# A name with a bracket after it.
_NAME_THEN_BRACKET = re.compile(r"^(.*?)[（(]([^（）()]*)[）)]$")
# Runs of hiragana, kept by the split.
_HIRAGANA_RUN = re.compile(r"([\u3041-\u3096\u309d\u309e]+)")


def japanese_name(before: str) -> str | None:
    """Return the name that ends `before`: a link's text, a quoted name, or the last noun phrase."""
    text = before.rstrip(" \u3000")
    quoted = False
    if text.endswith(("」", "』")):
        text = text[:-1]
        quoted = True
    m = _LINK_AT_END.search(text)
    if m:
        return _name_from_link(m.group(1))
    m = _WIKILINK_AT_END.search(text)
    if m:
        return _name_from_link(m.group(2) or m.group(1))
    if quoted:
        start = max(text.rfind("「"), text.rfind("『"))
        if start >= 0:
            return _plausible_name(clean(link_text(text[start + 1:])))
    return trailing_noun_phrase(link_text(text))


def _name_from_link(text: str) -> str | None:
    text = clean(link_text(text)).strip("「」『』")
    # A link text "Name（ACR）" or "ACR（Name）": the caller wants the Japanese part.
    m = _NAME_THEN_BRACKET.match(text)
    if m:
        a, b = m.group(1).strip(), m.group(2).strip()
        text = a if has_japanese(a) else b
    return _plausible_name(text)


def _plausible_name(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip(" 、。,.：:")
    if not has_japanese(text) or len(text) > 40 or "。" in text:
        return None
    return text


_NAME_CHARS = re.compile(
    r"[\u3041-\u309f\u30a0-\u30ffー・\u4e00-\u9fff\u3400-\u4dbf々〆ヶA-Za-z0-9Ａ-Ｚａ-ｚ０-９&＆\-]+$"
)


def trailing_noun_phrase(text: str) -> str | None:
    """Return the noun phrase that ends a Japanese clause: `XR等の情報通信技術` -> `情報通信技術`."""
    m = _NAME_CHARS.search(text.rstrip())
    if not m:
        return None
    run = m.group(0)
    # Names rarely hold hiragana; the last hiragana run is a particle or verb ending.
    parts = _HIRAGANA_RUN.split(run)
    name = parts[-1]
    # "モノのインターネット": a lone の between katakana words is part of the name.
    if len(parts) >= 3 and parts[-2] == "の" and _KATAKANA.fullmatch(parts[-3] or "-") and _KATAKANA.fullmatch(name):
        name = parts[-3] + "の" + name
    name = _LEADING_COUNT.sub("", name)
    if len(name) > 4:
        name = _LEADING_PREFIX.sub("", name)
    name = name.strip("・-")
    # Short words read out of running prose are more often a word (次回) or a bare head noun
    # (委員会, 研究会) than a name.
    if len(name) < 4 or not name or not has_japanese(name) or not any(not _HIRAGANA.match(c) for c in name):
        return None
    return _plausible_name(name)


# Three kanji can be a whole name (認証局, 公開鍵, 仮想網), or an aside: a negation or a rank first
# (非推奨, 未対応, 第二版), a time, a version, a place or a use last (導入後, 改訂版, 米国内, 検証用, 既定値).
_SHORT_NAME = re.compile(r"[^非未不要無旧新元前現同各両当第約計全半別][\u4e00-\u9fff々]{2}")
_ASIDE_END = frozenset("版年月日頃等的中済後前内外用向製産語値")


def is_short_name(text: str) -> bool:
    """Tell whether a three-kanji text is a name (`認証局`) rather than an aside (`非推奨`, `改訂版`)."""
    return bool(_SHORT_NAME.fullmatch(text)) and is_japanese_char(text[0]) and text[-1] not in _ASIDE_END
