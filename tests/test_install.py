"""The installs the README documents: a wheel whose `glossdeck` command works, and docs that agree with it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
from pathlib import Path

from conftest import EXAMPLE_VAULT

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SCHEDULING = (ROOT / "docs" / "scheduling.md").read_text(encoding="utf-8")


def run(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_the_wheel_installs_a_glossdeck_command_that_works(tmp_path):
    # What `pipx install .` does: build the wheel, install it into a fresh venv, put its script on PATH.
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "src", src / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                "-w", tmp_path / "wheels", src)
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "wheels").glob("glossdeck-*.whl")
    env = tmp_path / "venv"
    venv.create(env, with_pip=False)
    python = env / "bin" / "python"
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    # The dependencies come from the test environment (no network); glossdeck itself only from the wheel.
    paths = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (Path(site) / "test-env.pth").write_text("\n".join(paths) + "\n", encoding="utf-8")
    installed = run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel)
    assert installed.returncode == 0, installed.stderr

    command = env / "bin" / "glossdeck"
    where = run(python, "-c", "import glossdeck; print(glossdeck.__file__)").stdout
    assert where.startswith(site), where
    assert run(command, "--version").stdout.startswith("glossdeck ")
    result = run(command, "build", EXAMPLE_VAULT, "--out", tmp_path / "decks")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "decks" / "vault.apkg").is_file()
    assert "<bool>" not in run(command, "build", "-h").stdout
    debug = run(command, "build", tmp_path / "nowhere", "--debug")  # --debug after the command
    assert debug.returncode != 0 and "Traceback" in debug.stderr and "no such folder" in debug.stderr


def test_the_readme_says_how_to_put_glossdeck_on_path_and_the_schedules_use_that_path():
    everyday = README[README.index("## Install for everyday use"):]
    assert "pipx install ." in everyday.split("##")[1]
    assert "~/.local/bin/glossdeck" in everyday.split("##")[1]
    # Every path to the glossdeck command in the README and docs/scheduling.md (cron, systemd, launchd)
    scheduling = README[README.index("## Keep the deck up to date"):README.index("### When the harvest is wrong")]
    found = re.findall(r"([^\s\"'`>=(]*)/glossdeck(?![/\w.-])", scheduling + SCHEDULING)
    binaries = [p for p in found if not p.endswith("/.local/state")]  # the logs' folder
    assert len(binaries) >= 6, binaries
    # cron: $HOME, systemd: %h, launchd: the absolute path of the same file
    assert set(binaries) <= {"$HOME/.local/bin", "%h/.local/bin", "/Users/YOU/.local/bin", "~/.local/bin"}, binaries


def test_the_python_requirement_is_stated_before_the_first_command():
    required = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    assert required == ">=3.11"
    first_command = README.index("```sh")
    assert "Python 3.11 or newer" in README[:first_command]


def test_the_readme_keeps_two_set_up_commands_and_ci_runs_the_test_one():
    setup = README[README.index("## Set up"):README.index("## Install for everyday use")]
    commands = re.findall(r"```sh\n(.*?)\n```", setup, re.S)
    assert len(commands) == 2 and all("\n" not in c for c in commands)
    assert "glossdeck build examples/vault" in commands[0]
    assert "pip install -e '.[test]'" in commands[1] and "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install --quiet -e '.[test]'" in ci and "python -m pytest" in ci
