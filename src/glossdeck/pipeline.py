"""The build, top to bottom: read and harvest, merge, card identities, the Anki clock, write (writing.py).

`build` runs every step. `sync` (sync.py) is the same pipeline with two steps of its own: reading
and harvesting reuse its cache, and merging re-merges only the terms whose notes changed
(incremental.py). Each step both run is one function here; the last, write, is writing.py's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import corrections, identity
from .atomic import check_deck_name, deck_file, remove_deck_temps
from .cache import cache_dir, sweep
from .corrections import Corrections
from .errors import GlossdeckError
from .export.anki import AnkiOptions
from .export.clock import Clock, clock_for, clock_path, load_clock
from .export.profiles import Target
from .lock import locked
from .model import Entry, EntryRow, Glossary, Note, Problem
from .normalise import Merging, sort_key
from .parallel import Progress, harvest_files
from .rows import NoteRow, compact, problems_of
from .vault import DEFAULT_EXCLUDES, NoteFile, check_vault, literal, read_note, walk
from .vault.root import VaultRoot, vault_root
from .writing import DEFAULT_FORMATS, write

if TYPE_CHECKING:
    from .export.collection import PushReport

REMOVED_TAG = "glossdeck::removed"


@dataclass(frozen=True)
class Options:
    """Everything one build needs; one object travels through every stage."""

    vault: Path
    out: Path = Path("decks")
    deck: str | None = None
    formats: tuple[str, ...] = DEFAULT_FORMATS
    excludes: tuple[str, ...] = DEFAULT_EXCLUDES
    anki: AnkiOptions = field(default_factory=AnkiOptions)
    push: Target | None = None
    """The Anki collection the glossary is also written into (glossdeck push, sync with [anki])."""
    vault_name: str | None = None
    """The vault's name in obsidian:// links (default: the name of the folder holding `.obsidian/`)."""
    corrections: Corrections = field(default_factory=Corrections)
    root: VaultRoot = field(init=False, repr=False, compare=False)
    """The Obsidian vault `vault` lies in: links name it, and note paths start from it."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", vault_root(self.vault, self.vault_name))
        # An output folder inside the vault (`--out vault/decks`, or `glossdeck init` run in the
        # vault) is never read back as notes: that folder, by its path (not every folder of its name).
        # A run that writes nothing (harvest) has no output folder to leave out.
        if not self.formats:
            return
        try:
            inside = self.out.resolve().relative_to(self.vault.resolve()).as_posix()
        except (ValueError, OSError):
            return
        own = literal(inside) + "/"
        if inside not in ("", ".") and own not in self.excludes:
            object.__setattr__(self, "excludes", (*self.excludes, own))

    @property
    def deck_name(self) -> str:
        """Return the deck name: --deck, else the vault folder's name."""
        return self.deck or self.vault.resolve().name or "glossdeck"


@dataclass
class Report:
    """What a build did, for the summary line."""

    notes: int = 0
    entries: int = 0
    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    pushed: PushReport | None = None
    """What the push into the Anki collection changed (or, for a dry run, would change)."""


def build(options: Options, progress: Progress | None = None, wait: float = 0.0) -> Report:
    """Harvest the vault and write every chosen output, under the output folder's lock (as sync).

    The lock keeps a build and a cron sync into the same folder from losing each other's registry
    updates; another run holding it raises lock.Busy (exit 75).
    """
    check_output(options)  # a missing vault or an impossible deck name writes nothing, not even the lock
    with hold(options, wait):
        harvest = read(options, progress)
        step(progress, "Merging entries")
        registry = load_registry(options)
        entries = correct(options, harvest.merging.entries(), registry, harvest.problems)
        result = identify(options, entries, registry, harvest.newest)
        report = harvest.report(result)
        stamped = stamp(options, result, report.problems)
        step(progress, "Writing decks")
        write(options, stamped, registry, report)
        return report


def glossary(options: Options, progress: Progress | None = None) -> tuple[Glossary, Report]:
    """Read, harvest, merge and give identities: the glossary as a build makes it, nothing written.

    A run that writes no format (harvest, lint) shows no issued keys and reads no registry.
    """
    harvest = read(options, progress)
    registry = load_registry(options) if options.formats else {}
    entries = correct(options, harvest.merging.entries(), registry, harvest.problems)
    result = identify(options, entries, registry, harvest.newest)
    return result, harvest.report(result)


def step(progress: Progress | None, label: str) -> None:
    """Tell the progress display that reading is done and `label` (merging, writing) is under way."""
    show = getattr(progress, "step", None)
    if show is not None:
        show(label)


def check_output(options: Options) -> None:
    """Stop before anything is written when the vault is missing, --out is a file or the deck name cannot be used."""
    check_vault(options.vault)
    if options.out.exists() and not options.out.is_dir():
        raise GlossdeckError(f"--out: {options.out} is a file, not a folder")
    check_deck_name(options.deck_name)


@contextmanager
def hold(options: Options, wait: float) -> Iterator[None]:
    """Hold the deck's lock (one build or sync of a deck at a time), waiting up to `wait` seconds.

    Whoever holds it first removes what killed runs of this deck left behind (temporary files).
    """
    lock = deck_file(options.out, options.deck_name, ".lock", hidden=True)
    with locked(lock, wait, what=f"deck {options.deck_name!r} in {options.out}"):
        remove_deck_temps(options.out, options.deck_name)
        sweep(cache_dir(options.out, options.deck_name))
        yield


