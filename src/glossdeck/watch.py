"""Watch a vault and rebuild shortly after notes change; a failed rebuild is reported and watching goes on."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .vault import Excludes

# Obsidian saves a note every few seconds while you type: wait for a quiet moment.
DEBOUNCE = 1.5


class _Changes(FileSystemEventHandler):
    """Note when a note, or a folder of notes, changes; the folders a walk skips do not count."""

    def __init__(self, vault: Path, excludes: tuple[str, ...]) -> None:
        self.vault = vault.resolve()
        # As the build's walk: an output folder inside the vault is one of the excludes (Options),
        # so writing the .md deck or the cache there never starts another rebuild, over and over.
        self.skip = Excludes(excludes)
        self.pending = threading.Event()
        self.last = 0.0

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed", "closed_no_write"):
            return
        paths = [p for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        if any(self._matters(str(p), event.is_directory, event.event_type) for p in paths):
            self.last = time.monotonic()
            self.pending.set()

    def _matters(self, path: str, is_dir: bool, kind: str) -> bool:
        try:
            rel = Path(path).resolve().relative_to(self.vault)
        except ValueError:
            return False
        if not rel.parts or self.skip.skips_path(rel.as_posix(), is_dir):
            return False
        if is_dir:
            return kind in ("moved", "deleted")
        return path.lower().endswith(".md")


def watch(
    vault: Path,
    excludes: tuple[str, ...],
    rebuild: Callable[[], None],
    failed: Callable[[BaseException], None],
    debounce: float = DEBOUNCE,
    stop: threading.Event | None = None,
    first: Callable[[], None] | None = None,
) -> None:
    """Call `rebuild` after each burst of note changes until Ctrl-C (or `stop` is set).

    Changes in the folders a build skips (`excludes`, hidden ones) never trigger a rebuild.
    `first` runs once the watch has begun, its errors ending the watch: a note saved while it reads
    the vault is seen by the watch and rebuilt, never missed until the next save.
    """
    handler = _Changes(vault, excludes)
    observer = Observer()
    observer.schedule(handler, str(vault), recursive=True)
    observer.start()
    stop = stop or threading.Event()
    try:
        if first is not None:
            first()
        while not stop.is_set():
            if not handler.pending.wait(0.2):
                continue
            if time.monotonic() - handler.last < debounce:
                time.sleep(0.1)
                continue
            handler.pending.clear()
            try:
                rebuild()
            except Exception as exc:  # a bad note or a full disk must not end the watch
                failed(exc)
    finally:
        observer.stop()
        observer.join(timeout=5)
