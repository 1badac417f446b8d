"""Which references point at which footnote definition, typos included (`[^dejure]` -> `[^dejuru]`)."""

from __future__ import annotations

import difflib
from collections import defaultdict

from ..model import FootnoteDef, FootnoteRef, Note

# How alike a dangling label and an unused definition's label must be to be taken as a typo.
SIMILARITY = 0.7


def closest_label(label: str, candidates: list[str]) -> str | None:
    """Return the candidate label most like `label` (a likely typo), or None."""
    # get_close_matches screens with cheap bounds before the full ratio: thousands of labels stay fast
    lowered: dict[str, str] = {}
    for cand in sorted(candidates):
        lowered.setdefault(cand.lower(), cand)
    match = difflib.get_close_matches(label.lower(), list(lowered), n=1, cutoff=SIMILARITY)
    return lowered[match[0]] if match else None


def refs_by_definition(note: Note) -> dict[str, list[FootnoteRef]]:
    """Map each definition's label to its references; a dangling reference joins its closest unused label."""
    by_label: dict[str, list[FootnoteRef]] = defaultdict(list)
    defined = {f.label for f in note.footnotes}
    dangling: list[FootnoteRef] = []
    for ref in note.refs:
        if ref.label in defined:
            by_label[ref.label].append(ref)
        else:
            dangling.append(ref)
    unused = [f.label for f in note.footnotes if f.label not in by_label]
    for ref in dangling:
        match = closest_label(ref.label, unused)
        if match is not None:
            by_label[match].append(ref)
    return by_label


def unique_definitions(note: Note) -> list[FootnoteDef]:
    """Return the note's definitions, the last of each label (markdown-it's rule: last wins)."""
    last: dict[str, FootnoteDef] = {}
    for fn in note.footnotes:
        last[fn.label] = fn
    return sorted(last.values(), key=lambda f: f.line)
