#!/usr/bin/env python3
"""Write a synthetic vault of study notes for benchmarks: frontmatter, headings, Japanese prose,
acronym footnotes, dictionary-cited definitions, commentary footnotes and code blocks.

usage: python bench/make_vault.py OUT_DIR [--notes N] [--seed S]   (deterministic; standard library only)
"""

from __future__ import annotations

import argparse
import random
import string
from pathlib import Path

WORDS = (
    "Global Digital International Telecommunication Economic Partnership Regional Council Forum "
    "Agency Network Security Development Standard Advisory Committee Organization Cooperation Data "
    "Trust Internet Policy Research Infrastructure Broadcast System Emergency Assembly Conference"
).split()
KANJI = "情報通信技術政策国際機関標準化経済連携協定電波放送郵便安全保障研究開発基盤整備推進戦略会議委員会"
PROSE = (
    "{ja}については、関係する府省と連携しながら検討を重ねている。"
    "国際会議での議論にも加わり、制度づくりと人材の育成を進めてきた。"
    "今後はデジタル技術を使って地域の課題を解くことが求められる。"
)


def pool(rng: random.Random, size: int) -> list[tuple[str, str, str]]:
    """Return (acronym, long form, Japanese name) triples; some acronyms have two meanings."""
    found: dict[tuple[str, str], str] = {}
    while len(found) < size:
        words = rng.sample(WORDS, rng.randint(2, 5))
        acr = "".join(w[0] for w in words)
        ja = "".join(rng.choice(KANJI) for _ in range(rng.randint(4, 8)))
        found.setdefault((acr, " ".join(words)), ja)
    return [(a, e, j) for (a, e), j in found.items()]


def note(rng: random.Random, i: int, terms: list[tuple[str, str, str]]) -> str:
    """Return the text of note number i."""
    out = [
        "---", f"created: 2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "tags:", "  - 白書", f"  - 第{i % 12}章", f"url: https://example.invalid/paper/{i}.html", "---",
        f"# 第{i}節　調査ノート{i}",
    ]
    for s in range(rng.randint(6, 10)):
        acr, exp, ja = rng.choice(terms)
        label = acr.lower()
        out += [f"## {s + 1}　項目{s}", f"[{ja}](https://example.invalid/{label})（{acr}[^{label}]）は、"
                + PROSE.format(ja=ja), ""]
        notes = []
        if rng.random() < 0.15:
            word = "".join(rng.choice(KANJI) for _ in range(3))
            notes.append(f"[^{label}]: {exp}。「{word}についての取り決め。」"
                         f"（[デジタル大辞泉 「{word}」](https://example.invalid/w/{label})より）")
        else:
            notes.append(f"[^{label}]: {exp}。")
        if rng.random() < 0.3:
            c = "".join(rng.choice(string.ascii_lowercase) for _ in range(6))
            out.append(f"確認待ちの点[^{c}]が残る。")
            notes.append(f"[^{c}]: 原文をあとで確かめる。")
        if rng.random() < 0.1:
            out += ["```python", "x = '[^not-a-footnote]: Not A Footnote'", "```"]
        out += [PROSE.format(ja=ja) * rng.randint(1, 3), "", *notes, ""]
    return "\n".join(out) + "\n"


def make(out: Path, notes: int, seed: int = 1) -> int:
    """Write the vault; return its size in bytes."""
    rng = random.Random(seed)
    terms = pool(rng, max(50, notes // 4))
    total = 0
    for i in range(notes):
        folder = out / f"part{i % 20:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        data = note(rng, i, terms).encode("utf-8")
        (folder / f"ノート{i:05d}.md").write_bytes(data)
        total += len(data)
    (out / ".obsidian").mkdir(exist_ok=True)
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--notes", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    size = make(a.out, a.notes, a.seed)
    print(f"{a.notes} notes, {size / 1e6:.1f} MB in {a.out}")


if __name__ == "__main__":
    main()
