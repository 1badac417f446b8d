#!/usr/bin/env python3
"""Print how glossdeck copes with broken and hostile vaults: time and peak memory, and how the time
of each pathological pattern grows with its length (linear: 8x the length takes about 8x the time).

usage: python bench/hostile.py [--mb 20] [--work DIR] [--patterns] [--shapes blocks,dense,...]
Figures, not tests (targets from issue 7: the hostile fixture vault with a 20 MB note builds within
2 minutes and 1 GB; no pattern grows faster than linearly; issue 11: a 120 KB paragraph of `（[「` or
`（出典：[「` takes about as long as 120 KB of ordinary prose). --patterns prints the pattern tables only.
Every vault also holds a FIFO named `pipe.md` and a link `zero.md` to /dev/zero: a build that read
either would never end.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from bench import _mem, run  # noqa: E402
from make_vault import make  # noqa: E402

FIXTURE = HERE.parent / "tests" / "fixtures" / "hostile"

# Runs of these once made some part of reading or harvesting quadratic.
PATTERNS = [
    "（", "(", "[", "「", "^[", "[^", "[a](", "](", "![[", "[[", "（ITU（", "`", "<", "*", "\\",
    "[^a]: ", "（ABC[^a]", "x[^a]\n", "（[辞典 「語」](https://example.org/x)より）", "「語",
    "<!--", "$$", "%%", "（略称：ITU）", "Alpha Beta (AB) ", "- ", "> ",
    "（[「", "（出典：[「", "x<script>", "<b>", "&amp;", "**a ", "_a ", "==", "~~", "](<", " ^id", "![",
]
# A good acronym and a good citation: every harvester has work to do beside the pattern.
GOOD = (
    "世界貿易機関（WTO[^wto]）。\n\n[^wto]: World Trade Organization。\n\n"
    "関税とは「輸入品にかける税。」（[辞典 「関税」](https://example.org/kanzei)より）である。\n\n"
)
# Ordinary prose, for the citation patterns to be measured against.
PROSE = (
    "日本は世界貿易機関の枠組みのもとで、各国と経済連携協定を結んできた。"
    "The delegates discussed tariffs, services and the movement of people for several days. "
)
CITATION_PATTERNS = ["（[「", "（出典：[「", "（[辞典 「語」](https://example.org/x)より）"]


def pasted_text(work: Path, mb: float) -> str:
    """About `mb` MB of realistic note text: synthetic notes pasted one after another."""
    notes = work / "paste-source"
    if not notes.exists():
        make(notes, max(1, int(mb * 1e6 / 8500)))
    parts, size = [], 0
    for path in sorted(notes.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        parts.append(text)
        size += len(text.encode("utf-8"))
        if size >= mb * 1e6:
            break
    return "".join(parts)


def dense_text(mb: float) -> str:
    """About `mb` MB of nothing but footnoted acronyms: one on every other line, a definition between."""
    rng = random.Random(1)
    words = "Global Digital International Telecommunication Economic Partnership Regional Council Forum".split()
    kanji = "情報通信技術政策国際機関標準化経済連携協定電波放送"
    parts, size, i = [], 0, 0
    while size < mb * 1e6:
        chosen = rng.sample(words, 3)
        ja = "".join(rng.choice(kanji) for _ in range(5))
        part = f"{ja}（{''.join(w[0] for w in chosen)}[^f{i}]）を進める。\n\n[^f{i}]: {' '.join(chosen)}。\n\n"
        parts.append(part)
        size += len(part.encode("utf-8"))
        i += 1
    return "".join(parts)


def vault_with(work: Path, name: str, big: str) -> Path:
    vault = work / name
    shutil.rmtree(vault, ignore_errors=True)
    shutil.copytree(FIXTURE, vault)
    (vault / "sub").mkdir()
    (vault / "sub" / "loop").symlink_to("..")
    (vault / "broken.md").symlink_to("nowhere.md")
    if hasattr(os, "mkfifo"):
        os.mkfifo(vault / "pipe.md")
    (vault / "zero.md").symlink_to("/dev/zero")
    (vault / "sub" / "pasted.md").write_text(big, encoding="utf-8")
    return vault


def pattern_times() -> None:
    from glossdeck.harvest import harvest_note
    from glossdeck.lint import lint_note
    from glossdeck.vault import note_from_bytes

    def once(text: str) -> float:
        start = time.perf_counter()
        note, _ = note_from_bytes(text.encode("utf-8"), "n.md", 0.0)
        assert note is not None
        harvest_note(note)
        lint_note(note)
        return time.perf_counter() - start

    print("== one paragraph of n repeats of a pattern, beside a good acronym: read, harvest, lint ==")
    print(f"{'pattern':<44} {'n=10k':>9} {'n=80k':>9}  growth for 8x")
    worst = 0.0
    for unit in PATTERNS:
        small, big = (once(GOOD + unit * n + "\n") for n in (10_000, 80_000))
        growth = big / max(small, 1e-4)
        worst = max(worst, growth if big > 0.05 else 0)
        print(f"{unit!r:<44} {small * 1000:7.1f}ms {big * 1000:7.1f}ms  {growth:5.1f}x")
    print(f"largest growth for 8x the length (patterns over 50 ms): {worst:.1f}x (linear: ~8x; quadratic: ~64x)")

    print("\n== citations: one paragraph of a pattern beside the same size of ordinary prose ==")
    print(f"{'paragraph':<44} {'120 KB':>9} {'960 KB':>9}  growth for 8x")
    for unit in [PROSE, *CITATION_PATTERNS]:
        small, big = (once(GOOD + _sized(unit, kb) + "\n") for kb in (120, 960))
        label = "ordinary prose" if unit is PROSE else repr(unit)
        print(f"{label:<44} {small * 1000:7.1f}ms {big * 1000:7.1f}ms  {big / max(small, 1e-4):5.1f}x")


def _sized(unit: str, kb: int) -> str:
    """Return `unit` repeated to about `kb` KB of UTF-8."""
    return unit * max(1, kb * 1000 // len(unit.encode("utf-8")))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=20.0, help="size of the pasted note")
    ap.add_argument("--work", type=Path, help="keep vaults and outputs here")
    ap.add_argument("--patterns", action="store_true", help="only the pattern tables (no vault builds)")
    ap.add_argument("--shapes", default="blocks,one paragraph,one line,dense",
                    help="which big notes to build, comma-separated")
    a = ap.parse_args()
    if a.patterns:
        pattern_times()
        return
    work = a.work or Path(tempfile.mkdtemp(prefix="glossdeck-hostile-"))
    try:
        text = pasted_text(work, a.mb)
        shapes = {
            "blocks": lambda: text,  # as pasted: headings, paragraphs, footnotes, code
            "one paragraph": lambda: text.replace("\n\n", "\n"),  # no blank line anywhere
            "one line": lambda: text.replace("\n", " "),  # no line break at all
            "dense": lambda: dense_text(a.mb),  # a footnoted acronym on every other line
        }
        for shape in a.shapes.split(","):
            big = shapes[shape.strip()]()
            vault = vault_with(work, "vault-" + shape.replace(" ", "-"), big)
            mb = len(big.encode("utf-8")) / 1e6
            seconds, peak, out = run(["build", str(vault), "--out", str(work / "out")], work)
            summary = out.strip().splitlines()[-1]
            print(f"== hostile fixture vault + a {mb:.1f} MB note ({shape}) ==")
            print(f"build: {seconds:.1f} s (target <= 120 s), peak {_mem(peak)} (target <= 1 GB); {summary}")
        pattern_times()
    finally:
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
