"""Walk a vault and read each note: frontmatter with python-frontmatter, body with markdown-it-py."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .model import Block, FootnoteDef, FootnoteRef, Note, Problem

DEFAULT_EXCLUDES = (".obsidian", ".trash")

FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
"""`[^label]` as markdown-it's footnote plugin spells it (label: no spaces, no `]`)."""
# Not after an odd run of backslashes: `\^[` and `\[^x]` are literal text to markdown-it too.
_INLINE_NOTE = re.compile(r"(?<!\\)(?:\\\\)*\^\[")
# CommonMark code span: a run of backticks closed by a run of the same length.
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
# The same fences python-frontmatter reads (--- and ---), so the two never disagree on the body.
_FRONTMATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").use(footnote_plugin).use(deflist_plugin)
    # Keep unreferenced definitions in the token stream: they are harvested too.
    md.disable("footnote_tail")
    # Speed (same tokens for everything parse_note reads): only footnote_ref children are read
    # from inline runs, so runs that cannot hold one skip the inline pass, and text tokens
    # never need joining.
    md.core.ruler.at("inline", _inline_where_needed)
    md.disable("text_join")
    # Links, images, emphasis and entities never decide whether `[^x]` is a reference (a link's
    # text keeps its references, a link's target is blanked before harvesting), so the inline
    # pass runs without them; escapes, code spans, autolinks and inline HTML still hide `[^x]`.
    md.disable(["link", "image", "emphasis", "entity", "balance_pairs", "fragments_join"])
    return md


def _inline_where_needed(state: StateCore) -> None:
    for token in state.tokens:
        if token.type == "inline":
            token.children = []
            # A footnote reference or inline footnote needs one of these literally in the run.
            if "[^" in token.content or "^[" in token.content:
                state.md.inline.parse(token.content, state.md, state.env, token.children)


_MD = _markdown()


@dataclass(frozen=True, slots=True)
class NoteFile:
    """A Markdown file found in the vault."""

    path: Path
    rel: str


def walk(
    vault: Path, excludes: Iterable[str] = DEFAULT_EXCLUDES, problems: list[Problem] | None = None
) -> list[NoteFile]:
    """Return every `.md` file under `vault`, skipping excluded and hidden folders, in a stable order.

    Hidden files and folders (`.obsidian`, `.trash`, `.stversions`, `.git`) are skipped as Obsidian
    skips them. A folder that cannot be read, or a file name that is not UTF-8, is reported into
    `problems` when a list is given.
    """
    skip = {e.strip("/") for e in excludes}
    found: list[NoteFile] = []

    def unreadable(exc: OSError) -> None:
        if problems is not None:
            rel = _shown(Path(exc.filename or vault), vault)
            problems.append(Problem("unreadable-note", rel, 1, f"cannot read folder: {exc.strerror}"))

    for root, dirs, files in os.walk(vault, onerror=unreadable):
        rel_root = Path(root).relative_to(vault).as_posix()
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and d not in skip and _join(rel_root, d) not in skip
        )
        for name in sorted(files):
            if not name.lower().endswith(".md") or name.startswith("."):
                continue
            rel = _join(rel_root, name)
            try:
                rel.encode("utf-8")
            except UnicodeEncodeError:
                # the name's bytes are not UTF-8: no link, tag or CSV cell could name this note
                if problems is not None:
                    shown = _shown(Path(root) / name, vault)
                    problems.append(Problem("unreadable-note", shown, 1, "file name is not UTF-8: skipped"))
                continue
            found.append(NoteFile(Path(root) / name, rel))
    found.sort(key=lambda f: f.rel)
    return found


def _shown(path: Path, vault: Path) -> str:
    try:
        rel = path.relative_to(vault).as_posix()
    except ValueError:
        rel = path.as_posix()
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _join(root: str, name: str) -> str:
    return name if root in ("", ".") else f"{root}/{name}"


