"""Inline rules for acronyms that are not plain capitals, and for brackets that name nothing.

`iBGP (Internal BGP)`, `Elastic IP (EIP)`, `AWS Key Management Service (AWS KMS)`,
`RTS/CTS (Request to Send / Clear to Send)`, `「Internet Explorer」（IE）`, `サーバー側の暗号化 (SSE)`;
and the near misses `外部の ELB (公開向け)`, `ネットワーク (AS) 間`. Each is one rule of `inline.RULES`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .pieces import ends_spelling, initials_or_parts_spell, pieces, spelt_in_parts, spelt_reordered, starts_spelling
from .rules import Found
from .text import LETTER, STOPWORDS, clean_long_form, has_japanese, initials_match, is_acronym, is_latin, nfkc
from .text import trailing_acronym as acronym_ending

if TYPE_CHECKING:
    from .inline import Bracket

_WORD = re.compile(rf"{LETTER}(?:{LETTER}|['’&\-/_])*")
_SEGMENT_END = re.compile(r"[.;:!?()\[\]\"“”「」『』]\s*")
# An acronym of up to three words: `AWS KMS`, and a product's acronym after its maker, `Amazon S3`.
_NAMED_ACRONYM = re.compile(r"(?:[A-Z][A-Za-z]+ ){0,2}[A-Za-z0-9][A-Za-z0-9&\-.]*[A-Z0-9][A-Za-z0-9]*")
# The Latin letters a word written in katakana can start with, by the row of its first kana.
_KANA_ROWS = (
    ("アァ", "au"), ("イィ", "ie"), ("ウゥヴ", "uwv"), ("エェ", "ea"), ("オォ", "oa"),
    ("カキクケコ", "kcq"), ("ガギグゲゴ", "gj"), ("サシスセソ", "scth"), ("ザジズゼゾ", "zjgx"),
    ("タチツテト", "tc"), ("ダヂヅデド", "d"), ("ナニヌネノ", "n"), ("ハヒフヘホ", "hfw"), ("バビブベボ", "bv"),
    ("パピプペポ", "p"), ("マミムメモ", "m"), ("ヤユヨャュョ", "yu"), ("ラリルレロ", "rl"), ("ワヲ", "w"),
)
_TAIL = 240
_SLASH = re.compile(r"\s+/\s+")
_QUOTED_END = re.compile(r"[「『“\"]([^「」『』“”\"]+)[」』”\"]\s*$")
# A word bound to the noun before the bracket (`ネットワーク (AS) 間` = between networks): the bracket
# interrupts a compound, and what stands before it is no name of the acronym.
_BOUND_AFTER = re.compile(r"\s*(?:間|内|同士|経由|全体)")
# Bracket content that describes (for the public, used for, via …) rather than names.
_DESCRIPTIVE = re.compile(
    r".*(?:向け|用|経由|以外|のみ|だけ|など|等|推奨|必須|任意|参照|済み|する|した|される|できる|ない)"
)
# `サーバー側の暗号化`: a noun made a modifier by 側, 型, 式, 系 or 層, の, and the head noun; the
# name of what the acronym spells (Server-Side Encryption), where `暗号化の機能` is only a description.
_NOUN = "\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff々"
# The modifier is a loanword (サーバー, クライアント): the English words the acronym spells, where a
# kanji one (送信側の暗号化, encryption on the sending side) is a description.
_MODIFIED_NAME = re.compile(rf"([\u30a0-\u30ffー]{{2,}}[側型式系層])の([{_NOUN}]{{3,}})$")


# A product's short name after its maker (S3).
_CAPITALS_AND_DIGIT = re.compile(r"[A-Z]+[0-9]")


def _spelt_beside(short: str, long: str) -> bool:
    """Tell whether a long form written beside its acronym spells it piece by piece or reordered."""
    return spelt_in_parts(short, long) or spelt_reordered(short, long)


def acronym_first_parts(b: Bracket) -> list[Found] | None:
    """`iBGP (Internal BGP)`, `AWS KMS (AWS Key Management Service)`, `LTC (Coordinated Lunar Time)`."""
    content = b.content
    # the bracket's own tests first: finding the acronym before it costs more
    if len(content.split()) < 2 or not is_latin(content):
        return None
    acr = b.acronym_before
    if not acr:
        return None
    if initials_match(acr, content, "medium"):
        return None  # plain capitals: inline-acronym-first reads it
    head = b.plain_before[: -len(acr)] if b.plain_before.endswith(acr) else ""
    before = acronym_ending(head[:-1]) if head.endswith(" ") and not head.endswith("  ") else None
    if before and spelt_in_parts(f"{before} {acr}", content):
        return [Found(nfkc(f"{before} {acr}"), expansion=clean_long_form(content))]
    if _spelt_beside(acr, content):
        return [Found(nfkc(acr), expansion=clean_long_form(content))]
    return None


def english_parts(b: Bracket) -> list[Found] | None:
    """`Elastic IP (EIP)`, `AWS Key Management Service (AWS KMS)`: a long form spelling pieces.

    Tried before inline-acronym-first, which would read `IP (EIP)` as an acronym and its bracket.
    """
    short = b.content
    if not _NAMED_ACRONYM.fullmatch(short) or "/" in short or not _acronym_last(short):
        return None
    if has_japanese(b.plain_before[-1:]):
        return None
    # a long form is a few words: the end of the text before the bracket holds it
    tokens = _WORD.findall(_SEGMENT_END.split(b.plain_before[-_TAIL:] + " ")[-1])
    long_form = parts_long_form(short, tokens) or reordered_run(short, tokens)
    # plain capitals: inline-english reads it (but `Elastic IP (EIP)` ends with an acronym, and it never
    # reads a short form of two words, `AI Risk Management Framework (AI RMF)`)
    if long_form is None or (initials_match(short, long_form, "medium") and not b.acronym_before and " " not in short):
        return None
    return [Found(nfkc(short), expansion=long_form)]


def _acronym_last(short: str) -> bool:
    """Tell whether a bracket's last word is an acronym, or a capital and a number after a name (S3)."""
    *name, last = short.split()
    return is_acronym(last) or bool(name and _CAPITALS_AND_DIGIT.fullmatch(last))


