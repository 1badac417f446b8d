"""The pipeline, top to bottom: vault -> notes -> candidates -> glossary -> files."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import identity
from .atomic import check_deck_name, deck_file
from .errors import GlossdeckError
from .export.anki import AnkiOptions, write_apkg
from .export.table import write_csv, write_json
from .model import Candidate, Entry, Glossary, Note, Problem
from .normalise import merge
from .parallel import NoteResult, Progress, harvest_files
from .vault import DEFAULT_EXCLUDES, read_note, walk

FORMATS = ("apkg", "csv", "anki-csv", "json", "md")
DEFAULT_FORMATS = ("apkg", "csv")
SUFFIX = {"apkg": ".apkg", "csv": ".csv", "anki-csv": ".anki.csv", "json": ".json", "md": ".md"}



@dataclass(frozen=True)
class Options:
    """Everything one build needs; one object travels through every stage."""

    vault: Path
    out: Path = Path("decks")
    deck: str | None = None
    formats: tuple[str, ...] = DEFAULT_FORMATS
    excludes: tuple[str, ...] = DEFAULT_EXCLUDES
    anki: AnkiOptions = field(default_factory=AnkiOptions)

    def __post_init__(self) -> None:
        # An output folder inside the vault (`--out vault/decks`, or `glossdeck init` run in the
        # vault) is never read back as notes.
        try:
            inside = self.out.resolve().relative_to(self.vault.resolve()).as_posix()
        except (ValueError, OSError):
            return
        if inside not in ("", ".") and inside not in self.excludes:
            object.__setattr__(self, "excludes", (*self.excludes, inside))

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


def check_vault(vault: Path) -> None:
    """Stop with a clear message when the vault folder is not there."""
    if not vault.exists():
        raise GlossdeckError(f"{vault}: no such folder")
    if not vault.is_dir():
        raise GlossdeckError(f"{vault}: not a folder (give the vault's folder)")


def check_output(options: Options) -> None:
    """Stop before anything is written when the vault is missing or the deck name cannot be used."""
    check_vault(options.vault)
    check_deck_name(options.deck_name)


def read_vault(
    vault: Path, excludes: tuple[str, ...] = DEFAULT_EXCLUDES, progress: Progress | None = None
) -> tuple[list[Note], list[Problem]]:
    """Read and parse every note; bad files become problems and the rest goes on."""
    check_vault(vault)
    problems: list[Problem] = []
    files = walk(vault, excludes, problems)
    notes: list[Note] = []
    for i, nf in enumerate(files, 1):
        note, found = read_note(nf)
        problems.extend(found)
        if note is not None:
            notes.append(note)
        if progress:
            progress(i, len(files))
    return notes, problems


def glossary(options: Options, progress: Progress | None = None) -> tuple[Glossary, Report]:
    """Read, harvest and merge: return the finished glossary and a report."""
    check_vault(options.vault)
    skipped: list[Problem] = []
    results = list(harvest_files(walk(options.vault, options.excludes, skipped), progress))
    result, report = from_results(results, options)
    report.problems[:0] = skipped
    return result, report


def from_results(results: list[NoteResult], options: Options) -> tuple[Glossary, Report]:
    """Merge per-note harvest results (fresh or cached) into the glossary."""
    candidates = [c for r in results for c in r.candidates]
    problems = [p for r in results for p in r.problems]
    mtimes = [r.mtime for r in results if r.mtime is not None]
    return from_candidates(candidates, problems, len(mtimes), max(mtimes, default=0.0), options)


def from_candidates(
    candidates: list[Candidate], problems: list[Problem], notes: int, timestamp: float, options: Options
) -> tuple[Glossary, Report]:
    """Merge candidates into the finished glossary; `timestamp` is the newest note's mtime."""
    return from_entries(merge(candidates), problems, notes, timestamp, options)


def from_entries(
    merged: list[Entry], problems: list[Problem], notes: int, timestamp: float, options: Options
) -> tuple[Glossary, Report]:
    """Give merged entries their card identity and assemble the glossary (build and sync alike)."""
    # Keys an earlier build issued (a corrected long form keeps its card): see docs/identity.md.
    # A run that writes nothing (harvest, lint) shows no keys and reads no registry.
    entries = identity.assign(merged, identity.load(_registry(options))) if options.formats else merged
    result = Glossary(
        name=options.deck_name,
        entries=tuple(entries),
        timestamp=timestamp,
        vault_name=options.vault.resolve().name,
        problems=tuple(problems),
    )
    return result, Report(notes=notes, entries=len(entries), problems=problems)


def write(result: Glossary, options: Options, report: Report, clock: identity.Clock | None = None) -> Report:
    """Write the identity registry, the Anki clock, then the chosen formats; unchanged files are left alone."""
    save_identity(options, result.entries, identity.load(_registry(options)), clock)
    out = options.out
    for fmt in options.formats:
        path = deck_file(out, result.name, SUFFIX[fmt])
        changed = WRITERS[fmt](result, path, options)
        (report.written if changed else report.unchanged).append(path)
    return report


def save_identity(
    options: Options, entries: Sequence[Entry], registry: identity.Registry, clock: identity.Clock | None
) -> None:
    """Save the registry after this build's entries, and the clock of its .apkg: before the outputs.

    Both describe the outputs about to be written, so a run killed between two writes leaves each
    output the last build's or this one's, with a registry and clock that hold for either: the next
    run gives a card the key it had in whichever deck the user imported, and a clock past both. Saved
    after the outputs, a killed run could leave a new .apkg (imported at once) they do not know: its
    corrected cards would get another GUID next time (reviews lost), its updates an old clock (Anki
    skips them). Keys and a clock recorded for a deck that was never written do no harm: that is a
    build the user did not import.
    """
    identity.save(_registry(options), identity.updated(list(entries), registry))
    if clock is not None:
        identity.save_clock(identity.clock_path(options.out, options.deck_name), clock)


def build(options: Options, progress: Progress | None = None, wait: float = 0.0) -> Report:
    """Harvest the vault and write every chosen output, under the output folder's lock (as sync).

    The lock keeps a build and a cron sync into the same folder from losing each other's registry
    updates; another run holding it raises lock.Busy (exit 75). The .apkg gets the Anki clock of
    identity.clock_for, remembered beside the registry before the outputs are written (save_identity).
    """
    from dataclasses import replace

    from .cache import cache_dir
    from .lock import locked

    check_output(options)  # a missing vault or an impossible deck name writes nothing, not even the lock
    with locked(cache_dir(options.out) / "lock", wait):
        result, report = glossary(options, progress)
        clock = None
        if "apkg" in options.formats:
            clock_file = identity.clock_path(options.out, options.deck_name)
            clock = identity.clock_for(result, options.anki, identity.load_clock(clock_file))
            result = replace(result, timestamp=clock.clock)
        return write(result, options, report, clock)


def _registry(options: Options) -> Path:
    return identity.registry_path(options.out, options.deck_name)


def _anki_csv(result: Glossary, path: Path, options: Options) -> bool:
    from .export.ankicsv import write_anki_csv

    return write_anki_csv(result, path, options.anki)


def _markdown(result: Glossary, path: Path, options: Options) -> bool:
    from .export.markdown import write_markdown

    return write_markdown(result, path, options.anki)


WRITERS: dict[str, Callable[[Glossary, Path, Options], bool]] = {
    "apkg": lambda g, p, o: write_apkg(g, p, o.anki),
    "csv": lambda g, p, o: write_csv(g, p),
    "json": lambda g, p, o: write_json(g, p),
    "anki-csv": _anki_csv,
    "md": _markdown,
}
