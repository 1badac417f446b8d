"""Glossary -> one Obsidian note: every entry, sorted, with wiki-links back to its source notes."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..atomic import write_bytes
from ..model import Entry, Glossary, Source
from .anki import safe_url

# Backslash-escape what Obsidian would read as markup: emphasis, links and embeds, tags,
# highlights (==), comments (%%), math ($), block ids (^) and raw HTML.
_MARKUP = re.compile(r"([\\`*_\[\]<>#|~=$%^!{}])")


def md_escape(text: str) -> str:
    """Return text that Obsidian shows as written, on one line."""
    return _MARKUP.sub(r"\\\1", " ".join(text.split()))


def wiki_link(src: Source) -> str:
    """Return `[[path-without-.md|title]]` for a source note."""
    target = src.path[:-3] if src.path.endswith(".md") else src.path
    label = re.sub(r"[\[\]|#^]", "", src.title).strip()
    stem = target.rpartition("/")[2]
    return f"[[{target}|{label}]]" if label and label != stem else f"[[{target}]]"


def _heading(entry: Entry, twins: Counter[str]) -> str:
    # Two meanings of one term (EPA) get the meaning beside the term, so each heading is unique.
    text = entry.term
    if twins[entry.term] > 1 and (entry.expansion or entry.definition):
        text += f" ({entry.expansion or (entry.definition or '')[:20]})"
    return "## " + md_escape(text)


def entry_lines(entry: Entry, twins: Counter[str]) -> list[str]:
    """Return the Markdown lines of one entry."""
    lines = [_heading(entry, twins), ""]
    meaning = []
    if entry.expansion:
        meaning.append(f"**{md_escape(entry.expansion)}**")
    if entry.aliases:
        meaning.append("、".join(md_escape(a) for a in entry.aliases))
    if meaning:
        lines += [" — ".join(meaning), ""]
    if entry.definition:
        lines.append("> " + md_escape(entry.definition))
        if entry.definition_source or entry.definition_url:
            name = md_escape(entry.definition_source or "出典")
            url = safe_url(entry.definition_url)
            lines.append(f"> —— [{name}](<{url}>)" if url else f"> —— {name}")
        lines.append("")
    for remark in entry.remarks:
        lines += [f"備考: {md_escape(remark)}", ""]
    by_path: dict[str, list[Source]] = {}
    for src in entry.sources:
        by_path.setdefault(src.path, []).append(src)
    if by_path:
        where = [
            f"{wiki_link(found[0])}（{'・'.join(str(s.line) for s in found)}行）" for found in by_path.values()
        ]
        lines += ["ノート: " + "、".join(where), ""]
    return lines


def markdown_text(glossary: Glossary) -> str:
    """Return the glossary note's Markdown."""
    entries = glossary.entries  # already in the documented order, the same as json and csv
    twins = Counter(e.term for e in entries)
    title = f"{glossary.name} 用語集"
    lines = [
        "---",
        f'title: "{title.replace(chr(92), "").replace(chr(34), "")}"',
        "glossdeck: generated",  # lets a harvest that meets this note in the vault know to skip it
        "---",
        f"# {md_escape(title)}",
        "",
        f"{len(entries)} 語。glossdeck が生成したノートです（編集しても次の build で上書きされます）。",
        "",
    ]
    for entry in entries:
        lines += entry_lines(entry, twins)
    return "\n".join(lines).rstrip("\n") + "\n"


def write_markdown(glossary: Glossary, path: Path) -> bool:
    """Write the glossary note atomically; return whether it changed."""
    return write_bytes(path, markdown_text(glossary).encode("utf-8"))
