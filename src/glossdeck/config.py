"""glossdeck.toml -> Config (tomllib): every value checked before anything is written."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .atomic import check_deck_name, shown_name
from .errors import GlossdeckError
from .export.anki import AnkiOptions
from .export.lang import LANGS
from .pipeline import DEFAULT_FORMATS, FORMATS, Options
from .vault import DEFAULT_EXCLUDES

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


def default_excludes(vault: Path) -> tuple[str, ...]:
    """Return `.obsidian`, `.trash` and the templates folder Obsidian's Templates plugin uses."""
    found = list(DEFAULT_EXCLUDES)
    try:
        folder = json.loads((vault / ".obsidian" / "templates.json").read_text(encoding="utf-8")).get("folder")
    except (OSError, ValueError, AttributeError):
        folder = None
    if isinstance(folder, str) and folder.strip("/ "):
        found.append(folder.strip("/ "))
    return tuple(found)


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
    def bad(key: str, why: str) -> ConfigError:
        return ConfigError(f"{path}:{_line(text, key)}: {key}: {why}")

    for key in data:
        if key not in _KEYS:
            raise bad(key, f"unknown setting (known: {', '.join(_KEYS)})")
    base = path.resolve().parent

    def folder(key: str, default: str | None) -> Path:
        value = data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise bad(key, "must be a folder path in quotes, e.g. \"notes\"")
        return (base / Path(value).expanduser()).resolve()

    if "vault" not in data:
        raise ConfigError(f"{path}: vault: missing (the vault folder, e.g. vault = \".\")")
    vault = folder("vault", None)
    if not vault.is_dir():
        raise bad("vault", f"{vault} is not a folder")
    out = folder("out", "decks")

    deck = data.get("deck")
    if deck is not None and (not isinstance(deck, str) or not deck.strip()):
        raise bad("deck", "must be a deck name in quotes")
    if deck is not None:
        try:
            check_deck_name(deck)
        except GlossdeckError as exc:
            raise bad("deck", str(exc).split(";")[0]) from None

    formats = data.get("formats", list(DEFAULT_FORMATS))
    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",")]
    if not isinstance(formats, list) or not formats or not all(isinstance(f, str) for f in formats):
        raise bad("formats", f"must be a list such as [\"apkg\", \"csv\"]; choose from {', '.join(FORMATS)}")
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise bad("formats", f"unknown format {', '.join(map(repr, unknown))}; choose from {', '.join(FORMATS)}")

    exclude = data.get("exclude")
    if exclude is None:
        exclude = list(default_excludes(vault))
    if not isinstance(exclude, list) or not all(isinstance(e, str) for e in exclude):
        raise bad("exclude", "must be a list of folder names, e.g. [\".obsidian\", \".trash\"]")

    flags = {}
    for key in ("reverse", "tag_folders", "subdecks"):
        value = data.get(key, False)
        if not isinstance(value, bool):
            raise bad(key, "must be true or false (no quotes)")
        flags[key] = value
    lang = _lang(data.get("lang"), bad)
    return Config(
        path=path, vault=vault, out=out, deck=deck.strip() if deck else None,
        formats=tuple(dict.fromkeys(formats)), exclude=tuple(exclude), lang=lang, **flags,
    )


def _lang(value: Any, bad: Callable[[str, str], ConfigError]) -> str | None:
    if value is not None and value not in LANGS:
        raise bad("lang", f"must be {' or '.join(map(_toml_str, LANGS))}")
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

# Folders (relative to the vault) that are never read: Obsidian's settings, its trash and
# the templates folder (templates hold placeholders, not definitions).
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
