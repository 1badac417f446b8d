"""A card's identity outlives edits: real Anki keeps one note per meaning across rebuilds."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from glossdeck import identity
from glossdeck.errors import GlossdeckError
from glossdeck.export import clock
from glossdeck.pipeline import Options, build, glossary

ECON = "日本は経済連携協定（EPA[^epa]）を推進している。\n\n[^epa]: Economic Partnership Agreement。\n"
ENV = "米国の環境保護庁（EPA[^epa]）が規制を発表した。\n\n[^epa]: Environmental Protection Agency。\n"
ITU_TYPO = "国際電気通信連合（ITU[^itu]）は国連の専門機関。\n\n[^itu]: International Telecomunication Union。\n"
ITU_FIXED = ITU_TYPO.replace("Telecomunication", "Telecommunication")


def options(vault: Path, out: Path) -> Options:
    return Options(vault=vault, out=out, deck="用語集", formats=("apkg",))


def touch_all(vault: Path, when: float) -> None:
    """Give every note the same new mtime, so the next package is newer than the last (Anki's IF_NEWER)."""
    for path in vault.rglob("*.md"):
        os.utime(path, (when, when))


def import_into(col: Collection, apkg: Path) -> None:
    opts = ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False, merge_notetypes=False)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg), options=opts))


def notes_for(col: Collection, term: str) -> dict[str, int]:
    """Return {long form: note id} of the collection's notes for a term."""
    return {col.get_note(nid)["Expansion"]: nid for nid in col.find_notes(f'"Term:{term}"')}


def keys(vault: Path, out: Path) -> dict[str, str]:
    result, _ = glossary(options(vault, out))
    return {e.expansion or "": e.key for e in result.entries}


@pytest.fixture
def collection(tmp_path):
    col = Collection(str(tmp_path / "collection.anki2"))
    yield col
    col.close()


def test_a_second_meaning_is_a_new_anki_note_and_the_first_keeps_its_note_id(make_vault, tmp_path, collection):
    vault = make_vault({"通商.md": ECON})
    out = tmp_path / "decks"
    touch_all(vault, 1_700_000_000)
    build(options(vault, out))
    import_into(collection, out / "用語集.apkg")
    first = notes_for(collection, "EPA")
    assert list(first) == ["Economic Partnership Agreement"]

    (vault / "環境.md").write_text(ENV, encoding="utf-8")
    touch_all(vault, 1_700_003_600)
    build(options(vault, out))
    import_into(collection, out / "用語集.apkg")
    after = notes_for(collection, "EPA")
    assert collection.note_count() == 2
    assert after["Economic Partnership Agreement"] == first["Economic Partnership Agreement"]
    assert "Environmental Protection Agency" in after


def test_a_fixed_typo_in_a_long_form_updates_the_same_anki_note(make_vault, tmp_path, collection):
    vault = make_vault({"ITU.md": ITU_TYPO})
    out = tmp_path / "decks"
    touch_all(vault, 1_700_000_000)
    build(options(vault, out))
    import_into(collection, out / "用語集.apkg")
    (before,) = notes_for(collection, "ITU").values()

    (vault / "ITU.md").write_text(ITU_FIXED, encoding="utf-8")
    touch_all(vault, 1_700_003_600)
    build(options(vault, out))
    import_into(collection, out / "用語集.apkg")
    assert notes_for(collection, "ITU") == {"International Telecommunication Union": before}
    assert collection.note_count() == 1


def test_without_a_registry_keys_are_term_and_meaning(make_vault, tmp_path):
    vault = make_vault({"ITU.md": ITU_FIXED})
    assert keys(vault, tmp_path / "decks") == {
        "International Telecommunication Union": "ITU|internationaltelecommunicationunion"
    }


def test_the_registry_survives_more_builds_and_a_second_meaning(make_vault, tmp_path):
    vault = make_vault({"ITU.md": ITU_TYPO, "通商.md": ECON})
    out = tmp_path / "decks"
    build(options(vault, out))
    (vault / "ITU.md").write_text(ITU_FIXED, encoding="utf-8")
    build(options(vault, out))
    (vault / "環境.md").write_text(ENV, encoding="utf-8")
    build(options(vault, out))
    assert keys(vault, out) == {
        "International Telecommunication Union": "ITU|internationaltelecomunicationunion",
        "Economic Partnership Agreement": "EPA|economicpartnershipagreement",
        "Environmental Protection Agency": "EPA|environmentalprotectionagency",
    }
    saved = json.loads((out / "用語集.identity.json").read_text(encoding="utf-8"))
    assert saved["keys"]["ITU|internationaltelecomunicationunion"] == "ITU|internationaltelecommunicationunion"


def test_a_meaning_replaced_by_a_different_one_is_a_new_card(make_vault, tmp_path):
    vault = make_vault({"EPA.md": ECON})
    out = tmp_path / "decks"
    build(options(vault, out))
    (vault / "EPA.md").write_text(ENV, encoding="utf-8")
    assert keys(vault, out) == {"Environmental Protection Agency": "EPA|environmentalprotectionagency"}


