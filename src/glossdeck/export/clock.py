"""The Anki clock: the note modification time the .apkg carries, and why it must only move forward.

Anki's default import (update notes: if newer) takes a changed note only when the package's note
modification time is newer than its copy. The newest note mtime is not enough: deleting the newest
note, a note losing an entry, an entry tagged glossdeck::removed, --reverse or a new harvester change
cards while it stays put or goes back. So each build remembers, beside the deck
(`<deck>.anki-clock.json`), the clock it used and a digest of what Anki sees; content that differs
from last time gets a clock past the last one.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from ..atomic import deck_file, write_text
from ..model import EntryRow, Glossary, Problem, entry_row
from . import anki, lang, markup, notetype
from .anki import AnkiOptions, vault_of
from .notetype import FIELDS, MODEL_ID

VERSION = 1
CLOCK_SUFFIX = ".anki-clock.json"
MAX_CLOCK = 253_402_300_799.0
"""The last second of the year 9999: a clock past it is damage (Anki and the .apkg's note ids could not hold it)."""


@dataclasses.dataclass(frozen=True)
class Clock:
    """The package clock a build used and a digest of the Anki content it was used for."""

    clock: float
    digest: str


def clock_for(
    glossary: Glossary, options: AnkiOptions, last: Clock | None, rows: Iterable[EntryRow] | None = None
) -> Clock:
    """Return the clock the glossary's package must carry (and the next build compares against).

    Same cards as last time: the last clock (same bytes). Different cards: the newest note mtime, but
    at least a second past the last clock (Anki compares whole seconds). No history: the mtime.
    """
    digest = anki_digest(glossary, options, rows)
    newest = glossary.timestamp or 0.0
    if last is None:
        return Clock(newest, digest)
    if last.digest == digest:
        return last
    return Clock(max(newest, last.clock + 1), digest)


def clock_path(out: Path, deck_name: str) -> Path:
    """Return where the deck's Anki clock lives: beside its outputs and its identity registry."""
    return deck_file(out, deck_name, CLOCK_SUFFIX)


def load_clock(path: Path, problems: list[Problem] | None = None) -> Clock | None:
    """Read the last build's clock; None when there is none, or it is damaged (reported into `problems`).

    Without a clock the newest note's mtime decides, as on a first build. Damaged is anything but
    what save_clock writes: `{"version": 1, "clock": SECONDS, "digest": "…"}` with SECONDS a finite
    number from 0 to MAX_CLOCK (not Infinity, NaN or 1e300), and JSON nested without end.
    """
    try:
        got = _clock_of(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as exc:
        got = f"not UTF-8 ({exc.reason})"
    if isinstance(got, Clock):
        return got
    if problems is not None:
        text = f"unreadable Anki clock ({got}): using the newest note's mtime"
        problems.append(Problem("unreadable-clock", str(path), 1, text))
    return None


def _clock_of(text: str) -> Clock | str:
    """Return the clock a clock file's text holds, or why it holds none."""
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        return "nested too deep"
    except ValueError as exc:
        return f"not JSON: {exc}"
    if not isinstance(data, dict) or data.get("version") != VERSION or type(data.get("digest")) is not str:
        return f"not a version {VERSION} clock"
    clock = data.get("clock")
    if not isinstance(clock, int | float) or isinstance(clock, bool) or not 0 <= clock <= MAX_CLOCK:
        return f"clock {json.dumps(clock)[:40]} is no time from 1970 to 9999"
    return Clock(float(clock), data["digest"])


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is no JSON value")


def save_clock(path: Path, clock: Clock) -> bool:
    """Write the clock atomically (unchanged bytes are not rewritten)."""
    data = {"version": VERSION, "clock": clock.clock, "digest": clock.digest}
    return write_text(Path(path), json.dumps(data) + "\n")


def anki_digest(glossary: Glossary, options: AnkiOptions, rows: Iterable[EntryRow] | None = None) -> str:
    """Return a hash of what Anki imports from the package (the clock aside).

    The notes are made from the entries, the deck and vault names, the options and the exporter's
    code, so those are hashed (the entries as model.entry_row tuples, `rows` when the caller has
    them): rendering every field again would cost as much as writing the package.
    """
    head = (MODEL_ID, FIELDS, glossary.name, vault_of(glossary), repr(options), _exporter_fingerprint())
    h = hashlib.sha256(repr(head).encode("utf-8", "surrogatepass"))
    # one row at a time (repr: equal values, equal text): the whole glossary's repr at once took
    # more memory than the glossary itself
    for row in rows if rows is not None else map(entry_row, glossary.entries):
        h.update(repr(row).encode("utf-8", "surrogatepass"))
        h.update(b"\n")
    return h.hexdigest()


@functools.cache
def _exporter_fingerprint() -> str:
    # A new glossdeck that renders the same entries differently changes the cards too.
    h = hashlib.sha256()
    for module in (anki, lang, markup, notetype):
        h.update(Path(str(module.__file__)).read_bytes())
    return h.hexdigest()
