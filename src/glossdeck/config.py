"""glossdeck.toml -> Config (tomllib): every value checked before anything is written."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import corrections
from .atomic import check_deck_name
from .corrections import Corrections
from .errors import GlossdeckError
from .export.anki import AnkiOptions
from .export.lang import LANGS
from .export.profiles import PushSettings, check_table
from .pipeline import Options
from .vault import DEFAULT_EXCLUDES, default_excludes
from .writing import DEFAULT_FORMATS, FORMATS

CONFIG_NAME = "glossdeck.toml"


@dataclass(frozen=True, slots=True)
class Config:
    """The settings of `glossdeck sync`, paths already resolved against the config's folder."""

    path: Path
    vault: Path
    out: Path
    deck: str | None = None
    formats: tuple[str, ...] = DEFAULT_FORMATS
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    reverse: bool = False
    tag_folders: bool = False
    subdecks: bool = False
    lang: str | None = None
    push: PushSettings | None = None
    """The [anki] table: sync also pushes into this Anki collection."""
    vault_name: str | None = None
    corrections: Corrections = Corrections()

    def options(self) -> Options:
        """Return the build options this config describes."""
        return Options(
            vault=self.vault,
            out=self.out,
            deck=self.deck,
            formats=self.formats,
            excludes=self.exclude,
            anki=AnkiOptions(
                reverse=self.reverse, tag_folders=self.tag_folders, subdecks=self.subdecks, lang=self.lang
            ),
            vault_name=self.vault_name,
            corrections=self.corrections,
        )


class ConfigError(GlossdeckError):
    """A bad glossdeck.toml: named by file, line and key."""


