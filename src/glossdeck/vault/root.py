"""Which Obsidian vault a folder belongs to: the nearest folder at or above it holding `.obsidian/`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class VaultRoot:
    """The Obsidian vault a folder of notes lies in, as obsidian:// links name it."""

    path: Path
    """The vault's own folder: the one holding `.obsidian/`, else the folder given."""
    prefix: str
    """The folder given, relative to the vault's folder, with `/` and a trailing `/` ("" when the same)."""
    name: str
    """The vault's name: its folder's name, unless one was given."""


def vault_root(folder: Path, name: str | None = None) -> VaultRoot:
    """Return the vault holding `folder`; a folder with no `.obsidian/` at or above it is its own vault.

    Obsidian names a vault after its folder and opens a note by its path from that folder, so a build
    of one subfolder (`glossdeck build vault/白書`) must link `vault=vault&file=白書/note`.
    """
    here = folder.resolve()
    root = next((p for p in (here, *here.parents) if _holds_settings(p)), here)
    rel = here.relative_to(root).as_posix()
    prefix = "" if rel in ("", ".") else rel + "/"
    return VaultRoot(root, prefix, name or root.name or "glossdeck")


def _holds_settings(folder: Path) -> bool:
    try:
        return (folder / ".obsidian").is_dir()
    except OSError:  # a folder above that we may not look into is not the vault
        return False
