"""A sync renders only the cards whose entries changed, the rest from its cache: the deck is a build's byte for byte."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from glossdeck.export import anki
from glossdeck.pipeline import Options
from glossdeck.sync import sync

NOTE = "# {name}のメモ\n\n{ja}（{acr}）[^x]について調べた。\n\n[^x]: {long}。\n"
TERMS = [
    ("WTO", "World Trade Organization", "世界貿易機関"),
    ("ITU", "International Telecommunication Union", "国際電気通信連合"),
    ("WHO", "World Health Organization", "世界保健機関"),
    ("UNDP", "United Nations Development Programme", "国連開発計画"),
]
FAR = 4_000_000_000  # an mtime past every clock the earlier runs chose: build and sync agree on it


@pytest.fixture
def rendered(monkeypatch):
    """Count the cards rendered (anki.fields calls), by term."""
    seen: list[str] = []
    real = anki.fields

    def counting(entry, *args, **kwargs):
        seen.append(entry.term)
        return real(entry, *args, **kwargs)

    monkeypatch.setattr(anki, "fields", counting)
    return seen


def vault_of(make_vault) -> Path:
    return make_vault({f"{acr}.md": NOTE.format(name=acr, ja=ja, acr=acr, long=long) for acr, long, ja in TERMS})


def built(cli, vault: Path, out: Path, *extra: str) -> bytes:
    assert cli("build", vault, "--out", out, "--deck", "用語", *extra).exit_code == 0
    return (out / "用語.apkg").read_bytes()


def test_a_one_note_sync_renders_that_notes_cards_only_and_writes_a_builds_deck(make_vault, cli, tmp_path, rendered):
    vault = vault_of(make_vault)
    options = Options(vault=vault, out=tmp_path / "synced", deck="用語")
    sync(options)
    assert sorted(rendered) == ["ITU", "UNDP", "WHO", "WTO"]
    note = vault / "WHO.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n世界保健機関（WHO）[^x]の会合。\n", encoding="utf-8")
    os.utime(note, (FAR, FAR))
    rendered.clear()
    sync(options)
    assert rendered == ["WHO"]
    assert (tmp_path / "synced" / "用語.apkg").read_bytes() == built(cli, vault, tmp_path / "built")


def test_other_card_settings_render_every_card_again(make_vault, cli, tmp_path, rendered):
    vault = vault_of(make_vault)
    sync(Options(vault=vault, out=tmp_path / "synced", deck="用語"))
    os.utime(vault / "WTO.md", (FAR, FAR))
    rendered.clear()
    sync(Options(vault=vault, out=tmp_path / "synced", deck="用語", anki=anki.AnkiOptions(lang="en")))
    assert sorted(rendered) == ["ITU", "UNDP", "WHO", "WTO"]
    assert (tmp_path / "synced" / "用語.apkg").read_bytes() == built(cli, vault, tmp_path / "built", "--lang", "en")
