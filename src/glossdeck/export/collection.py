"""Glossary -> the user's Anki collection, through Anki's own backend (the optional `anki` package).

A push opens the collection (Anki must be closed), compares the deck's glossdeck notes with the
glossary (plan.py), backs the collection up the way Anki does, applies the changes and closes it:
seconds, not minutes. New notes go in through Anki's package importer, so the note type arrives
with the id, fields, templates and styling the .apkg carries; existing notes are updated in place.
What a push never touches: docs/anki.md, "Pushing into your collection".
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, cast

from ..errors import GlossdeckError
from ..lock import BUSY_EXIT
from ..model import Entry, Glossary
from ..pipeline import REMOVED_TAG
from .anki import AnkiOptions, NoteLinks, apkg_bytes, deck_for, fields, key_guid, note_guid, tags, vault_of
from .lang import detect, words_for
from .notetype import CSS, FIELDS, FORWARD, MODEL_ID, REVERSE
from .plan import Card, Have, Plan, Scope, Want, nfc, plan
from .profiles import Target

if TYPE_CHECKING:
    from anki.cards import CardId
    from anki.collection import Collection
    from anki.notes import NoteId

INSTALL = "pip install 'glossdeck[anki]'"
TEMPLATES = [FORWARD["name"], REVERSE["name"]]


class AnkiOpen(GlossdeckError):
    """Anki (or another program) has the collection open: nothing written, try again later."""

    exit_code = BUSY_EXIT


@dataclass
class PushReport:
    """What one push changed in the collection (or, for a dry run, would change)."""

    target: Target
    added: list[Entry] = field(default_factory=list)
    changed: list[tuple[Entry, tuple[str, ...]]] = field(default_factory=list)
    """Each updated note's entry with what changed: field names, "tags", "deck", "restored"."""
    retired: list[tuple[str, str]] = field(default_factory=list)
    """Each retired (or deleted) note's term and long form as its card shows them."""
    foreign: list[Entry] = field(default_factory=list)
    """Entries whose GUID a note of another note type holds: left alone."""
    notes: int = 0
    """The deck's notes in the collection after the push."""
    created: bool = False
    """The glossdeck note type was added to the collection."""
    restyled: bool = False
    """The collection's glossdeck note type looks different from this glossdeck's (kept as it is)."""
    spared: int = 0
    """Notes not retired because the vault gave no entry at all (an empty or unmounted vault folder)."""
    backup: Path | None = None
    held: float = 0.0
    """Seconds the collection was open."""


def require_anki() -> None:
    """Raise a clear error when the optional `anki` package is not installed."""
    try:
        import anki.collection  # noqa: F401  (Collection first: other anki modules import it circularly)
    except ImportError:
        raise GlossdeckError(f"pushing into Anki needs the anki package: {INSTALL}") from None


def push(
    target: Target, glossary: Glossary, issued: Iterable[str], options: AnkiOptions, apkg: Path | None = None
) -> PushReport:
    """Bring the deck's notes in the collection to the glossary; a dry run only reports what would change."""
    require_anki()
    # The labels' language is the whole glossary's, as in the .apkg, never the new notes' alone.
    options = replace(options, lang=options.lang or detect(glossary.entries))
    wants = _wants(glossary, options)
    guids = frozenset(key_guid(k) for k in issued)
    report = PushReport(target)
    start = time.monotonic()
    with _opened(target, apkg) as col:
        missing = _check_notetype(col, target, report)
        have, foreign = _read(col)
        changes = plan(wants, have, foreign, Scope(guids, _tree(col, glossary.name)), col.decks.id_for_name,
                       REMOVED_TAG)
        if not wants:  # an empty vault retires nothing: more likely a missing folder than a wiped glossary
            report.spared, changes.retire = len(changes.retire), []
        _report(report, changes, len(wants))
        report.created = missing and bool(changes.add)  # the importer brings it with the first notes
        if not target.dry_run and not changes.empty():
            report.backup = _backup(col, target)
            _apply_or_say(col, changes, glossary, options, target)
    report.held = time.monotonic() - start
    return report


