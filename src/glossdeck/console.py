"""What the commands print: warnings, progress, a build's summary and a sync's list of changes."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rich.console import Console

from .lint import sort_problems
from .model import Problem
from .pipeline import REMOVED_TAG, Report
from .sync import SyncReport

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
    shown = 0 if first else SHOW
    for e in report.added[:shown]:
        out.print(f"+ {e.term}  {e.expansion or e.definition or ''}".rstrip(), markup=False)
    for e, what in report.changed[:shown]:
        out.print(f"~ {e.term}  {e.expansion or ''}".rstrip() + f"  ({', '.join(what)})", markup=False)
    for e, search in report.removed:  # always all: the user must find each of them in Anki
        out.print(f"- {e.term}  {e.expansion or ''}".rstrip(), markup=False)
        out.print(f"    find it in Anki: {search}", markup=False)
    hidden = max(len(report.added) - shown, 0) + max(len(report.changed) - shown, 0)
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
    if report.removed:
        out.print(
            f"Anki keeps removed notes: this build tags them {REMOVED_TAG}; search tag:{REMOVED_TAG} "
            "in the Anki browser and delete them.",
            markup=False,
        )


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
