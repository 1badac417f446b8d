"""Text helpers shared by the harvesters: acronyms, long forms, Japanese names, links."""

from __future__ import annotations

import functools
import re
import unicodedata

from .plain import link_text

# An acronym: letters, digits and the joiners that acronyms use (ITU-R, JPCERT/CC, R&D, OECD.AI).
_ACRONYM = re.compile(r"[A-Za-z0-9][A-Za-z0-9&/\-.]*[A-Za-z0-9]|[A-Z]")
# Kana, kanji and half-width katakana: letters, but not of a phrase that can be a long form.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f々〆ヶ"
# A letter of any other script (Médecins, Fédération), or a digit.
LETTER = rf"[^\W_{CJK}]"
_PHRASE = re.compile(rf"{LETTER}(?:{LETTER}|[ ,.'’&/\-–—:()])*")
# An identifier, not an acronym: four digits or more (RFC4301, AS64500, JIRA-1234), a version
# (TLS1.3, v2.1), or an acronym of three capitals or more numbered by one digit (TPM2, HTTP2).
_IDENTIFIER = re.compile(r".*[0-9]{4,}.*|.*[0-9]\.[0-9].*|[vV][0-9].*|[A-Z]{3,}[0-9]")
_WORD_BREAK = re.compile(r"[\s\-–—/]+")
_CAPITALS_THEN_WORD = re.compile(r"[A-Z]{2,}[A-Z][a-z]{2,}")
STOPWORDS = frozenset(
    "a an and as at by de del der des di du for from in into la le of on or per the to with "
    "und van von".split()
)


# Blanks, full-width ones included.
_BLANK_RUN = re.compile(r"[\s\u3000]+")
# The letters and joiners that end a text.
_ACRONYM_AT_END = re.compile(r"([A-Za-z0-9][A-Za-z0-9&/\-.]*)$")


# A list item's marker and a task's box (`- [ ] `, `2. `) before what the item says.
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")


def item_text(line: str) -> str:
    """Return what a line says without a list item's marker or task box before it, stripped."""
    return _LIST_MARKER.sub("", line).strip()


def nfkc(text: str) -> str:
    """Return NFKC-normalised text (full-width letters and digits become ASCII)."""
    return unicodedata.normalize("NFKC", text)


@functools.lru_cache(maxsize=1 << 14)
def is_acronym(token: str) -> bool:
    """Tell whether a token looks like an abbreviation: ITU, ITU-R, W3C, R&D, IoT, DDoS, MSMEs."""
    token = nfkc(token).strip()
    if not 2 <= len(token) <= 15 or not _ACRONYM.fullmatch(token):
        return False
    upper = sum(c.isupper() for c in token)
    letters = sum(c.isalpha() for c in token)
    if upper < 2 or not token[0].isalnum():
        return False
    # a run of capitals then one capitalised word is an acronym too: SSTable, LSMTree
    return (upper * 2 >= letters or bool(_CAPITALS_THEN_WORD.fullmatch(token))) and not is_identifier(token)


_CAPITAL = re.compile(r"[A-Z]")


def may_hold_acronym(text: str) -> bool:
    """Tell whether text may hold an acronym: `is_acronym` needs capitals that are ASCII after NFKC.

    NFKC of the whole text keeps at least one of an acronym's two capitals (only the last can join
    a combining mark after it), so a text with none holds no acronym.
    """
    if _CAPITAL.search(text):
        return True
    return not text.isascii() and _CAPITAL.search(nfkc(text)) is not None


def is_identifier(token: str) -> bool:
    """Tell whether a token is a number, version or ticket rather than an acronym (RFC4301, TPM2)."""
    return any(c.isdigit() for c in token) and bool(_IDENTIFIER.fullmatch(token))


def is_latin(text: str) -> bool:
    """Tell whether text is a phrase in an alphabet, accents and all (a candidate long form)."""
    text = nfkc(text).strip()
    return bool(_PHRASE.fullmatch(text)) and any(c.isalpha() for c in text)


def has_japanese(text: str) -> bool:
    """Tell whether text holds kana or kanji."""
    return any(is_japanese_char(c) for c in text)


def is_japanese_char(c: str) -> bool:
    o = ord(c)
    return (0x3040 <= o <= 0x30FF) or (0x4E00 <= o <= 0x9FFF) or (0x3400 <= o <= 0x4DBF) or c in "々〆ヶ"


def clean(text: str) -> str:
    """Collapse whitespace (full-width included) and trim."""
    return _BLANK_RUN.sub(" ", text).strip()


def clean_long_form(text: str) -> str:
    """Return a long form without trailing full stops, quotes or spaces."""
    text = clean(nfkc(text))
    text = text.strip("\"'“”‘’")
    return text.rstrip("。．.、, ").strip()


def words(text: str) -> list[str]:
    """Split a long form into words; hyphens and slashes separate words too."""
    return [w for w in _WORD_BREAK.split(nfkc(text)) if w]


