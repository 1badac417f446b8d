"""`glossdeck init`: a commented glossdeck.toml for a vault, and what to warn about before writing it."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from .atomic import shown_name, write_text
from .config import CONFIG_NAME, ConfigError, toml_str
from .vault import default_excludes
from .vault.root import vault_root

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

# The vault's name in Obsidian, for the links on the cards; without it, the name of the folder
# holding the vault's .obsidian/ settings (give it when your vault has none, e.g. a copy on a server).
# vault_name = "MyVault"

# When the harvest is wrong (a note can also keep itself out with `glossdeck: false` in its
# frontmatter), leave entries out: a term, or one meaning of it ...
# [ignore]
# terms = ["QUIC", {{ term = "EPA", expansion = "Environmental Protection Agency" }}]

# ... or correct one; its card, and your reviews, stay. `match` names the long form harvested,
# needed when the term has several meanings; give only the values to change.
# [[override]]
# term = "EPA"
# match = "Economic Partnersip Agreement"
# expansion = "Economic Partnership Agreement"
# aliases = ["経済連携協定"]

# Also write the cards straight into your Anki collection on every sync (Anki must be closed;
# needs pip install 'glossdeck[anki]'). Uncomment and name your profile (glossdeck push --list-profiles),
# or give collection = "path/to/collection.anki2" instead.
# [anki]
# profile = "User 1"
# An entry gone from the vault: "suspend" its cards and tag the note glossdeck::removed, or "delete" it.
# removed = "suspend"
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
    excludes = ", ".join(toml_str(e) for e in default_excludes(vault_abs))
    name = vault_abs.name or "glossdeck"
    # A folder name that is not UTF-8 cannot name the deck (sync would stop): name it here instead.
    deck = f"# deck = {toml_str(name)}" if shown_name(name) == name else f"deck = {toml_str(shown_name(name))}"
    return TEMPLATE.format(vault=toml_str(rel), out=toml_str("decks"), deck=deck, exclude=f"[{excludes}]")


def init_warnings(vault: Path, here: Path, given: bool) -> list[str]:
    """Return what `glossdeck init` warns about: no notes in this folder, or a config written into the vault."""
    warnings = []
    if not given and not _has_notes(vault):
        warnings.append(f"{vault.resolve()} holds no notes (.md); give the vault's folder: glossdeck init PATH")
    root = vault_root(vault).path
    if here.resolve() == root or root in here.resolve().parents:
        away = shlex.quote(str(root.parent / "glossdeck"))
        warnings.append(
            f"this folder is inside the vault {root}: glossdeck.toml, the decks and their cache go into the vault "
            f"(and wherever it syncs); to keep them out, run init from a folder outside it: "
            f"mkdir -p {away} && cd {away} && glossdeck init {shlex.quote(str(vault.resolve()))}"
        )
    return warnings


def _has_notes(folder: Path, budget: int = 20_000) -> bool:
    """Tell whether a folder holds a note; a folder too big to look through quickly is taken to."""
    for _, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        budget -= len(files) + len(dirs)
        if budget < 0 or any(f.lower().endswith(".md") for f in files):
            return True
    return False


def write_template(vault: Path, here: Path, force: bool = False) -> Path:
    """Write glossdeck.toml into `here`; refuse to replace one unless `force`."""
    if not vault.is_dir():
        raise ConfigError(f"{vault}: not a folder (give the vault's folder)")
    target = here / CONFIG_NAME
    if target.exists() and not force:
        raise ConfigError(f"{target}: already exists (use --force to replace it)")
    write_text(target, template(vault, here))
    return target
