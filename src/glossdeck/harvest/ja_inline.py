"""Inline shapes of Japanese notes: a kana reading in brackets, and a long form after the Japanese name.

`SQL（えすきゅーえる）`, `RBAC（アールバック）` read the acronym aloud: no name (`is_reading`, asked by
inline-acronym-first). `RCEP：地域的な包括的経済連携
（Regional Comprehensive Economic Partnership）`, `GNI は国民総所得（Gross National Income）`,
`GCP は「医薬品の臨床試験の実施の基準」（Good Clinical Practice）`: the acronym, its Japanese name, then
the long form in brackets (`name_then_long_form`, a rule of `inline.RULES`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .names import trailing_noun_phrase
from .rules import Found
from .spelling import PROSE, spells_or_parts, tight
from .text import _letters, clean_long_form, has_japanese, is_acronym, is_latin, nfkc, words

if TYPE_CHECKING:
    from .inline import Bracket

# How each Latin letter is read out in katakana (hiragana is read the same).
_LETTER_NAMES: dict[str, tuple[str, ...]] = {
    "a": ("エー", "エイ"), "b": ("ビー",), "c": ("シー",), "d": ("ディー", "デー"), "e": ("イー",),
    "f": ("エフ",), "g": ("ジー",), "h": ("エイチ", "エッチ"), "i": ("アイ",), "j": ("ジェー", "ジェイ"),
    "k": ("ケー", "ケイ"), "l": ("エル",), "m": ("エム",), "n": ("エヌ",), "o": ("オー",), "p": ("ピー",),
    "q": ("キュー",), "r": ("アール",), "s": ("エス",), "t": ("ティー", "ティ"), "u": ("ユー",),
    "v": ("ブイ", "ヴィー"), "w": ("ダブリュー", "ダブル"), "x": ("エックス",), "y": ("ワイ",),
    "z": ("ゼット", "ズィー"),
}
_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30faー・]+")
# Between the acronym and its Japanese name: a word bound to it (`PCR法`), then `：`, `＝`, `は` or `とは`.
_LINK = re.compile(r"\s*(?:[\u4e00-\u9fff]{1,2}\s*)?(?:[:：=＝]|とは|は)\s*[「『“]?\s*")
# A compound noun the acronym starts (`TCO 計算ツール`): katakana and kanji, no particle.
_BOUND_NOUN = re.compile(r"\s?[\u30a1-\u30faー\u4e00-\u9fff]{1,8}")
# Two kana or more in a row: a verb or particles (`にある`), where a name holds at most `の` or `な`.
_CLAUSE = re.compile(r"[\u3041-\u3096]{2,}")
_SENTENCE_START = re.compile(r".*[\n。．]", re.S)
# A list item's or heading's marker before an acronym that starts its line; the end of a line after a bracket.
_LINE_START = re.compile(r"[\s\-*+>#\d.)]*")
_COLON = re.compile(r"\s*[:：=＝]")
_ENDS_LINE = re.compile(r"[\s。.]*(?:\n|$)")
_EQUALS_CONTENT = re.compile(r"[=＝]\s*(.+)")
_ACRONYM_TOKEN = re.compile(r"(?<![A-Za-z0-9&/\-.])([A-Za-z0-9][A-Za-z0-9&/\-.]*[A-Za-z0-9])")


# Punctuation and brackets a name does not hold.
_NOT_IN_NAME = re.compile(r"[。、，,（()）「」『』]")


def _katakana(text: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in text)


def _reads_letters(reading: str, letters: str) -> bool:
    """Tell whether a katakana text reads out the letters one by one (`エスキューエル` for SQL)."""
    if not letters:
        return not reading
    return any(
        reading.startswith(name) and _reads_letters(reading[len(name):], letters[1:])
        for name in _LETTER_NAMES.get(letters[0], ())
    )


def is_reading(acr: str, content: str) -> bool:
    """Tell whether bracket content in kana reads the acronym aloud rather than naming it.

    It reads every letter (`エーピーアイ`), or starts with the first letter's name and is as short as a
    word said aloud (`アールバック` for RBAC), where a name (`オープンソースソフトウェア`) runs longer.
    """
    reading = _katakana(nfkc(content).replace("・", ""))
    letters = _letters(acr)
    if not _KANA.fullmatch(nfkc(content)) or not letters:
        return False
    if _reads_letters(reading, letters):
        return True
    first = _LETTER_NAMES.get(letters[0], ())
    return any(reading.startswith(name) for name in first) and len(reading) <= 2 * len(letters) + 2


def equals_long_form(b: Bracket) -> list[Found] | None:
    """`TTFB（＝Time To First Byte）`: the bracket says `=` before the long form (or Japanese name)."""
    # the bracket's own test first: finding the acronym before it costs more
    m = _EQUALS_CONTENT.fullmatch(b.content)
    if not m:
        return None
    acr = b.acronym_before
    if not acr:
        return None
    inner = m.group(1).strip()
    if is_latin(inner) and len(words(inner)) >= 2 and spells_or_parts(acr, inner):
        return [Found(nfkc(acr), expansion=clean_long_form(inner))]
    return [Found(nfkc(acr), aliases=(inner,))] if _is_name(inner) else []


def name_then_long_form(b: Bracket) -> list[Found] | None:
    """`GNI は国民総所得（Gross National Income）`: the acronym, its Japanese name, the long form in brackets."""
    content = b.content
    if not is_latin(content) or len(words(content)) < 2 or is_acronym(content):
        return None
    # (an acronym right before the bracket that it spells is the acronym-first rules')
    if b.acronym_before and spells_or_parts(b.acronym_before, content):
        return None
    before = _SENTENCE_START.sub("", nfkc(b.plain_before))
    for m in reversed(list(_ACRONYM_TOKEN.finditer(before))):
        acr = m.group(1)
        if not is_acronym(acr) or not spells_or_parts(acr, content):
            continue
        if _LINE_START.fullmatch(before[: m.start()]) and _ENDS_LINE.match(b.after) and _COLON.match(before, m.end()):
            return None  # `SLA：サービスレベル合意（Service Level Agreement）` alone is line-acronym's
        aliases = _joined(before[m.end():])
        # (a bracket after a compound must spell the acronym alone: `DX 推進室（… Office）` names the office)
        if aliases is None or (aliases == () and not tight(acr, content)):
            continue  # an acronym inside the name (`説明可能なAI`): the one before it may be named
        return [Found(acr, expansion=clean_long_form(content), aliases=aliases)]
    return None


def _joined(between: str) -> tuple[str, ...] | None:
    """Return the name between an acronym and its long form's bracket, () for a noun bound to it, or None.

    `GNI は国民総所得（…）` names it; in `TCO 計算ツール（Total Cost of Ownership）` the acronym heads a
    compound noun (a TCO calculator) and the bracket still spells it, but 計算ツール is no name of it.
    """
    link = _LINK.match(between)
    if link:
        name = between[link.end():].strip().rstrip("」』”").strip()
        if _CLAUSE.search(name):
            # `LHC は CERN にある大型ハドロン衝突型加速器`: a clause before the name, which ends it
            name = trailing_noun_phrase(name) or ""
        return (name,) if _is_name(name) else None
    return () if _BOUND_NOUN.fullmatch(between) else None


def _is_name(text: str) -> bool:
    return (
        has_japanese(text)
        and 3 <= len(text) <= 40
        and not PROSE.search(text)
        and not _NOT_IN_NAME.search(text)
    )
