"""Card identity across builds: a small registry beside the outputs keeps a card's key when its long form is corrected.

Without a registry every entry's key is its natural key, `term|normalised meaning`. The registry
remembers which key each meaning was issued, so a later build can tell "the long form of that card was
corrected" (the old meaning vanished and a very similar one of the same term appeared) from "a new
meaning arrived". The rules are in docs/identity.md.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path

from .atomic import deck_file, write_text
from .errors import GlossdeckError
from .export import anki as anki_export
from .export import lang, markup, notetype
from .export.anki import MODEL_ID, AnkiOptions, vault_of
from .export.notetype import FIELDS
from .model import Entry, Glossary
from .normalise import natural_key, sort_key
from .parallel import pack_entry

log = logging.getLogger(__name__)

VERSION = 1
SUFFIX = ".identity.json"
# How alike (difflib ratio on the normalised meaning) a vanished meaning and a new meaning of the
# same term must be for the new one to be taken as a corrected spelling of the old card.
SIMILARITY = 0.85
CLOCK_SUFFIX = ".anki-clock.json"

Registry = dict[str, str]
"""issued key -> natural key it stood for at the last build (`ITU|internationaltelecomunicationunion`)."""


def registry_path(out: Path, deck_name: str) -> Path:
    """Return where the registry of a deck lives: beside its outputs, named after the deck."""
    return deck_file(out, deck_name, SUFFIX)


def clock_path(out: Path, deck_name: str) -> Path:
    """Return where the deck's Anki clock lives: beside the registry."""
    return deck_file(out, deck_name, CLOCK_SUFFIX)


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
    by_natural = {nat: issued for issued, nat in sorted(registry.items())}
    out: dict[str, str] = {}
    for key in natural:
        if key in by_natural:
            out[key] = by_natural[key]
    taken = set(out.values())
    for key in natural:
        if key not in out and key in registry and key not in taken:
            # a key issued before for this very spelling (a correction undone, a note restored)
            out[key] = key
            taken.add(key)
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
    for key in natural:
        if key not in out and key in taken:
            # Its natural key already names another card: never let two cards share a GUID.
            n = 2
            while f"{key}#{n}" in taken or f"{key}#{n}" in registry:
                n += 1
            out[key] = f"{key}#{n}"
            taken.add(out[key])
    return {k: v for k, v in out.items() if k != v}


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


# The Anki clock. Anki's default import (update notes: if newer) takes a changed note only when the
# package's note modification time is newer than its copy. The newest note mtime is not enough: deleting
# the newest note, a note losing an entry, an entry tagged glossdeck::removed, --reverse or a new
# harvester change cards while it stays put or goes back. So each build remembers the clock it used and
# a digest of what Anki sees; content that differs from last time gets a clock past the last one.


@dataclasses.dataclass(frozen=True)
class Clock:
    """The package clock a build used and a digest of the Anki content it was used for."""

    clock: float
    digest: str


def load_clock(path: Path) -> Clock | None:
    """Read the last build's clock; None when there is none (or it is damaged: the mtime rule then)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return Clock(float(data["clock"]), str(data["digest"]))
    except FileNotFoundError:
        return None
    except (ValueError, TypeError, KeyError) as exc:
        log.warning("%s: unreadable Anki clock (%s): using the newest note's mtime", path, exc)
        return None


def save_clock(path: Path, clock: Clock) -> bool:
    """Write the clock atomically (unchanged bytes are not rewritten)."""
    data = {"version": VERSION, "clock": clock.clock, "digest": clock.digest}
    return write_text(Path(path), json.dumps(data) + "\n")


def anki_digest(glossary: Glossary, options: AnkiOptions, packed: Sequence[tuple] | None = None) -> str:
    """Return a hash of what Anki imports from the package (the clock aside).

    The notes are made from the entries, the deck and vault names, the options and the exporter's
    code, so those are hashed (the entries as parallel.pack_entry tuples, `packed` when the caller
    has them): rendering every field again would cost as much as writing the package.
    """
    rows = packed if packed is not None else map(pack_entry, glossary.entries)
    head = (MODEL_ID, FIELDS, glossary.name, vault_of(glossary), repr(options), _exporter_fingerprint())
    h = hashlib.sha256(repr(head).encode("utf-8", "surrogatepass"))
    # one row at a time (repr: equal values, equal text): the whole glossary's repr at once took
    # more memory than the glossary itself
    for row in rows:
        h.update(repr(row).encode("utf-8", "surrogatepass"))
        h.update(b"\n")
    return h.hexdigest()


@functools.cache
def _exporter_fingerprint() -> str:
    # A new glossdeck that renders the same entries differently changes the cards too.
    h = hashlib.sha256()
    for module in (anki_export, markup, notetype, lang):
        h.update(Path(str(module.__file__)).read_bytes())
    return h.hexdigest()


def clock_for(
    glossary: Glossary, options: AnkiOptions, last: Clock | None, packed: Sequence[tuple] | None = None
) -> Clock:
    """Return the clock the glossary's package must carry (and the next build compares against).

    Same cards as last time: the last clock (same bytes). Different cards: the newest note mtime, but
    at least a second past the last clock (Anki compares whole seconds). No history: the mtime.
    """
    digest = anki_digest(glossary, options, packed)
    newest = glossary.timestamp or 0.0
    if last is None:
        return Clock(newest, digest)
    if last.digest == digest:
        return last
    return Clock(max(newest, last.clock + 1), digest)


def _split(key: str) -> tuple[str, str]:
    term, _, meaning = key.rpartition("|")
    return term, meaning


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _retired(natural: str) -> str:
    # Marks a key whose meaning another card took over: it never matches a natural key again.
    return natural + "|retired"
