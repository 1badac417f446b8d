"""Helpers for the push tests: a project (vault + glossdeck.toml) pushing into a real Anki collection."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anki.collection import Collection

from anki_support import VAULT, write_fixture
from glossdeck.export.notetype import MODEL_ID

DECK = "用語集"
SUSPENDED = -1  # a card's queue when suspended (anki.consts.QUEUE_TYPE_SUSPENDED)


@dataclass
class Project:
    """A vault, its glossdeck.toml and the collection it pushes into."""

    folder: Path
    vault: Path
    collection: Path
    config: Path

    @property
    def decks(self) -> Path:
        """Return the output folder of the config."""
        return self.folder / "decks"

    def write_config(self, anki: str | None = None, deck: str = DECK, extra: str = "") -> None:
        """Write glossdeck.toml; `anki` is the body of its [anki] table (None: no table)."""
        text = f'vault = "{self.vault}"\nout = "decks"\ndeck = "{deck}"\n{extra}'
        if anki is not None:
            text += f"\n[anki]\n{anki}\n"
        self.config.write_text(text, encoding="utf-8")

    @contextmanager
    def open(self) -> Iterator[Collection]:
        """Open the collection as Anki would (glossdeck must not be pushing meanwhile)."""
        col = Collection(str(self.collection))
        try:
            yield col
        finally:
            col.close()

    def digest(self) -> str:
        """Return a hash of the collection file: equal means not one byte written."""
        return hashlib.sha256(self.collection.read_bytes()).hexdigest()


def new_collection(path: Path) -> Path:
    """Create an empty Anki collection (as a new Anki profile has) and close it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Collection(str(path)).close()
    return path


def make_project(
    make_vault: Callable[..., Path], folder: Path, notes: dict[str, str] | None = None,
    collection: Path | None = None,
) -> Project:
    """Write a vault and a glossdeck.toml whose [anki] table names a fresh collection."""
    folder.mkdir(parents=True, exist_ok=True)
    vault = write_fixture(make_vault, notes or VAULT)
    col = collection or new_collection(folder / "Anki2" / "User 1" / "collection.anki2")
    project = Project(folder, vault, col, folder / "glossdeck.toml")
    project.write_config(f'collection = "{col}"')
    return project


def note_rows(col: Collection, glossdeck: bool) -> list[tuple]:
    """Return every note (and its cards) of glossdeck's note type, or of every other one, as plain rows."""
    op = "=" if glossdeck else "!="
    db = col.db
    notes = db.all(f"select id, guid, mid, mod, usn, tags, flds from notes where mid {op} ? order by id", MODEL_ID)
    cards = db.all(
        "select c.id, c.nid, c.did, c.ord, c.mod, c.usn, c.type, c.queue, c.due, c.ivl, c.factor, c.reps "
        f"from cards c join notes n on n.id = c.nid where n.mid {op} ? order by c.id",
        MODEL_ID,
    )
    return [tuple(r) for r in notes + cards]


def backups(project: Project) -> list[str]:
    """Return the backup files Anki's backup mechanism left beside the collection."""
    folder = project.collection.parent / "backups"
    return sorted(os.listdir(folder)) if folder.is_dir() else []


@contextmanager
def restored(backup: Path, folder: Path) -> Iterator[Collection]:
    """Open the collection a .colpkg backup holds, restored into `folder` as Anki's Restore does."""
    from anki._backend import RustBackend

    folder.mkdir(parents=True)
    RustBackend().import_collection_package(
        col_path=str(folder / "collection.anki2"), backup_path=str(backup),
        media_folder=str(folder / "media"), media_db=str(folder / "media.db"),
    )
    col = Collection(str(folder / "collection.anki2"))
    try:
        yield col
    finally:
        col.close()


def remove_note(vault: Path, rel: str) -> str:
    """Delete a note from the vault; return its text so it can be brought back."""
    path = vault / rel
    text = path.read_text(encoding="utf-8")
    path.unlink()
    return text


def push(cli: Callable[..., Any], project: Project, *args: object) -> Any:
    """Run `glossdeck push` with the project's config; return the click Result."""
    return cli("push", "--config", project.config, *args)
