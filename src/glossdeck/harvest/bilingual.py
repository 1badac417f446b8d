"""A bracket that holds two of an acronym, its English long form and its Japanese name.

`UTC (Coordinated Universal Time; 協定世界時)`, `SBOM（Software Bill of Materials、ソフトウェア部品表）`,
`Coordinated Universal Time (UTC; 協定世界時)`, `国際電気通信連合（ITU、International Telecommunication Union）`:
the parts are told apart by what they are, in any order; the inline rule finds the missing one before
the bracket.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .spelling import PROSE
from .text import has_japanese, is_acronym, is_latin, nfkc, words

# Between the parts: `;`, `、`, `,`, `:`, `/`, `＝` (`Intrusion Prevention System＝侵入防止システム`) or a full stop.
_BETWEEN = re.compile(r"\s*(?:[;；、，,:：/／。=＝]|\.\s)\s*")
_COLON = re.compile(r"[:：]")
# Longer brackets are prose: splitting one at every comma would be slow and find nothing.
MAX_BRACKET = 200


@dataclass(slots=True)
class Parts:
    """What a bracket holds: an acronym, an English long form, a Japanese name, or Japanese prose."""

    acronym: str | None = None
    long_form: str | None = None
    name: str | None = None
    prose: str | None = None
    colon: bool = False
    """The parts are parted by a colon (`VPN: Virtual Private Network`, inline-colon's own shape)."""


def bracket_parts(content: str, is_name: Callable[[str], bool]) -> Parts | None:
    """Split bracket content into two or three distinct parts, or None when it is not so made."""
    if len(content) > MAX_BRACKET:
        return None
    first = _BETWEEN.search(content)
    if first is None:
        return None
    parts = Parts(colon=bool(_COLON.search(first.group())))
    if not _put(parts, content[: first.start()], is_name):
        return None
    tail = content[first.end():]
    if _put(parts, tail, is_name):
        return parts
    second = _BETWEEN.search(tail)
    if second is None or not _put(parts, tail[: second.start()], is_name):
        return None
    return parts if _put(parts, tail[second.end():], is_name) else None


def _put(parts: Parts, piece: str, is_name: Callable[[str], bool]) -> bool:
    """Place one piece in its slot; False when it fits none or its slot is taken."""
    piece = piece.strip()
    slot = _slot(piece, is_name)
    if slot is None or getattr(parts, slot) is not None:
        return False
    setattr(parts, slot, nfkc(piece) if slot == "acronym" else piece)
    return True


def _slot(piece: str, is_name: Callable[[str], bool]) -> str | None:
    if is_acronym(piece):
        return "acronym"
    if is_latin(piece):
        return "long_form" if len(words(piece)) >= 2 else None
    if has_japanese(piece):
        return "name" if is_name(piece) and not PROSE.search(piece) else "prose"
    return None
