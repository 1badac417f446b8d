"""Corrections for when the harvest is wrong: `[ignore]` drops entries, `[[override]]` corrects one.

They live in glossdeck.toml and apply to the merged entries, in build and sync alike (pipeline.correct),
so a changed correction needs no note read again. One that matches no entry is a problem
(`unused-ignore`, `unused-override`): lint lists it, build and sync warn about it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .identity import Registry, renames
from .model import Entry, Problem
from .normalise import meaning_key, natural_key, sort_key, term_key


@dataclass(frozen=True, slots=True)
class Ignore:
    """Entries to leave out: every meaning of `term`, or only the one whose long form is `expansion`."""

    term: str
    expansion: str | None = None
    line: int = 1
    """Where it is written in the config file."""


@dataclass(frozen=True, slots=True)
class Override:
    """What one entry shows instead of what was harvested; a value left out (None) keeps the harvested one."""

    term: str
    match: str | None = None
    """The harvested long form of the entry meant, needed when the term has several meanings."""
    expansion: str | None = None
    aliases: tuple[str, ...] | None = None
    definition: str | None = None
    remarks: tuple[str, ...] | None = None
    line: int = 1
    """Where its `[[override]]` starts in the config file."""


@dataclass(frozen=True, slots=True)
class Corrections:
    """Every `[ignore]` and `[[override]]` of one config file."""

    path: str = ""
    """The config file, as problems name it."""
    ignore: tuple[Ignore, ...] = ()
    override: tuple[Override, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.ignore or self.override)


@dataclass
class Corrected:
    """The entries after the corrections, and what went wrong."""

    entries: list[Entry]
    problems: list[Problem]
    moved: list[tuple[str, str]]
    """(natural key harvested, natural key shown) of each entry an override gave another meaning."""


def apply(entries: Sequence[Entry], corrections: Corrections) -> Corrected:
    """Drop the ignored entries and correct the overridden ones; entries left alone are the same objects.

    An overridden entry keeps its key, so its card keeps its identity (pipeline.correct tells the
    identity registry about its new meaning).
    """
    by_term: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(entries):
        by_term[term_key(e.term)].append(i)
    problems: list[Problem] = []
    dropped = _ignored(entries, by_term, corrections, problems)
    out = list(entries)
    for ov in corrections.override:
        hits = [i for i in _matching(entries, by_term, ov.term, ov.match) if i not in dropped]
        why = _refused(ov, [entries[i] for i in hits])
        if not why:
            new = _overridden(out[hits[0]], ov)
            others = [out[i] for i in by_term[term_key(ov.term)] if i != hits[0] and i not in dropped]
            why = _clash(new, others)
        if why:
            problems.append(_problem("unused-override", corrections, ov.line, ov.term, why))
        else:
            out[hits[0]] = new
    moved = [
        (natural_key(old), natural_key(new)) for old, new in zip(entries, out, strict=True)
        if new is not old and meaning_key(new.expansion) != meaning_key(old.expansion)
    ]
    kept = [e for i, e in enumerate(out) if i not in dropped]
    kept.sort(key=sort_key)
    return Corrected(kept, problems, moved)


def keep_cards(moved: list[tuple[str, str]], harvested: Sequence[Entry], registry: Registry) -> None:
    """Tell the registry (in memory) that the card each overridden meaning was issued now shows its new meaning.

    identity.assign then finds that card by the meaning shown, also when it was issued under an older
    spelling's key, and the registry saved after the build remembers the meaning shown: the card stays
    when the note is fixed and the override goes.
    """
    if not moved or not registry:
        return
    issued = renames([e.key for e in harvested], registry)  # a merged entry's key is its natural key
    shown = set(registry.values())
    for old, new in moved:
        key = issued.get(old, old)
        if key in registry and new not in shown:
            registry[key] = new


def _ignored(
    entries: Sequence[Entry], by_term: dict[str, list[int]], corrections: Corrections, problems: list[Problem]
) -> set[int]:
    """Return the entries `[ignore]` leaves out; report each ignore that matches none."""
    dropped: set[int] = set()
    for ig in corrections.ignore:
        hits = _matching(entries, by_term, ig.term, ig.expansion)
        if not hits:
            message = f"[ignore] {_named(ig.term, ig.expansion)} matches no entry"
            problems.append(_problem("unused-ignore", corrections, ig.line, ig.term, message))
        dropped.update(hits)
    return dropped


def _matching(entries: Sequence[Entry], by_term: dict[str, list[int]], term: str, expansion: str | None) -> list[int]:
    """Return the entries of `term` (only the one meaning `expansion`, when given)."""
    hits = by_term.get(term_key(term), [])
    if expansion is None:
        return list(hits)
    meaning = meaning_key(expansion)
    return [i for i in hits if meaning_key(entries[i].expansion) == meaning]


def _refused(ov: Override, hits: list[Entry]) -> str:
    """Say why an override applies to none of the entries it found (empty when it applies to the one)."""
    if not hits:
        return f"[[override]] {_named(ov.term, ov.match)} matches no entry"
    if len(hits) > 1:
        meanings = "; ".join(f"{e.term} = {e.expansion or '(no long form)'}" for e in hits)
        return (f"[[override]] {ov.term} matches {len(hits)} entries ({meanings}): "
                "add match = \"…\" with the long form of the one to correct")
    return ""


def _clash(new: Entry, others: list[Entry]) -> str:
    """Say why `new` cannot stand beside the other meanings of its term (empty when it can)."""
    meaning = meaning_key(new.expansion)
    for other in others:
        if meaning_key(other.expansion) == meaning:
            return (f"[[override]] {new.term}: {new.expansion or '(no long form)'} is already another entry's "
                    "meaning; correct the note instead, or [ignore] one of the two")
    return ""


def _overridden(entry: Entry, ov: Override) -> Entry:
    """Return the entry with the override's values; its key (its card's identity) stays."""
    changes: dict[str, Any] = {}
    if ov.expansion is not None:
        changes["expansion"] = ov.expansion or None
    if ov.aliases is not None:
        changes["aliases"] = ov.aliases
    if ov.definition is not None:
        # a definition the user wrote has no dictionary to cite
        changes.update(definition=ov.definition or None, definition_source=None, definition_url=None)
    if ov.remarks is not None:
        changes["remarks"] = ov.remarks
    return replace(entry, **changes)


def _named(term: str, expansion: str | None) -> str:
    return f"{term} = {expansion}" if expansion else term


def _problem(kind: str, corrections: Corrections, line: int, term: str, message: str) -> Problem:
    return Problem(kind, corrections.path, line, message, label=term)


# --- reading them from glossdeck.toml ----------------------------------------------------------------

Fail = Callable[[int, str, str], Exception]
"""(line, key, why) -> the error to raise for a bad value."""


def read(data: dict[str, Any], text: str, path: str, fail: Fail) -> Corrections:
    """Return the `[ignore]` and `[[override]]` tables of a parsed config; raise `fail(...)` for a bad one."""
    ignore = _read_ignore(data.get("ignore"), text, fail)
    return Corrections(path, ignore, _read_overrides(data.get("override"), text, fail))


_IGNORE_HELP = 'a table: [ignore] then terms = ["QUIC", {term = "EPA", expansion = "Environmental Protection Agency"}]'
_OVERRIDE_KEYS = ("term", "match", "expansion", "aliases", "definition", "remarks")


def _read_ignore(value: Any, text: str, fail: Fail) -> tuple[Ignore, ...]:
    if value is None:
        return ()
    start = _header_line(text, r"\[\s*ignore\s*\]", 0)
    if not isinstance(value, dict) or set(value) - {"terms"}:
        raise fail(start, "ignore", f"must be {_IGNORE_HELP}")
    terms = value.get("terms", [])
    if not isinstance(terms, list):
        raise fail(start, "ignore.terms", f"must be a list; {_IGNORE_HELP}")
    out = []
    for item in terms:
        if isinstance(item, str) and item.strip():
            out.append(Ignore(item.strip(), None, _line_of(text, item, start)))
        elif isinstance(item, dict) and _text(item.get("term")) and set(item) <= {"term", "expansion"} \
                and (item.get("expansion") is None or _text(item.get("expansion"))):
            term, expansion = item["term"].strip(), item.get("expansion")
            out.append(Ignore(term, expansion.strip() if expansion else None, _line_of(text, term, start)))
        else:
            raise fail(_line_of(text, str(item), start), "ignore.terms", f"{item!r} is not a term; {_IGNORE_HELP}")
    return tuple(out)


def _read_overrides(value: Any, text: str, fail: Fail) -> tuple[Override, ...]:
    if value is None:
        return ()
    example = '[[override]] then term = "EPA" and the values to show, e.g. expansion = "…", aliases = ["…"]'
    if not isinstance(value, list):
        raise fail(_header_line(text, r"override\s*=", 0), "override", f"must be written {example}")
    out = []
    for n, table in enumerate(value):
        line = _header_line(text, r"\[\[\s*override\s*\]\]", n)
        if not isinstance(table, dict) or not _text(table.get("term")):
            raise fail(line, "override", f"needs a term; write {example}")
        unknown = set(table) - set(_OVERRIDE_KEYS)
        if unknown:
            known = ", ".join(_OVERRIDE_KEYS)
            raise fail(line, "override", f"unknown key {', '.join(sorted(unknown))} (known: {known})")
        if len(table) == 1 or set(table) == {"term", "match"}:
            raise fail(line, "override", f"{table['term']}: nothing to override; {example}")
        out.append(Override(
            term=table["term"].strip(), match=_optional_text(table, "match", line, fail),
            expansion=_optional_text(table, "expansion", line, fail), aliases=_texts(table, "aliases", line, fail),
            definition=_optional_text(table, "definition", line, fail), remarks=_texts(table, "remarks", line, fail),
            line=line,
        ))
    return tuple(out)


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _optional_text(table: dict[str, Any], key: str, line: int, fail: Fail) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise fail(line, f"override.{key}", "must be text in quotes")
    return value.strip()


def _texts(table: dict[str, Any], key: str, line: int, fail: Fail) -> tuple[str, ...] | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(line, f"override.{key}", 'must be a list of texts, e.g. ["経済連携協定"]')
    return tuple(dict.fromkeys(v.strip() for v in value if v.strip()))


def _header_line(text: str, pattern: str, nth: int) -> int:
    """Return the line of the nth line starting with `pattern` (1 when not found)."""
    found = list(re.finditer(rf"^[ \t]*{pattern}", text, re.M))
    if nth >= len(found):
        return 1
    return text.count("\n", 0, found[nth].start()) + 1


def _line_of(text: str, needle: str, start: int) -> int:
    """Return the first line at or after line `start` holding `needle` (`start` when none does)."""
    lines = text.splitlines()
    for n in range(max(start, 1) - 1, len(lines)):
        if needle in lines[n]:
            return n + 1
    return start
