"""Schwartz & Hearst (2003), "A simple algorithm for identifying abbreviation definitions in biomedical text".

Written from the paper's description, as an independent yardstick for glossdeck's English prose rule:
a short form is the text in parentheses (at most two words, 2-10 characters, a letter among them, the
first character a letter or digit); its long form candidate is the window of at most
min(|A| + 5, 2|A|) words before the parenthesis in the same sentence (|A| the short form's length in
characters). The long form is found by matching the short form's letters and digits right to left
against the candidate, each in turn further left, the first one only at the start of a word: the
match that ends furthest right, so the shortest long form that explains the short form.
"""

from __future__ import annotations

import re

_PAREN = re.compile(r"\(([^()]*)\)")
# A sentence ends at . ! ? followed by a space, or at a ; : or another bracket: the long form never
# reaches over one.
_BOUNDARY = re.compile(r"[.!?](?=\s)|[;:()\[\]]")


def best_long_form(short: str, candidate: str) -> str | None:
    """Return the shortest end of candidate whose characters spell short right to left, or None."""
    s, c = short, candidate
    si, ci = len(s) - 1, len(c) - 1
    while si >= 0:
        ch = s[si].lower()
        if not ch.isalnum():
            si -= 1
            continue
        # The first character of the short form must begin a word of the long form.
        while ci >= 0 and (c[ci].lower() != ch or (si == 0 and ci > 0 and c[ci - 1].isalnum())):
            ci -= 1
        if ci < 0:
            return None
        ci -= 1
        si -= 1
    start = candidate.rfind(" ", 0, ci + 1) + 1
    return candidate[start:]


def _short_form(inside: str) -> str | None:
    """Return the parenthesis' text when it can be a short form (the paper's conditions), else None."""
    short = re.split(r"[;,] ", inside, maxsplit=1)[0].strip()
    if not 2 <= len(short) <= 10 or len(short.split()) > 2:
        return None
    if not short[0].isalnum() or not any(ch.isalpha() for ch in short):
        return None
    return short


def _candidate(before: str, short: str) -> str:
    """Return the words before the parenthesis that may hold the long form: same sentence, window size."""
    cuts = list(_BOUNDARY.finditer(before))
    sentence = before[cuts[-1].end():] if cuts else before
    words = sentence.split()
    limit = min(len(short) + 5, 2 * len(short))
    return " ".join(words[-limit:])


def pairs(text: str) -> list[tuple[str, str]]:
    """Return the (short form, long form) pairs the algorithm finds in text, in order."""
    found: list[tuple[str, str]] = []
    for m in _PAREN.finditer(text):
        short = _short_form(m.group(1))
        if short is None:
            continue
        candidate = _candidate(text[: m.start()], short)
        long_form = best_long_form(short, candidate) if candidate else None
        if long_form is None or len(long_form) <= len(short):
            continue
        if short.lower() in long_form.lower().split():
            continue
        found.append((short, long_form))
    return found
