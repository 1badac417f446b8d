"""What the commands print: warnings, progress, a build's summary and a sync's list of changes."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from .changes import SyncReport
from .lint import sort_problems
from .model import Entry, Problem
from .pipeline import REMOVED_TAG, Report

if TYPE_CHECKING:
    from .export.collection import PushReport
    from .export.profiles import Profile

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

SHOW = 50
"""Changes listed per kind: a cron log stays readable after a big import."""
LOOKS_FOR = (
    "glossdeck looks for acronyms with their long forms (in footnotes and brackets) and cited dictionary "
    'definitions: see "What is harvested" in its README'
)
_stamp = False


@contextmanager
def timestamps(on: bool) -> Iterator[None]:
    """Start every line printed inside with the date and time when `on` (sync writing to a log)."""
    global _stamp
    _stamp = on
    try:
        yield
    finally:
        _stamp = False


def say(text: str, stderr: bool = False) -> None:
    """Print one line as it is (no markup), to stdout or stderr, with the time in front inside `timestamps`."""
    if _stamp:
        text = time.strftime("%Y-%m-%d %H:%M:%S ") + text
    (err if stderr else out).print(text, markup=False)


def count(n: int, word: str, plural: str | None = None) -> str:
    """Return `1 note`, `2 notes`, `1 entry`, `57 entries`."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


def warn(problems: Iterable[Problem]) -> None:
    """Print each warning to stderr as `path:line: message`, sorted by file and line."""
    for p in sort_problems(problems):
        say(f"{p.path}:{p.line}: {p.message}", stderr=True)


def nothing_found(vault: Path, notes: int, entries: int) -> None:
    """Say so, and what glossdeck looks for, when the vault has no note (a wrong folder?) or gives no entry."""
    if notes == 0:
        say(f"{vault}: no notes (.md files) in this folder; {LOOKS_FOR}", stderr=True)
    elif entries == 0:
        say(f"{vault}: no acronym or cited definition in {count(notes, 'note')}; {LOOKS_FOR}", stderr=True)


def built(report: Report) -> None:
    """Print the files a build wrote or left alone, and its summary line."""
    for path in report.written:
        say(f"wrote {path}")
    for path in report.unchanged:
        say(f"unchanged {path}")
    say(f"{_entries(report.entries, report.notes)}{_warnings(report.problems)}")


def synced(report: SyncReport, vault: Path) -> None:
    """Print what a sync changed: + added, ~ changed (with the fields), - removed (with an Anki search)."""
    if report.nothing_changed:
        say(f"nothing changed ({count(report.notes, 'note')})")
        if report.notes == 0:
            nothing_found(vault, 0, 0)
        return
    warn(report.problems)
    build = report.build
    if build is not None:
        nothing_found(vault, build.notes, build.entries)
    if not (report.added or report.changed or report.removed or (build and (build.written or build.pushed))):
        # notes saved again unedited (--watch sees every save): the deck is the same
        say(f"nothing changed ({count(report.notes, 'note')}, {report.reread} re-read){_warnings(report.problems)}")
        return
    _sync_changes(report)
    for path in build.written if build else ():
        say(f"wrote {path}")
    say(
        f"{len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed; "
        f"{_entries(build.entries if build else 0, report.notes)} ({report.reread} re-read){_warnings(report.problems)}"
    )
    if build is not None and build.pushed is not None:
        _pushed(build.pushed)
    elif report.removed:
        say(f"Anki keeps removed notes: this build tags them {REMOVED_TAG}; search tag:{REMOVED_TAG} "
            "in the Anki browser and delete them.")


def _sync_changes(report: SyncReport) -> None:
    first = report.first_run
    pushing = report.build is not None and report.build.pushed is not None
    hidden = _changes(report.added, report.changed, 0 if first else SHOW)
    for e, search in report.removed:  # always all: the user must find each of them in Anki
        _removed(e.term, e.expansion or "")
        if not pushing:
            say(f"    find it in Anki: {search}")
    if hidden and not first:
        say(f"... and {hidden} more added or changed")


CUT = 80
"""Characters of a definition the harvest table shows."""


def entries_table(entries: tuple[Entry, ...], notes: int) -> Table:
    """Return the harvest table: term, long form or definition (cut ones end in `…`), aliases, first place."""
    table = Table(title=_entries(len(entries), notes))
    for col in ("Term", "Expansion / definition", "Aliases", "Where"):
        table.add_column(col, overflow="fold")
    for e in entries:
        meaning = e.expansion or ""
        if e.definition:
            cite = f" ({e.definition_source})" if e.definition_source else ""
            meaning = (meaning + "\n" if meaning else "") + cut(e.definition, CUT) + cite
        where = f"{e.sources[0].path}:{e.sources[0].line}" if e.sources else ""
        if len(e.sources) > 1:
            where += f" +{len(e.sources) - 1}"
        table.add_row(e.term, meaning, "、".join(e.aliases), where)
    return table


