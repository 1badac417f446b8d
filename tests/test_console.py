"""What the commands print over time: the progress display's steps, sync's log lines, --watch's quiet rounds."""

from __future__ import annotations

import io
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time

from rich.console import Console

from glossdeck.console import Progress
from glossdeck.pipeline import Options, build
from glossdeck.sync import sync

NOTE = "世界貿易機関（WTO）[^wto]。\n\n[^wto]: World Trade Organization。\n"
STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ")


class Recorded(Progress):
    """The progress display on a terminal, remembering what its bar said after each step."""

    def __init__(self) -> None:
        super().__init__("Reading notes", Console(file=io.StringIO(), force_terminal=True, width=100))
        self.shown: list[tuple[str, float | None]] = []

    def step(self, label: str) -> None:
        super().step(label)
        task = self.bar.tasks[-1]
        self.shown.append((task.description, task.total))


def test_the_progress_bar_shows_merging_and_writing_after_reading(make_vault, tmp_path):
    vault = make_vault({f"n{i:02}.md": NOTE for i in range(60)})
    for run in (build, sync):
        progress = Recorded()
        try:
            run(Options(vault=vault, out=tmp_path / run.__name__), progress=progress)
        finally:
            progress.close()
        # a busy bar (no total) for each step, instead of the reading bar sitting at 100%
        assert progress.shown == [("Merging entries", None), ("Writing decks", None)]


def test_sync_lines_carry_the_time_when_stdout_is_a_log(make_vault, tmp_path, monkeypatch, cli):
    vault = make_vault({"wto.md": NOTE})
    monkeypatch.chdir(tmp_path)
    (tmp_path / "glossdeck.toml").write_text(f'vault = "{vault}"\n', encoding="utf-8")
    lines = cli("sync").stdout.splitlines()  # CliRunner's stdout is no terminal, as cron's log is not
    assert lines and all(STAMP.match(line) for line in lines), lines
    assert STAMP.match(cli("sync").stdout)
    assert not STAMP.match(cli("build", vault, "--out", tmp_path / "built").stdout)  # build prints no log


def test_watch_says_nothing_changed_when_a_note_is_saved_unedited(make_vault, tmp_path):
    vault = make_vault({"wto.md": NOTE})
    (tmp_path / "glossdeck.toml").write_text(f'vault = "{vault}"\n', encoding="utf-8")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "glossdeck", "sync", "--watch"], cwd=tmp_path, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout or ()], daemon=True).start()

    def until(text: str, again: float | None = None) -> str:
        deadline = time.monotonic() + 60
        saved = 0.0
        while time.monotonic() < deadline:
            # the watcher starts just after it says "watching": save again until it sees one
            if again is not None and time.monotonic() - saved > again:
                note = vault / "wto.md"
                note.write_bytes(note.read_bytes())  # Obsidian saving a note nobody changed
                saved = time.monotonic()
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                continue
            if text in line:
                return line
        raise AssertionError(f"no {text!r} within 60 s")

    try:
        until("watching")
        line = until("nothing changed", again=3.0)
        assert STAMP.match(line) and "nothing changed (1 note, 0 re-read)" in line
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    assert proc.returncode == 0