def test_a_card_without_long_form_keeps_its_key_when_it_gains_one(make_vault, tmp_path):
    vault = make_vault({"AI.md": "人工知能（AI）の研究が進んでいる。\n"})
    out = tmp_path / "decks"
    build(options(vault, out))
    assert keys(vault, out) == {"": "AI|"}
    (vault / "AI.md").write_text("人工知能（AI[^ai]）の研究。\n\n[^ai]: Artificial Intelligence。\n", encoding="utf-8")
    assert keys(vault, out) == {"Artificial Intelligence": "AI|"}


def test_a_typo_back_beside_its_fix_never_shares_the_fixed_cards_key():
    registry = {"ITU|internationaltelecomunicationunion": "ITU|internationaltelecommunicationunion"}
    natural = ["ITU|internationaltelecommunicationunion", "ITU|internationaltelecomunicationunion"]
    moved = identity.renames(natural, registry)
    final = [moved.get(k, k) for k in natural]
    assert final[0] == "ITU|internationaltelecomunicationunion"
    assert len(set(final)) == 2


def test_a_similar_meaning_of_another_term_is_never_reused():
    registry = {"ITU|internationaltelecomunicationunion": "ITU|internationaltelecomunicationunion"}
    assert identity.renames(["ITUT|internationaltelecommunicationunion"], registry) == {}


