"""Candidates -> one Entry per meaning: merge spellings, keep different meanings apart.

The rules (and the output order) are documented in docs/identity.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import starmap
from typing import Any

from .harvest.text import fold_accents
from .model import (
    ACRONYM,
    C_ALIASES,
    C_DEFINITION,
    C_DEFINITION_SOURCE,
    C_DEFINITION_URL,
    C_EXPANSION,
    C_KIND,
    C_REMARKS,
    C_SOURCE,
    C_TAGS,
    C_TERM,
    S_LINE,
    S_PATH,
    TERM,
    Candidate,
    CandidateRow,
    Entry,
    Source,
    candidate_row,
)

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
    return merge_rows(map(candidate_row, candidates))


def merge_rows(rows: Iterable[CandidateRow]) -> list[Entry]:
    """Merge candidate rows (model.candidate_row) as merge merges candidates, no Candidate made."""
    merging = Merging()
    merging.add(rows)
    return merging.entries()


class Merging:
    """Candidate rows grouped by term as they come (a build adds each note's as its worker sends it).

    A full sort of every candidate by place, then grouping, gave each term's candidates in vault
    order; grouping first and sorting each term's (stably) gives the same order, a note's
    candidates on one line keeping harvest order, and lets the grouping overlap the harvest.
    """

    def __init__(self) -> None:
        self.by_term: dict[str, list[CandidateRow]] = defaultdict(list)

    def add(self, rows: Iterable[CandidateRow]) -> None:
        """Group these candidate rows with the ones added before."""
        by_term = self.by_term
        for row in rows:
            by_term[term_key(row[C_TERM])].append(row)

    def entries(self) -> list[Entry]:
        """Return the entries of every row added, sorted (the rows are let go)."""
        entries: list[Entry] = []
        for term, cands in self.by_term.items():
            cands.sort(key=_place)
            entries.extend(_term_entries(term, cands))
        self.by_term.clear()
        entries.sort(key=sort_key)
        return entries


def _place(row: CandidateRow) -> tuple[str, int]:
    source = row[C_SOURCE]
    return source[S_PATH], source[S_LINE]


def _term_entries(term: str, cands: list[CandidateRow]) -> Iterator[Entry]:
    """Return one term's entries, one per meaning, from its candidate rows in vault order."""
    meanings: dict[str, list[CandidateRow]] = defaultdict(list)
    loose: list[CandidateRow] = []
    for cand in cands:
        meaning = meaning_key(cand[C_EXPANSION])
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
        yield _entry(entry_key(term, meaning), term, group)


def sort_key(entry: Entry) -> tuple[str, str, str, str]:
    """Return the documented output order: term (case-folded), term, normalised meaning."""
    return (entry.term.casefold(), entry.term, meaning_key(entry.expansion), entry.key)


class _Homes:
    """Pick the meaning a candidate without a long form belongs to.

    Its Japanese name decides first (環境保護庁 is the agency, 経済連携協定 the agreement), then the
    meaning defined in its own note, else the first meaning in vault order.
    """

    def __init__(self, meanings: dict[str, list[CandidateRow]]) -> None:
        self.first = next(iter(meanings))
        self.aliases = {m: {a for c in group for a in c[C_ALIASES]} for m, group in meanings.items()}
        self.paths = {m: {c[C_SOURCE][S_PATH] for c in group} for m, group in meanings.items()}

    def home(self, cand: CandidateRow) -> str:
        """Return the meaning `cand` joins."""
        for meaning, aliases in self.aliases.items():
            if aliases.intersection(cand[C_ALIASES]):
                return meaning
        for meaning, paths in self.paths.items():
            if cand[C_SOURCE][S_PATH] in paths:
                return meaning
        return self.first


def _entry(key: str, term: str, group: list[CandidateRow]) -> Entry:
    tally = _Tally(group)
    spellings, alias_count = tally.spellings, tally.aliases
    expansion = None
    if spellings:
        # most common spelling; ties go to the first in vault order (Counter keeps insertion order)
        expansion = max(spellings, key=lambda s: spellings[s])
    aliases = sorted(alias_count, key=lambda a: -alias_count[a])  # stable: first seen wins ties
    aliases += [s for s in spellings if s != expansion]
    aliases = [a for i, a in enumerate(aliases) if a and a not in aliases[:i] and a not in (term, expansion)]
    best = tally.cited or tally.plain
    return Entry(
        key=key,
        term=term,
        kind=ACRONYM if tally.acronym else TERM,
        expansion=expansion,
        aliases=tuple(aliases),
        definition=best[C_DEFINITION] if best else None,
        definition_source=best[C_DEFINITION_SOURCE] if best else None,
        definition_url=best[C_DEFINITION_URL] if best else None,
        remarks=tuple(tally.remarks),
        sources=tuple(_dedupe_sources(group)),
        tags=tuple(sorted(tally.tags)),
    )


class _Tally:
    """What one meaning's candidate rows say, gathered in one pass over them (in vault order)."""

    __slots__ = ("spellings", "aliases", "cited", "plain", "remarks", "tags", "acronym")

    def __init__(self, group: list[CandidateRow]) -> None:
        self.spellings: Counter[str] = Counter()
        self.aliases: Counter[str] = Counter()
        self.cited: CandidateRow | None = None
        """The first candidate with a definition and its source: it gives the entry's definition."""
        self.plain: CandidateRow | None = None
        """The first with a definition and no source, used when none has a source."""
        self.remarks: dict[str, None] = {}
        self.tags: dict[str, None] = {}
        self.acronym = False
        for cand in group:
            self._add(cand)

    def _add(self, cand: CandidateRow) -> None:
        if cand[C_EXPANSION]:
            self.spellings[clean_spelling(cand[C_EXPANSION])] += 1
        for alias in cand[C_ALIASES]:
            self.aliases[clean_spelling(alias)] += 1
        if cand[C_DEFINITION]:
            if cand[C_DEFINITION_SOURCE]:
                self.cited = self.cited or cand
            else:
                self.plain = self.plain or cand
        for remark in cand[C_REMARKS]:
            self.remarks[remark] = None  # first seen keeps its place
        for tag in cand[C_TAGS]:
            self.tags[tag] = None
        if cand[C_KIND] == ACRONYM:
            self.acronym = True


def _dedupe_sources(group: list[CandidateRow]) -> list[Source]:
    """Return one source per (path, line), in vault order.

    When two rules read the same place, the source names the one that read it first in harvest order
    (footnote, citation, inline, line, markup rules; a note's text from top to bottom): candidates come
    in that order from each note, and the stable sort in `Merging.entries` keeps it.
    """
    seen: dict[tuple[str, int], tuple[Any, ...]] = {}
    for cand in group:
        source = cand[C_SOURCE]
        seen.setdefault((source[S_PATH], source[S_LINE]), source)
    return list(starmap(Source, map(seen.__getitem__, sorted(seen))))
