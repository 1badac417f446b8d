"""Find a vault's notes: every `.md` file but the excluded and hidden ones, in a stable order."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import GlossdeckError
from ..model import Problem

DEFAULT_EXCLUDES = (".obsidian", ".trash")


@dataclass(frozen=True, slots=True)
class NoteFile:
    """A Markdown file found in the vault."""

    path: Path
    rel: str
    """Path relative to the vault, with `/` separators."""


def check_vault(vault: Path) -> None:
    """Stop with a clear message when the vault folder is not there."""
    if not vault.exists():
        raise GlossdeckError(f"{vault}: no such folder")
    if not vault.is_dir():
        raise GlossdeckError(f"{vault}: not a folder (give the vault's folder)")


def walk(
    vault: Path, excludes: Iterable[str] = DEFAULT_EXCLUDES, problems: list[Problem] | None = None
) -> list[NoteFile]:
    """Return every `.md` file under `vault`, skipping excluded and hidden folders, in a stable order.

    Hidden files and folders (`.obsidian`, `.trash`, `.stversions`, `.git`) are skipped as Obsidian
    skips them. Symlinked folders are followed as Obsidian follows them, each real folder once: a
    link back to a folder above it (a loop) or to a folder already read is reported and not
    followed again. A folder that cannot be read, or a file name that is not UTF-8, is reported
    into `problems` when a list is given.
    """
    skip = Excludes(excludes)
    found: list[NoteFile] = []
    report: Callable[[Problem], None] = problems.append if problems is not None else (lambda p: None)

    def unreadable(exc: OSError) -> None:
        rel = _shown(Path(exc.filename or vault), vault)
        report(Problem("unreadable-note", rel, 1, f"cannot read folder: {exc.strerror}"))

    seen = _own_folders(vault, skip)
    for root, dirs, files in os.walk(vault, onerror=unreadable, followlinks=True):
        rel_root = Path(root).relative_to(vault).as_posix()
        dirs[:] = [
            d for d in sorted(dirs)
            if not skip.skips(rel_root, d) and _first_visit(Path(root) / d, _join(rel_root, d), seen, report, vault)
        ]
        for name in sorted(files):
            if name.lower().endswith(".md") and not name.startswith("."):
                note = _note_file(Path(root) / name, _join(rel_root, name), vault, report)
                if note is not None:
                    found.append(note)
    found.sort(key=lambda f: f.rel)
    return found


class Excludes:
    """The folders a walk skips: hidden ones, and each exclude as a folder name anywhere or a path from the top."""

    def __init__(self, excludes: Iterable[str]) -> None:
        self._skip = {e.strip("/") for e in excludes}

    def skips(self, parent: str, name: str) -> bool:
        """Tell whether the folder `name` inside the folder `parent` (relative to the vault) is skipped."""
        return name.startswith(".") or name in self._skip or _join(parent, name) in self._skip

    def skips_any(self, folders: Sequence[str]) -> bool:
        """Tell whether a walk skips any folder of a path (its folder names from the vault's top down)."""
        return any(self.skips("/".join(folders[:i]), name) for i, name in enumerate(folders))


def _own_folders(vault: Path, skip: Excludes) -> dict[tuple[int, int], str]:
    """Return (device, inode) -> relative path of the vault's own folders (symlinks not followed)."""
    # The vault's own folders come first, so a symlink to one of them is the copy that is skipped.
    seen: dict[tuple[int, int], str] = {}
    for root, dirs, _ in os.walk(vault):
        rel_root = Path(root).relative_to(vault).as_posix()
        dirs[:] = sorted(d for d in dirs if not skip.skips(rel_root, d))
        try:
            st = os.stat(root)
        except OSError:
            continue
        seen.setdefault((st.st_dev, st.st_ino), rel_root)
    return seen


def _note_file(path: Path, rel: str, vault: Path, report: Callable[[Problem], None]) -> NoteFile | None:
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        # the name's bytes are not UTF-8: no link, tag or CSV cell could name this note
        report(Problem("unreadable-note", _shown(path, vault), 1, "file name is not UTF-8: skipped"))
        return None
    return NoteFile(path, rel)


def _first_visit(
    path: Path, rel: str, seen: dict[tuple[int, int], str], report: Callable[[Problem], None], vault: Path
) -> bool:
    """Tell whether a folder is to be read here; report a symlink that leads to a folder read elsewhere."""
    try:
        st = os.stat(path)
    except OSError:
        return True  # os.walk reports what it cannot read
    first = seen.setdefault((st.st_dev, st.st_ino), rel)
    if first == rel:
        return True
    if rel.startswith(first + "/") or first == ".":
        why = f"symlink loop: leads back to {'the vault' if first == '.' else first}, not followed"
    else:
        why = f"same folder as {first} (a symlink): its notes are read once, there"
    report(Problem("unreadable-note", _shown(path, vault), 1, why))
    return False


def _shown(path: Path, vault: Path) -> str:
    try:
        rel = path.relative_to(vault).as_posix()
    except ValueError:
        rel = path.as_posix()
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _join(root: str, name: str) -> str:
    return name if root in ("", ".") else f"{root}/{name}"
