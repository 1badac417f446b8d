"""Every fixture note under tests/fixtures/harvest gives exactly the entries in its golden file.

A fixture named `refuse-*.md` is a near miss: its golden file lists what little it may give.
A golden records each entry's card fields and, for each place, its line and the rule that read it.
Refresh with `pytest --update-golden` and review the diff like code; a missing golden fails.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from glossdeck.harvest import harvest_note, rule_names
from glossdeck.model import Problem
from glossdeck.normalise import merge
from glossdeck.vault import parse_note

HERE = Path(__file__).parent / "fixtures" / "harvest"
CASES = sorted(HERE.glob("*.md"))
FIELDS = ("term", "kind", "expansion", "aliases", "definition", "definition_source", "definition_url", "remarks")


def harvest_file(path: Path, problems: list[Problem] | None = None) -> list[dict]:
    """Harvest one fixture note into the fields a card shows, and where each place was read and how."""
    note, _ = parse_note(path.read_text(encoding="utf-8"), path.name)
    got = []
    for entry in merge(harvest_note(note, problems)):
        row = {k: entry.to_json()[k] for k in FIELDS}
        row["sources"] = [{"line": s.line, "rule": s.rule} for s in entry.sources]
        got.append(row)
    return got


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_fixture_matches_golden(path: Path, update_golden: bool) -> None:
    got = harvest_file(path)
    golden = path.with_suffix(".json")
    if update_golden:
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert golden.exists(), f"{golden.name} is missing: write it with `pytest --update-golden` and review it"
    assert got == json.loads(golden.read_text(encoding="utf-8"))


def test_every_pattern_has_a_near_miss() -> None:
    names = {p.stem for p in CASES}
    # code and commentary are near misses in themselves: they must give (almost) nothing
    for name in names - {"code", "commentary"}:
        if not name.startswith("refuse-"):
            assert f"refuse-{name}" in names, f"{name}.md has no near-miss twin"


def test_every_rule_is_shown_working_by_a_fixture() -> None:
    shown: set[str] = set()
    for path in CASES:
        if not path.stem.startswith("refuse-") and path.with_suffix(".json").exists():
            for entry in json.loads(path.with_suffix(".json").read_text(encoding="utf-8")):
                shown.update(s["rule"] for s in entry["sources"])
    places = rule_names()
    rules = {rule for place in ("footnote", "inline", "line", "markup", "citation") for rule in places[place]}
    assert rules - shown == set(), "rules no fixture shows working"
    assert shown - rules == set(), "rules the fixtures name that no list holds"


def test_a_definition_over_the_limit_is_cut_with_a_warning_at_its_place() -> None:
    problems: list[Problem] = []
    entries = {e["term"]: e for e in harvest_file(HERE / "citation-long.md", problems)}
    for term in ("経済連携協定", "連携協定"):
        assert entries[term]["definition"].endswith("…")
        assert len(entries[term]["definition"]) == 2001
    assert [(p.kind, p.path, p.line) for p in problems] == [
        ("long-definition", "citation-long.md", 5),
        ("long-definition", "citation-long.md", 7),
    ]
    assert all("経済連携協定" in p.message or "連携協定" in p.message for p in problems)
    quiet: list[Problem] = []
    harvest_file(HERE / "refuse-citation-long.md", quiet)
    assert quiet == []
