"""Whose file is it: glossdeck replaces only outputs it wrote itself, whatever version wrote them.

An output folder may be inside the vault (`--out vault/Glossary`), where a note of the user's can
bear a deck's file name. Each format glossdeck writes carries a mark every version has written, so
no manifest is needed and outputs of earlier versions are recognised as they are:

- md: the frontmatter line `glossdeck: generated`;
- csv: the header row (today's, or the machine names of the first versions);
- anki-csv: the `#notetype:` header naming glossdeck's note type id;
- json: an array of entry objects, each starting with `"term"` (or an empty array);
- apkg: a zip of exactly `collection.anki2` and `media`, both dated 1980-01-01 (glossdeck fixes the
  dates for same-bytes builds; Anki's own exports carry the time they were made).
"""

from __future__ import annotations

import csv
import errno
import os
import re
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

from .errors import GlossdeckError
from .export.notetype import MODEL_ID
from .export.table import COLUMNS

HEAD = 64 * 1024
"""Enough of a file's start to find its mark."""

_HEADERS = {
    tuple(COLUMNS),
    ("Term", "Long form", "Aliases", "Definition", "Source", "Source URL", "Remarks", "Notes", "Tags",
     "Obsidian link"),
    ("term", "kind", "expansion", "aliases", "definition", "definition_source", "definition_url", "remarks",
     "sources", "tags"),
}
_JSON = re.compile(r'\A\[\s*(?:\]\s*\Z|\{\s*"term"\s*:)')
_FRONTMATTER = re.compile(r"\A---[ \t]*\r?\n(?:(?!---)[^\n]*\n)*?glossdeck:[ \t]*generated[ \t]*\r?\n")
_APKG_NAMES = ["collection.anki2", "media"]
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def check_replaceable(path: Path, fmt: str) -> None:
    """Stop (exit 2) when `path` holds something glossdeck did not write; a missing file is fine."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise GlossdeckError(f"{path}: cannot check it before replacing it: {exc.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        raise GlossdeckError(f"{path}: {os.strerror(errno.EISDIR)}, where glossdeck writes a file; nothing was written")
    if stat.S_ISREG(st.st_mode) and written_by_glossdeck(path, fmt):
        return
    raise GlossdeckError(
        f"{path}: this file was not written by glossdeck, so it is left as it is and nothing was written "
        "(move it away, or choose another --out or --deck)"
    )


def written_by_glossdeck(path: Path, fmt: str) -> bool:
    """Tell whether the regular file at `path` is a `fmt` output glossdeck wrote (any version)."""
    try:
        if fmt == "apkg":
            return _apkg(path)
        with open(path, "rb") as fh:
            head = fh.read(HEAD)
    except (OSError, zipfile.BadZipFile):
        return False
    return _MARKS[fmt](head.decode("utf-8-sig", "replace"))


def _apkg(path: Path) -> bool:
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
    return sorted(i.filename for i in infos) == _APKG_NAMES and all(i.date_time == _ZIP_TIME for i in infos)


def _csv(text: str) -> bool:
    first = next(csv.reader([text.split("\n", 1)[0].rstrip("\r")]), [])
    return tuple(first) in _HEADERS


def _anki_csv(text: str) -> bool:
    lines = text.split("\n")
    header = [line for line in lines[:20] if line.startswith("#")]
    return lines[0] == "#separator:tab" and f"#notetype:{MODEL_ID}" in header


_MARKS: dict[str, Callable[[str], bool]] = {
    "md": lambda text: _FRONTMATTER.match(text) is not None,
    "csv": _csv,
    "anki-csv": _anki_csv,
    "json": lambda text: _JSON.match(text) is not None,
}
