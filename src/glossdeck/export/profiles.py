"""Which Anki collection a push writes: the `[anki]` table, Anki's profile folders, --profile and --collection.

Anki keeps each profile in a folder of its base folder (`<base>/<profile>/collection.anki2`) and lists
the profiles in `<base>/prefs21.db`. Nothing here needs the `anki` package.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import GlossdeckError

COLLECTION_FILE = "collection.anki2"
REMOVED_POLICIES = ("suspend", "delete")
FLATPAK = Path(".var/app/net.ankiweb.Anki/data/Anki2")


@dataclass(frozen=True, slots=True)
class PushSettings:
    """The `[anki]` table of glossdeck.toml: which collection, and what retiring an entry means."""

    profile: str | None = None
    collection: Path | None = None
    """Resolved against the config's folder."""
    removed: str = "suspend"
    """"suspend" (suspend the cards, tag the note glossdeck::removed) or "delete"."""


@dataclass(frozen=True, slots=True)
class Target:
    """A push's collection, found and checked, and how this run pushes into it."""

    collection: Path
    removed: str = "suspend"
    profile: str | None = None
    """The profile's name, when the collection was chosen by profile (for messages)."""
    every_run: bool = False
    """Push even when the vault did not change (`glossdeck push`); `sync` pushes only when it did."""
    dry_run: bool = False

    @property
    def backups(self) -> Path:
        """Return the folder Anki keeps this collection's backups in (`<profile>/backups`)."""
        return self.collection.parent / "backups"

    @property
    def label(self) -> str:
        """Return how messages name the collection: its profile, or its path."""
        return f"profile {self.profile!r}" if self.profile else str(self.collection)

    def fingerprint(self) -> str:
        """Return what, changed, makes the next sync push even though the vault did not change."""
        return repr((str(self.collection), self.removed))


@dataclass(frozen=True, slots=True)
class Profile:
    """One Anki profile found on this machine."""

    name: str
    base: Path

    @property
    def collection(self) -> Path:
        """Return the profile's collection file."""
        return self.base / self.name / COLLECTION_FILE


def bases(
    env: Mapping[str, str] | None = None, home: Path | None = None, platform: str | None = None
) -> list[Path]:
    """Return the folders Anki keeps its profiles in on this machine, in the order they are searched.

    ANKI_BASE (what Anki's own `-b` sets) wins; else the platform's data folder, and on Linux the
    Flatpak's too.
    """
    env = os.environ if env is None else env
    home = Path.home() if home is None else home
    platform = sys.platform if platform is None else platform
    if env.get("ANKI_BASE"):
        return [Path(env["ANKI_BASE"]).expanduser()]
    if platform.startswith("win"):
        return [Path(env.get("APPDATA") or home / "AppData" / "Roaming") / "Anki2"]
    if platform == "darwin":
        return [home / "Library" / "Application Support" / "Anki2"]
    data = env.get("XDG_DATA_HOME") or ""
    native = Path(data) if Path(data).is_absolute() else home / ".local" / "share"
    return [native / "Anki2", home / FLATPAK]


def profiles(base: Path) -> list[Profile]:
    """Return the profiles of one base folder: those prefs21.db lists and those with a collection."""
    names = set(_listed(base / "prefs21.db"))
    try:
        names.update(p.parent.name for p in base.glob(f"*/{COLLECTION_FILE}"))
    except OSError:
        pass
    return [Profile(name, base) for name in sorted(names)]


def _listed(prefs: Path) -> list[str]:
    if not prefs.is_file():
        return []
    try:
        # read-only, never waiting: Anki may have it open
        with sqlite3.connect(f"{prefs.as_uri()}?mode=ro", uri=True, timeout=0.5) as db:
            rows = db.execute("select name from profiles").fetchall()
    except sqlite3.Error:
        return []
    return [str(name) for (name,) in rows if isinstance(name, str) and name != "_global"]


def found(search: list[Path] | None = None) -> list[Profile]:
    """Return every profile of every base folder that exists."""
    return [p for base in (bases() if search is None else search) for p in profiles(base)]


def target(
    settings: PushSettings | None, profile: str | None = None, collection: Path | None = None,
    every_run: bool = False, dry_run: bool = False,
) -> Target:
    """Return the collection to push into: --collection, --profile, the `[anki]` table, or the only profile.

    Checks first that the `anki` package is there: a push without it must stop before anything is written.
    """
    from .collection import require_anki

    require_anki()
    settings = settings or PushSettings()
    if collection is not None or (profile is None and settings.collection is not None):
        path = _collection_file(Path(collection or settings.collection or "").expanduser())
        return Target(path, settings.removed, None, every_run, dry_run)
    chosen = _profile(profile or settings.profile)
    if not chosen.collection.is_file():
        raise GlossdeckError(
            f"Anki profile {chosen.name!r} has no collection yet ({chosen.collection}): "
            "open the profile in Anki once, then push again"
        )
    return Target(chosen.collection, settings.removed, chosen.name, every_run, dry_run)


def _collection_file(path: Path) -> Path:
    path = path / COLLECTION_FILE if path.is_dir() else path
    if not path.is_file():
        # Anki would create an empty collection at a mistyped path: never push into one
        raise GlossdeckError(f"{path}: no Anki collection there (give the path of a collection.anki2)")
    return path.resolve()


def _profile(name: str | None) -> Profile:
    every = found()
    searched = ", ".join(str(b) for b in bases())
    if name is None:
        if len({p.name for p in every}) == 1:
            return every[0]
        if not every:
            raise GlossdeckError(f"no Anki profile found (searched {searched}); set collection = \"…\" under [anki]")
        raise GlossdeckError(
            f"which Anki profile? found {_names(every)}: set profile = \"NAME\" under [anki], or pass --profile"
        )
    for p in every:
        if p.name == name:
            return p
    known = f"profiles found: {_names(every)}" if every else f"no profile found (searched {searched})"
    raise GlossdeckError(f"no Anki profile {name!r}; {known}")


def _names(every: list[Profile]) -> str:
    return ", ".join(repr(n) for n in dict.fromkeys(p.name for p in every))


def check_table(value: Any, bad: Callable[[str, str], GlossdeckError], folder: Path) -> PushSettings:
    """Return the `[anki]` table's settings, or raise bad(key, why) for the first bad value."""
    if not isinstance(value, dict):
        raise bad("anki", "must be a table: a line [anki], then profile = \"User 1\" below it")
    known = ("profile", "collection", "removed")
    for key in value:
        if key not in known:
            raise bad(key, f"unknown setting under [anki] (known: {', '.join(known)})")
    for key in ("profile", "collection"):
        if key in value and (not isinstance(value[key], str) or not value[key].strip()):
            raise bad(key, "must be text in quotes, e.g. profile = \"User 1\"")
    if "profile" in value and "collection" in value:
        raise bad("collection", "give profile or collection under [anki], not both")
    removed = value.get("removed", "suspend")
    if removed not in REMOVED_POLICIES:
        raise bad("removed", "must be \"suspend\" or \"delete\"")
    path = value.get("collection")
    return PushSettings(
        profile=value.get("profile"),
        collection=(folder / Path(path).expanduser()).resolve() if path else None,
        removed=removed,
    )
