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

from .pieces import spelt_in_parts
from .rules import Found
from .spelling import PROSE, spells, tight
from .text import clean, clean_long_form, has_japanese, is_acronym, is_latin, is_short_name, nfkc, words

if TYPE_CHECKING:
    from .lines import Line

_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")
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
# (`… の略ではなく、社内の呼び名` denies it)
_LONG_THEN_SAYS = re.compile(rf"({_ENGLISH})\s*の(?:略称?|略語|頭字語|頭文字)(?!(?:では|じゃ|でも)な|でない)")
_SAYS_THEN_LONG = re.compile(rf"正式名称\s*(?:は|が|：|:)\s*[「『“\"]?({_ENGLISH})")
# `BLEU の正式名称は …`, `SQL は … の略`: the sentence names the acronym it speaks of.
_SUBJECT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9&/\-.]*)\s*(?:は|の正式名称は|の正式名称が)")
# `TPP は環太平洋パートナーシップ協定の略`: the acronym, then its Japanese name said to be abbreviated.
_NAME_ABBREVIATED = re.compile(
    r"^\s*([A-Za-z0-9][A-Za-z0-9&\-.]*)\s*は\s*[「『]?([^「」『』、。，,]+?)[」』]?の略(?:称|語)?(?:です|である)?$"
)
_ACRONYM_TOKEN = re.compile(r"(?<![A-Za-z0-9&/\-.])[A-Za-z0-9][A-Za-z0-9&/\-.]*[A-Za-z0-9]")


def long_form_then_name(line: Line) -> list[Found] | None:
    """`RNN：Recurrent Neural Network／再帰型ニューラルネットワーク。…`: long form and name split by a slash."""
    m = _SLASH_NAME.fullmatch(_MARKER.sub("", line.text).strip())
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
    text = _MARKER.sub("", line.text).strip()
    if "略" not in text and "頭字語" not in text and "頭文字" not in text and "正式名称" not in text:
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
    m = _LONG_THEN_SAYS.search(body) or _SAYS_THEN_LONG.search(body)
    if not m:
        return None
    long_form = m.group(1).strip().rstrip(",")
    if len(words(long_form)) < 2:
        return None
    subject = _SUBJECT.match(body)
    if subject and is_acronym(subject.group(1)) and _spelt(subject.group(1), long_form):
        return Found(nfkc(subject.group(1)), expansion=clean_long_form(long_form))
    # the acronym spoken of is written before the statement: in this sentence, else the one before
    for place in [body[: m.start()], *reversed(earlier)]:
        acr = _spelt_acronym(place, long_form)
        if acr:
            return Found(acr, expansion=clean_long_form(long_form))
    return None


def _spelt_acronym(text: str, long_form: str) -> str | None:
    """Return the last acronym in text whose letters the long form spells, if any."""
    for token in reversed(_ACRONYM_TOKEN.findall(nfkc(text))):
        if is_acronym(token) and _spelt(token, long_form):
            return str(token)
    return None


def _spelt(acr: str, long_form: str) -> bool:
    return spells(acr, long_form) or spelt_in_parts(acr, long_form)


def _is_name(text: str) -> bool:
    """Tell whether a Japanese text is a name (`再帰型ニューラルネットワーク`), not a sentence or an aside."""
    return (
        has_japanese(text)
        and (4 <= len(text) <= 40 or is_short_name(text))
        and not PROSE.search(text)
        and not re.search(r"[。、，,]", text)
    )
