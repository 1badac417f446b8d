"""The block scanner (vault/blocks.py) against markdown-it-py alone: the same blocks, line numbers,
footnotes, references and definition lists, for generated notes mixing every block kind and for
every note under tests/fixtures and examples/.

Run longer with `HYPOTHESIS_PROFILE=fuzz` (see conftest.py).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE_VAULT, FIXTURES
from glossdeck.vault import blocks
from glossdeck.vault.frontmatter import split_frontmatter
from glossdeck.vault.markdown import parse_body

FUZZING = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
BUDGET = settings(deadline=None) if FUZZING else settings(max_examples=600, deadline=None)


def same(body: str, offset: int = 0) -> None:
    """Assert the scanner and markdown-it-py alone read `body` the same way."""
    assert parse_body(body, offset, scanner=True) == parse_body(body, offset, scanner=False)


# Words a line is made of: text, references, inline markup and what may start or end a block.
WORDS = [
    "WTO", "World Trade Organization", "世界貿易機関（WTO）", "text", "[^a]", "[^b]", "^[Inline Note]",
    "`code`", "``", "**bold**", "*", "-", "+", "_", "=", "1.", "2)", "10.", "#", "##", "#tag", ">", "<div>",
    "</div>", "<!--", "-->", "<span>", "<script>", "</script>", "<pre>", "```", "~~~", ":", "~", "|", "a | b",
    "|---|---|", "---", "===", "***", "___", "[x]: /url", "[link](http://x.invalid)", "[x]", "\\", "\\[^a]",
    "]", "[", "]:", "\u3000", "$x$", "%%c%%", "(WTO)", "。", "[^a]:", "[^b c]:", "[^]:", "\t", "  ",
]
# What a line may start with: indents, block markers, footnote definitions of every spelling.
STARTS = [
    "", "", "", "", " ", "  ", "   ", "    ", "     ", "        ", "\t", " \t", "# ", "## ", "###### ",
    "####### ", "#", "[^a]: ", "[^b]:", "[^a]:    ", "[^a]:\t", "[^a b]: ", "[^a]", "- ", "* ", "+ ", "-",
    "1. ", "2) ", "> ", "> > ", ">", "<div>", "<!-- ", "<pre>", "```", "```py", "``` `x`", "~~~", "````",
    ": ", "~ ", "  : ", "---", "===", "- - -", "[ref]: ", "[ref]:\n", "| ", "***", "    - ", "    > ",
    "    [^c]: ", "  ```", "    ```", "-->", "</pre>",
]
LINE = st.builds(
    lambda start, words, joiner: start + joiner.join(words),
    st.sampled_from(STARTS), st.lists(st.sampled_from(WORDS), max_size=5), st.sampled_from([" ", ""]),
)
BREAK = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r"])


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    lines = draw(st.lists(LINE, min_size=1, max_size=4))
    return "\n".join(["WTO は World Trade Organization[^a] の略。", *lines])


@st.composite
def footnote(draw: st.DrawFn) -> str:
    label = draw(st.sampled_from(["a", "b", "wto", "注1", "a b", "a]"]))
    rest = draw(st.lists(st.tuples(st.sampled_from(["", "", "  ", "    ", "      ", "        ", "\t", "\n    ",
                                                      "\n\n    ", "\n\n  ", "\n\n"]), LINE), max_size=4))
    lines = [f"[^{label}]:{draw(st.sampled_from([' ', '', '  ', '    ']))}World Trade Organization。"]
    lines += [indent + line for indent, line in rest]
    return "\n".join(lines)


@st.composite
def fence(draw: st.DrawFn) -> str:
    marker = draw(st.sampled_from(["```", "~~~", "````", "~~~~"]))
    indent = draw(st.sampled_from(["", "", " ", "   ", "    "]))
    inner = draw(st.lists(LINE, max_size=3))
    close = draw(st.sampled_from([marker, marker + "`", marker[:3], "  " + marker, "    " + marker, marker + " x", ""]))
    return "\n".join([indent + marker + draw(st.sampled_from(["", "py", " `x`"])), *inner, close])


SHAPES = [
    "Term\n: Definition of the term", "Term\n\n: Definition", "Term\n~ Definition", "- item [^a]\n- item two",
    "- item\n\n  more of the item", "1. one\n2. two", "> quote [^a]\n> more", "> [!note] Callout\n> body",
    "<div>\nhtml [^a]\n</div>", "<!--\ncomment\n\n[^a]: hidden\n-->", "Title\n=====", "Title\n---",
    "| a | b |\n|---|---|\n| WTO | World Trade Organization |", "    indented code [^a]",
    "[ref]: http://x.invalid \"title\"", "[ref]:\n  http://x.invalid\n  'title'", "# Heading [^a] #",
    "## Heading ##  ", "#  ", "#", "[^a]: first\n\n    second [^b]\n\n        code\n    third",
    "<script>\n\nx\n</script>", "- ```\n  code\n\n```", "text\n    ```\nlazy",
    "- " * 12 + "deep [^a]", "> " * 21 + "deep", "- " * 9 + "> " * 3 + "deep",
]
BLOCK = st.one_of(paragraph(), footnote(), fence(), LINE, st.sampled_from(SHAPES))
GAP = st.sampled_from(["\n", "\n\n", "\n\n", "\n \n", "\n\t\n", "\n\n\n", "\r\n\r\n"])


@st.composite
def note(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(BLOCK, GAP), min_size=1, max_size=8))
    text = "".join(block + gap for block, gap in parts)
    if draw(st.booleans()):
        text = text.rstrip("\n")
    if draw(st.booleans()):
        text = re.sub("\n", draw(BREAK), text)
    return text


@BUDGET
@given(note())
@example("[^a]: World Trade Organization。\n  lazy [^b]\n\n    second paragraph\n\nnext")
@example("Term\n\n: Definition\n")
@example("Term\n: Definition\n\n[^a]: a term, not a footnote, in the list above\n: WTO\n")
@example("para\n```\ncode\n")
@example("WTO[^a]\n\n" + "- " * 10 + "deep\n\n[^a]: dropped past markdown-it's nesting limit\n\nWTO\n")
@example("[link](http://x.invalid)（WTO[^wto]）は…\n\n[^wto]: World Trade Organization。\n")
def test_generated_notes_read_the_same(text: str) -> None:
    same(text, 3)


@given(st.lists(st.sampled_from([*STARTS, *WORDS, "\n", "\n", "\n\n", "\r\n", "\x00"]), max_size=40).map("".join))
@BUDGET
def test_any_mix_reads_the_same(text: str) -> None:
    same(text)


def _notes() -> list[Path]:
    found = [*FIXTURES.rglob("*.md"), *EXAMPLE_VAULT.rglob("*.md")]
    return sorted(p for p in found if p.is_file())


@pytest.mark.parametrize("path", _notes(), ids=lambda p: str(p.relative_to(FIXTURES.parent.parent)))
def test_fixture_notes_read_the_same(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", errors="replace")
    _meta, body, offset, _problems = split_frontmatter(text, path.name)
    same(body, offset)
    same(text)


def test_the_scanner_reads_plain_blocks_itself() -> None:
    text = "# Title\n\nWTO は略。[^a]\n\n[^a]: World Trade Organization.\n    more\n\n```\n[^b]: code\n```\n"
    assert [event[0] for event in blocks.scan(text)] == ["h", "p", "f"]


def test_the_scanner_hands_over_what_it_cannot_classify() -> None:
    text = "Title\n===\n\npara\n\n- item\n\nTerm\n\n: Definition\n\n> quote\n"
    kinds = [event[0] for event in blocks.scan(text)]
    assert kinds == ["m", "p", "m", "m"]  # the list and the definition list are one chunk


def test_the_switch_turns_the_scanner_off(monkeypatch: pytest.MonkeyPatch) -> None:
    import glossdeck.vault.markdown as markdown

    calls: list[str] = []
    monkeypatch.setattr(markdown.blocks, "scan", lambda text: calls.append(text) or iter(()))
    monkeypatch.setattr(markdown, "SCANNER", False)
    assert parse_body("WTO[^a]\n", 0).refs
    assert calls == []
    monkeypatch.setattr(markdown, "SCANNER", True)
    parse_body("WTO[^a]\n", 0)
    assert calls == ["WTO[^a]\n"]


def test_markdown_it_debug_calls_are_quiet_and_leave_logging_alone() -> None:
    import logging

    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger, root_level = logging.getLogger("markdown_it"), logging.getLogger().level
    handler, level = Keep(logging.DEBUG), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)  # set after import: glossdeck's instance stays quiet
    try:
        parse_body("- item\n\n> quote\n", 0, scanner=False)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert records == []
    assert logging.getLogger().level == root_level
