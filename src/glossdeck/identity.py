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

VERSION = 1
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
    """Read a registry; a missing file is an empty one (a first build), a damaged one an error.

    Only a file that is not JSON (or not UTF-8) is damaged; any other OSError (the output folder is a
    file, no permission) propagates as it is, for the caller to report.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError as exc:  # bad JSON; UnicodeDecodeError is a ValueError too
        raise GlossdeckError(
            f"{path}: cannot read the card identity registry ({exc}); restore it from a backup, "
            "or delete it to start afresh (cards whose long form changed since will then be new cards)"
        ) from None
    keys = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(keys, dict):
        raise GlossdeckError(f"{path}: not a glossdeck identity registry (no \"keys\" object)")
    return {str(k): str(v) for k, v in keys.items()}


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
    data = {"version": VERSION, "keys": dict(sorted(registry.items()))}
    return write_text(Path(path), json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def _split(key: str) -> tuple[str, str]:
    term, _, meaning = key.rpartition("|")
    return term, meaning


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _retired(natural: str) -> str:
    # Marks a key whose meaning another card took over: it never matches a natural key again.
    return natural + "|retired"
