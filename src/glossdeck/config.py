"""glossdeck.toml -> Config (tomllib): every value checked before anything is written."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .atomic import check_deck_name, shown_name
from .errors import GlossdeckError
from .export.anki import AnkiOptions
from .export.lang import LANGS
from .pipeline import DEFAULT_FORMATS, FORMATS, Options
from .vault import DEFAULT_EXCLUDES, default_excludes

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
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    return _check(data, text, path)


_KEYS = ("vault", "out", "deck", "formats", "exclude", "reverse", "tag_folders", "subdecks", "lang")


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
    return Config(
        path=path, vault=vault, out=check.folder("out", "decks"), deck=check.deck(), formats=check.formats(),
        exclude=check.exclude(vault), reverse=check.flag("reverse"), tag_folders=check.flag("tag_folders"),
        subdecks=check.flag("subdecks"), lang=check.lang(),
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
        return (self.path.resolve().parent / Path(value).expanduser()).resolve()

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
            raise self.bad("lang", f"must be {' or '.join(map(_toml_str, LANGS))}")
        return value if value is None else str(value)


def _line(text: str, key: str) -> int:
    match = re.search(rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*=", text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else 1


TEMPLATE = """\
# glossdeck.toml: settings for `glossdeck sync` (run it by hand, from cron, or with --watch).
# Relative paths are relative to the folder of this file.

# The Obsidian vault to harvest.
vault = {vault}

# Where the decks are written (a hidden .glossdeck-cache folder goes there too).
out = {out}

# Deck name in Anki; without it, the vault folder's name is used.
{deck}

# Outputs, any of: apkg (Anki package), csv (spreadsheet), anki-csv (Anki's CSV import),
# json (the entry array), md (a Markdown glossary).
formats = ["apkg", "csv"]

# Paths from the vault's root that are never read: Obsidian's settings, its trash and the
# templates folder (templates hold placeholders, not definitions). `Templates` is only the top
# folder of that name; a path with a glob is a gitignore-style pattern ("**/drafts" is every one).
exclude = {exclude}

# Also make a meaning -> term card for every entry.
reverse = false

# Tag each card with the folder path of its notes (folder::sub::folder).
tag_folders = false

# Put each top-level folder's entries in a subdeck (Deck::Folder).
subdecks = false

# Language of the card labels and the Markdown glossary, "ja" or "en"; without it, the one most of
# the harvested text is written in.
# lang = "ja"
"""


def template(vault: Path, here: Path) -> str:
    """Return a commented glossdeck.toml for `vault`, with paths relative to `here`."""
    vault_abs = vault.resolve()
    try:
        rel = vault_abs.relative_to(here.resolve()).as_posix() or "."
    except ValueError:
        rel = vault_abs.as_posix()
    if shown_name(rel) != rel:
        raise ConfigError(
            f"{shown_name(rel)}: a folder name that is not UTF-8 cannot be written into glossdeck.toml; "
            "rename the folder, or give a link to it with a UTF-8 name (ln -s)"
        )
    excludes = ", ".join(_toml_str(e) for e in default_excludes(vault_abs))
    name = vault_abs.name or "glossdeck"
    # A folder name that is not UTF-8 cannot name the deck (sync would stop): name it here instead.
    deck = f"# deck = {_toml_str(name)}" if shown_name(name) == name else f"deck = {_toml_str(shown_name(name))}"
    return TEMPLATE.format(vault=_toml_str(rel), out=_toml_str("decks"), deck=deck, exclude=f"[{excludes}]")


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def write_template(vault: Path, here: Path, force: bool = False) -> Path:
    """Write glossdeck.toml into `here`; refuse to replace one unless `force`."""
    if not vault.is_dir():
        raise ConfigError(f"{vault}: not a folder (give the vault's folder)")
    target = here / CONFIG_NAME
    if target.exists() and not force:
        raise ConfigError(f"{target}: already exists (use --force to replace it)")
    from .atomic import write_text

    write_text(target, template(vault, here))
    return target
