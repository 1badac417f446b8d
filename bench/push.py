#!/usr/bin/env python3
"""Print how long `glossdeck push` takes on the bench vault: the first push into a new collection, an
unchanged push, a push with one changed entry, and how long each held the collection open.

usage: python bench/push.py [--notes 10000] [--vault DIR] [--work DIR]   (needs pip install 'glossdeck[anki]')
Figures, not tests: run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench import _mem, run  # noqa: E402
from make_vault import make  # noqa: E402

HELD = re.compile(r"collection open ([\d.]+) s")
MENTION = re.compile(r"（([A-Z]+)\[\^(\w+)\]）")


def held(output: str) -> str:
    """Return the seconds the collection was open, as the push printed them."""
    found = HELD.search(output)
    return f"{found.group(1)} s" if found else "?"


def summary(output: str) -> str:
    """Return the push's summary line."""
    return next((line for line in output.splitlines() if line.startswith("Anki, ")), "?")


def one_change(vault: Path) -> None:
    """Add a note that gives an existing acronym one more Japanese name: one entry changes."""
    first = min(vault.rglob("*.md"))
    text = first.read_text(encoding="utf-8")
    match = MENTION.search(text)
    assert match, f"{first}: no acronym mention"
    acr, label = match.groups()
    long_form = re.search(rf"^\[\^{label}\]: (.+?)。", text, re.M)
    assert long_form, f"{first}: no footnote [^{label}]"
    (vault / "追加メモ.md").write_text(
        f"# 追加メモ\n\n新しい呼び名（{acr}[^a]）を記す。\n\n[^a]: {long_form.group(1)}。\n", encoding="utf-8"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--notes", type=int, default=10_000)
    ap.add_argument("--vault", type=Path, help="benchmark this vault instead of a generated one (it is edited)")
    ap.add_argument("--work", type=Path, help="keep the generated vault, outputs and collection here")
    a = ap.parse_args()
    from anki.collection import Collection  # fails here, not halfway, without the extra

    work = a.work or Path(tempfile.mkdtemp(prefix="glossdeck-push-bench-"))
    try:
        vault = a.vault or work / f"vault{a.notes}"
        if not vault.exists():
            make(vault, a.notes)
        folder = work / "push"
        shutil.rmtree(folder, ignore_errors=True)
        collection = folder / "User 1" / "collection.anki2"
        collection.parent.mkdir(parents=True)
        Collection(str(collection)).close()  # a new, empty profile
        config = f'vault = "{vault}"\nout = "decks"\ndeck = "Bench"\n'
        (folder / "glossdeck.toml").write_text(config, encoding="utf-8")
        t_sync, _, _ = run(["sync"], folder)
        (folder / "glossdeck.toml").write_text(config + f'[anki]\ncollection = "{collection}"\n', encoding="utf-8")
        t_first, mem, out_first = run(["push"], folder)
        t_same, _, out_same = run(["push"], folder)
        t_quiet, _, _ = run(["sync"], folder)
        one_change(vault)
        t_one, _, out_one = run(["push"], folder)
        print(f"== push of the {a.notes}-note bench vault ({summary(out_first).split(': ', 1)[-1].split(';')[0]}) ==")
        print(f"first sync, files only (no cache): {t_sync:.2f} s")
        print(f"first push into a new collection: {t_first:.2f} s, collection open {held(out_first)}; "
              f"peak {_mem(mem)}")
        print(f"push, nothing changed: {t_same:.2f} s, collection open {held(out_same)}")
        print(f"sync with [anki], nothing changed (collection not opened): {t_quiet:.2f} s")
        print(f"push, one entry changed: {t_one:.2f} s, collection open {held(out_one)} ({summary(out_one)})")
    finally:
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
