#!/usr/bin/env python3
"""Render a real glossdeck card to PNG for the README: build a deck, import it into a fresh Anki
collection, take the card's HTML from Anki itself and screenshot it in headless Chromium.

    .venv/bin/python scripts/render_card.py [--term EPA] [--chromium /usr/bin/chromium]

Writes docs/card.png (answer side) and docs/card-night.png (the same card in Anki's night mode).
Needs the `anki` package (the test extra) and Debian's `chromium` package.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from glossdeck.export.anki import AnkiOptions
from glossdeck.pipeline import Options, build

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_VAULT = ROOT / "examples" / "vault"

# Used only when examples/vault is missing: our own sentences, in the style of the user's notes.
FALLBACK_NOTE = """\
---
title: 通商のメモ
url: https://example.org/trade
tags: [通商]
---
# 通商のメモ

世界貿易機関（WTO）[^wto]のルールを補うため、日本は経済連携協定（EPA）[^epa]を各国と結んでいる。

[^wto]: World Trade Organization。
[^epa]: Economic Partnership Agreement。「二つ以上の国や地域が、関税の撤廃に加えて投資や人の移動、\
知的財産の保護まで含めて結ぶ協定。」（[デジタル大辞泉 「経済連携協定」](https://kotobank.jp/word/x)より）
"""

# Anki shows a card in a webview whose <body> carries the card classes; night mode adds these two.
PAGE = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8">
<style>
html, body {{ margin: 0; }}
.frame {{ min-height: 100vh; box-sizing: border-box; }}
</style></head>
<body class="card card1 {mode}"><div id="qa" class="frame">{html}</div></body></html>
"""


def example_vault(tmp: Path) -> Path:
    """Return examples/vault, or a small vault written into tmp when it is not there."""
    if any(EXAMPLE_VAULT.rglob("*.md")):
        return EXAMPLE_VAULT
    vault = tmp / "vault"
    (vault / "通商").mkdir(parents=True)
    (vault / "通商" / "経済連携.md").write_text(FALLBACK_NOTE, encoding="utf-8")
    return vault


def card_html(vault: Path, tmp: Path, term: str) -> tuple[str, str]:
    """Build the deck, import it into a fresh Anki collection, return the card's question and answer."""
    out = tmp / "decks"
    build(Options(vault=vault, out=out, deck="用語集", formats=("apkg",), anki=AnkiOptions()))
    (tmp / "anki").mkdir()
    col = Collection(str(tmp / "anki" / "collection.anki2"))
    try:
        options = ImportAnkiPackageOptions(with_scheduling=False)
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(out / "用語集.apkg"), options=options))
        nids = col.find_notes(f'"Term:{term}"')
        if not nids:
            sys.exit(f"render_card: no card for {term!r} in {vault}")
        card = col.get_note(nids[0]).cards()[0]
        return card.question(), card.answer()
    finally:
        col.close()


def screenshot(chromium: str, html: str, png: Path, size: tuple[int, int]) -> None:
    """Render one HTML page to PNG with headless Chromium in a throwaway profile."""
    with tempfile.TemporaryDirectory(prefix="render-card-") as tmp:
        page = Path(tmp) / "card.html"
        page.write_text(html, encoding="utf-8")
        profile = Path(tmp) / "profile"
        cmd = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", "--force-device-scale-factor=2", f"--user-data-dir={profile}",
            f"--screenshot={png}", f"--window-size={size[0]},{size[1]}", page.as_uri(),
        ]  # fmt: skip
        subprocess.run(cmd, check=True, capture_output=True, timeout=120, env={**os.environ, "LANG": "ja_JP.UTF-8"})


def main() -> None:
    """Render the README's card pictures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--term", default="EPA")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--size", default="560x520", help="window size in CSS pixels, WxH")
    args = parser.parse_args()
    if not Path(args.chromium).exists():
        sys.exit("render_card: needs chromium (apt-get install -y chromium fonts-noto-cjk)")
    width, height = (int(n) for n in args.size.split("x"))
    with tempfile.TemporaryDirectory(prefix="render-card-") as tmp:
        _, answer = card_html(example_vault(Path(tmp)), Path(tmp), args.term)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, mode in (("card.png", ""), ("card-night.png", "nightMode night_mode")):
        screenshot(args.chromium, PAGE.format(mode=mode, html=answer), args.out / name, (width, height))
        print(f"wrote {args.out / name}")


if __name__ == "__main__":
    main()
