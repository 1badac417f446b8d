"""Every fixture note under tests/fixtures/harvest gives exactly the entries in its golden file.

A fixture named `refuse-*.md` is a near miss: its golden file lists what little it may give.
Refresh with `pytest --update-golden` and review the diff like code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from glossdeck.harvest import harvest_note
from glossdeck.normalise import merge
from glossdeck.vault import parse_note

HERE = Path(__file__).parent / "fixtures" / "harvest"
CASES = sorted(HERE.glob("*.md"))
FIELDS = ("term", "kind", "expansion", "aliases", "definition", "definition_source", "definition_url", "remarks")


def harvest_file(path: Path) -> list[dict]:
    """Harvest one fixture note into the fields a card shows."""
    note, _ = parse_note(path.read_text(encoding="utf-8"), path.name)
    return [{k: e.to_json()[k] for k in FIELDS} for e in merge(harvest_note(note))]


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_fixture_matches_golden(path: Path, update_golden: bool) -> None:
    got = harvest_file(path)
    golden = path.with_suffix(".json")
    if update_golden or not golden.exists():
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert got == json.loads(golden.read_text(encoding="utf-8"))


def test_every_pattern_has_a_near_miss() -> None:
    names = {p.stem for p in CASES}
    # code and commentary are near misses in themselves: they must give (almost) nothing
    for name in names - {"code", "commentary"}:
        if not name.startswith("refuse-"):
            assert f"refuse-{name}" in names, f"{name}.md has no near-miss twin"