def _wants(glossary: Glossary, options: AnkiOptions) -> list[Want]:
    vault = vault_of(glossary)
    words = words_for(options.lang, glossary.entries)
    links = NoteLinks(vault)
    return [
        Want(e, note_guid(e), [nfc(f) for f in fields(e, vault, options.reverse, words, links)],
             [nfc(t) for t in tags(e, options.tag_folders)], deck_for(glossary, e, options.subdecks))
        for e in glossary.entries
    ]


@contextmanager
def _opened(target: Target, apkg: Path | None) -> Iterator[Collection]:
    from anki.collection import Collection
    from anki.errors import AnkiException, DBError

    try:
        col = Collection(str(target.collection))
    except DBError as exc:
        if "already open" not in str(exc):
            raise GlossdeckError(f"{target.collection}: cannot open the Anki collection ({exc})") from None
        instead = f", or import {apkg}" if apkg is not None and apkg.exists() else " and run again"
        where = f"{target.label} ({target.collection})" if target.profile else target.label
        raise AnkiOpen(
            f"Anki has {where} open: close Anki{instead}; nothing was written to the collection"
        ) from None
    except AnkiException as exc:  # too new a collection for this anki package, a damaged file
        raise GlossdeckError(f"{target.collection}: cannot open the Anki collection ({exc})") from None
    try:
        yield col
    finally:
        col.close()


def _check_notetype(col: Collection, target: Target, report: PushReport) -> bool:
    """Return whether the note type must be created; refuse a collection whose copy has another schema."""
    from anki.models import NotetypeId

    nt = col.models.get(NotetypeId(MODEL_ID))
    if nt is None:
        return True
    names = [f["name"] for f in nt["flds"]]
    cards = [t["name"] for t in nt["tmpls"]]
    if names != FIELDS or cards != TEMPLATES:
        raise GlossdeckError(
            f"{target.collection}: its glossdeck note type has fields {', '.join(names)} and card types "
            f"{', '.join(cards)}; glossdeck writes fields {', '.join(FIELDS)} and card types "
            f"{', '.join(TEMPLATES)}. Changing a note type's fields or card types makes AnkiWeb ask for a full "
            "sync, so nothing was written. Undo the change in Anki (Tools > Manage Note Types > glossdeck), "
            "or, to keep it, move your notes to a copy of the note type first (docs/anki.md, "
            "\"Changing the note type\")"
        )
    mine = [(FORWARD["qfmt"], FORWARD["afmt"]), (REVERSE["qfmt"], REVERSE["afmt"])]
    report.restyled = nt["css"] != CSS or [(t["qfmt"], t["afmt"]) for t in nt["tmpls"]] != mine
    return False


def _read(col: Collection) -> tuple[dict[str, Have], set[str]]:
    """Return the glossdeck notes by GUID with their cards, and the GUIDs of every other note."""
    db = col.db
    assert db is not None  # an open collection has its database
    have: dict[str, Have] = {}
    by_id: dict[int, Have] = {}
    last = 0
    while True:  # in batches: the backend hands rows over serialized, all at once they cost ~4x their size
        rows = db.all("select id, guid, flds, tags from notes where mid=? and id>? order by id limit ?",
                      MODEL_ID, last, _BATCH)
        for nid, guid, flds, tag_text in rows:
            have[guid] = by_id[nid] = Have(nid, flds.split("\x1f"), tag_text.split())
        if len(rows) < _BATCH:
            break
        last = rows[-1][0]
    for cid, nid, deck, queue in db.all(
        # a card in a filtered deck belongs to its original deck (odid)
        "select c.id, c.nid, (case when c.odid != 0 then c.odid else c.did end), c.queue "
        "from cards c join notes n on n.id = c.nid where n.mid=?",
        MODEL_ID,
    ):
        by_id[nid].cards.append(Card(cid, deck, queue == _SUSPENDED))
    foreign = set(db.list("select guid from notes where mid != ?", MODEL_ID))
    return have, foreign


_BATCH = 500
_SUSPENDED = -1  # anki.consts.QUEUE_TYPE_SUSPENDED


