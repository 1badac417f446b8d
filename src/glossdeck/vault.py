"""Walk a vault and read each note: frontmatter with python-frontmatter, body with markdown-it-py."""

from __future__ import annotations

import codecs
import errno
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from frontmatter.default_handlers import SafeLoader
from markdown_it import MarkdownIt
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .model import REF_CONTEXT, Block, FootnoteDef, FootnoteRef, Lines, Note, Problem

DEFAULT_EXCLUDES = (".obsidian", ".trash")

BIG_NOTE = 128 * 1024
"""A note body longer than this many characters is parsed in pieces (bounded memory)."""

FOOTNOTE_REF = re.compile(r"\[\^([^\[\]\s]+)\]")
"""`[^label]` as markdown-it's footnote plugin spells it (label: no spaces, no `]`), and no `[`:
every try then stops at the next bracket, so a run of `[^[^[^…` costs linear time."""
# CommonMark code span: a run of backticks closed by a run of the same length.
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
# The same fences python-frontmatter reads (--- and ---), so the two never disagree on the body.
_FRONTMATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").use(footnote_plugin).use(deflist_plugin)
    # Keep unreferenced definitions in the token stream: they are harvested too.
    md.disable("footnote_tail")
    # Only the block structure is read from markdown-it. Footnote references and inline
    # footnotes are found by _refs and _inline_notes in one linear pass per run: the plugin's
    # inline rules rescan to the end of the run at every `[^` or `^[` that does not close
    # (seconds for a paragraph of a few thousand), and inline parsing was most of the parse time.
    md.core.ruler.at("inline", _no_inline)
    md.disable("text_join")
    return md


