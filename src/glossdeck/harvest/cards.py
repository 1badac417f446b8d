"""Question-and-answer notes: an acronym asked about in a `Q:` line, its long form starting the `A:` line.

`Q: What does INR measure?` / `A: The international normalized ratio — how long …`, `Q: DOACs?` /
`A: Direct oral anticoagulants (apixaban, …)`. Students write flash cards this way before they become
cards; the answer's first words are the long form, what follows is the answer's explanation.
"""

from __future__ import annotations

import re

from .pieces import initials_or_parts_spell
from .rules import Found
from .spelling import ARTICLE, tight
from .text import CJK, clean_long_form, initials_match, is_acronym, is_latin, nfkc, one_word_a_letter, words

_QUESTION = re.compile(r"^\s*(?:[-*+]\s+)?(?:Q|Question)\s*[:.)]\s*(\S.*)$", re.I)
_ANSWER = re.compile(r"^\s*(?:[-*+]\s+)?(?:A|Answer)\s*[:.)]\s*(\S.*)$", re.I)
_TOKEN = re.compile(r"[A-Za-z0-9][\w&/-]*")
_WORD = re.compile(r"\S+")
# After a word, the long form may end: punctuation closing it, or a bracket or dash opening a remark.
_ENDS = re.compile(r"[,.;:!?\"”)]$")
_OPENS = re.compile(r"^(?:[(\[]|—|–|--|-$)")
_QUOTES = "\"“”'‘’"
_JAPANESE = re.compile(f"[{CJK}\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]")


def question_and_answer(text: str, following: str) -> list[Found] | None:
    """Read a `Q:` line naming an acronym whose `A:` line (the next) starts with its long form."""
    q, a = _QUESTION.match(text), _ANSWER.match(following)
    if not q or not a:
        return None
    # `A. Web Application Firewall。Web アプリ…`: Japanese closes the long form, as a full stop would
    answer = _JAPANESE.split(ARTICLE.sub("", a.group(1).strip().lstrip(_QUOTES)), 1)[0]
    for acr in dict.fromkeys(t for t in _TOKEN.findall(q.group(1)) if is_acronym(t)):
        long = _long_form(nfkc(acr), answer)
        if long:
            return [Found(nfkc(acr), expansion=clean_long_form(long.strip(_QUOTES)))]
    # not a card that spells its acronym out: the other line rules may still read it
    return None


def _long_form(acr: str, answer: str) -> str | None:
    """Return the answer's first words that spell the acronym: tightly, else loosely up to a pause."""
    tokens = list(_WORD.finditer(answer))[: len(acr) + 4]
    # a long form runs to the first comma at most: `Dana, Nick and Sam` lists people
    heads = [h for h in (answer[: t.end()].rstrip(",.;:!?") for t in tokens) if "," not in h]
    # `A. IDS = Intrusion Detection System`: an answer that names the acronym says more than its long form
    heads = heads[: next((i for i, h in enumerate(heads) if acr in words(h)), len(heads))]
    tokens = tokens[: len(heads)]
    # `Acute kidney injury`, not `Acute kidney` (kidney could spell K and I): one word a letter first
    for head in heads:
        if one_word_a_letter(acr, head):
            return head
    for head in heads:
        if _tight(acr, head):
            return head
    for i, head in enumerate(heads):
        pause = _ENDS.search(tokens[i].group()) or i + 1 == len(tokens) or _OPENS.match(tokens[i + 1].group())
        if pause and len(words(head)) >= 2 and initials_match(acr, head):
            return head
    return None


def _tight(acr: str, head: str) -> bool:
    return (
        is_latin(head) and len(words(head)) >= 2 and tight(acr, head)
        and initials_or_parts_spell(acr, head)
    )
