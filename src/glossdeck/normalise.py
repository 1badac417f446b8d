"""Candidates -> one Entry per meaning: merge spellings, keep different meanings apart.

Order of the output (documented in the README): by term (case-folded, NFKC), then by term as
written, then by normalised meaning.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable

from .model import ACRONYM, TERM, Candidate, Entry, Source

# British spellings that share a card with their American twins.
_BRITISH = [
    (re.compile(r"isation"), "ization"),
    (re.compile(r"ise(s|d)?$"), r"ize\1"),
    (re.compile(r"(?<=[^aeiou])tre$"), "ter"),
    (re.compile(r"(?<=[a-z]{2})our$"), "or"),
    (re.compile(r"ence$"), "ense"),
    (re.compile(r"amme$"), "am"),
    (re.compile(r"ogue$"), "og"),
]
_DASHES = re.compile(r"[\u2010-\u2015\u2212\-_/]")


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


def meaning_key(expansion: str | None) -> str:
    """Return the normalised meaning: case, width, dashes, &/and, British/American, plurals folded."""
    if not expansion:
        return ""
    text = unicodedata.normalize("NFKC", expansion).casefold()
    text = _DASHES.sub(" ", text).replace("&", " and ")
    text = re.sub(r"[^\w\s]", " ", text)
    out = []
    for word in text.split():
        for pattern, repl in _BRITISH:
            word = pattern.sub(repl, word)
        out.append(_singular(word))
    return " ".join(out)


def term_key(term: str) -> str:
    """Return the key terms are grouped by: NFKC and trimmed (case kept: IoT is not IOT's twin)."""
    return unicodedata.normalize("NFKC", term).strip()


def entry_key(term: str, meaning: str) -> str:
    """Return an entry's stable identity from its term and normalised meaning."""
    return f"{term_key(term)}|{meaning}"


def merge(candidates: Iterable[Candidate], renames: dict[str, str] | None = None) -> list[Entry]:
    """Merge candidates into entries, one per (term, meaning), sorted.

    `renames` maps a key to the key an earlier build gave the same card (a corrected long form).
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
            if cand.expansion:
                meanings[meaning_key(cand.expansion)].append(cand)
            else:
                loose.append(cand)
        if meanings:
            first = next(iter(meanings))
            for cand in loose:
                meanings[_home(cand, meanings, first)].append(cand)
        else:
            meanings[""] = loose
        for meaning, group in meanings.items():
            key = entry_key(term, meaning)
            if renames:
                key = renames.get(key, key)
            entries.append(_entry(key, term, group))
    entries.sort(key=sort_key)
    return entries


def sort_key(entry: Entry) -> tuple[str, str, str]:
    """Return the documented output order: term (folded), term, meaning."""
    return (entry.term.casefold(), entry.term, entry.key)


def _home(cand: Candidate, meanings: dict[str, list[Candidate]], first: str) -> str:
    """Pick the meaning a candidate without a long form belongs to: its own note's, else the first."""
    for meaning, group in meanings.items():
        if any(c.source.path == cand.source.path for c in group):
            return meaning
    return first


def _entry(key: str, term: str, group: list[Candidate]) -> Entry:
    spellings = Counter(c.expansion for c in group if c.expansion)
    expansion = None
    if spellings:
        # most common spelling; ties go to the first in vault order (Counter keeps insertion order)
        expansion = max(spellings, key=lambda s: spellings[s])
    alias_count: Counter[str] = Counter()
    for cand in group:
        for alias in cand.aliases:
            alias_count[alias] += 1
    aliases = sorted(alias_count, key=lambda a: -alias_count[a])  # stable: first seen wins ties
    aliases += [s for s in spellings if s != expansion]
    aliases = [a for i, a in enumerate(aliases) if a not in aliases[:i] and a != term and a != expansion]

    cited = [c for c in group if c.definition and c.definition_source]
    plain = [c for c in group if c.definition and not c.definition_source]
    best = (cited or plain or [None])[0]
    remarks: list[str] = []
    for cand in group:
        remarks.extend(r for r in cand.remarks if r not in remarks)
    sources = sorted({c.source for c in group}, key=lambda s: (s.path, s.line))
    tags = sorted({t for c in group for t in c.tags})
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
        sources=tuple(_dedupe_sources(sources)),
        tags=tuple(tags),
    )


def _dedupe_sources(sources: list[Source]) -> list[Source]:
    seen: set[tuple[str, int]] = set()
    out = []
    for s in sources:
        if (s.path, s.line) not in seen:
            seen.add((s.path, s.line))
            out.append(s)
    return out
