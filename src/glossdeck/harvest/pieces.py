"""How an acronym that is not plain capitals is spelt by its long form.

`iBGP (Internal BGP)`, `Selective ACK (SACK)`, `IPComp (IP Payload Compression Protocol)`,
`SHA384 (Secure Hash Algorithm 384)`, `AWS KMS (AWS Key Management Service)`: the acronym is cut into
pieces (a capital, a capital with the small letters after it, a run of digits) and each word of the
long form spells a run of pieces from its start. `LTC (Coordinated Lunar Time)`: written side by side,
the words' initials may come in another order.
"""

from __future__ import annotations

import functools
import re

from .text import STOPWORDS, fold_accents, initials_match, nfkc

# A piece of an acronym: leading small letters (i in iBGP), a capital and the small letters after it
# (Comp in IPComp), or a run of digits (384 in SHA384).
_PIECE = re.compile(r"^[a-z]+|[A-Z][a-z]*|[0-9]+")
_WORD_SPLIT = re.compile(r"[\s\-–—/]+")
# A digit an acronym writes for a word: 2PC (two-phase commit), 3DES (Triple DES), 2FA.
_NUMBER_WORDS = {
    "1": ("one", "single", "uni", "mono"),
    "2": ("two", "double", "dual", "bi", "second"),
    "3": ("three", "triple", "tri", "third"),
    "4": ("four", "quad"),
}

# X written for a word's sound or shape: XSS (Cross-Site Scripting), XML (Extensible …), TX (transmit).
_X_WORDS = ("cross", "trans", "ex")


# The joiners between an acronym's pieces.
_PIECE_BREAK = re.compile(r"[\s&/\-.]+")


@functools.lru_cache(maxsize=1 << 14)
def pieces(short: str) -> tuple[str, ...]:
    """Cut an acronym into the pieces its long form's words spell: iBGP -> i, B, G, P."""
    short = nfkc(short)
    if len(short) > 2 and short.endswith("s") and short[-2].isupper():
        short = short[:-1]  # plural: VMs, SLOs
    return tuple(p.lower() for part in _PIECE_BREAK.split(short) for p in _PIECE.findall(part))


@functools.lru_cache(maxsize=1 << 14)
def cuttings(short: str) -> tuple[tuple[str, ...], ...]:
    """Return the ways to cut an acronym: by pieces, letter by letter (DoH: D, o, H) and with a
    repeat digit read as repeats (S3: S, S, S)."""
    first = pieces(short)
    letters = tuple(c for p in first for c in (p if not p.isdigit() else [p]))
    out = [first, letters]
    repeated: list[str] = []
    for i, p in enumerate(letters):
        if p in ("2", "3") and i > 0 and letters[i - 1].isalpha():
            repeated.extend([letters[i - 1]] * (int(p) - 1))
        else:
            repeated.append(p)
    out.append(tuple(repeated))
    return tuple(dict.fromkeys(out))


def _marked(word: str) -> str:
    """Return a word from the capital that marks its letter: `eXtensible` spells X (VXLAN)."""
    if word[:1].islower():
        at = next((i for i, c in enumerate(word) if c.isupper()), 0)
        return word[at:]
    return word


def _spells(word: str, spelt: str) -> bool:
    return word.startswith(spelt) or word in _NUMBER_WORDS.get(spelt, ()) or (
        spelt == "x" and word.startswith(_X_WORDS)
    )


def initials_or_parts_spell(short: str, long: str) -> bool:
    """Tell whether the long form spells the acronym by its words' initials, else piece by piece (iBGP)."""
    return initials_match(short, long, "medium") or spelt_in_parts(short, long)


@functools.lru_cache(maxsize=1 << 14)
def spelt_in_parts(short: str, long: str) -> bool:
    """Tell whether each word of the long form spells a run of the acronym's pieces from its start.

    A word may spell several pieces (`BGP` spells B, G, P; `Security` spells S, E, C in DNSSEC), and
    words may be passed over, but never the first content word and never more than are used; at
    least two words spell (`agreed` alone spelling AGREED is no long form).
    """
    ws = [_marked(w).lower() for w in _WORD_SPLIT.split(fold_accents(nfkc(long))) if w]
    while ws and ws[0] in STOPWORDS:
        ws.pop(0)
    return bool(ws) and any(len(c) >= 2 and _fit(c, tuple(ws)) for c in cuttings(short))


def _fit(parts: tuple[str, ...], ws: tuple[str, ...]) -> bool:

    @functools.cache
    def fit(i: int, j: int, skipped: int, used: int) -> bool:
        if i == len(parts):
            return 2 <= used and skipped <= used
        if j == len(ws):
            return False
        spelt = ""
        for k in range(i, len(parts)):
            spelt += parts[k]
            if not _spells(ws[j], spelt):
                break
            if fit(k + 1, j + 1, skipped, used + 1):
                return True
        # the first word always spells; a stopword is passed over for free
        return j > 0 and fit(i, j + 1, skipped + (ws[j] not in STOPWORDS), used)

    return fit(0, 0, 0, 0)


def starts_spelling(short: str, long: str) -> bool:
    """Tell whether the long form's first word spells the acronym's first piece."""
    first = _WORD_SPLIT.split(nfkc(long).strip(), maxsplit=1)[0].lower()
    return bool(first) and any(_spells(first, start) for start in _starts(short))


def spelt_reordered(short: str, long: str) -> bool:
    """Tell whether the long form's capitalised words give the acronym's letters in another order."""
    letters = sorted(c.lower() for c in nfkc(short) if c.isalpha())
    ws = [w for w in _WORD_SPLIT.split(nfkc(long)) if w]
    if len(ws) < 2 or not all(w[0].isupper() and w.lower() not in STOPWORDS for w in ws):
        return False
    return sorted(w[0].lower() for w in ws) == letters


def ends_spelling(short: str, long: str) -> bool:
    """Tell whether the long form's last word spells the acronym's last pieces (prose ends there)."""
    last = nfkc(long).split()[-1].lower() if long.split() else ""
    if last in STOPWORDS:
        return False
    return any(_spells(last, end) for end in _ends(short))


@functools.lru_cache(maxsize=1 << 14)
def _ends(short: str) -> frozenset[str]:
    """Return what the last word of a long form may spell: the pieces that end the acronym."""
    return frozenset(end for c in cuttings(short) for k in range(1, len(c)) for end in ("".join(c[k:]), c[-1]))


@functools.lru_cache(maxsize=1 << 14)
def _starts(short: str) -> frozenset[str]:
    return frozenset(c[0] for c in cuttings(short) if c)
