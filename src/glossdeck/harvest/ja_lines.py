"""Line rules for how Japanese notes say what an acronym stands for, beyond a line's first sentence.

`**RNN**：Recurrent Neural Network／再帰型ニューラルネットワーク。…` (the long form and the Japanese name
split by a slash), `…を使う。SQL は Structured Query Language の略とされる`, `BLEU の正式名称は
Bilingual Evaluation Understudy。`, `RBAC で絞る。正式名称は Role-Based Access Control。`,
`ACID 特性：Atomicity, Consistency, Isolation, Durability の頭文字をとったもの。` and
`TPP は環太平洋パートナーシップ協定の略。` Each is one rule of `lines.RULES`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .names import is_short_name
from .rules import Found
from .spelling import PROSE, spells_or_parts, tight
from .text import clean, clean_long_form, has_japanese, is_acronym, is_latin, item_text, nfkc, words

if TYPE_CHECKING:
    from .lines import Line

# `RNN：Recurrent Neural Network／再帰型ニューラルネットワーク`: an acronym, a colon, the long form, a
# slash, then the Japanese name up to the end of its sentence.
_SLASH_NAME = re.compile(
    r"([A-Za-z0-9Ａ-Ｚａ-ｚ０-９][A-Za-z0-9Ａ-Ｚａ-ｚ０-９&\-.]{0,24})\s*[:：]\s*"
    r"([^／/（()）]+?)\s*[／/]\s*([^／/。、，,（()）]+)(?:[。、，,]\s*(.*))?"
)
_SENTENCE_END = re.compile(r"(?<=[。．])")
# `Structured Query Language の略`, `… の頭字語`, `… の頭文字をとったもの`: English words that say they are
# the long form; `正式名称は Role-Based Access Control`: the same said the other way round.
_ENGLISH = r"[A-Za-z][A-Za-z0-9'’&/\-]*(?:,?\s+[A-Za-z0-9][A-Za-z0-9'’&/\-]*)*"
# The English words that end a text: looked for only in its last WINDOW characters (a long form is short,
# and a search over a whole long line of English would take time growing with its square).
_ENGLISH_END = re.compile(rf"(?<![A-Za-z0-9'’&/\-])({_ENGLISH})\s*$")
WINDOW = 200
# What follows the long form when it says it is one (`… の略ではなく、社内の呼び名` denies it).
_SAYS_MARK = re.compile(r"の(?:略称?|略語|頭字語|頭文字|こと)(?!(?:では|じゃ|でも)な|でない)")
_SAYS_THEN_LONG = re.compile(rf"正式名称\s*(?:は|が|：|:)\s*[「『“\"]?({_ENGLISH})")
# `BLEU の正式名称は …`, `SQL は … の略`: the sentence names the acronym it speaks of.
_SUBJECT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9&/\-.]*)\s*(?:は|とは|の正式名称は|の正式名称が)")
# `Content Delivery Network、略して CDN`: the long form, then the acronym it is shortened to.
_SHORTENED = re.compile(r"\s*[、,，]\s*略して\s*[「『]?([A-Za-z0-9][A-Za-z0-9&\-.]*[A-Za-z0-9])")
# `TPP は環太平洋パートナーシップ協定の略`: the acronym, then its Japanese name said to be abbreviated.
_NAME_ABBREVIATED = re.compile(
    r"^\s*([A-Za-z0-9][A-Za-z0-9&\-.]*)\s*(?:は|とは)\s*[「『]?([^「」『』、。，,]+?)[」』]?"
    r"の(?:略(?:称|語)?|こと)(?:です|である)?$"
)
# English words with no comma between them (`TCP は …Protocol, UDP は …` holds two statements).
_WORDS = r"[A-Za-z][A-Za-z0-9'’&/\-]*(?:\s+[A-Za-z0-9][A-Za-z0-9'’&/\-]*)*"
# `HR は heart rate（心拍数）`, `APT＝Advanced Persistent Threat`: an acronym said to be English words that
# end there (at a bracket holding its Japanese name, a comma, `は`, a quoting `と` or the sentence's end).
_EQUALS = re.compile(
    rf"(?<![A-Za-z0-9&\-.])([A-Za-z0-9][A-Za-z0-9&\-.]*[A-Za-z0-9])\s*(?:[=＝]|とは|は)\s*({_WORDS})"
    r"\s*(?:[（(]([^（()）]+)[）)])?(?=\s*(?:[、。，,]|は|と|$))"
)
# Words that say a sentence states what an acronym stands for.
_SAYS = re.compile(r"略|頭字語|頭文字|正式名称|のこと")
_CAPITAL = re.compile(r"[A-Z]")
_EQUALS_HINT = re.compile(r"[A-Za-z0-9]\s*[=＝はと]")
_ACRONYM_TOKEN = re.compile(r"(?<![A-Za-z0-9&/\-.])[A-Za-z0-9][A-Za-z0-9&/\-.]*[A-Za-z0-9]")


# Punctuation a name does not hold.
_PHRASE_BREAK = re.compile(r"[。、，,]")


def long_form_then_name(line: Line) -> list[Found] | None:
    """`RNN：Recurrent Neural Network／再帰型ニューラルネットワーク。…`: long form and name split by a slash."""
    text = line.text
    if ("/" not in text and "／" not in text) or (":" not in text and "：" not in text):
        return None
    m = _SLASH_NAME.fullmatch(item_text(text))
    if not m or not is_acronym(nfkc(m.group(1))):
        return None
    acr, long_form, name = nfkc(m.group(1)), m.group(2).strip(), m.group(3).strip()
    if not (is_latin(long_form) and len(words(long_form)) >= 2 and tight(acr, long_form)):
        return None
    remark = clean(m.group(4) or "")
    if not _is_name(name):
        # a sentence after the slash says something about it: a remark, and no name
        remark = clean(line.text[line.text.rindex(m.group(3)):]) if name else remark
        return [Found(acr, expansion=clean_long_form(long_form), remarks=(remark,) if remark else ())]
    return [Found(acr, expansion=clean_long_form(long_form), aliases=(name,), remarks=(remark,) if remark else ())]


def stated_later(line: Line) -> list[Found] | None:
    """`…を使う。SQL は Structured Query Language の略とされる`, `正式名称は Role-Based Access Control。`.

    The sentence that says it may be any of the line's; the acronym is the one it names, else one
    earlier in the line whose letters the long form spells.
    """
    # `_SAYS` as substring tests (頭 for 頭字語 and 頭文字) on the whole line: a list item's marker holds none
    text = line.text
    if "略" not in text and "頭" not in text and "正式名称" not in text and "のこと" not in text:
        return None
    text = item_text(line.text)
    if not _SAYS.search(text):
        return None
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    for at, sentence in enumerate(sentences):
        found = _stated_in(sentence, sentences[:at])
        if found is not None:
            return [found]
    return None


def _stated_in(sentence: str, earlier: list[str]) -> Found | None:
    """Return what one sentence states an acronym stands for (or its Japanese name), if it does."""
    body = sentence.strip().rstrip("。．")
    named = _NAME_ABBREVIATED.fullmatch(body)
    if named and is_acronym(named.group(1)) and _is_name(named.group(2).strip()):
        return Found(nfkc(named.group(1)), aliases=(named.group(2).strip(),))
    shortened = _shortened(body)
    if shortened:
        return shortened
    said = _said_long_form(body)
    if said is None:
        return None
    long_form, start = said
    subject = _SUBJECT.match(body)
    if subject and is_acronym(subject.group(1)) and spells_or_parts(subject.group(1), long_form):
        return Found(nfkc(subject.group(1)), expansion=clean_long_form(long_form))
    # the acronym spoken of is written before the statement: in this sentence, else the one before
    for place in [body[:start], *reversed(earlier)]:
        acr = _spelt_acronym(place, long_form)
        if acr:
            return Found(acr, expansion=clean_long_form(long_form))
    return None


def _english_ending(text: str) -> tuple[str, int] | None:
    """Return the English words that end text and where they start."""
    m = _ENGLISH_END.search(text, max(0, len(text) - WINDOW))
    return (m.group(1), m.start(1)) if m else None


def _shortened(body: str) -> Found | None:
    """`Content Delivery Network、略して CDN`: the acronym the long form before it is shortened to."""
    for m in _SHORTENED.finditer(body):
        english = _english_ending(body[: m.start()])
        if english and is_acronym(m.group(1)) and spells_or_parts(m.group(1), english[0]):
            return Found(nfkc(m.group(1)), expansion=clean_long_form(english[0]))
    return None


def _said_long_form(body: str) -> tuple[str, int] | None:
    """Return the long form a sentence says is one (`… の略`, `正式名称は …`) and where it starts."""
    said = None
    mark = _SAYS_MARK.search(body)
    if mark:
        said = _english_ending(body[: mark.start()])
    if said is None:
        m = _SAYS_THEN_LONG.search(body)
        said = (m.group(1), m.start()) if m else None
    if said is None:
        return None
    long_form = said[0].strip().rstrip(",")
    return (long_form, said[1]) if len(words(long_form)) >= 2 else None


def _spelt_acronym(text: str, long_form: str) -> str | None:
    """Return the last acronym in text whose letters the long form spells, if any."""
    for token in reversed(_ACRONYM_TOKEN.findall(nfkc(text))):
        if is_acronym(token) and spells_or_parts(token, long_form):
            return str(token)
    return None


def _is_name(text: str) -> bool:
    """Tell whether a Japanese text is a name (`再帰型ニューラルネットワーク`), not a sentence or an aside."""
    return (
        has_japanese(text)
        and (4 <= len(text) <= 40 or is_short_name(text))
        and not PROSE.search(text)
        and not _PHRASE_BREAK.search(text)
    )


def acronym_equals(line: Line) -> list[Found] | None:
    """`HR は heart rate（心拍数）、RR は respiratory rate`, `APT＝Advanced Persistent Threat。`.

    Each acronym of the line said to be (`は`, `とは`, `＝`) English words that spell it tightly and end
    there; a sentence that goes on in English after `は` is no such statement.
    """
    # the acronym is ASCII and `is_acronym` wants two capitals; `=`, `＝`, `は` or `とは` follows its last letter
    if not _CAPITAL.search(line.text) or not _EQUALS_HINT.search(line.text):
        return None
    text = item_text(line.text)
    out: list[Found] = []
    for m in _EQUALS.finditer(text):
        acr, long_form, name = m.group(1), m.group(2).strip().rstrip(","), (m.group(3) or "").strip()
        if not is_acronym(acr) or len(words(long_form)) < 2 or not tight(acr, long_form):
            continue
        if any(f.term == acr for f in out):
            continue
        out.append(Found(nfkc(acr), expansion=clean_long_form(long_form), aliases=(name,) if _is_name(name) else ()))
    return out or None
