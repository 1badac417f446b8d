"""What the commands print: warnings, progress, a build's summary and a sync's list of changes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from .lint import sort_problems
from .model import Entry, Problem
from .pipeline import REMOVED_TAG, Report
from .sync import SyncReport

if TYPE_CHECKING:
    from .export.collection import PushReport
    from .export.profiles import Profile

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

SHOW = 50
"""Changes listed per kind: a cron log stays readable after a big import."""


def warn(problems: Iterable[Problem]) -> None:
    """Print each warning to stderr as `path:line: message`, sorted by file and line."""
    for p in sort_problems(problems):
        err.print(f"{p.path}:{p.line}: {p.message}", markup=False)


def no_notes(vault: Path, notes: int) -> None:
    """Say so when the vault folder holds no note at all (a wrong folder, most likely)."""
    if notes == 0:
        err.print(f"{vault}: no Markdown notes (.md) found in this folder", markup=False)


def built(report: Report) -> None:
    """Print the files a build wrote or left alone, and its summary line."""
    for path in report.written:
        out.print(f"wrote {path}", markup=False)
    for path in report.unchanged:
        out.print(f"unchanged {path}", markup=False)
    warnings = f", {len(report.problems)} warnings" if report.problems else ""
    out.print(f"{report.entries} entries from {report.notes} notes{warnings}", markup=False)


def synced(report: SyncReport) -> None:
    """Print what a sync changed: + added, ~ changed (with the fields), - removed (with an Anki search)."""
    if report.nothing_changed:
        out.print(f"nothing changed ({report.notes} notes)", markup=False)
        return
    warn(report.problems)
    first = report.first_run
    pushing = report.build is not None and report.build.pushed is not None
    hidden = _changes(report.added, report.changed, 0 if first else SHOW)
    for e, search in report.removed:  # always all: the user must find each of them in Anki
        _removed(e.term, e.expansion or "")
        if not pushing:
            out.print(f"    find it in Anki: {search}", markup=False)
    if hidden and not first:
        out.print(f"... and {hidden} more added or changed", markup=False)
    build = report.build
    for path in build.written if build else ():
        out.print(f"wrote {path}", markup=False)
    warnings = f", {len(report.problems)} warnings" if report.problems else ""
    summary = (
        f"{len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed; "
        f"{build.entries if build else 0} entries from {report.notes} notes ({report.reread} re-read){warnings}"
    )
    out.print(summary, markup=False)
    if build is not None and build.pushed is not None:
        _pushed(build.pushed)
    elif report.removed:
        out.print(
            f"Anki keeps removed notes: this build tags them {REMOVED_TAG}; search tag:{REMOVED_TAG} "
            "in the Anki browser and delete them.",
            markup=False,
        )


def _changes(added: Sequence[Entry], changed: Sequence[tuple[Entry, tuple[str, ...]]], shown: int) -> int:
    """Print up to `shown` added (+) and changed (~) entries; return how many were left out."""
    for e in added[:shown]:
        out.print(f"+ {e.term}  {e.expansion or e.definition or ''}".rstrip(), markup=False)
    for e, what in changed[:shown]:
        out.print(f"~ {e.term}  {e.expansion or ''}".rstrip() + f"  ({', '.join(what)})", markup=False)
    return max(len(added) - shown, 0) + max(len(changed) - shown, 0)


def _removed(term: str, expansion: str) -> None:
    out.print(f"- {term}  {expansion}".rstrip(), markup=False)


def pushed(report: SyncReport) -> None:
    """Print what a push changed in the collection (+ ~ -, as sync prints), the files written, a summary."""
    warn(report.problems)
    build = report.build
    push = build.pushed if build is not None else None
    if build is None or push is None:
        return
    hidden = _changes(push.added, push.changed, SHOW)
    for term, expansion in push.retired:
        _removed(term, expansion)
    if hidden:
        out.print(f"... and {hidden} more added or changed", markup=False)
    for path in build.written:
        out.print(f"wrote {path}", markup=False)
    _pushed(push)


def _pushed(push: PushReport) -> None:
    """Print a push's summary line, and what the user should know about the note type."""
    for e in push.foreign:
        err.print(f"{e.term}  {e.expansion or ''}: a note of another note type holds this card's identity "
                  "(GUID); left alone", markup=False)
    if push.spared:
        err.print(f"the vault gave no entries, so {push.spared} notes in Anki were left as they were, not retired "
                  "(is the vault folder empty or not mounted?)", markup=False)
    if push.created:
        verb = "would add" if push.target.dry_run else "added"
        out.print(f"{verb} the glossdeck note type to the collection", markup=False)
    gone = "deleted" if push.target.removed == "delete" else f"retired (suspended, tagged {REMOVED_TAG})"
    counts = f"{len(push.added)} added, {len(push.changed)} changed, {len(push.retired)} {gone}"
    where = f"Anki, {push.target.label}"
    if push.target.dry_run:
        out.print(f"dry run, nothing written: {where} would get {counts}", markup=False)
    elif not (push.added or push.changed or push.retired):
        out.print(f"{where}: up to date ({push.notes} notes; collection open {push.held:.1f} s)", markup=False)
    else:
        out.print(f"{where}: {counts}; {push.notes} notes; backup in {push.backup}; "
                  f"collection open {push.held:.1f} s", markup=False)
    if push.restyled:
        out.print("the glossdeck note type in Anki looks different from this glossdeck's (edited in Anki, or "
                  "made by another version) and was kept: to take glossdeck's look, import the .apkg once with "
                  "Update note types: Always", markup=False)


def profiles_found(profiles: Sequence[Profile], searched: Sequence[Path]) -> None:
    """Print each Anki profile with its collection, or where none was found."""
    if not profiles:
        err.print(f"no Anki profile found (searched {', '.join(map(str, searched))}; ANKI_BASE=FOLDER "
                  "searches another)", markup=False)
    for p in profiles:
        have = "" if p.collection.is_file() else "  (no collection yet: open the profile in Anki once)"
        out.print(f"{p.name}  {p.collection}{have}", markup=False)


class Progress:
    """A rich progress bar on a terminal, plain lines otherwise (cron logs)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.tty = err.is_terminal
        self.bar: Any = None
        self.task: Any = None
        self.last = 0

    def __call__(self, done: int, total: int) -> None:
        """Show that `done` of `total` notes are read."""
        if self.tty:
            if self.bar is None and total >= 50:
                from rich.progress import Progress as Bar

                self.bar = Bar(console=err, transient=True)
                self.bar.start()
                self.task = self.bar.add_task(self.label, total=total)
            if self.bar is not None:
                self.bar.update(self.task, completed=done)
        elif total >= 500 and (done == total or done - self.last >= max(total // 10, 1)):
            self.last = done
            err.print(f"{self.label}: {done}/{total} notes", markup=False)

    def close(self) -> None:
        """Take the progress bar off the terminal."""
        if self.bar is not None:
            self.bar.stop()