def test_a_damaged_registry_stops_the_build_with_a_clear_message(make_vault, tmp_path):
    vault = make_vault({"ITU.md": ITU_FIXED})
    out = tmp_path / "decks"
    out.mkdir()
    (out / "用語集.identity.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(GlossdeckError, match="identity registry"):
        build(options(vault, out))


def test_a_registry_that_is_not_utf8_is_damaged(tmp_path):
    path = tmp_path / "用語集.identity.json"
    path.write_bytes(b'{"keys": {"\xff": 1}}')
    with pytest.raises(GlossdeckError, match="identity registry"):
        identity.load(path)


def test_an_output_folder_that_is_a_file_is_an_os_error_not_a_damaged_registry(tmp_path):
    out = tmp_path / "decks"
    out.write_text("not a folder", encoding="utf-8")
    with pytest.raises(NotADirectoryError):  # the CLI names the path; no "restore it from a backup"
        identity.load(identity.registry_path(out, "用語集"))
    folder = tmp_path / "用語集.identity.json"
    folder.mkdir()
    with pytest.raises(IsADirectoryError):
        identity.load(folder)


def test_the_anki_clock_moves_past_the_last_one_only_when_the_cards_change(make_vault, tmp_path):
    from glossdeck.export.anki import AnkiOptions

    vault = make_vault({"ITU.md": ITU_FIXED, "EPA.md": ECON})
    touch_all(vault, 1_750_000_000)
    result, _ = glossary(options(vault, tmp_path))
    first = clock.clock_for(result, AnkiOptions(), None)
    assert first.clock == 1_750_000_000  # no history: the newest note's mtime
    assert clock.clock_for(result, AnkiOptions(), first) == first  # same cards: same clock
    # the newest mtime going back (a note deleted) or staying (an option) never takes the clock back
    fewer = result.__class__(result.name, result.entries[:1], 1_749_999_000.0, result.vault_name)
    assert clock.clock_for(fewer, AnkiOptions(), first).clock == first.clock + 1
    assert clock.clock_for(result, AnkiOptions(reverse=True), first).clock == first.clock + 1
    # an edit far newer than the last clock: the edit's mtime
    later = result.__class__(result.name, result.entries[:1], 1_750_009_000.0, result.vault_name)
    assert clock.clock_for(later, AnkiOptions(), first).clock == 1_750_009_000.0
    path = clock.clock_path(tmp_path, "用語集")
    assert clock.load_clock(path) is None
    clock.save_clock(path, first)
    assert clock.load_clock(path) == first
    path.write_text("{damaged", encoding="utf-8")
    problems: list = []
    assert clock.load_clock(path, problems) is None  # the mtime rule again, not a stopped build
    assert [(p.kind, p.path) for p in problems] == [("unreadable-clock", str(path))]  # and a warning


# A registry or a clock damaged by hand, a sync tool or a bad disk.

GOOD_KEYS = {"ITU|internationaltelecomunicationunion": "ITU|internationaltelecommunicationunion"}
DAMAGED_REGISTRIES = {
    "a null value": {"version": 2, "count": 1, "keys": {"ITU|x": None}},
    "a number value": {"version": 2, "count": 1, "keys": {"ITU|x": 7}},
    "an object value": {"version": 2, "count": 1, "keys": {"ITU|x": {"a": 1}}},
    "a value that is no key": {"version": 2, "count": 1, "keys": {"ITU|x": "ITU"}},
    "emptied keys": {"keys": {}},
    "emptied keys behind a count": {"version": 2, "count": 1, "keys": {}},
    "a future version": {"version": 99, "count": 1, "keys": GOOD_KEYS},
    "a version that is text": {"version": "2", "count": 1, "keys": GOOD_KEYS},
    "no version": {"keys": GOOD_KEYS},
    "keys that are a list": {"version": 2, "count": 0, "keys": []},
    "an unknown field": {"version": 2, "count": 1, "keys": GOOD_KEYS, "extra": 1},
    "a top level list": [GOOD_KEYS],
}


@pytest.mark.parametrize("damage", DAMAGED_REGISTRIES)
def test_a_damaged_registry_stops_the_build_and_is_never_written_back(damage, make_vault, cli, tmp_path):
    vault = make_vault({"ITU.md": ITU_FIXED})
    out = tmp_path / "decks"
    out.mkdir()
    registry = out / "用語集.identity.json"
    text = json.dumps(DAMAGED_REGISTRIES[damage])
    registry.write_text(text, encoding="utf-8")
    result = cli("build", vault, "--out", out, "--deck", "用語集")
    assert result.exit_code == 2, result.output
    assert f"{registry}: damaged card identity registry (" in result.stderr
    assert "Traceback" not in result.output
    assert registry.read_text(encoding="utf-8") == text  # never "None", never anything else
    assert not (out / "用語集.apkg").exists()


@pytest.mark.parametrize("text", ['{"version": 2, "count": 1, "keys": {"ITU|x": Infinity}}',
                                  '{"version": 2, "count": NaN, "keys": {}}', "[" * 100_000 + "]" * 100_000])
def test_a_registry_holding_what_json_allows_only_by_accident_is_damaged(text, make_vault, cli, tmp_path):
    vault = make_vault({"ITU.md": ITU_FIXED})
    out = tmp_path / "decks"
    out.mkdir()
    (out / "用語集.identity.json").write_text(text, encoding="utf-8")
    result = cli("build", vault, "--out", out, "--deck", "用語集")
    assert result.exit_code == 2 and "damaged card identity registry" in result.stderr, result.output


def test_a_well_formed_registry_of_either_version_is_read_and_an_empty_deck_has_an_empty_one(make_vault, cli,
                                                                                              tmp_path):
    vault = make_vault({"ITU.md": ITU_FIXED})
    out = tmp_path / "decks"
    out.mkdir()
    registry = out / "用語集.identity.json"
    registry.write_text(json.dumps({"version": 1, "keys": GOOD_KEYS}), encoding="utf-8")  # glossdeck 0.x
    assert cli("build", vault, "--out", out, "--deck", "用語集", "--format", "json").exit_code == 0
    saved = json.loads(registry.read_text(encoding="utf-8"))
    assert saved["version"] == 2 and saved["count"] == len(saved["keys"]) == 1
    assert saved["keys"] == GOOD_KEYS  # the corrected card keeps the key it was first issued
    assert json.loads((out / "用語集.json").read_text(encoding="utf-8"))[0]["term"] == "ITU"
    empty = make_vault({"空.md": "# 何もない\n"})
    assert cli("build", empty, "--out", out, "--deck", "空").exit_code == 0
    assert json.loads((out / "空.identity.json").read_text(encoding="utf-8")) == {"version": 2, "count": 0, "keys": {}}
    assert cli("build", empty, "--out", out, "--deck", "空").exit_code == 0  # and it reads back


@pytest.mark.parametrize("text", [
    '{"version": 1, "clock": Infinity, "digest": "d"}', '{"version": 1, "clock": NaN, "digest": "d"}',
    '{"version": 1, "clock": 1e300, "digest": "d"}', '{"version": 1, "clock": -5, "digest": "d"}',
    '{"version": 1, "clock": "1750000000", "digest": "d"}', '{"version": 1, "clock": true, "digest": "d"}',
    '{"version": 1, "clock": 1750000000, "digest": null}', '{"clock": 1750000000, "digest": "d"}',
    "[" * 100_000 + "]" * 100_000, "{\"version\": 1, \"clock\": 17",
])
def test_a_damaged_anki_clock_is_a_warning_and_the_mtime_rule(text, make_vault, cli, tmp_path):
    vault = make_vault({"ITU.md": ITU_FIXED})
    touch_all(vault, 1_750_000_000)
    out = tmp_path / "decks"
    out.mkdir()
    path = out / "用語集.anki-clock.json"
    path.write_text(text, encoding="utf-8")
    result = cli("build", vault, "--out", out, "--deck", "用語集")
    assert result.exit_code == 0, result.output
    assert f"{path}:1: unreadable Anki clock (" in result.stderr and "using the newest note's mtime" in result.stderr
    assert "Traceback" not in result.output
    assert json.loads(path.read_text(encoding="utf-8"))["clock"] == 1_750_000_000  # the mtime rule
