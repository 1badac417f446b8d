"""Real-Anki helpers for the export tests: a fixture vault of our own notes, import, review, inspect."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest, ImportCsvRequest
from anki.import_export_pb2 import IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER as IF_NEWER

from glossdeck.export.anki import AnkiOptions
from glossdeck.pipeline import Options, build

EPA_DEFINITION = "二つ以上の国が、関税の引き下げに加えて投資や人の往来まで含めて結ぶ協定。"
TRADE_TEMPLATE = """\
---
title: 通商政策のメモ
url: https://example.org/trade/memo
tags:
  - 通商
  - 国際 機関
  - 白書/第1部
---
# 通商政策のメモ

日本は世界貿易機関（WTO）[^wto]の枠組みを土台にしながら、経済連携協定（EPA）[^epa]を広げてきた。

[^wto]: World Trade Organization。
[^epa]: Economic Partnership Agreement。「{EPA_DEFINITION}」（[デジタル大辞泉 「経済連携協定」](https://kotobank.jp/word/x)より）
"""

NETWORK = """\
---
title: 通信のメモ
tags: [通信]
---
# 通信のメモ

国際電気通信連合（ITU）[^itu]は電波の割り当てを調整する。

[^itu]: International Telecommunication Union。
"""

TRADE = TRADE_TEMPLATE.replace("{EPA_DEFINITION}", EPA_DEFINITION)
VAULT = {"通商/経済連携.md": TRADE, "通信/電波.md": NETWORK}

# A vault written in English, for the card labels and glossary wording that follow the vault's language.
ENGLISH = {
    "trade/agreements.md": """\
---
title: Trade notes
---
# Trade notes

The World Trade Organization (WTO) sets the rules; an Economic Partnership Agreement (EPA)[^epa] goes further.

[^epa]: Economic Partnership Agreement. Covers investment and the movement of people, not only tariffs.
""",
    "telecom/radio.md": """\
# Radio spectrum

The International Telecommunication Union (ITU) coordinates the radio spectrum between countries.
""",
}
MTIME = 1_750_000_000


def write_fixture(make_vault, notes: dict[str, str] | None = None) -> Path:
    """Write the fixture vault with fixed modification times, so builds are reproducible."""
    vault = make_vault(notes or VAULT)
    for i, rel in enumerate(sorted(notes or VAULT)):
        os.utime(vault / rel, (MTIME + i, MTIME + i))
    return vault


def build_deck(vault: Path, out: Path, formats=("apkg",), **anki) -> dict[str, Path]:
    """Build the vault into `out`; return {format: path}."""
    options = Options(vault=vault, out=out, deck="用語集", formats=tuple(formats), anki=AnkiOptions(**anki))
    report = build(options)
    paths = report.written + report.unchanged
    return {fmt: next(p for p in paths if p.name.endswith(_SUFFIX[fmt])) for fmt in formats}


_SUFFIX = {"apkg": ".apkg", "csv": ".csv", "anki-csv": ".anki.csv", "json": ".json", "md": ".md"}


def import_apkg(col: Collection, path: Path):
    """Import a package the way Anki's dialog does by default (update notes if newer); return the log."""
    options = ImportAnkiPackageOptions(
        merge_notetypes=False,
        update_notes=IF_NEWER,
        update_notetypes=IF_NEWER,
        with_scheduling=False,
        with_deck_configs=False,
    )
    return col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=options)).log


def import_csv(col: Collection, path: Path):
    """Import a CSV with the metadata Anki reads from its headers; return the log."""
    metadata = col.get_csv_metadata(str(path), None)
    return col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log


def note_of(col: Collection, term: str):
    """Return the only note whose Term is `term`."""
    nids = col.find_notes(f'"Term:{term}"')
    assert len(nids) == 1, f"{term}: {len(nids)} notes"
    return col.get_note(nids[0])


def review(col: Collection, card_id: int, ease: int = 3) -> None:
    """Answer a card as a user would in the reviewer."""
    card = col.get_card(card_id)
    col.decks.select(card.did)
    card.start_timer()
    col.sched.answerCard(card, ease)


def schedule(col: Collection, card_id: int) -> dict:
    """Return what a review changes: interval, due, reps, lapses, and the review log."""
    card = col.get_card(card_id)
    revlog = col.db.list("select id from revlog where cid=? order by id", card_id)
    return {"ivl": card.ivl, "due": card.due, "reps": card.reps, "type": card.type, "revlog": revlog}


def guids(col: Collection) -> set[str]:
    """Return every note GUID in the collection."""
    return set(col.db.list("select guid from notes"))


@contextmanager
def fresh_collection(folder: Path) -> Iterator[Collection]:
    """Open a new, empty Anki collection in `folder` and close it afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    col = Collection(str(folder / "collection.anki2"))
    try:
        yield col
    finally:
        col.close()


def edit(vault: Path, rel: str, old: str, new: str, mtime: int) -> None:
    """Edit a note as the user would in Obsidian (the file's mtime moves forward)."""
    path = vault / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, (mtime, mtime))
