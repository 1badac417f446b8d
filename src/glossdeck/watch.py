"""Watch a vault and rebuild shortly after notes change; a failed rebuild is reported and watching goes on."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

# Obsidian saves a note every few seconds while you type: wait for a quiet moment.
DEBOUNCE = 1.5


class _Changes(FileSystemEventHandler):
    def __init__(self, vault: Path, excludes: tuple[str, ...], out: Path | None = None) -> None:
        self.vault = vault.resolve()
        self.skip = {e.strip("/") for e in excludes}
        # Our own outputs (an out folder inside the vault: the .md deck, the cache) are not notes:
        # writing them must not start another rebuild, over and over.
        self.out = out.resolve() if out is not None else None
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
        resolved = Path(path).resolve()
        if self.out is not None and resolved.is_relative_to(self.out):
            return False
        try:
            rel = resolved.relative_to(self.vault)
        except ValueError:
            return False
        parts = rel.parts
        folders = parts[:-1] or parts
        if any(p in self.skip or p.startswith(".") for p in folders):
            return False
        # As vault.walk: an exclude is a folder name anywhere, or a folder path from the vault's top.
        if any("/".join(folders[:i]) in self.skip for i in range(2, len(folders) + 1)):
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
    out: Path | None = None,
) -> None:
    """Call `rebuild` after each burst of note changes until Ctrl-C (or `stop` is set).

    Changes under `out` (the output folder, when it lies inside the vault) never trigger a rebuild.
    """
    handler = _Changes(vault, excludes, out)
    observer = Observer()
    observer.schedule(handler, str(vault), recursive=True)
    observer.start()
    stop = stop or threading.Event()
    try:
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