def decode(data: bytes, rel: str) -> tuple[str | None, Problem | None]:
    """Decode a note's bytes: UTF-8 (BOM or not), else CP932 with a warning, else give up."""
    if b"\x00" in data[:8192]:
        return None, Problem("unreadable-note", rel, 1, "binary file, skipped")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError:
        return None, Problem(
            "unreadable-note", rel, bad_line, "not UTF-8 and not Shift_JIS (CP932): skipped"
        )
    return text, Problem("decoded-as", rel, bad_line, "not valid UTF-8: read as Shift_JIS (CP932)")


def split_frontmatter(text: str, rel: str) -> tuple[dict, str, int, Problem | None]:
    """Split frontmatter from body; return (metadata, body, lines before body, problem)."""
    match = _FRONTMATTER.match(text)
    if not match:
        return {}, text, 0, None
    offset = text[: match.end()].count("\n")
    body = text[match.end():]
    try:
        meta, _ = frontmatter.parse(text)
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        line = 1
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            # python-frontmatter hands YAML the text from the opening ---'s line break on, so the
            # mark's 0-based line is already one past the ---: +1 makes it the file's 1-based line
            line = mark.line + 1
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return {}, body, offset, Problem(
            "bad-frontmatter", rel, line, f"invalid YAML frontmatter ({reason}): body harvested anyway"
        )
    if not isinstance(meta, dict):
        meta = {}
    return meta, body, offset, None


def _str_field(meta: dict, key: str) -> str | None:
    value = meta.get(key)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _tags(meta: dict) -> tuple[str, ...]:
    raw = meta.get("tags")
    if isinstance(raw, str):
        items = re.split(r"[,\s]+", raw)
    elif isinstance(raw, list):
        items = [x for x in raw if isinstance(x, str | int | float) and not isinstance(x, bool)]
    else:
        return ()
    out: list[str] = []
    for item in items:
        tag = str(item).strip().lstrip("#")
        if tag and tag not in out:
            out.append(tag)
    return tuple(out)


def blank_code(text: str) -> str:
    """Replace inline code spans with spaces, keeping offsets and line breaks."""
    if "`" not in text:
        return text
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def parse_note(text: str, rel: str, mtime: float = 0.0) -> tuple[Note, list[Problem]]:
    """Parse a note's text into a Note; return it with the bad-input problems found."""
    problems: list[Problem] = []
    meta, body, offset, problem = split_frontmatter(text, rel)
    if problem:
        problems.append(problem)
    if meta.get("glossdeck") == "generated":
        # our own glossary note (`--format md` written into the vault): never harvest it back
        return Note(rel, _str_field(meta, "title") or Path(rel).stem, None, (), (), (), ()), problems
    env: dict = {}
    tokens = _MD.parse(body, env)
    inline_notes = env.get("footnotes", {}).get("list", {})

    blocks: list[Block] = []
    footnotes: list[FootnoteDef] = []
    refs: list[FootnoteRef] = []
    extras: list[tuple[str, str, int]] = []
    first_heading: str | None = None
    label: str | None = None
    fn_start = 0
    fn_parts: list[str] = []
    in_heading = False
    dt_text: tuple[str, int] | None = None
    in_dd = 0
    dd_parts: list[str] = []

    for tok in tokens:
        t = tok.type
        if t == "footnote_reference_open":
            label = tok.meta.get("label")
            fn_start = offset + (tok.map[0] if tok.map else 0) + 1
            fn_parts = []
        elif t == "footnote_reference_close":
            if label is not None:
                footnotes.append(FootnoteDef(label, "\n".join(fn_parts), fn_start))
            label = None
        elif t == "heading_open":
            in_heading = True
        elif t == "heading_close":
            in_heading = False
        elif t == "dt_open":
            dt_text = None
        elif t == "dd_open":
            in_dd += 1
            dd_parts = []
        elif t == "dd_close":
            in_dd -= 1
            if dt_text and dd_parts:
                extras.append((dt_text[0], " ".join(dd_parts), dt_text[1]))
        elif t == "inline":
            line = offset + (tok.map[0] if tok.map else 0) + 1
            raw = blank_code(tok.content)
            block = Block(raw, line, label, in_heading)
            blocks.append(block)
            if in_heading and first_heading is None and raw.strip():
                first_heading = _plain(raw)
            if label is not None:
                fn_parts.append(raw)
            if in_dd:
                dd_parts.append(raw)
            elif _is_dt(tok):
                dt_text = (raw.strip(), line)
            refs.extend(_refs(tok, raw, line))
            footnotes.extend(_inline_notes(tok, raw, line, inline_notes, refs))

    title = _str_field(meta, "title") or first_heading or Path(rel).stem
    note = Note(
        path=rel,
        title=title,
        url=_str_field(meta, "url"),
        tags=_tags(meta),
        blocks=tuple(blocks),
        footnotes=tuple(footnotes),
        refs=tuple(refs),
        mtime=mtime,
        extras=tuple(extras),
    )
    return note, problems


