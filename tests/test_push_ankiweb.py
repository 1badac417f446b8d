"""A push into a synced collection keeps AnkiWeb's sync incremental, and the phone gets every change.

Anki's own sync server (`python -m anki.syncserver`, shipped in the anki package) stands in for
AnkiWeb on loopback: a "desktop" and a "phone" collection sync through it as Anki and AnkiDroid do.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from anki.collection import Collection
from anki.sync_pb2 import SyncAuth, SyncCollectionResponse, SyncStatusResponse

from anki_support import MTIME, edit, note_of, review, schedule
from push_support import make_project, new_collection, note_rows, remove_note

NORMAL = SyncStatusResponse.Required.NORMAL_SYNC
FULL = (SyncCollectionResponse.ChangesRequired.FULL_SYNC, SyncCollectionResponse.ChangesRequired.FULL_UPLOAD,
        SyncCollectionResponse.ChangesRequired.FULL_DOWNLOAD)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """Run Anki's sync server on a free loopback port; return its address."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, SYNC_USER1="user:pass", SYNC_BASE=str(tmp_path / "server"), SYNC_HOST="127.0.0.1",
               SYNC_PORT=str(port))
    proc = subprocess.Popen([sys.executable, "-m", "anki.syncserver"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "the sync server did not start"
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(10)


class Device:
    """A collection that syncs with the server, opened only while it syncs or is looked at (as Anki does)."""

    def __init__(self, path: Path, url: str) -> None:
        self.path = path
        self.url = url
        self.auth: SyncAuth | None = None

    def open(self) -> Collection:
        """Open the device's collection (the caller closes it)."""
        return Collection(str(self.path))

    def sync(self, upload: bool = False) -> None:
        """Sync as Anki's Sync button does; a full sync only where two fresh collections meet."""
        col = self.open()
        try:
            self.auth = self.auth or col.sync_login("user", "pass", self.url)
            out = col.sync_collection(self.auth, False)
            if out.required in FULL:
                col.close_for_full_sync()
                col.full_upload_or_download(auth=self.auth, server_usn=None, upload=upload)
                col.reopen(after_full_sync=True)
        finally:
            col.close()

    def status(self) -> int:
        """Return what the next sync would be (normal or full), as Anki's sync button shows it."""
        col = self.open()
        try:
            assert self.auth is not None
            return col.sync_status(self.auth).required
        finally:
            col.close()


def test_pushes_into_a_synced_collection_reach_the_phone_by_a_normal_sync(server, make_vault, tmp_path, cli):
    desktop_file = new_collection(tmp_path / "desktop" / "collection.anki2")
    desktop, phone = Device(desktop_file, server), Device(new_collection(tmp_path / "phone" / "x.anki2"), server)
    col = desktop.open()
    note = col.new_note(col.models.by_name("Basic"))
    note["Front"], note["Back"] = "the user's own card", "kept as it is"
    col.add_note(note, 1)
    col.close()
    desktop.sync(upload=True)  # an AnkiWeb account in use before glossdeck came along
    phone.sync()
    project = make_project(make_vault, tmp_path / "project", collection=desktop_file)

    def push() -> None:
        result = cli("push", "--config", project.config)
        assert result.exit_code == 0, result.output

    def scm() -> int:
        col = desktop.open()
        try:
            return int(col.db.scalar("select scm from col"))
        finally:
            col.close()

    schema = scm()
    push()  # the first push brings the note type: still no full sync
    assert scm() == schema and desktop.status() == NORMAL
    desktop.sync()
    phone.sync()

    col = phone.open()  # studied on the phone, synced back to the desktop
    try:
        wto = note_of(col, "WTO")
        card = wto.cards()[0].id
        review(col, card, ease=4)
        studied = schedule(col, card)
        own = note_rows(col, glossdeck=False)
    finally:
        col.close()
    phone.sync()
    desktop.sync()

    edit(project.vault, "通商/経済連携.md", "World Trade Organization", "World Trade Organisation", MTIME + 60)
    remove_note(project.vault, "通信/電波.md")
    (project.vault / "新規.md").write_text("# 新規\n\n経済協力開発機構（OECD）[^o]。\n\n[^o]: "
                                          "Organisation for Economic Co-operation and Development。\n",
                                          encoding="utf-8")
    push()
    assert scm() == schema and desktop.status() == NORMAL
    desktop.sync()
    phone.sync()

    col = phone.open()
    try:
        after = note_of(col, "WTO")
        assert after.id == wto.id and after["Expansion"] == "World Trade Organisation"
        assert schedule(col, card) == studied
        itu = note_of(col, "ITU")
        assert "glossdeck::removed" in itu.tags and itu.cards()[0].queue == -1
        assert note_of(col, "OECD")["Expansion"] == "Organisation for Economic Co-operation and Development"
        assert note_rows(col, glossdeck=False) == own
    finally:
        col.close()
