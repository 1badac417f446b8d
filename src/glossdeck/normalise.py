"""Candidates -> one Entry per meaning: merge spellings, keep different meanings apart.

The rules (and the output order) are documented in docs/identity.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

from .harvest.text import fold_accents
from .model import ACRONYM, TERM, Candidate, Entry, Source

# British spellings that share a card with their American twins (applied to singular words).
_BRITISH = [
    (re.compile(r"isation"), "ization"),
    (re.compile(r"ise(d)?$"), r"ize\1"),
    (re.compile(r"yse(d)?$"), r"yze\1"),
    (re.compile(r"(?<=[^aeiou])tre$"), "ter"),
    (re.compile(r"(?<=[a-z]{2})our$"), "or"),
    (re.compile(r"ence$"), "ense"),
    (re.compile(r"amme$"), "am"),
    (re.compile(r"ogue$"), "og"),
]
# Hyphens, dashes, minus, slash and underscore: `Co-operation`, `Co‐operation`, `Co–operation`.
_SEPARATORS = re.compile(r"[\u2010-\u2015\u2212\-_/]")
# Apostrophes vanish rather than split a word: `People's` and `Peoples` are one word.
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc]")
_TRAILING = " \t\u3000。．.、，,;；:：!！?？"


def _singular(word: str) -> str:
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


@lru_cache(maxsize=1 << 16)
def _meaning_words(expansion: str) -> tuple[str, ...]:
    # cached: a big vault repeats the same few thousand long forms hundreds of thousands of times
    return tuple(_fold_words(expansion))


def _fold_words(expansion: str | None) -> list[str]:
    """Return the long form's words with case, width, accents, British spelling and plurals folded."""
    if not expansion:
        return []
    text = fold_accents(unicodedata.normalize("NFKC", expansion).casefold())
    text = _APOSTROPHES.sub("", text)
    text = _SEPARATORS.sub(" ", text).replace("&", " and ").replace("＆", " and ")
    text = re.sub(r"[^\w\s]", " ", text)
    out = []
    for word in text.split():
        word = _singular(word)
        for pattern, repl in _BRITISH:
            word = pattern.sub(repl, word)
        out.append(word)
    return out


def meaning_key(expansion: str | None) -> str:
    """Return the normalised meaning; spaces and hyphens are dropped, so Co-operation = Cooperation."""
    return "".join(_meaning_words(expansion)) if expansion else ""


@lru_cache(maxsize=1 << 16)
def term_key(term: str) -> str:
    """Return the key terms are grouped by: NFKC and trimmed (case kept: IoT is not IOT's twin)."""
    return unicodedata.normalize("NFKC", term).strip()


def entry_key(term: str, meaning: str) -> str:
    """Return an entry's natural identity from its term and normalised meaning."""
    return f"{term_key(term)}|{meaning}"


def natural_key(entry: Entry) -> str:
    """Return the key the entry would have without an identity registry (term|meaning)."""
    return entry_key(entry.term, meaning_key(entry.expansion))


@lru_cache(maxsize=1 << 16)
def clean_spelling(text: str) -> str:
    """Return a long form as shown: NFKC, single spaces, no trailing 。 or ."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()
    return text.rstrip(_TRAILING) or text


def merge(candidates: Iterable[Candidate]) -> list[Entry]:
    """Merge candidates into entries, one per (term, meaning), sorted, keyed by their natural key.

    Keys an earlier build issued are applied afterwards, by identity.assign.
    """
    ordered = sorted(candidates, key=lambda c: (c.source.path, c.source.line))
    by_term: dict[str, list[Candidate]] = defaultdict(list)
    for cand in ordered:
        by_term[term_key(cand.term)].append(cand)

    entries: list[Entry] = []
    for term, cands in by_term.items():
        meanings: dict[str, list[Candidate]] = defaultdict(list)
        loose: list[Candidate] = []
        for cand in cands:
            meaning = meaning_key(cand.expansion)
            if meaning:
                meanings[meaning].append(cand)
            else:
                loose.append(cand)
        if len(meanings) == 1:
            next(iter(meanings.values())).extend(loose)
        elif meanings:
            homes = _Homes(meanings)
            for cand in loose:
                meanings[homes.home(cand)].append(cand)
        else:
            meanings[""] = loose
        for meaning, group in meanings.items():
            entries.append(_entry(entry_key(term, meaning), term, group))
    entries.sort(key=sort_key)
    return entries


def sort_key(entry: Entry) -> tuple[str, str, str, str]:
    """Return the documented output order: term (case-folded), term, normalised meaning."""
    return (entry.term.casefold(), entry.term, meaning_key(entry.expansion), entry.key)


class _Homes:
    """Pick the meaning a candidate without a long form belongs to.

    Its Japanese name decides first (環境保護庁 is the agency, 経済連携協定 the agreement), then the
    meaning defined in its own note, else the first meaning in vault order.
    """

    def __init__(self, meanings: dict[str, list[Candidate]]) -> None:
        self.first = next(iter(meanings))
        self.aliases = {m: {a for c in group for a in c.aliases} for m, group in meanings.items()}
        self.paths = {m: {c.source.path for c in group} for m, group in meanings.items()}

    def home(self, cand: Candidate) -> str:
        """Return the meaning `cand` joins."""
        for meaning, aliases in self.aliases.items():
            if aliases.intersection(cand.aliases):
                return meaning
        for meaning, paths in self.paths.items():
            if cand.source.path in paths:
                return meaning
        return self.first


def _entry(key: str, term: str, group: list[Candidate]) -> Entry:
    spellings = Counter(clean_spelling(c.expansion) for c in group if c.expansion)
    expansion = None
    if spellings:
        # most common spelling; ties go to the first in vault order (Counter keeps insertion order)
        expansion = max(spellings, key=lambda s: spellings[s])
    alias_count: Counter[str] = Counter()
    for cand in group:
        for alias in cand.aliases:
            alias_count[clean_spelling(alias)] += 1
    aliases = sorted(alias_count, key=lambda a: -alias_count[a])  # stable: first seen wins ties
    aliases += [s for s in spellings if s != expansion]
    aliases = [a for i, a in enumerate(aliases) if a and a not in aliases[:i] and a not in (term, expansion)]

    cited = [c for c in group if c.definition and c.definition_source]
    plain = [c for c in group if c.definition and not c.definition_source]
    best: Candidate | None = (cited or plain or [None])[0]  # type: ignore[list-item]
    remarks: list[str] = []
    for cand in group:
        remarks.extend(r for r in cand.remarks if r not in remarks)
    tags: list[str] = []
    for cand in group:
        tags.extend(t for t in cand.tags if t not in tags)
    kind = ACRONYM if any(c.kind == ACRONYM for c in group) else TERM
    return Entry(
        key=key,
        term=term,
        kind=kind,
        expansion=expansion,
        aliases=tuple(aliases),
        definition=best.definition if best else None,
        definition_source=best.definition_source if best else None,
        definition_url=best.definition_url if best else None,
        remarks=tuple(remarks),
        sources=tuple(_dedupe_sources(group)),
        tags=tuple(sorted(tags)),
    )


def _dedupe_sources(group: list[Candidate]) -> list[Source]:
    """Return one source per (path, line), in vault order.

    When two rules read the same place, the source names the one that read it first in harvest order
    (footnote, citation, inline, line, markup rules; a note's text from top to bottom): candidates come
    in that order from each note, and the sort in `merge` keeps it.
    """
    seen: dict[tuple[str, int], Source] = {}
    for cand in group:
        seen.setdefault((cand.source.path, cand.source.line), cand.source)
    return [seen[k] for k in sorted(seen)]