def _no_inline(state: StateCore) -> None:
    for token in state.tokens:
        if token.type == "inline":
            token.children = []


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
    skips them. Symlinked folders are followed as Obsidian follows them, each real folder once: a
    link back to a folder above it (a loop) or to a folder already read is reported and not
    followed again. A folder that cannot be read, or a file name that is not UTF-8, is reported
    into `problems` when a list is given.
    """
    skip = {e.strip("/") for e in excludes}
    found: list[NoteFile] = []
    report = problems.append if problems is not None else (lambda p: None)

    def unreadable(exc: OSError) -> None:
        rel = _shown(Path(exc.filename or vault), vault)
        report(Problem("unreadable-note", rel, 1, f"cannot read folder: {exc.strerror}"))

    def wanted(rel_root: str, dirs: list[str]) -> list[str]:
        return sorted(d for d in dirs if not d.startswith(".") and d not in skip and _join(rel_root, d) not in skip)

    # The vault's own folders first, so a symlink to one of them is the copy that is skipped.
    seen: dict[tuple[int, int], str] = {}
    for root, dirs, _ in os.walk(vault):
        rel_root = Path(root).relative_to(vault).as_posix()
        dirs[:] = wanted(rel_root, dirs)
        try:
            st = os.stat(root)
        except OSError:
            continue
        seen.setdefault((st.st_dev, st.st_ino), rel_root)
    for root, dirs, files in os.walk(vault, onerror=unreadable, followlinks=True):
        rel_root = Path(root).relative_to(vault).as_posix()
        dirs[:] = [
            d for d in wanted(rel_root, dirs)
            if _first_visit(Path(root) / d, _join(rel_root, d), seen, report, vault)
        ]
        for name in sorted(files):
            if not name.lower().endswith(".md") or name.startswith("."):
                continue
            rel = _join(rel_root, name)
            try:
                rel.encode("utf-8")
            except UnicodeEncodeError:
                # the name's bytes are not UTF-8: no link, tag or CSV cell could name this note
                shown = _shown(Path(root) / name, vault)
                report(Problem("unreadable-note", shown, 1, "file name is not UTF-8: skipped"))
                continue
            found.append(NoteFile(Path(root) / name, rel))
    found.sort(key=lambda f: f.rel)
    return found


def _first_visit(
    path: Path, rel: str, seen: dict[tuple[int, int], str], report: Callable[[Problem], None], vault: Path
) -> bool:
    """Tell whether a folder is to be read here; report a symlink that leads to a folder read elsewhere."""
    try:
        st = os.stat(path)
    except OSError:
        return True  # os.walk reports what it cannot read
    first = seen.setdefault((st.st_dev, st.st_ino), rel)
    if first == rel:
        return True
    if rel.startswith(first + "/") or first == ".":
        why = f"symlink loop: leads back to {'the vault' if first == '.' else first}, not followed"
    else:
        why = f"same folder as {first} (a symlink): its notes are read once, there"
    report(Problem("unreadable-note", _shown(path, vault), 1, why))
    return False


def _shown(path: Path, vault: Path) -> str:
    try:
        rel = path.relative_to(vault).as_posix()
    except ValueError:
        rel = path.as_posix()
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _join(root: str, name: str) -> str:
    return name if root in ("", ".") else f"{root}/{name}"


def decode(data: bytes, rel: str) -> tuple[str | None, Problem | None]:
    """Decode a note's bytes: UTF-8 (BOM or not), else CP932 with a warning, else give up.

    UTF-16 with its BOM (Windows Notepad's "Unicode") is read too, with a warning.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), Problem("decoded-as", rel, 1, "UTF-16, not UTF-8: read as UTF-16")
        except UnicodeDecodeError:
            return None, Problem("unreadable-note", rel, 1, "starts like UTF-16 but is not: skipped")
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


@dataclass(frozen=True, slots=True)
class Meta:
    """The frontmatter glossdeck reads: title, url, tags, and its own `glossdeck:` marker."""

    title: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()
    generated: bool = False


# Only these keys are read, each with a type check; nothing else in the YAML is ever built.
_WANTED = ("title", "url", "tags", "glossdeck")
_STR, _NULL, _BOOL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool"
ALIAS_LIMIT = 100_000
"""A value that YAML aliases expand beyond this many nodes is an alias bomb."""


def split_frontmatter(text: str, rel: str) -> tuple[Meta, str, int, list[Problem]]:
    """Split frontmatter from body; return (metadata, body, lines before body, problems).

    The YAML is composed (parsed into nodes, the safe loader's, no Python objects built) and only
    the keys glossdeck uses are read: an alias bomb, a bad date or an odd key elsewhere in the
    frontmatter costs nothing and loses nothing.
    """
    match = _FRONTMATTER.match(text)
    if not match:
        return Meta(), text, 0, _unclosed(text, rel)
    offset = text[: match.end()].count("\n")
    body = text[match.end():]
    try:
        root = yaml.compose(match.group(1) or "", Loader=SafeLoader)
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        mark = getattr(exc, "problem_mark", None)
        # the YAML starts on the file's line 2 (after the opening ---); marks count lines from 0
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return Meta(), body, offset, [
            Problem("bad-frontmatter", rel, line, f"invalid YAML frontmatter ({reason}): body harvested anyway")
        ]
    if root is None:
        return Meta(), body, offset, []
    if not isinstance(root, yaml.MappingNode):
        return Meta(), body, offset, [
            Problem("bad-frontmatter", rel, 2, "frontmatter is not a list of `key: value` lines: ignored")
        ]
    problems: list[Problem] = []
    found: dict[str, yaml.Node] = {}
    bombs: list[tuple[str, int]] = []
    for key, value in root.value:
        line = key.start_mark.line + 2
        if key.tag == "tag:yaml.org,2002:merge":
            continue
        if not isinstance(key, yaml.ScalarNode) or key.tag != _STR:
            problems.append(Problem(
                "bad-frontmatter", rel, line,
                f"frontmatter key {_shown_key(key)} is not text (YAML reads it as {_kind(key)}): ignored",
            ))
            continue
        if key.value == "content":
            problems.append(Problem(
                "bad-frontmatter", rel, line,
                "frontmatter key `content` breaks tools that read notes with python-frontmatter; "
                "glossdeck ignores it",
            ))
        if _expanded_size(value) > ALIAS_LIMIT:
            bombs.append((key.value, line))
            continue
        if key.value in _WANTED:
            found[key.value] = value  # a repeated key: the last wins, as in YAML readers
    if bombs:
        # the keys glossdeck reads first: they are what the note loses
        named = sorted(bombs, key=lambda b: (b[0] not in _WANTED, b[1]))
        keys = ", ".join(f"`{k}`" for k, _ in named[:5]) + (", …" if len(named) > 5 else "")
        problems.append(Problem(
            "bad-frontmatter", rel, bombs[0][1],
            f"YAML aliases expand frontmatter {keys} to over {ALIAS_LIMIT:,} values or without end "
            "(an alias bomb): ignored",
        ))
    meta = Meta(
        title=_text_value(found.get("title"), "title", rel, problems),
        url=_text_value(found.get("url"), "url", rel, problems),
        tags=_tag_values(found.get("tags"), rel, problems),
        generated=_text_value(found.get("glossdeck"), "glossdeck", rel, problems) == "generated",
    )
    return meta, body, offset, problems


_LOOKS_LIKE_YAML = re.compile(r"\A---[ \t]*\r?\n[ \t]*[\w\"'-][^\n:]*:(?:[ \t]|\r?\n)")


def _unclosed(text: str, rel: str) -> list[Problem]:
    """Warn about a frontmatter that opens (--- then `key:`) but never closes."""
    if not _LOOKS_LIKE_YAML.match(text):
        return []
    return [Problem(
        "bad-frontmatter", rel, 1, "frontmatter opened with --- never closes: the whole file read as the body",
    )]


def _shown_key(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return f"`{node.value[:40]}`"
    return f"({_kind(node)})"


def _kind(node: yaml.Node) -> str:
    if not isinstance(node, yaml.ScalarNode):
        return "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
    kind = node.tag.rsplit(":", 1)[-1]
    return {"bool": "true/false", "int": "a number", "float": "a number", "null": "empty"}.get(kind, f"a {kind}")


def _expanded_size(node: yaml.Node) -> int:
    """Return how many nodes `node` stands for once every alias is expanded (stops past the limit).

    An alias to a value inside itself (`a: &a [*a]`) expands without end: over the limit.
    """
    sizes: dict[int, int] = {}
    entered: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        current, children_done = stack.pop()
        key = id(current)
        if key in sizes:
            continue
        children = _children(current)
        if children_done or not children:
            sizes[key] = min(ALIAS_LIMIT + 1, 1 + sum(sizes[id(c)] for c in children))
            continue
        if key in entered:
            return ALIAS_LIMIT + 1
        entered.add(key)
        stack.append((current, True))
        for child in children:
            if id(child) in entered and id(child) not in sizes:
                return ALIAS_LIMIT + 1  # the child is still being expanded: a cycle
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(node)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _text_value(node: yaml.Node | None, key: str, rel: str, problems: list[Problem]) -> str | None:
    """Return a scalar's text as written (`title: 2024-01-01` stays that text), None when empty."""
    if node is None:
        return None
    if isinstance(node, yaml.ScalarNode):
        return None if node.tag == _NULL or not node.value.strip() else node.value.strip()
    problems.append(Problem(
        "bad-frontmatter", rel, node.start_mark.line + 2, f"frontmatter `{key}` is {_kind(node)}, not text: ignored",
    ))
    return None


def _tag_values(node: yaml.Node | None, rel: str, problems: list[Problem]) -> tuple[str, ...]:
    """Return the tags: a list of words, or one string of words separated by commas or spaces."""
    if node is None:
        return ()
    if isinstance(node, yaml.ScalarNode):
        items = [] if node.tag in (_NULL, _BOOL) else re.split(r"[,\s]+", node.value)
    elif isinstance(node, yaml.SequenceNode):
        items = []
        for item in node.value:
            if isinstance(item, yaml.ScalarNode):
                if item.tag not in (_NULL, _BOOL):
                    items.append(item.value)
            else:
                problems.append(Problem(
                    "bad-frontmatter", rel, item.start_mark.line + 2,
                    f"a tag in frontmatter `tags` is {_kind(item)}, not text: skipped",
                ))
    else:
        problems.append(Problem(
            "bad-frontmatter", rel, node.start_mark.line + 2, "frontmatter `tags` is a mapping, not a list: ignored",
        ))
        return ()
    out: list[str] = []
    for item in items:
        tag = item.strip().lstrip("#")
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
    meta, body, offset, problems = split_frontmatter(text, rel)
    if meta.generated:
        # our own glossary note (`--format md` written into the vault): never harvest it back
        return Note(rel, meta.title or Path(rel).stem, None, (), (), (), ()), problems
    reader = _Reader()
    env: dict = {}
    for piece, piece_offset in pieces(body, offset, BIG_NOTE):
        # the tokens of one piece at a time: markdown-it needs ~86x a text's size in memory
        reader.read(_MD.parse(piece, env), piece_offset)
    # every definition of the note is known only once all its blocks are parsed
    defined = {key[1:] for key in env.get("footnotes", {}).get("refs", {})}
    refs = tuple(
        FootnoteRef(label, line, before, inline or label in defined)
        for label, line, before, inline in reader.refs
    )
    title = meta.title or reader.first_heading or Path(rel).stem
    note = Note(
        path=rel,
        title=title,
        url=meta.url,
        tags=meta.tags,
        blocks=tuple(reader.blocks),
        footnotes=tuple(reader.footnotes),
        refs=refs,
        mtime=mtime,
        extras=tuple(reader.extras),
    )
    return note, problems


class _Reader:
    """Collect a note's blocks, footnotes and references from markdown-it's block tokens."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.footnotes: list[FootnoteDef] = []
        self.refs: list[tuple[str, int, str, bool]] = []
        self.extras: list[tuple[str, str, int]] = []
        self.first_heading: str | None = None
        self.inline_notes = 0
        self._label: str | None = None
        self._fn_start = 0
        self._fn_parts: list[str] = []
        self._in_heading = False
        self._dt: tuple[str, int] | None = None
        self._in_dd = 0
        self._dd_parts: list[str] = []

    def read(self, tokens: list[Token], offset: int) -> None:
        """Read one piece's tokens; `offset` is the number of file lines before the piece."""
        for tok in tokens:
            t = tok.type
            if t == "footnote_reference_open":
                self._label = tok.meta.get("label")
                self._fn_start = offset + (tok.map[0] if tok.map else 0) + 1
                self._fn_parts = []
            elif t == "footnote_reference_close":
                if self._label is not None:
                    self.footnotes.append(FootnoteDef(self._label, "\n".join(self._fn_parts), self._fn_start))
                self._label = None
            elif t == "heading_open":
                self._in_heading = True
            elif t == "heading_close":
                self._in_heading = False
            elif t == "dt_open":
                self._dt = None
            elif t == "dd_open":
                self._in_dd += 1
                self._dd_parts = []
            elif t == "dd_close":
                self._in_dd -= 1
                if self._dt and self._dd_parts:
                    self.extras.append((self._dt[0], " ".join(self._dd_parts), self._dt[1]))
            elif t == "inline":
                self._inline(tok, offset + (tok.map[0] if tok.map else 0) + 1)

    def _inline(self, tok: Token, line: int) -> None:
        raw = blank_code(tok.content)
        self.blocks.append(Block(raw, line, self._label, self._in_heading))
        if self._in_heading and self.first_heading is None and raw.strip():
            self.first_heading = _plain(raw)
        if self._label is not None:
            self._fn_parts.append(raw)
        if self._in_dd:
            self._dd_parts.append(raw)
        elif _is_dt(tok):
            self._dt = (raw.strip(), line)
        if "[^" in raw:
            self.refs.extend(_refs(raw, line))
        if "^[" in raw:
            lines = Lines(raw, line)
            for start, end in inline_note_spans(raw):
                self.inline_notes += 1
                label = f"^{self.inline_notes}"
                ref_line = lines.at(start)
                self.refs.append((label, ref_line, text_before(raw, start), True))
                self.footnotes.append(FootnoteDef(label, raw[start + 2:end], ref_line, inline=True))


def _is_dt(tok: Token) -> bool:
    # markdown-it gives a dt's inline token a zero-height map [n, n].
    return tok.map is not None and tok.map[0] == tok.map[1]


def _plain(text: str) -> str:
    text = re.sub(r"\[\^[^\]]+\]", "", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"\s+", " ", text.replace("\u3000", " ")).strip()


def text_before(raw: str, pos: int) -> str:
    """Return what a reference at `pos` keeps of the text before it (FootnoteRef.before)."""
    return raw[max(0, pos - REF_CONTEXT): pos]


def _refs(raw: str, line: int) -> Iterator[tuple[str, int, str, bool]]:
    """Yield (label, line, text before, False) for every `[^label]` in an inline run."""
    lines = Lines(raw, line)
    for m in FOOTNOTE_REF.finditer(raw):
        if raw.startswith(":", m.end()) and (m.start() == 0 or raw[m.start() - 1] == "\n"):
            continue  # a definition line swallowed into a paragraph, not a reference
        if _escaped(raw, m.start()):
            continue
        yield m.group(1), lines.at(m.start()), text_before(raw, m.start()), False


def _escaped(raw: str, pos: int) -> bool:
    """Tell whether the character at `pos` follows an odd run of backslashes."""
    n = 0
    while pos - n - 1 >= 0 and raw[pos - n - 1] == "\\":
        n += 1
    return n % 2 == 1


# A backslash escape (which hides the character after it) or a square bracket.
_BRACKET_OR_ESCAPE = re.compile(r"\\[\s\S]|[\[\]]")


def inline_note_spans(raw: str) -> list[tuple[int, int]]:
    """Return (start of `^[`, index of its closing `]`) for each top-level Obsidian inline footnote.

    Brackets pair up as markdown-it pairs a link label (nested pairs allowed, escaped ones
    ignored), found in one pass: a run of thousands of unclosed `^[` costs linear time.
    """
    closing: dict[int, int] = {}
    notes: list[int] = []
    opened: list[int] = []
    escaped_to = -1
    for m in _BRACKET_OR_ESCAPE.finditer(raw):
        at = m.start()
        if m.group() == "[":
            opened.append(at)
            if at and raw[at - 1] == "^" and escaped_to != at:
                notes.append(at)
        elif m.group() == "]":
            if opened:
                closing[opened.pop()] = at
        else:
            escaped_to = m.end()
    spans: list[tuple[int, int]] = []
    done = -1
    for at in notes:
        end = closing.get(at)
        if end is not None and at > done:
            spans.append((at - 1, end))
            done = end
    return spans


_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$", re.M)
# A blank line followed by a line that continues no list item, footnote or definition.
_BLOCK_GAP = re.compile(r"\n[ \t]*\n(?=[^\s:~])")


def pieces(body: str, offset: int, size: int = BIG_NOTE) -> Iterator[tuple[str, int]]:
    """Split a long body into pieces of about `size` characters; yield (piece, lines before it).

    Pieces end between blocks when they can (a blank line before an unindented line), else at a
    line break, else (one enormous line) after a sentence or a space. A piece that starts inside
    a fenced code block starts with the fence's opening line, so code stays code.
    """
    n = len(body)
    if n <= size:
        yield body, offset
        return
    start, line, reopen = 0, offset, ""
    while start < n:
        cut = _cut(body, start, size)
        piece = body[start:cut]
        yield reopen + piece, line - (1 if reopen else 0)
        reopen = _open_fence(reopen + piece)
        line += piece.count("\n")
        start = cut


def _cut(body: str, start: int, size: int) -> int:
    n = len(body)
    if n - start <= size + size // 2:
        return n
    target, limit = start + size, min(n, start + 4 * size)
    gap = _BLOCK_GAP.search(body, target, limit)
    if gap:
        return gap.end()
    newline = body.find("\n", target, limit)
    if newline >= 0:
        return newline + 1
    for mark in ("。", ". ", " ", "\u3000"):
        at = body.find(mark, target, limit)
        if at >= 0:
            return at + len(mark)
    return target


def _open_fence(text: str) -> str:
    """Return the opening line of a fenced code block left open at the end of `text`, else ""."""
    opener: re.Match[str] | None = None
    for m in _FENCE_LINE.finditer(text):
        fence = m.group(1)
        if opener is None:
            if not (fence[0] == "`" and "`" in m.group(2)):
                opener = m
        elif fence[0] == opener.group(1)[0] and len(fence) >= len(opener.group(1)) and not m.group(2).strip():
            opener = None
    return opener.group(0) + "\n" if opener else ""


MAX_NOTE_BYTES = 64 * 1024 * 1024
"""A file larger than this is no note anyone wrote (a misnamed dump or disk image): skipped."""


def read_file(nf: NoteFile) -> tuple[bytes, os.stat_result, Problem | None] | Problem:
    """Return a note file's bytes, its stat from before the read and a warning, or the problem that stopped reading it.

    A note that changes while it is read (a sync client writing it) is read again, up to three
    times; if it still changes, the last read is used with a warning, and its stat from before
    that read makes the next sync read it again.
    """
    try:
        for _ in range(3):
            st = os.stat(nf.path)
            if st.st_size > MAX_NOTE_BYTES:
                return Problem(
                    "unreadable-note", nf.rel, 1,
                    f"{st.st_size / 1e6:.0f} MB, larger than any note ({MAX_NOTE_BYTES // 2**20} MB): skipped",
                )
            data = nf.path.read_bytes()
            after = os.stat(nf.path)
            if (after.st_size, after.st_mtime_ns) == (st.st_size, st.st_mtime_ns):
                return data, st, None
        return data, st, Problem(
            "changed-while-read", nf.rel, 1, "changed while being read: harvested as read, read again next run"
        )
    except FileNotFoundError:
        if os.path.islink(nf.path):
            return Problem("unreadable-note", nf.rel, 1, "symlink to a file that does not exist: skipped")
        return Problem("unreadable-note", nf.rel, 1, "vanished during the run (deleted or renamed): skipped")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Problem("unreadable-note", nf.rel, 1, "symlink loop (it leads back to itself): skipped")
        return Problem("unreadable-note", nf.rel, 1, f"cannot read: {exc.strerror}")


def read_note(nf: NoteFile) -> tuple[Note | None, list[Problem]]:
    """Read and parse one note file; a bad file gives problems, never an exception."""
    got = read_file(nf)
    if isinstance(got, Problem):
        return None, [got]
    data, st, warning = got
    note, problems = note_from_bytes(data, nf.rel, st.st_mtime)
    return note, ([warning] if warning else []) + problems


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def note_from_bytes(data: bytes, rel: str, mtime: float) -> tuple[Note | None, list[Problem]]:
    """Decode and parse a note's bytes; an undecodable file gives problems and no note."""
    text, problem = decode(data, rel)
    if text is not None:
        # macOS writes kana with separate voicing marks (ハ + ゛); compose them so rules see バ.
        text = unicodedata.normalize("NFC", text)
        # Control characters (but tab and line breaks) are no text a reader sees, and U+001F
        # would split an Anki field: pasted terminal output and old files carry them.
        text = _CONTROL.sub("", text)
    problems = [problem] if problem else []
    if text is None:
        return None, problems
    note, more = parse_note(text, rel, mtime)
    return note, problems + more
