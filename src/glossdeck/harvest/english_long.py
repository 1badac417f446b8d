"""Where an English long form before its acronym starts: `World Health Organization (WHO)`.

The shortest run of words before the bracket whose initials spell the acronym, else Schwartz &
Hearst's answer when most letters start words; a list of names is no long form. Read by the inline
rules before a bracket and by footnotes and appositives that name an acronym after its words.
"""

from __future__ import annotations

import re

from . import inline_shapes as shapes
from .text import LETTER, STOPWORDS, _letters, fold_accents, initials_match, words

# A word of a long form in any alphabet (Médecins), or a lone `&` (Research & Development); an
# identifier (`file_name_here`) is one word.
_TOKEN = re.compile(rf"{LETTER}(?:{LETTER}|['’&\-/_])*|&")


# Where a sentence or bracket ends before a long form.
_SEGMENT_BREAK = re.compile(r"[.;:!?()\[\]\"“”]\s")


def english_long_form(short: str, before: str) -> str | None:
    """Find `Long Form` before `(LF)` in English: the shortest run of words that spells it.

    Word initials must spell the acronym (or every word must help spell it); failing that,
    Schwartz-Hearst's own answer is taken only when it spans more than one word, which refuses
    its classic error `registries (RIRs)`.
    """
    # A long form does not run across a sentence or a bracket.
    segment = _SEGMENT_BREAK.split(before + " ")[-1]
    tokens = _TOKEN.findall(segment)
    letters = _letters(short)
    if not tokens or not letters:
        return None
    limit = min(len(letters) + 5, len(letters) * 2)
    tail = tokens[-limit:]
    for k in range(1, len(tail) + 1):
        cand = tail[-k:]
        if fold_accents(cand[0][0]).lower() != letters[0]:
            continue
        phrase = " ".join(cand)
        if initials_match(short, phrase, "medium") and not _names_listed(segment, k, letters):
            return shapes.widened(letters, tail, k) or phrase
    found = _schwartz_hearst(short, " ".join(tail))
    if found and _enough_words(found, letters) and not _names_listed(segment, len(found.split()), letters):
        return found
    return None


def _names_listed(segment: str, n: int, letters: str) -> bool:
    """Tell whether the last n words of the text are a list some of whose items spell no letter.

    `Attendees: Priya, Marco, Jun, Alex (PM)` lists people; `Extract, Transform, Load (ETL)` is a long
    form whose every item starts one of its letters.
    """
    spans = list(_TOKEN.finditer(segment))
    if n < 2 or len(spans) < n or "," not in segment[spans[-n].start():]:
        return False
    items = segment[spans[-n].start():].split(",")
    return any(not item.strip() or fold_accents(item.strip()[0]).lower() not in letters for item in items)


def _enough_words(long_form: str, letters: str) -> bool:
    """Tell whether a long form has content words enough for half its acronym's letters."""
    content = [w for w in words(long_form) if w.lower() not in STOPWORDS]
    return len(content) > 1 and len(content) * 2 >= len(letters) and content[0].lower() != letters


def _schwartz_hearst(short: str, text: str) -> str | None:
    """Schwartz & Hearst (2003) best long form, kept only when most letters start words.

    Their algorithm matches letters right to left anywhere inside words; when fewer than half of
    the letters land on word starts the pair is one of its known errors (`its Radiocommunication
    Sector (ITU-R)`, `agreed on the text (AGREED)`) and is refused.
    """
    s = len(short) - 1
    i = len(text) - 1
    at_word_start = 0
    letters = 0
    while s >= 0:
        c = short[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while (i >= 0 and text[i].lower() != c) or (s == 0 and i > 0 and text[i - 1].isalnum()):
            i -= 1
        if i < 0:
            return None
        letters += 1
        at_word_start += i == 0 or not text[i - 1].isalnum()
        i -= 1
        s -= 1
    if at_word_start * 2 < letters:
        return None
    start = text.rfind(" ", 0, i + 1) + 1
    return text[start:]