def load(path: Path) -> Config:
    """Read and check a glossdeck.toml; raise ConfigError naming the bad key."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file (write one with `glossdeck init VAULT`)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    if text.startswith("\ufeff"):
        raise ConfigError(f"{path}:1: starts with a byte order mark (BOM), which TOML does not allow: "
                          "save the file as UTF-8 without BOM")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}:{_error_line(exc)}: invalid TOML: {exc}{_hint(text, exc)}") from None
    return _check(data, text, path)


_WINDOWS_PATHS = "write Windows paths in single quotes ('C:\\Users\\me\\vault') or with / (\"C:/Users/me/vault\")"


def _error_line(exc: tomllib.TOMLDecodeError) -> int:
    found = re.search(r"at line (\d+)", str(exc))
    return int(found.group(1)) if found else 1


def _hint(text: str, exc: tomllib.TOMLDecodeError) -> str:
    """Return a hint for the usual mistake behind a TOML error: a Windows path in double quotes."""
    lines = text.splitlines()
    line = lines[_error_line(exc) - 1] if _error_line(exc) <= len(lines) else ""
    if "\\" in line and '"' in line:
        return f" (in double quotes a backslash starts an escape such as \\n: {_WINDOWS_PATHS})"
    return ""


_KEYS = (
    "vault", "out", "deck", "formats", "exclude", "reverse", "tag_folders", "subdecks", "lang", "vault_name",
    "ignore", "override", "anki",
)


def _check(data: dict[str, Any], text: str, path: Path) -> Config:
    check = _Checker(data, text, path)
    for key in data:
        if key not in _KEYS:
            raise check.bad(key, f"unknown setting (known: {', '.join(_KEYS)})")
    if "vault" not in data:
        raise ConfigError(f"{path}: vault: missing (the vault folder, e.g. vault = \".\")")
    vault = check.folder("vault", None)
    if not vault.is_dir():
        raise check.bad("vault", f"{vault} is not a folder")
    out = check.folder("out", "decks")
    if out.exists() and not out.is_dir():
        raise check.bad("out", f"{out} is a file, not a folder")
    fixes = corrections.read(data, text, str(path), lambda line, key, why: ConfigError(f"{path}:{line}: {key}: {why}"))
    return Config(
        path=path, vault=vault, out=out, deck=check.deck(), formats=check.formats(),
        exclude=check.exclude(vault), reverse=check.flag("reverse"), tag_folders=check.flag("tag_folders"),
        subdecks=check.flag("subdecks"), lang=check.lang(), vault_name=check.name("vault_name"), corrections=fixes,
        push=check.push(),
    )


class _Checker:
    """Read one value of a parsed glossdeck.toml each, or raise ConfigError naming its line and key."""

    def __init__(self, data: dict[str, Any], text: str, path: Path) -> None:
        self.data, self.text, self.path = data, text, path

    def bad(self, key: str, why: str) -> ConfigError:
        """Return the error for a bad value, with its file, line and key."""
        return ConfigError(f"{self.path}:{_line(self.text, key)}: {key}: {why}")

    def folder(self, key: str, default: str | None) -> Path:
        """Return a folder path, resolved against the config's folder."""
        value = self.data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise self.bad(key, "must be a folder path in quotes, e.g. \"notes\"")
        if any(ch < " " for ch in value):  # "D:\notes" reads as D:, a line break, otes
            raise self.bad(key, f"{value!r} holds a line break or tab: in double quotes a backslash starts an "
                                f"escape; {_WINDOWS_PATHS}")
        return (self.path.resolve().parent / Path(value).expanduser()).resolve()

    def name(self, key: str) -> str | None:
        """Return an optional name in quotes."""
        value = self.data.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise self.bad(key, "must be a name in quotes")
        return value.strip() if value else None

    def deck(self) -> str | None:
        """Return the deck name, or None for the vault folder's name."""
        deck = self.data.get("deck")
        if deck is None:
            return None
        if not isinstance(deck, str) or not deck.strip():
            raise self.bad("deck", "must be a deck name in quotes")
        try:
            check_deck_name(deck)
        except GlossdeckError as exc:
            raise self.bad("deck", str(exc).split(";")[0]) from None
        return deck.strip()

    def formats(self) -> tuple[str, ...]:
        """Return the output formats, each once."""
        formats = self.data.get("formats", list(DEFAULT_FORMATS))
        if isinstance(formats, str):
            formats = [f.strip() for f in formats.split(",")]
        choose = f"choose from {', '.join(FORMATS)}"
        if not isinstance(formats, list) or not formats or not all(isinstance(f, str) for f in formats):
            raise self.bad("formats", f"must be a list such as [\"apkg\", \"csv\"]; {choose}")
        unknown = [f for f in formats if f not in FORMATS]
        if unknown:
            raise self.bad("formats", f"unknown format {', '.join(map(repr, unknown))}; {choose}")
        return tuple(dict.fromkeys(formats))

    def exclude(self, vault: Path) -> tuple[str, ...]:
        """Return the excluded paths (the defaults for this vault when not set)."""
        exclude = self.data.get("exclude")
        if exclude is None:
            return default_excludes(vault)
        if not isinstance(exclude, list) or not all(isinstance(e, str) and e.strip() for e in exclude):
            raise self.bad(
                "exclude", "must be a list of paths from the vault's root, e.g. [\".obsidian\", \"Templates\"]"
            )
        return tuple(exclude)

    def flag(self, key: str) -> bool:
        """Return a true/false setting (false when not set)."""
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise self.bad(key, "must be true or false (no quotes)")
        return value

    def lang(self) -> str | None:
        """Return the card language, or None to follow the vault's."""
        value = self.data.get("lang")
        if value is not None and value not in LANGS:
            raise self.bad("lang", f"must be {' or '.join(map(toml_str, LANGS))}")
        return value if value is None else str(value)

    def push(self) -> PushSettings | None:
        """Return the [anki] table's settings, or None without one (sync then writes files only)."""
        if "anki" not in self.data:
            return None

        def bad(key: str, why: str) -> ConfigError:
            name = key if key == "anki" else f"anki.{key}"
            return ConfigError(f"{self.path}:{_line(self.text, key)}: {name}: {why}")

        return check_table(self.data["anki"], bad, self.path.resolve().parent)


def _line(text: str, key: str) -> int:
    match = re.search(rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*=", text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def for_vault(vault: Path, path: Path | None = None) -> Config | None:
    """Return the config build, harvest and lint take corrections from: `path`, else ./glossdeck.toml if VAULT's.

    A glossdeck.toml in the current folder that names another vault, or that is not TOML, is not theirs.
    """
    if path is not None:
        return load(path)
    here = Path(CONFIG_NAME)
    try:
        named = tomllib.loads(here.read_text(encoding="utf-8")).get("vault")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    if not isinstance(named, str) or (here.resolve().parent / Path(named).expanduser()).resolve() != vault.resolve():
        return None
    return load(here)


def toml_str(value: str) -> str:
    """Return `value` as a TOML basic string."""
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