@dataclass
class Harvest:
    """What reading and harvesting the vault's notes gave."""

    merging: Merging = field(default_factory=Merging)
    """Every note's candidate rows, grouped by term as they come (build's read fills it, sync's does not)."""
    problems: list[Problem] = field(default_factory=list)
    notes: int = 0
    """Notes read (an unreadable file is not a note read)."""
    newest: float = 0.0
    """The newest note's mtime: where the Anki clock starts."""

    def add(self, row: NoteRow) -> None:
        """Count one note's row (its candidates are the caller's to take: build's read merges them)."""
        self.problems.extend(problems_of(row))
        if row.mtime is not None:
            self.notes += 1
            self.newest = max(self.newest, row.mtime)

    def report(self, result: Glossary) -> Report:
        """Return the report of a run that made `result` from these notes."""
        return Report(notes=self.notes, entries=len(result.entries), problems=self.problems)


def read(options: Options, progress: Progress | None = None) -> Harvest:
    """Read and harvest every note, on every core; bad files become problems and the rest goes on."""
    check_vault(options.vault)
    harvest = Harvest()
    for row in harvest_files(note_files(options, harvest.problems), progress):
        harvest.add(row)
        # Held until the merge, with one object per distinct value: the 10k bench's rows take 61 MB
        # so, 97 MB as the workers send them (80 MB compacted per chunk, which grows with the vault).
        harvest.merging.add(compact(row).candidates)
    return harvest


def note_files(options: Options, problems: list[Problem]) -> list[NoteFile]:
    """Return the vault's notes, each named by its path from the Obsidian vault's folder (options.root).

    Building a subfolder (`vault/白書`) names its notes `白書/…`, as Obsidian does: the links open them.
    """
    found: list[Problem] = []
    files = walk(options.vault, options.excludes, found)
    prefix = options.root.prefix
    problems.extend(replace(p, path=prefix + p.path) for p in found)
    return [NoteFile(nf.path, prefix + nf.rel) for nf in files] if prefix else files


def read_notes(options: Options) -> tuple[list[Note], list[Problem]]:
    """Read and parse every note (for lint); bad files become problems and the rest goes on."""
    check_vault(options.vault)
    problems: list[Problem] = []
    notes: list[Note] = []
    for nf in note_files(options, problems):
        note, found = read_note(nf)
        problems.extend(found)
        if note is not None:
            notes.append(note)
    return notes, problems


def correct(
    options: Options, entries: list[Entry], registry: identity.Registry, problems: list[Problem]
) -> list[Entry]:
    """Apply the config's `[ignore]` and `[[override]]` to the merged entries; report the ones matching nothing.

    An overridden entry keeps its card (corrections.keep_cards tells the registry, saved by `write`).
    """
    if not options.corrections:
        return entries
    fixed = corrections.apply(entries, options.corrections)
    problems.extend(fixed.problems)
    corrections.keep_cards(fixed.moved, entries, registry)
    return fixed.entries


def load_registry(options: Options) -> identity.Registry:
    """Return the card keys earlier builds issued (docs/identity.md); read once per run."""
    return identity.load(identity.registry_path(options.out, options.deck_name))


def identify(options: Options, entries: list[Entry], registry: identity.Registry, newest: float) -> Glossary:
    """Give merged entries the keys the registry issued before (a corrected long form keeps its card)."""
    return Glossary(
        name=options.deck_name,
        entries=tuple(identity.assign(entries, registry)),
        timestamp=newest,
        vault_name=options.root.name,
    )


@dataclass(frozen=True)
class Stamped:
    """The finished glossary as each output takes it."""

    glossary: Glossary
    """For people's formats: the live entries."""
    anki: Glossary
    """For Anki's formats: with the removed entries (tagged) and the Anki clock as its timestamp."""
    clock: Clock | None
    """The clock to remember beside the deck; None when no .apkg is written."""


def stamp(
    options: Options, result: Glossary, problems: list[Problem],
    removed: Sequence[Entry] = (), rows: Sequence[EntryRow] | None = None,
) -> Stamped:
    """Stamp the Anki outputs with the clock: the last one when the cards are the same, else one past it.

    Anki deletes no note on import, so a `removed` entry stays in its outputs one more build, tagged
    REMOVED_TAG. The clock is decided on the live entries (`rows`: theirs, when the caller has them):
    an entry leaving them changes them, so its tag is imported, and dropping a tagged entry a build
    later needs no newer clock, so a synced folder and a built one keep the same clock. A damaged
    clock file is reported into `problems`.
    """
    anki = result
    if removed:
        gone = [replace(e, tags=tuple(sorted({*e.tags, REMOVED_TAG}))) for e in removed]
        anki = replace(result, entries=tuple(sorted([*result.entries, *gone], key=sort_key)))
    if "apkg" not in options.formats:
        return Stamped(result, anki, None)
    last = load_clock(clock_path(options.out, options.deck_name), problems)
    clock = clock_for(result, options.anki, last, rows)
    return Stamped(result, replace(anki, timestamp=clock.clock), clock)
