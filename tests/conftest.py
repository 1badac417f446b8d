"""Shared test helpers: write small vaults of our own notes into a temporary folder."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from glossdeck.cli import app
from glossdeck.harvest import harvest_note
from glossdeck.model import Candidate
from glossdeck.vault import parse_note

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE_VAULT = Path(__file__).parent.parent / "examples" / "vault"


def write_vault(root: Path, notes: dict[str, str | bytes]) -> Path:
    """Write {relative path: text} as a vault under root and return it."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in notes.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def make_vault(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """Return a function that writes a vault of notes into a fresh folder."""
    counter = iter(range(1000))

    def make(notes: dict[str, str | bytes]) -> Path:
        return write_vault(tmp_path / f"vault{next(counter)}", notes)

    return make


def harvest_text(text: str, path: str = "note.md") -> list[Candidate]:
    """Harvest one note's text and return its candidates."""
    note, _ = parse_note(text, path)
    return harvest_note(note)


@pytest.fixture
def cli() -> Callable[..., object]:
    """Run the glossdeck CLI in-process; return the click Result."""
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    return run


def entries_json(result) -> list[dict]:
    """Parse `harvest --format json` output."""
    return json.loads(result.stdout)


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add --update-golden: rewrite expected files from the current output (then review the diff)."""
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Tell whether golden files are to be rewritten."""
    return bool(request.config.getoption("--update-golden"))


# Long fuzzing runs: HYPOTHESIS_PROFILE=fuzz (GLOSSDECK_FUZZ_EXAMPLES=n examples a property, 20000
# unless set). Without it, each property runs the moderate count it names (tests/test_properties.py).
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("GLOSSDECK_FUZZ_EXAMPLES", "20000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz":
    settings.load_profile("fuzz")