def cut(text: str, limit: int) -> str:
    """Return `text`, or its first `limit` characters ending in `…` to say it goes on."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _entries(entries: int, notes: int) -> str:
    return f"{count(entries, 'entry', 'entries')} from {count(notes, 'note')}"


def _warnings(problems: list[Problem]) -> str:
    return f", {count(len(problems), 'warning')}" if problems else ""


def _changes(added: Sequence[Entry], changed: Sequence[tuple[Entry, tuple[str, ...]]], shown: int) -> int:
    """Print up to `shown` added (+) and changed (~) entries; return how many were left out."""
    for e in added[:shown]:
        say(f"+ {e.term}  {e.expansion or e.definition or ''}".rstrip())
    for e, what in changed[:shown]:
        say(f"~ {e.term}  {e.expansion or ''}".rstrip() + f"  ({', '.join(what)})")
    return max(len(added) - shown, 0) + max(len(changed) - shown, 0)


def _removed(term: str, expansion: str) -> None:
    say(f"- {term}  {expansion}".rstrip())


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
        say(f"... and {hidden} more added or changed")
    for path in build.written:
        say(f"wrote {path}")
    _pushed(push)


def _pushed(push: PushReport) -> None:
    """Print a push's summary line, and what the user should know about the note type."""
    for e in push.foreign:
        say(f"{e.term}  {e.expansion or ''}: a note of another note type holds this card's identity "
                  "(GUID); left alone", stderr=True)
    if push.spared:
        say(f"the vault gave no entries, so {push.spared} notes in Anki were left as they were, not retired "
                  "(is the vault folder empty or not mounted?)", stderr=True)
    if push.created:
        verb = "would add" if push.target.dry_run else "added"
        say(f"{verb} the glossdeck note type to the collection")
    gone = "deleted" if push.target.removed == "delete" else f"retired (suspended, tagged {REMOVED_TAG})"
    counts = f"{len(push.added)} added, {len(push.changed)} changed, {len(push.retired)} {gone}"
    where = f"Anki, {push.target.label}"
    if push.target.dry_run:
        say(f"dry run, nothing written: {where} would get {counts}")
    elif not (push.added or push.changed or push.retired):
        say(f"{where}: up to date ({push.notes} notes; collection open {push.held:.1f} s)")
    else:
        say(f"{where}: {counts}; {push.notes} notes; backup in {push.backup}; "
                  f"collection open {push.held:.1f} s")
    if push.restyled:
        say("the glossdeck note type in Anki looks different from this glossdeck's (edited in Anki, or "
                  "made by another version) and was kept: to take glossdeck's look, import the .apkg once with "
                  "Update note types: Always")


def profiles_found(profiles: Sequence[Profile], searched: Sequence[Path]) -> None:
    """Print each Anki profile with its collection, or where none was found."""
    if not profiles:
        say(f"no Anki profile found (searched {', '.join(map(str, searched))}; ANKI_BASE=FOLDER "
                  "searches another)", stderr=True)
    for p in profiles:
        have = "" if p.collection.is_file() else "  (no collection yet: open the profile in Anki once)"
        say(f"{p.name}  {p.collection}{have}")


class Progress:
    """A rich progress bar on a terminal, plain lines otherwise (cron logs)."""

    def __init__(self, label: str, console: Console | None = None) -> None:
        self.label = label
        self.console = console or err
        self.tty = self.console.is_terminal
        self.bar: Any = None
        self.task: Any = None
        self.last = 0

    def __call__(self, done: int, total: int) -> None:
        """Show that `done` of `total` notes are read."""
        if self.tty:
            if self.bar is None and total >= 50:
                from rich.progress import Progress as Bar

                self.bar = Bar(console=self.console, transient=True)
                self.bar.start()
                self.task = self.bar.add_task(self.label, total=total)
            if self.bar is not None:
                self.bar.update(self.task, completed=done)
        elif total >= 500 and (done == total or done - self.last >= max(total // 10, 1)):
            self.last = done
            say(f"{self.label}: {done}/{total} notes", stderr=True)

    def step(self, label: str) -> None:
        """Show the step after reading (merging, writing) as a busy bar, not a bar sitting at 100%."""
        if self.bar is not None:
            self.bar.remove_task(self.task)
            self.task = self.bar.add_task(label, total=None)

    def close(self) -> None:
        """Take the progress bar off the terminal."""
        if self.bar is not None:
            self.bar.stop()
