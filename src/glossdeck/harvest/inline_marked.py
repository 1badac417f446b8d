"""A bracket that says what it holds before holding it: `(short for Transport Layer Security)`.

`TLS (short for Transport Layer Security)`, `OKRs (aka objectives and key results)`, `hardware
security module (abbreviated HSM)`, `network file system (or NFS)`, `write-ahead log (abbr. WAL)`,
`content delivery network ("CDN")`, `(hereafter, FCC)`, `(CVSS for short)`: the marker or the quotes
go and the bracket is read as the other inline rules read a plain one. One rule of `inline.RULES`,
tried first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from .rules import Found, first_match

if TYPE_CHECKING:
    from .inline import Bracket

# Words that say the rest of the bracket is the other name (`e.g.` gives an example, not a name).
_MARKER = re.compile(
    r"(?:short for|(?:also )?known as|aka|a\.k\.a\.|abbreviated(?: as)?|abbr\.|or|i\.e\.,?|that is,?"
    r"|hereafter,?|henceforth,?|from now on,?|hence)\s+(\S.*)|(\S.*?),?\s+for short",
    re.I,
)
_QUOTED = re.compile(r"[\"“'‘]([^\"“”'‘’]+)[\"”'’]")


def unmarked(b: Bracket, rules: Sequence[tuple[str, Callable[[Bracket], list[Found] | None]]]) -> list[Found] | None:
    """Read a marked or quoted bracket by the other rules, without its marker; None for a plain one."""
    m = _MARKER.fullmatch(b.content) or _QUOTED.fullmatch(b.content)
    if m is None:
        return None
    bare = type(b)(next(g for g in m.groups() if g).strip(), b.before, b.masked_before)
    bare.after = b.after
    found = first_match(rules, bare)
    return found[1] if found else None
