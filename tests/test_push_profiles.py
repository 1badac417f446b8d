"""Which collection a push writes: Anki's profile folders, --list-profiles, and the [anki] table's settings."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from glossdeck.config import load
from glossdeck.export.profiles import FLATPAK, bases
from push_support import make_project, new_collection


def anki_base(root: Path, listed: tuple[str, ...], with_collection: tuple[str, ...]) -> Path:
    """Write an Anki base folder: prefs21.db listing `listed`, a collection in each of `with_collection`."""
    root.mkdir(parents=True)
    db = sqlite3.connect(root / "prefs21.db")
    db.execute("create table profiles (name text primary key collate nocase, data blob not null)")
    db.executemany("insert into profiles values (?, x'00')", [("_global",), *((n,) for n in listed)])
    db.commit()
    db.close()
    for name in with_collection:
        new_collection(root / name / "collection.anki2")
    return root


@pytest.fixture
def base(tmp_path, monkeypatch):
    root = anki_base(tmp_path / "Anki2", ("User 1", "Work"), ("User 1", "Old"))
    monkeypatch.setenv("ANKI_BASE", str(root))
    return root


@pytest.mark.parametrize(
    ("platform", "env", "expected"),
    [
        ("win32", {"APPDATA": "C:/Users/me/AppData/Roaming"}, ["C:/Users/me/AppData/Roaming/Anki2"]),
        ("darwin", {}, ["/home/me/Library/Application Support/Anki2"]),
        ("linux", {}, ["/home/me/.local/share/Anki2", f"/home/me/{FLATPAK}"]),
        ("linux", {"XDG_DATA_HOME": "/data"}, ["/data/Anki2", f"/home/me/{FLATPAK}"]),
        ("linux", {"ANKI_BASE": "/elsewhere"}, ["/elsewhere"]),
        ("darwin", {"ANKI_BASE": "/elsewhere"}, ["/elsewhere"]),
    ],
)
def test_anki_base_folders_are_where_anki_keeps_them(platform, env, expected):
    found = bases(env=env, home=Path("/home/me"), platform=platform)
    assert [p.as_posix() for p in found] == expected


def test_list_profiles_shows_each_profile_and_its_collection(base, cli):
    result = cli("push", "--list-profiles")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Old  {base / 'Old' / 'collection.anki2'}"
    assert lines[1] == f"User 1  {base / 'User 1' / 'collection.anki2'}"
    assert lines[2].startswith("Work  ") and "no collection yet" in lines[2]
    assert len(lines) == 3  # _global is Anki's settings, not a profile


def test_list_profiles_says_where_it_looked_when_there_is_none(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("ANKI_BASE", str(tmp_path / "nowhere"))
    result = cli("push", "--list-profiles")
    assert result.exit_code == 0
    assert f"no Anki profile found (searched {tmp_path / 'nowhere'}" in result.output


def test_a_profile_named_in_the_config_is_the_collection_pushed_into(base, make_vault, tmp_path, cli):
    project = make_project(make_vault, tmp_path / "p", collection=base / "User 1" / "collection.anki2")
    project.write_config('profile = "User 1"')
    result = cli("push", "--config", project.config)
    assert result.exit_code == 0, result.output
    assert "Anki, profile 'User 1': 3 added" in result.output
    with project.open() as col:
        assert col.note_count() == 3
    assert list((base / "User 1" / "backups").glob("*.colpkg"))


def test_a_profile_that_does_not_exist_names_those_that_do(base, make_vault, tmp_path, cli):
    project = make_project(make_vault, tmp_path / "p")
    result = cli("push", "--config", project.config, "--profile", "Usr 1")
    assert result.exit_code == 2
    assert "no Anki profile 'Usr 1'; profiles found: 'Old', 'User 1', 'Work'" in result.output
    assert not project.decks.exists()


def test_a_profile_without_a_collection_is_not_created(base, make_vault, tmp_path, cli):
    project = make_project(make_vault, tmp_path / "p")
    result = cli("push", "--config", project.config, "--profile", "Work")
    assert result.exit_code == 2
    assert "has no collection yet" in result.output
    assert not (base / "Work").exists()


def test_without_a_profile_the_only_one_is_used_and_several_are_asked_about(tmp_path, make_vault, cli, monkeypatch):
    single = anki_base(tmp_path / "one", ("User 1",), ("User 1",))
    project = make_project(make_vault, tmp_path / "p", collection=single / "User 1" / "collection.anki2")
    project.write_config("")
    monkeypatch.setenv("ANKI_BASE", str(single))
    assert "Anki, profile 'User 1': 3 added" in cli("push", "--config", project.config).output
    monkeypatch.setenv("ANKI_BASE", str(anki_base(tmp_path / "two", ("A", "B"), ("A", "B"))))
    result = cli("push", "--config", project.config)
    assert result.exit_code == 2
    assert "which Anki profile? found 'A', 'B'" in result.output


def test_a_collection_path_that_does_not_exist_is_an_error_not_a_new_collection(make_vault, tmp_path, cli):
    project = make_project(make_vault, tmp_path / "p")
    missing = tmp_path / "typo" / "collection.anki2"
    result = cli("push", "--config", project.config, "--collection", missing)
    assert result.exit_code == 2
    assert "no Anki collection there" in result.output
    assert not missing.parent.exists()


def test_profile_and_collection_together_are_a_usage_error(make_vault, tmp_path, cli):
    project = make_project(make_vault, tmp_path / "p")
    result = cli("push", "--config", project.config, "--profile", "A", "--collection", project.collection)
    assert result.exit_code == 2
    assert "not both" in result.output


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('profile = "A"\ncolour = "red"', ":7: anki.colour: unknown setting under [anki]"),
        ('profile = "A"\ncollection = "c.anki2"', ":7: anki.collection: give profile or collection"),
        ('removed = "trash"', ':6: anki.removed: must be "suspend" or "delete"'),
        ("profile = 1", ":6: anki.profile: must be text in quotes"),
    ],
)
def test_a_bad_anki_table_names_its_line_and_key(make_vault, tmp_path, cli, table, message):
    project = make_project(make_vault, tmp_path / "p")
    project.write_config(table)
    result = cli("sync", "--config", project.config)
    assert result.exit_code == 2
    assert message in result.output
    assert not project.decks.exists()


def test_the_init_template_holds_an_anki_table_ready_to_uncomment(make_vault, tmp_path, cli, monkeypatch):
    vault = make_vault({"a.md": "# a\n"})
    monkeypatch.chdir(tmp_path)
    assert cli("init", vault).exit_code == 0
    config = tmp_path / "glossdeck.toml"
    assert load(config).push is None
    text = config.read_text(encoding="utf-8")
    for line in ("[anki]", 'profile = "User 1"', 'removed = "suspend"'):
        assert f"# {line}\n" in text
        text = text.replace(f"# {line}\n", f"{line}\n")
    config.write_text(text, encoding="utf-8")
    settings = load(config).push
    assert settings is not None and (settings.profile, settings.removed) == ("User 1", "suspend")