def parts_long_form(short: str, tokens: list[str]) -> str | None:
    """Return the shortest run of the words before a bracket that spells `short` piece by piece."""
    # the last word is the same for every run: one look at it turns most brackets away
    if len(tokens) < 2 or not ends_spelling(short, tokens[-1]):
        return None
    limit = len(pieces(short)) + 3
    for k in range(2, min(limit, len(tokens)) + 1):
        if starts_spelling(short, tokens[-k]):
            phrase = " ".join(tokens[-k:])
            if spelt_in_parts(short, phrase):
                return phrase
    return None


def reordered_run(short: str, tokens: list[str]) -> str | None:
    """`Coordinated Universal Time (UTC)`: as many capitalised words as letters, in another order."""
    n = len(pieces(short))
    if not 2 <= n <= len(tokens):
        return None
    # the run of capitalised words is all of it: `Visit Tokyo Lab` is no long form of TLV
    if n < len(tokens) and tokens[-n - 1][:1].isupper() and tokens[-n - 1].lower() not in STOPWORDS:
        return None
    phrase = " ".join(tokens[-n:])
    return phrase if spelt_reordered(short, phrase) else None


def slash_pair(b: Bracket) -> list[Found] | None:
    """`RTS/CTS (Request to Send / Clear to Send)`, `Request to Send / Clear to Send (RTS/CTS)`: two."""
    if "/" not in b.content:
        return None
    acr = b.acronym_before
    if acr and "/" in acr:
        shorts, longs = acr.split("/"), _SLASH.split(b.content)
    elif is_acronym(b.content) and _SLASH.search(b.plain_before):
        shorts = b.content.split("/")
        left, right = _SLASH.split(_SEGMENT_END.split(b.plain_before)[-1])[-2:]
        longs = [parts_long_form(shorts[0], _WORD.findall(left)) or "",
                 parts_long_form(shorts[-1], _WORD.findall(right)) or ""]
    else:
        return None
    if len(shorts) != len(longs) or not all(
        is_acronym(s) and is_latin(lf) and spelt_in_parts(s, lf) for s, lf in zip(shorts, longs, strict=True)
    ):
        return None
    return [Found(nfkc(s), expansion=clean_long_form(lf)) for s, lf in zip(shorts, longs, strict=True)]


