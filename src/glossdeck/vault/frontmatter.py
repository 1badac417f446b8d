"""A note's frontmatter: only `title`, `url`, `tags` and `glossdeck` (skip or generated), each checked for its type."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from frontmatter.default_handlers import SafeLoader

from ..model import Problem


@dataclass(frozen=True, slots=True)
class Meta:
    """The frontmatter glossdeck reads: title, url, tags, and its own `glossdeck:` key."""

    title: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()
    generated: bool = False
    """True for glossdeck's own glossary note (`glossdeck: generated`): never harvested back."""
    skip: bool = False
    """True for `glossdeck: false`: the author keeps this note out of the deck."""


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
    root, problems = _compose(match.group(1) or "", rel)
    if root is None:
        return Meta(), body, offset, problems
    found = _wanted(root, rel, problems)
    meta = Meta(
        title=_text_value(found.get("title"), "title", rel, problems),
        url=_text_value(found.get("url"), "url", rel, problems),
        tags=_tag_values(found.get("tags"), rel, problems),
        generated=_text_value(found.get("glossdeck"), "glossdeck", rel, problems) == "generated",
        skip=_is_false(found.get("glossdeck")),
    )
    return meta, body, offset, problems


# The same fences python-frontmatter reads (--- and ---), so the two never disagree on the body.
_FRONTMATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)
_LOOKS_LIKE_YAML = re.compile(r"\A---[ \t]*\r?\n[ \t]*[\w\"'-][^\n:]*:(?:[ \t]|\r?\n)")
# Only these keys are read, each with a type check; nothing else in the YAML is ever built.
_WANTED = ("title", "url", "tags", "glossdeck")
_STR, _NULL, _BOOL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool"


def _compose(source: str, rel: str) -> tuple[yaml.MappingNode | None, list[Problem]]:
    """Return the frontmatter's top mapping (None when empty or not a mapping) and what was wrong."""
    try:
        root = yaml.compose(source, Loader=SafeLoader)
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        mark = getattr(exc, "problem_mark", None)
        # the YAML starts on the file's line 2 (after the opening ---); marks count lines from 0
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [
            Problem("bad-frontmatter", rel, line, f"invalid YAML frontmatter ({reason}): body harvested anyway")
        ]
    if root is None or isinstance(root, yaml.MappingNode):
        return root, []
    return None, [Problem("bad-frontmatter", rel, 2, "frontmatter is not a list of `key: value` lines: ignored")]


def _wanted(root: yaml.MappingNode, rel: str, problems: list[Problem]) -> dict[str, yaml.Node]:
    """Return the values of the keys glossdeck reads; report odd keys and alias bombs."""
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
        elif key.value in _WANTED:
            found[key.value] = value  # a repeated key: the last wins, as in YAML readers
    if bombs:
        problems.append(_alias_bomb(bombs, rel))
    return found


def _alias_bomb(bombs: list[tuple[str, int]], rel: str) -> Problem:
    # the keys glossdeck reads first: they are what the note loses
    named = sorted(bombs, key=lambda b: (b[0] not in _WANTED, b[1]))
    keys = ", ".join(f"`{k}`" for k, _ in named[:5]) + (", …" if len(named) > 5 else "")
    return Problem(
        "bad-frontmatter", rel, bombs[0][1],
        f"YAML aliases expand frontmatter {keys} to over {ALIAS_LIMIT:,} values or without end "
        "(an alias bomb): ignored",
    )


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


def _is_false(node: yaml.Node | None) -> bool:
    """Tell whether a value is YAML's false (`false`, `no`, `off`, as the safe loader reads them)."""
    return isinstance(node, yaml.ScalarNode) and node.tag == _BOOL and node.value.lower() in ("false", "no", "off")


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
