"""The build's last step: every chosen format written, with the registry and the Anki clock, all or
nothing; then the push into an Anki collection, when there is one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from . import identity
from .atomic import Batch, deck_file
from .errors import GlossdeckError
from .export.anki import apkg_bytes
from .export.clock import clock_path, save_clock
from .export.table import csv_bytes, json_text
from .model import Glossary
from .outputs import check_replaceable

if TYPE_CHECKING:
    from .export.collection import PushReport
    from .pipeline import Options, Report, Stamped

FORMATS = ("apkg", "csv", "anki-csv", "json", "md")
DEFAULT_FORMATS = ("apkg", "csv")
SUFFIX = {"apkg": ".apkg", "csv": ".csv", "anki-csv": ".anki.csv", "json": ".json", "md": ".md"}
# Anki imports these; the others are for people and scripts, which never see removed entries.
ANKI_FORMATS = ("apkg", "anki-csv")


def write(options: Options, stamped: Stamped, registry: identity.Registry, report: Report) -> None:
    """Write every chosen format, the registry and the Anki clock; unchanged files are left alone.

    Nothing is replaced before everything is written: a file glossdeck did not write in an output's
    place stops the run first (outputs.py), then every output goes to a temporary file (a full disk
    or a file size limit strikes here, leaving all as it was), then the registry and the clock are
    saved, then the outputs are renamed into place. The registry and the clock describe the outputs
    about to be put in place, so a run killed between two renames leaves each output the last
    build's or this one's, with a registry and clock that hold for either: the next run gives a card
    the key it had in whichever deck the user imported, and a clock past both. Saved after the
    outputs, a killed run could leave a new .apkg (imported at once) they do not know: its corrected
    cards would get another GUID next time (reviews lost), its updates an old clock (Anki skips
    them). Keys and a clock recorded for a deck that was never put in place do no harm: that is a
    build the user did not import.

    With a push target, the collection is written last (docs/anki.md, "Pushing into your
    collection"); a dry run writes nothing at all and only says what the push would change.
    """
    registry = identity.updated(list(stamped.glossary.entries), registry)
    if options.push is not None and options.push.dry_run:
        report.pushed = push(options, stamped, registry)
        return
    targets = {fmt: deck_file(options.out, stamped.glossary.name, SUFFIX[fmt]) for fmt in options.formats}
    for fmt, path in targets.items():
        check_replaceable(path, fmt)
    batch = Batch()
    where = options.out
    try:
        for fmt, path in targets.items():
            where = path
            result = stamped.anki if fmt in ANKI_FORMATS else stamped.glossary
            changed = batch.stage(path, RENDERERS[fmt](result, path, options))
            (report.written if changed else report.unchanged).append(path)
        identity.save(identity.registry_path(options.out, options.deck_name), registry)
        if stamped.clock is not None:
            save_clock(clock_path(options.out, options.deck_name), stamped.clock)
    except (OSError, sqlite3.Error) as exc:
        batch.discard()
        raise GlossdeckError(f"{_failure(exc, where)}; outputs left as they were") from exc
    except BaseException:
        batch.discard()
        raise
    try:
        batch.commit()
    except OSError as exc:
        batch.discard()
        raise GlossdeckError(
            f"{_failure(exc, options.out)}; some outputs were replaced and others not: run again"
        ) from exc
    if options.push is not None:
        report.pushed = push(options, stamped, registry)


def push(options: Options, stamped: Stamped, registry: identity.Registry) -> PushReport:
    """Write the live entries into the push target's collection; retire only notes this deck issued."""
    from .export.collection import push as push_collection

    assert options.push is not None
    apkg = deck_file(options.out, options.deck_name, SUFFIX["apkg"]) if "apkg" in options.formats else None
    return push_collection(options.push, stamped.glossary, registry, options.anki, apkg)


def _failure(exc: OSError | sqlite3.Error, where: Path) -> str:
    """Say what stopped a write and where, a full disk in plain words."""
    if isinstance(exc, sqlite3.Error):
        # SQLite says "database or disk is full", or "disk I/O error" at a file size limit
        return f"{where}: cannot pack the Anki deck ({exc}; is the disk full?)"
    name = exc.filename2 or exc.filename  # os.replace names the target second
    return f"{name or where}: {exc.strerror or exc}"


def _apkg(result: Glossary, path: Path, options: Options) -> bytes:
    return apkg_bytes(result, options.anki, beside=path)


def _anki_csv(result: Glossary, path: Path, options: Options) -> bytes:
    from .export.ankicsv import anki_csv_text

    return anki_csv_text(result, options.anki).encode("utf-8")


def _markdown(result: Glossary, path: Path, options: Options) -> bytes:
    from .export.markdown import markdown_text

    return markdown_text(result, options.anki).encode("utf-8")


RENDERERS: dict[str, Callable[[Glossary, Path, Options], bytes]] = {
    "apkg": _apkg,
    "csv": lambda g, p, o: csv_bytes(g),
    "json": lambda g, p, o: json_text(g.entries).encode("utf-8"),
    "anki-csv": _anki_csv,
    "md": _markdown,
}
"""Each format's bytes (`path`: where they go, for the .apkg's scratch database beside it)."""
