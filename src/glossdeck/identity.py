"""Card identity across builds: a small registry beside the outputs keeps a card's key when its long form is corrected.

Without a registry every entry's key is its natural key, `term|normalised meaning`. The registry
remembers which key each meaning was issued, so a later build can tell "the long form of that card was
corrected" (the old meaning vanished and a very similar one of the same term appeared) from "a new
meaning arrived". The rules are in docs/identity.md.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
from pathlib import Path

from .atomic import deck_file, write_text
from .errors import GlossdeckError
from .model import Entry
from .normalise import natural_key, sort_key

VERSION = 2
"""Version 2 states how many keys it holds (`count`); version 1 (glossdeck 0.x) is read as it is."""
SUFFIX = ".identity.json"
# How alike (difflib ratio on the normalised meaning) a vanished meaning and a new meaning of the
# same term must be for the new one to be taken as a corrected spelling of the old card.
SIMILARITY = 0.85

Registry = dict[str, str]
"""issued key -> natural key it stood for at the last build (`ITU|internationaltelecomunicationunion`)."""


def registry_path(out: Path, deck_name: str) -> Path:
    """Return where the registry of a deck lives: beside its outputs, named after the deck."""
    return deck_file(out, deck_name, SUFFIX)


def load(path: Path) -> Registry:
    """Read a registry; a missing file is an empty one (a first build), anything but a well-formed one an error.

    Well-formed is exactly what `save` writes: a JSON object `{"version": 2, "count": N, "keys":
    {...}}` whose `keys` maps N issued keys to natural keys, every one a string `term|meaning`
    (`{"version": 1, "keys": {...}}`, without the count, from glossdeck 0.x too). Any other version,
    key or value type, a count that disagrees (`{"keys": {}}` beside a deck with cards would lose
    every corrected card's GUID), or JSON nested without end, stops the run: the registry is never
    read in part nor written back changed. Any OSError (the output folder is a file, no permission)
    propagates as it is, for the caller to report.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError as exc:
        raise _damaged(path, f"not UTF-8 ({exc.reason})") from None
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        why = "nested too deep" if isinstance(exc, RecursionError) else f"not JSON: {exc}"
        raise _damaged(path, why) from None
    return _keys(path, data)


def _keys(path: Path, data: object) -> Registry:
    """Return the registry's keys when `data` is well-formed (see load), else raise GlossdeckError."""
    if not isinstance(data, dict):
        raise _damaged(path, "not a JSON object")
    version = data.get("version")
    if type(version) is not int or version not in (1, VERSION):
        raise _damaged(path, f"version {json.dumps(version)} is none this glossdeck reads (1 or {VERSION})")
    fields = {"version", "keys"} | ({"count"} if version == VERSION else set())
    if set(data) != fields:
        raise _damaged(path, f"its fields are {sorted(data)}, not {sorted(fields)}")
    keys = data["keys"]
    if not isinstance(keys, dict):
        raise _damaged(path, '"keys" is not an object')
    for key, value in keys.items():
        if not (_is_key(key) and isinstance(value, str) and _is_key(value)):
            raise _damaged(path, f"{json.dumps(key, ensure_ascii=False)[:80]} does not map to a key `term|meaning`")
    if version == VERSION and (type(data["count"]) is not int or data["count"] != len(keys)):
        raise _damaged(path, f'"count" is {json.dumps(data["count"])} but it holds {len(keys)} keys')
    return dict(keys)


def _is_key(text: str) -> bool:
    term, bar, _ = text.partition("|")
    return bool(term and bar)


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is no JSON value")


def _damaged(path: Path, why: str) -> GlossdeckError:
    return GlossdeckError(
        f"{path}: damaged card identity registry ({why}); restore it from a backup, or delete it to "
        "start afresh (cards whose long form changed since will then be new cards)"
    )


def renames(natural: list[str], registry: Registry) -> dict[str, str]:
    """Return {natural key: issued key} for this build's natural keys, given the last registry."""
    out = _known(natural, registry)
    taken = set(out.values())
    _corrected(natural, registry, out, taken)
    for key in natural:
        if key not in out and key in taken:
            # Its natural key already names another card: never let two cards share a GUID.
            n = 2
            while f"{key}#{n}" in taken or f"{key}#{n}" in registry:
                n += 1
            out[key] = f"{key}#{n}"
            taken.add(out[key])
    return {k: v for k, v in out.items() if k != v}


def _known(natural: list[str], registry: Registry) -> dict[str, str]:
    """Return the keys the registry already issued for these very meanings."""
    by_natural = {nat: issued for issued, nat in sorted(registry.items())}
    out = {key: by_natural[key] for key in natural if key in by_natural}
    taken = set(out.values())
    for key in natural:
        if key not in out and key in registry and key not in taken:
            # a key issued before for this very spelling (a correction undone, a note restored)
            out[key] = key
            taken.add(key)
    return out


def _corrected(natural: list[str], registry: Registry, out: dict[str, str], taken: set[str]) -> None:
    """Give a new meaning the key of a vanished meaning of its term spelt very alike (a corrected long form)."""
    # Issued keys no meaning of this build claimed: a vanished meaning, candidates for reuse.
    free = [issued for issued in sorted(registry) if issued not in taken]
    pairs = []
    for key in natural:
        if key in out:
            continue
        term, meaning = _split(key)
        for issued in free:
            old_term, old_meaning = _split(registry[issued])
            if old_term != term:
                continue
            # A card without a long form that gains one (or loses it) stays the same card.
            score = 1.0 if not (old_meaning and meaning) else _ratio(old_meaning, meaning)
            if score >= SIMILARITY:
                pairs.append((-score, key, issued))
    for _, key, issued in sorted(pairs):
        if key not in out and issued not in taken:
            out[key] = issued
            taken.add(issued)


def assign(entries: list[Entry], registry: Registry) -> list[Entry]:
    """Give entries the keys the registry issued before; entries it never saw keep their natural key."""
    if not registry:
        return entries
    natural = [natural_key(e) for e in entries]
    moved = renames(natural, registry)
    if not moved:
        return entries
    out = [dataclasses.replace(e, key=moved.get(n, e.key)) for e, n in zip(entries, natural, strict=True)]
    return sorted(out, key=sort_key)


def updated(entries: list[Entry], registry: Registry) -> Registry:
    """Return the registry after a build: every issued key with the meaning it now stands for."""
    out = dict(registry)
    current = {natural_key(e): e.key for e in entries}
    # A natural key now served by another issued key must not map back to the old one.
    for issued, nat in registry.items():
        if nat in current and current[nat] != issued:
            out[issued] = _retired(nat)
    for nat, issued in current.items():
        out[issued] = nat
    return out


def save(path: Path, registry: Registry) -> bool:
    """Write the registry atomically (sorted, so the same state gives the same bytes)."""
    data = {"version": VERSION, "count": len(registry), "keys": dict(sorted(registry.items()))}
    return write_text(Path(path), json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def _split(key: str) -> tuple[str, str]:
    term, _, meaning = key.rpartition("|")
    return term, meaning


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _retired(natural: str) -> str:
    # Marks a key whose meaning another card took over: it never matches a natural key again.
    return natural + "|retired"
