"""What note text becomes on a card: escaped HTML, out of reach of Anki's own markup, and safe links."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import quote, urlsplit

from ..atomic import shown_name

_SCHEMES = ("http", "https", "obsidian")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")


def safe_url(url: str | None) -> str | None:
    """Return the URL when it is http(s) or obsidian and well formed, else None."""
    return _safe_url(url) if url else None


@lru_cache(maxsize=1 << 14)
def _safe_url(url: str) -> str | None:
    # cached: every source line of a note links to the same two URLs
    if _SPACE_OR_CONTROL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES or not parts.netloc:
        return None
    # Obsidian's other actions (advanced-uri commands, search, new) do things; a note link only opens.
    if scheme == "obsidian" and (parts.netloc.lower() != "open" or parts.path not in ("", "/")):
        return None
    return url


def link(url: str | None, text: str) -> str:
    """Return an escaped <a> for a safe URL, or the escaped text alone."""
    href = safe_url(url)
    if href is None:
        return escape(text)
    return _anchor(href, text)


def note_link(vault: str, path: str, text: str) -> str:
    """Return the escaped <a> that opens a note in Obsidian (link(obsidian_url(vault, path), text))."""
    # obsidian_url percent-encodes every character but letters, digits and _.-~ after
    # `obsidian://open?`: safe_url passes it always, and its urlsplit was a tenth of writing a deck.
    return _anchor(obsidian_url(vault, path), text)


def _anchor(href: str, text: str) -> str:
    return f'<a href="{html.escape(href, quote=True).replace("[", "&#91;")}">{escape(text)}</a>'


WORD_JOINER = "\u2060"
# The reviewer's MathJax typesets \( \) \[ \] (and \begin{…}) wherever they stand in the card's text,
# \href and \style included: an invisible word joiner after the backslash keeps them out of its reach.
_MATHJAX = re.compile(r"\\(?=[()\[\]]|begin\{)")


def escape(text: str) -> str:
    """Return text as a field shows it: HTML-escaped, and out of reach of Anki's own markup.

    Anki plays [sound:x.mp3] and [anki:tts], and sends [latex], [$] and [$$] to LaTeX, by matching the
    field's raw text: `&#91;` shows as "[" and matches none of them.
    """
    return html.escape(_MATHJAX.sub(_join, text)).replace("[", "&#91;")


def _join(match: re.Match[str]) -> str:
    return match.group() + WORD_JOINER


@lru_cache(maxsize=1 << 14)
def obsidian_url(vault: str, path: str) -> str:
    """Return the obsidian:// link that opens a note (names that are not UTF-8 as Obsidian shows them)."""
    file = path[:-3] if path.endswith(".md") else path
    return f"obsidian://open?vault={quote(shown_name(vault), safe='')}&file={quote(shown_name(file), safe='')}"


