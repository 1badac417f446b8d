"""Glossary -> one Obsidian note: every entry, sorted, with links back to its source notes.

Every piece of note text is escaped for the place it goes (docs/anki.md has the card side): text is
backslash-escaped, a note is linked with a wiki-link only when its path and name need no escaping
(else with a Markdown link to its percent-encoded path), and a URL is percent-encoded where Markdown
or Obsidian would read it as markup.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from ..atomic import write_bytes
from ..model import Entry, Glossary, Source
from .anki import DEFAULT_OPTIONS, AnkiOptions
from .lang import Words, words_for
from .markup import safe_url

# Backslash-escape what Obsidian would read as markup: emphasis, links and embeds, tags,
# highlights (==), comments (%%), math ($), block ids (^), raw HTML and entities (&).
_MARKUP = re.compile(r"([\\`*_\[\]<>#|~=$%^!{}&])")
# Line breaks (a title may hold one) would end the line: the text goes on one line.
_BREAKS = re.compile(r"[\r\n\v\f\x85\u2028\u2029]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# At a line's start (or a quote's), `- x`, `+ x` and `1. x` would be list items.
_LIST_START = re.compile(r"^(?:[-+]|\d+(?=[.)]))")


def md_escape(text: str) -> str:
    """Return text that Obsidian shows as written, on one line."""
    return _MARKUP.sub(r"\\\1", _one_line(text))


def _one_line(text: str) -> str:
    return _CONTROL.sub("", _BREAKS.sub(" ", text)).strip()


def _line_start(escaped: str) -> str:
    # the escape goes before the sign (`\-`), or between the number and its dot (`1\.`)
    match = _LIST_START.match(escaped)
    if match is None:
        return escaped
    if match.group().isdigit():
        return escaped[: match.end()] + "\\" + escaped[match.end():]
    return "\\" + escaped


# A wiki-link cannot hold these in its target or name: ] and | end them, # and ^ point into the
# note, and the rest is markup that could pair with a sign outside the link (`==`, `$`, `<b>`).
_WIKI_UNSAFE = re.compile(r"[\[\]|#^\\%<>`$=~*&!{}\x00-\x1f\x7f\x85\u2028\u2029]")


def note_link(src: Source) -> str:
    """Return a link to a source note: `[[path|name]]`, or `[name](path.md)` when a wiki-link cannot hold it."""
    target = src.path[:-3] if src.path.endswith(".md") else src.path
    stem = target.rpartition("/")[2]
    label = _one_line(src.title)
    if not _WIKI_UNSAFE.search(target + label) and target == target.strip():
        return f"[[{target}|{label}]]" if label and label != stem else f"[[{target}]]"
    # Percent-encoded, the path holds nothing Markdown or Obsidian reads; Obsidian decodes it.
    text = md_escape(label) or md_escape(stem) or md_escape(src.path)
    return f"[{text}]({quote(src.path, safe='/')})"


# In a link's URL: what ends it (spaces, brackets, parentheses), what Obsidian reads anywhere (![[,
# %%, $), and a % that starts no escape. Percent-encoded, the URL is the same for a browser.
_URL_UNSAFE = re.compile(r"[\s<>\"`\\^{}|\[\]()$]|%(?![0-9A-Fa-f]{2})")


def link_url(url: str) -> str:
    """Return a URL written so a Markdown link destination holds it and nothing else."""
    return _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), url)


def _heading(entry: Entry, twins: Counter[str]) -> str:
    # Two meanings of one term (EPA) get the meaning beside the term, so each heading is unique.
    text = entry.term
    if twins[entry.term] > 1 and (entry.expansion or entry.definition):
        text += f" ({entry.expansion or (entry.definition or '')[:20]})"
    return "## " + md_escape(text)


def _definition(entry: Entry, words: Words) -> list[str]:
    if not entry.definition:
        return []
    lines = ["> " + _line_start(md_escape(entry.definition))]
    if entry.definition_source or entry.definition_url:
        name = md_escape(entry.definition_source or words.source)
        url = safe_url(entry.definition_url)
        lines.append(f"> —— [{name}]({link_url(url)})" if url else f"> —— {name}")
    return [*lines, ""]


def entry_lines(entry: Entry, twins: Counter[str], words: Words) -> list[str]:
    """Return the Markdown lines of one entry."""
    lines = [_heading(entry, twins), ""]
    meaning = []
    if entry.expansion:
        meaning.append(f"**{md_escape(entry.expansion)}**")
    if entry.aliases:
        meaning.append(words.list_sep.join(md_escape(a) for a in entry.aliases))
    if meaning:
        lines += [_line_start(" — ".join(meaning)), ""]
    lines += _definition(entry, words)
    for remark in entry.remarks:
        lines += [f"{words.remarks}: {md_escape(remark)}", ""]
    by_path: dict[str, list[Source]] = {}
    for src in entry.sources:
        by_path.setdefault(src.path, []).append(src)
    if by_path:
        where = [note_link(found[0]) + words.aside.format(words.where([s.line for s in found]))
                 for found in by_path.values()]
        lines += [f"{words.notes}: " + words.list_sep.join(where), ""]
    return lines


def markdown_text(glossary: Glossary, options: AnkiOptions = DEFAULT_OPTIONS) -> str:
    """Return the glossary note's Markdown, in the language of options.lang (or the vault's)."""
    entries = glossary.entries  # already in the documented order, the same as json and csv
    words = words_for(options.lang, entries)
    twins = Counter(e.term for e in entries)
    title = words.glossary.format(glossary.name)
    lines = [
        "---",
        f"title: {json.dumps(title, ensure_ascii=False)}",  # a JSON string is a YAML double-quoted one
        "glossdeck: generated",  # lets a harvest that meets this note in the vault know to skip it
        "---",
        f"# {md_escape(title)}",
        "",
        (words.intro_one if len(entries) == 1 else words.intro).format(len(entries)),
        "",
    ]
    for entry in entries:
        lines += entry_lines(entry, twins, words)
    return "\n".join(lines).rstrip("\n") + "\n"


def write_markdown(glossary: Glossary, path: Path, options: AnkiOptions = DEFAULT_OPTIONS) -> bool:
    """Write the glossary note atomically; return whether it changed."""
    return write_bytes(path, markdown_text(glossary, options).encode("utf-8"))