def _tree(col: Collection, name: str) -> frozenset[int]:
    from anki.decks import DeckId

    root = col.decks.id_for_name(name)
    if root is None:
        return frozenset()
    return frozenset([root, *(did for _, did in col.decks.children(DeckId(root)))])


def _report(report: PushReport, changes: Plan, wanted: int) -> None:
    report.added = [w.entry for w in changes.add]
    report.changed = [(u.want.entry, u.what) for u in changes.update]
    report.retired = [(r.term, r.expansion) for r in changes.retire]
    report.foreign = [w.entry for w in changes.foreign]
    report.notes = wanted - len(changes.foreign)


def _backup(col: Collection, target: Target) -> Path:
    """Back the collection up as Anki does (a .colpkg in the profile's backups folder) before any change."""
    try:
        target.backups.mkdir(parents=True, exist_ok=True)
        # False when nothing changed since Anki's last backup: that one already holds this state
        col.create_backup(backup_folder=str(target.backups), force=True, wait_for_completion=True)
    except Exception as exc:  # the backend's own errors: a full disk, no permission
        raise GlossdeckError(f"{target.backups}: cannot back up the collection ({exc}); nothing was written") from None
    return target.backups


def _apply_or_say(col: Collection, changes: Plan, glossary: Glossary, options: AnkiOptions, target: Target) -> None:
    from anki.errors import AnkiException

    try:
        _apply(col, changes, glossary, options, target.removed)
    except AnkiException as exc:  # a full disk midway: what was applied is saved, the backup has the rest
        raise GlossdeckError(
            f"{target.collection}: writing into the collection failed ({exc}); the backup made just before "
            f"is in {target.backups} (Anki: File > Switch Profile > Open Backup)"
        ) from None


def _apply(col: Collection, changes: Plan, glossary: Glossary, options: AnkiOptions, removed: str) -> None:
    # Moves first: cards a field update creates (the reverse card) join their siblings' deck.
    for deck, cards in changes.move.items():
        col.set_deck(_cards(cards), col.decks.id(deck) or 0)  # the deck is made when missing, as on import
    notes = []
    for update in (u for u in changes.update if u.write):
        note = col.get_note(cast("NoteId", update.note))
        note.fields[:] = update.want.fields
        note.tags = list(update.want.tags)
        notes.append(note)
    if notes:
        col.update_notes(notes)  # an unchanged note keeps its modification time: nothing to sync
    unsuspend = [c for u in changes.update for c in u.unsuspend]
    if unsuspend:
        col.sched.unsuspend_cards(_cards(unsuspend))
    if changes.add:
        _import(col, replace(glossary, entries=tuple(w.entry for w in changes.add)), options)
    _retire(col, changes, removed)


def _retire(col: Collection, changes: Plan, removed: str) -> None:
    nids = cast("list[NoteId]", [r.note for r in changes.retire])
    if not nids:
        return
    if removed == "delete":
        col.remove_notes(nids)  # graves are recorded: the deletion reaches AnkiWeb and the phone
        return
    suspend = [c for r in changes.retire for c in r.suspend]
    if suspend:
        col.sched.suspend_cards(_cards(suspend))
    col.tags.bulk_add(nids, REMOVED_TAG)


def _import(col: Collection, new: Glossary, options: AnkiOptions) -> None:
    """Add new notes through Anki's package importer: it brings the note type with its own id when missing."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest
    from anki.import_export_pb2 import IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_NEVER as NEVER

    # Never update: only new GUIDs are in the package, and an existing note type is left as it is.
    request = ImportAnkiPackageOptions(
        merge_notetypes=False, update_notes=NEVER, update_notetypes=NEVER, with_scheduling=False,
        with_deck_configs=False,
    )
    with tempfile.TemporaryDirectory(prefix="glossdeck-push-") as tmp:
        path = Path(tmp) / "new.apkg"
        path.write_bytes(apkg_bytes(new, options))
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=request))


def _cards(ids: list[int]) -> list[CardId]:
    return cast("list[CardId]", ids)  # the backend takes plain ints; CardId is a NewType for type checkers