@functools.lru_cache(maxsize=1 << 12)
def _letters(short: str) -> str:
    """Return the letters an acronym spells, expanding digit repeats (W3C -> WWWC)."""
    short = nfkc(short)
    if len(short) > 2 and short.endswith("s") and short[-2].isupper():
        short = short[:-1]  # plural: MSMEs, LFs
    out = []
    for i, c in enumerate(short):
        if c.isdigit() and i > 0 and short[i - 1].isalpha() and c in "23":
            out.append(short[i - 1].lower() * (int(c) - 1))
        elif c.isalnum():
            out.append(c.lower())
    return "".join(out)


def initials_match(short: str, long: str, mode: str = "loose") -> bool:
    """Tell whether the long form spells the acronym.

    loose (Schwartz-Hearst): every letter occurs in order and the first starts a word; for
    footnotes, where the author tied the two together.
    medium: the letters are word initials (skipping words is fine), or strict; for pairs
    written side by side in brackets.
    strict: letters come from word beginnings, every content word contributes, and no single
    word spells more than two letters; for finding where an English long form starts, and it
    refuses `RIRs` -> `registries`.
    """
    letters = _letters(short)
    ws = words(long if long.isascii() else fold_accents(long))
    if not letters or not ws:
        return False
    if mode == "loose":
        return _loose(letters, ws)
    lowered = [w.lower() for w in ws]
    if mode == "medium" and _subseq(letters, "".join(w[0] for w in lowered)):
        return letters[0] == lowered[0][0] or lowered[0] in STOPWORDS
    return _strict(letters, lowered)


def one_word_a_letter(short: str, long: str) -> bool:
    """Tell whether the long form's content words begin with the acronym's letters, one word each, in order."""
    initials = "".join(w[0].lower() for w in words(long) if w.lower() not in STOPWORDS)
    return initials == "".join(c for c in short.lower() if c.isalnum())


def fold_accents(text: str) -> str:
    """Return text with the accents of Latin letters dropped (École -> Ecole), other scripts kept."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        # only after a Latin letter: NFD would also split バ into ハ + ゛
        if unicodedata.combining(ch) and out and out[-1] < "\u0250":
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _loose(letters: str, ws: list[str]) -> bool:
    if ws[0][0].lower() != letters[0] and not any(
        w[0].lower() == letters[0] for w in ws if w.lower() in STOPWORDS
    ):
        # Allow an article or preposition to come first: "the Internet ..." still starts at a word.
        if not any(w[0].lower() == letters[0] for w in ws[:2]):
            return False
    text = " ".join(w.lower() for w in ws)
    pos = 0
    for c in letters:
        pos = text.find(c, pos)
        if pos < 0:
            return False
        pos += 1
    return True


def _strict(letters: str, ws: list[str]) -> bool:

    @functools.cache
    def fit(i: int, j: int) -> bool:
        # i: next letter, j: next word
        if j == len(ws):
            return i == len(letters)
        w = ws[j]
        if w in STOPWORDS and fit(i, j + 1):
            return True
        if i == len(letters):
            return False
        if w[0] != letters[i]:
            return False
        # the word spells letters[i:k], all in order inside the word, at most two letters
        for k in range(i + 1, min(i + 2, len(letters)) + 1):
            if _subseq(letters[i + 1:k], w[1:]) and fit(k, j + 1):
                return True
        return False

    return fit(0, 0)


def _subseq(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(c in it for c in needle)


def trailing_acronym(text: str) -> str | None:
    """Return the acronym that ends `text` (`…のGPAI`, `（APEC`), if any."""
    text = nfkc(link_text(text)).rstrip(" ")
    m = _ACRONYM_AT_END.search(text)
    if m and is_acronym(m.group(1).rstrip(".")):
        return m.group(1).rstrip(".")
    return None


def starts_word(text: str, acr: str) -> bool:
    """Tell whether the acronym ending `text` starts a word (Japanese text needs no space before it)."""
    plain = nfkc(link_text(text)).rstrip()
    head = plain[: len(plain) - len(acr)]
    return not head or not (head[-1].isascii() and head[-1].isalnum()) and head[-1] not in "・&/-_."


def split_sentence(text: str) -> tuple[str, str]:
    """Split at the first sentence end (。 or '. ' or a trailing '.'): return (first, rest)."""
    depth = 0
    for i, c in enumerate(text):
        if c in "（(「『[":
            depth += 1
        elif c in "）)」』]":
            depth = max(0, depth - 1)
        elif depth == 0 and c in "。．":
            return text[:i], text[i + 1:]
        elif depth == 0 and c == "." and (i + 1 == len(text) or text[i + 1] in " \n"):
            if i + 1 == len(text) or (i + 2 < len(text) and not text[i + 2].islower()):
                return text[:i], text[i + 1:]
    return text, ""


def matching_open(text: str, close_index: int) -> int:
    """Return the index of the bracket that opens the one closing at `close_index` (or -1)."""
    depth = 0
    # only the brackets are visited (a Python loop over every character was most of the time)
    for m in reversed(list(_ANY_BRACKET.finditer(text, 0, close_index + 1))):
        if m.group() in "）)」』]":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return m.start()
    return -1


_ANY_BRACKET = re.compile(r"[（(「『\[）)」』\]]")
