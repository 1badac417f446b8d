"""Which references point at which footnote definition, typos included (`[^dejure]` -> `[^dejuru]`)."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict

from ..model import FootnoteDef, FootnoteRef, Note

# How alike a dangling label and an unused definition's label must be to be taken as a typo.
SIMILARITY = 0.7


class LabelMatcher:
    """Find the label most like a dangling one among a note's candidate labels (a likely typo)."""

    BUDGET = 100_000
    """Label comparisons allowed per note: a note with thousands of dangling references and
    thousands of unused definitions gets suggestions for the first ones, not minutes of work."""

    def __init__(self, candidates: list[str]) -> None:
        self._lowered: dict[str, str] = {}
        for cand in sorted(candidates):
            self._lowered.setdefault(cand.lower(), cand)
        self._keys = list(self._lowered)
        self._budget = self.BUDGET
        self._found: dict[str, str | None] = {}

    def closest(self, label: str) -> str | None:
        """Return the candidate most like `label`, or None."""
        key = label.lower()
        if key not in self._found:
            match: list[str] = []
            if len(self._keys) <= self._budget:
                self._budget -= len(self._keys)
                # get_close_matches screens with cheap bounds before the full ratio
                match = difflib.get_close_matches(key, self._keys, n=1, cutoff=SIMILARITY)
            self._found[key] = self._lowered[match[0]] if match else None
        return self._found[key]


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
    matcher = LabelMatcher([f.label for f in note.footnotes if f.label not in by_label])
    for ref in dangling:
        match = matcher.closest(ref.label)
        if match is not None:
            by_label[match].append(ref)
    return by_label


def unique_definitions(note: Note) -> list[FootnoteDef]:
    """Return the note's definitions, the last of each label (markdown-it's rule: last wins)."""
    last: dict[str, FootnoteDef] = {}
    for fn in note.footnotes:
        last[fn.label] = fn
    return sorted(last.values(), key=lambda f: f.line)


def label_as_written(label: str, note: Note) -> str:
    """Return a footnote label as the note's text spells it (`IaaS` for `[^iaas]`), else in capitals.

    An unreferenced footnote's label is only a guess at its acronym; the text may still write the
    word (`IaaS\\[^iaas\\]`, an escaped reference), and that spelling is the acronym's, not `IAAS`.
    """
    pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(label)}(?![A-Za-z0-9])", re.IGNORECASE)
    for block in note.blocks:
        if block.footnote is None:
            m = pattern.search(block.text)
            if m and m.group(0) != m.group(0).lower():
                return m.group(0)
    return label.upper()