def _is_dt(tok: Token) -> bool:
    # markdown-it gives a dt's inline token a zero-height map [n, n].
    return tok.map is not None and tok.map[0] == tok.map[1]


def _plain(text: str) -> str:
    text = re.sub(r"\[\^[^\]]+\]", "", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"\s+", " ", text.replace("\u3000", " ")).strip()


def _refs(tok: Token, raw: str, line: int) -> Iterator[FootnoteRef]:
    """Yield every `[^label]` in an inline run, resolved or dangling."""
    if "[^" not in raw:
        return
    defined = {c.meta.get("label") for c in tok.children or () if c.type == "footnote_ref"}
    for m in FOOTNOTE_REF.finditer(raw):
        if raw.startswith(":", m.end()) and (m.start() == 0 or raw[m.start() - 1] == "\n"):
            continue  # a definition line swallowed into a paragraph, not a reference
        if _escaped(raw, m.start()):
            continue
        label = m.group(1)
        yield FootnoteRef(label, line + raw.count("\n", 0, m.start()), raw[: m.start()], label in defined)


def _escaped(raw: str, pos: int) -> bool:
    """Tell whether the character at `pos` follows an odd run of backslashes."""
    n = 0
    while pos - n - 1 >= 0 and raw[pos - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def _inline_notes(
    tok: Token, raw: str, line: int, inline_notes: dict, refs: list[FootnoteRef]
) -> Iterator[FootnoteDef]:
    """Yield Obsidian inline footnotes `^[text]` as definitions with a reference in place."""
    ids = [c.meta["id"] for c in tok.children or () if c.type == "footnote_ref" and "label" not in c.meta]
    if not ids:
        return
    starts = [m.end() - 2 for m in _INLINE_NOTE.finditer(raw)]
    for fid, start in zip(ids, starts, strict=False):
        content = inline_notes.get(fid, {}).get("content", "")
        label = f"^{fid}"
        ref_line = line + raw.count("\n", 0, start)
        refs.append(FootnoteRef(label, ref_line, raw[:start], True))
        yield FootnoteDef(label, content, ref_line, inline=True)


def read_file(nf: NoteFile) -> tuple[bytes, os.stat_result] | Problem:
    """Return a note file's bytes and stat, or the problem that stopped reading it."""
    try:
        st = os.stat(nf.path)
        return nf.path.read_bytes(), st
    except OSError as exc:
        return Problem("unreadable-note", nf.rel, 1, f"cannot read: {exc.strerror}")


def read_note(nf: NoteFile) -> tuple[Note | None, list[Problem]]:
    """Read and parse one note file; a bad file gives problems, never an exception."""
    got = read_file(nf)
    if isinstance(got, Problem):
        return None, [got]
    data, st = got
    return note_from_bytes(data, nf.rel, st.st_mtime)


def note_from_bytes(data: bytes, rel: str, mtime: float) -> tuple[Note | None, list[Problem]]:
    """Decode and parse a note's bytes; an undecodable file gives problems and no note."""
    text, problem = decode(data, rel)
    if text is not None:
        # macOS writes kana with separate voicing marks (ハ + ゛); compose them so rules see バ.
        text = unicodedata.normalize("NFC", text)
    problems = [problem] if problem else []
    if text is None:
        return None, problems
    note, more = parse_note(text, rel, mtime)
    return note, problems + more
