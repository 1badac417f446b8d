"""Find a vault's notes: every `.md` file but the excluded and hidden ones, in a stable order."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
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
        base = Path(root)  # once a folder: parsing a path string per note was a fifth of a quiet sync
        rel_root = base.relative_to(vault).as_posix()
        kept = [(d, _join(rel_root, d)) for d in sorted(dirs)]
        dirs[:] = [d for d, rel in kept if not skip.skips(rel) and _first_visit(base / d, rel, seen, report, vault)]
        for name in sorted(files):
            rel = _join(rel_root, name)
            if name.lower().endswith(".md") and not skip.skips(rel, is_dir=False):
                note = _note_file(base / name, rel, vault, report)
                if note is not None:
                    found.append(note)
    found.sort(key=lambda f: f.rel)
    return found


class Excludes:
    """What a walk skips: hidden files and folders, and each exclude, a path from the vault's root.

    `Templates` is the vault's top folder `Templates/` only, never `Work/Templates/`. An exclude
    holding a glob is a gitignore-style pattern, anchored at the root as well: `*` and `?` never
    match a `/`, `[…]` is a set, `**` any number of folders (`**/drafts`: every folder `drafts`,
    `Archive/**/*.md`). A trailing `/` matches folders only; a `\\` makes the next character plain.
    A folder skipped skips everything in it. This is the one place that decides (walk, watch).
    """

    def __init__(self, excludes: Iterable[str]) -> None:
        self._rules = [rule for e in excludes if (rule := _rule(e)) is not None]

    def skips(self, rel: str, is_dir: bool = True) -> bool:
        """Tell whether the folder (or file) at `rel`, from the vault's root with `/`, is skipped itself."""
        if rel.rpartition("/")[2].startswith("."):
            return True
        return any((is_dir or not dir_only) and rx.fullmatch(rel) for rx, dir_only in self._rules)

    def skips_path(self, rel: str, is_dir: bool = False) -> bool:
        """Tell whether `rel` is skipped, itself or because a folder it is in is."""
        parts = rel.split("/")
        folders = ("/".join(parts[:i]) for i in range(1, len(parts)))
        return any(self.skips(f) for f in folders) or self.skips(rel, is_dir)


def literal(path: str) -> str:
    """Return an exclude that matches exactly `path` (its glob characters made plain)."""
    return re.sub(r"([\\*?\[])", r"\\\1", path)


def default_excludes(vault: Path) -> tuple[str, ...]:
    """Return `.obsidian`, `.trash` and the folder Obsidian's Templates plugin takes templates from.

    Templates hold placeholders, not definitions. A damaged or odd `.obsidian/templates.json` (not a
    regular file, not JSON, nested without end) just gives no templates folder.
    """
    from .files import read_regular
    from .root import vault_root

    found = list(DEFAULT_EXCLUDES)
    # A subfolder of a vault (`build vault/白書`) reads the vault's settings; the templates folder,
    # a path from the vault's folder, is excluded only when it lies inside the subfolder.
    root = vault_root(vault)
    try:
        data = json.loads(read_regular(root.path / ".obsidian" / "templates.json", 1 << 20))
    except (OSError, ValueError, RecursionError):
        return tuple(found)
    folder = data.get("folder") if isinstance(data, dict) else None
    if not isinstance(folder, str) or not folder.strip("/ "):
        return tuple(found)
    inside = folder.strip("/ ") + "/"
    if inside.startswith(root.prefix) and inside != root.prefix:
        found.append(literal(inside[len(root.prefix):-1]))
    return tuple(found)


def vault_excludes(vault: Path, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """Return the default excludes of `vault` followed by `extra` (each command's --exclude)."""
    return (*default_excludes(vault), *extra)


def _rule(text: str) -> tuple[re.Pattern[str], bool] | None:
    pattern = text.strip()
    dir_only = pattern.endswith("/") and not pattern.endswith("\\/")
    pattern = pattern.strip("/")
    while pattern.startswith("./"):
        pattern = pattern[2:].lstrip("/")
    if not pattern or pattern == ".":
        return None
    out, i = [], 0
    while i < len(pattern):
        piece, i = _token(pattern, i)
        out.append(piece)
    return re.compile("".join(out)), dir_only


def _token(pattern: str, i: int) -> tuple[str, int]:
    """Return the regex of the pattern's piece at `i` and where the next piece starts."""
    c = pattern[i]
    if c == "\\" and i + 1 < len(pattern):
        return re.escape(pattern[i + 1]), i + 2
    if c == "?":
        return "[^/]", i + 1
    if c == "[":
        return _char_set(pattern, i)
    if c != "*":
        return re.escape(c), i + 1
    if not pattern.startswith("**", i):
        return "[^/]*", i + 1
    end = i + 2
    if i == 0 or pattern[i - 1] == "/":
        if pattern.startswith("/", end):
            return "(?:.*/)?", end + 1  # `**/`: no folder or any number of them
        if end == len(pattern):
            return ".*", end  # a trailing `/**`: everything inside
    return "[^/]*", end  # any other `**` is a plain `*`, as in gitignore


def _char_set(pattern: str, i: int) -> tuple[str, int]:
    """Return the regex of a `[…]` set at `i` (`[!…]` negated); an unclosed `[` is a plain one."""
    j = i + 1
    if pattern[j:j + 1] in ("!", "^"):
        j += 1
    end = pattern.find("]", j + 1)
    if end < 0:
        return re.escape("["), i + 1
    body = pattern[j:end].replace("\\", "\\\\").replace("[", "\\[")
    negated = j > i + 1
    return f"(?!/)[{'^' if negated else ''}{body}]", end + 1


def _own_folders(vault: Path, skip: Excludes) -> dict[tuple[int, int], str]:
    """Return (device, inode) -> relative path of the vault's own folders (symlinks not followed)."""
    # The vault's own folders come first, so a symlink to one of them is the copy that is skipped.
    seen: dict[tuple[int, int], str] = {}
    for root, dirs, _ in os.walk(vault):
        rel_root = Path(root).relative_to(vault).as_posix()
        dirs[:] = sorted(d for d in dirs if not skip.skips(_join(rel_root, d)))
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
