"""markdown-it-py as glossdeck runs it: CommonMark with footnotes and definition lists, block rules only.

markdown.py reads its tokens (every chunk the block scanner hands over, or every line with the
scanner off).
"""

from __future__ import annotations

import logging
import sys

from markdown_it import MarkdownIt
from markdown_it.rules_core.state_core import StateCore
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").use(footnote_plugin).use(deflist_plugin)
    # Keep unreferenced definitions in the token stream: they are harvested too.
    md.disable("footnote_tail")
    # Only the block structure is read from markdown-it. Footnote references and inline
    # footnotes are found by `references` and `inline_note_spans` in one linear pass per run: the
    # plugin's inline rules rescan to the end of the run at every `[^` or `^[` that does not close
    # (seconds for a paragraph of a few thousand), and inline parsing was most of the parse time.
    md.core.ruler.at("inline", _no_inline)
    md.disable("text_join")
    return md


def _no_inline(state: StateCore) -> None:
    for token in state.tokens:
        if token.type == "inline":
            token.children = []


def _quiet_markdown_it() -> None:
    """Make markdown-it-py's debug calls cost next to nothing in this process.

    Its block rules call `LOGGER.debug("entering …", state, …)` on every try: ~450 calls a bench
    note, ~150 ns each through Logger.debug and isEnabledFor even with DEBUG off (~9% of a parse
    with the scanner off). markdown-it-py has a logger per module, not per instance, so each of its
    module loggers gets a `debug` attribute that is a C no-op (`"".format` takes any arguments and
    formats none). Nothing else is touched: no level, handler or other library's logger, and a
    logger a user set to DEBUG before glossdeck was imported keeps its output.
    """
    for name, module in list(sys.modules.items()):
        logger = getattr(module, "LOGGER", None) if name.startswith("markdown_it") else None
        if isinstance(logger, logging.Logger) and not logger.isEnabledFor(logging.DEBUG):
            logger.debug = "".format  # type: ignore[method-assign,assignment]


MD = _markdown()
_quiet_markdown_it()
DEEP = MD.options.maxNesting - 2
"""A token this deep: its chunk may have reached markdown-it's nesting limit (markdown._scan)."""