def quoted_long_form(b: Bracket) -> list[Found] | None:
    """`「Internet Explorer」（IE）`, `“Server Message Block” (SMB)`: a quoted long form before the acronym."""
    if not is_acronym(b.content) or b.plain_before[-1:] not in "」』”\"":
        return None
    m = _QUOTED_END.search(b.plain_before)
    if not m or not is_latin(m.group(1)):
        return None
    long = m.group(1).strip()
    if initials_or_parts_spell(b.content, long):
        return [Found(nfkc(b.content), expansion=clean_long_form(long))]
    return None


def interrupts(after: str) -> bool:
    """Tell whether the words after a bracket bind to the noun before it (`ネットワーク (AS) 間`)."""
    return bool(after) and bool(_BOUND_AFTER.match(after))


def describes(content: str) -> bool:
    """Tell whether Japanese bracket content describes a use (`公開向け`, `管理用`) rather than names."""
    return bool(_DESCRIPTIVE.fullmatch(content))


def modified_name(b: Bracket) -> list[Found] | None:
    """`サーバー側の暗号化 (SSE)`: a Japanese name whose modifier is joined by の.

    The loanword must sound like the acronym's first letter (サ for S): `クライアント側の証明書 (PKI)`
    describes where a certificate sits, it does not name PKI.
    """
    if not is_acronym(b.content):
        return None
    m = _MODIFIED_NAME.search(b.plain_before)
    if not m or len(m.group(0)) > 20 or not _sounds_like(m.group(1)[0], b.content[0]):
        return None
    return [Found(nfkc(b.content), aliases=(m.group(0),))]


def widened(letters: str, tail: list[str], k: int) -> str | None:
    """`memory management unit (MMU)`, not `management unit`: a longer run whose initials are the letters.

    The shortest run may spell two letters with one word (`management` for MM); one more word whose
    initials spell the acronym exactly is the long form the author wrote.
    """
    def initials(n: int) -> str:
        return "".join(w[0].lower() for w in tail[-n:] if w.lower() not in STOPWORDS)

    if initials(k) == letters:
        return None
    for n in range(k + 1, min(len(tail), k + 2) + 1):
        if tail[-n].lower() not in STOPWORDS and initials(n) == letters:
            return " ".join(tail[-n:])
    return None


def _sounds_like(kana: str, letter: str) -> bool:
    """Tell whether a katakana word starting with `kana` can be an English word starting with `letter`."""
    return any(kana in row and letter.lower() in letters for row, letters in _KANA_ROWS)


# One word in CamelCase (`PersistentVolumeClaim`): its capitals start the words run together.
_CAMEL_WORD = re.compile(r"(?:[A-Z][a-z]+){2,6}")


def camel_case_long_form(b: Bracket) -> list[Found] | None:
    """`PVC (PersistentVolumeClaim)`: a long form written as one CamelCase word whose capitals spell it."""
    # the bracket's own test first: finding the acronym before it costs more
    if not _CAMEL_WORD.fullmatch(b.content):
        return None
    acr = b.acronym_before
    if not acr:
        return None
    capitals = "".join(c for c in b.content if c.isupper())
    return [Found(nfkc(acr), expansion=b.content)] if capitals == nfkc(acr).upper() else None
