"""Read a vault: find its notes (walk), read their bytes (files), split the frontmatter, parse the body.

The entry points come first: `read_vault` for every note (lint), `note_from_bytes` for one note
whose bytes are read (the harvest, on every core), `parse_note` for text.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Note, Problem
from .cut import pieces
from .files import decode, note_text, read_file
from .frontmatter import split_frontmatter
from .markdown import inline_note_spans, parse_body
from .walk import DEFAULT_EXCLUDES, Excludes, NoteFile, check_vault, default_excludes, literal, vault_excludes, walk

__all__ = [
    "DEFAULT_EXCLUDES", "Excludes", "NoteFile", "check_vault", "decode", "default_excludes", "inline_note_spans",
    "literal", "note_from_bytes", "parse_note", "pieces", "read_file", "read_note", "read_vault", "vault_excludes",
    "walk",
]


def read_vault(vault: Path, excludes: tuple[str, ...] = DEFAULT_EXCLUDES) -> tuple[list[Note], list[Problem]]:
    """Read and parse every note; bad files become problems and the rest goes on."""
    check_vault(vault)
    problems: list[Problem] = []
    notes: list[Note] = []
    for nf in walk(vault, excludes, problems):
        note, found = read_note(nf)
        problems.extend(found)
        if note is not None:
            notes.append(note)
    return notes, problems


def read_note(nf: NoteFile) -> tuple[Note | None, list[Problem]]:
    """Read and parse one note file; a bad file gives problems, never an exception."""
    got = read_file(nf)
    if isinstance(got, Problem):
        return None, [got]
    data, st, warning = got
    note, problems = note_from_bytes(data, nf.rel, st.st_mtime)
    return note, ([warning] if warning else []) + problems


def note_from_bytes(data: bytes, rel: str, mtime: float) -> tuple[Note | None, list[Problem]]:
    """Decode and parse a note's bytes; an undecodable file gives problems and no note."""
    text, problem = note_text(data, rel)
    problems = [problem] if problem else []
    if text is None:
        return None, problems
    note, more = parse_note(text, rel, mtime)
    return note, problems + more


def parse_note(text: str, rel: str, mtime: float = 0.0) -> tuple[Note, list[Problem]]:
    """Parse a note's text into a Note; return it with the bad-input problems found."""
    meta, body, offset, problems = split_frontmatter(text, rel)
    # Obsidian names a note by its frontmatter title when set, else by its file name (never a heading).
    title = meta.title or Path(rel).stem
    if meta.generated or meta.skip:
        # our own glossary note (`--format md` written into the vault), or one its author keeps out
        return Note(rel, title, None, (), (), (), ()), problems
    parsed = parse_body(body, offset)
    note = Note(
        path=rel,
        title=title,
        url=meta.url,
        tags=meta.tags,
        blocks=tuple(parsed.blocks),
        footnotes=tuple(parsed.footnotes),
        refs=tuple(parsed.refs),
        mtime=mtime,
        extras=tuple(parsed.extras),
    )
    return note, problems
