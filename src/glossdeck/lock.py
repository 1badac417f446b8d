"""One run at a time per deck: an flock the kernel drops when the holder dies, even by kill -9.

The lock file is the deck's own hidden `.<deck>.lock` beside its outputs, never in the cache folder:
the README tells users that folder is safe to delete, and a lock file deleted while held no longer
keeps the next run out (it would lock a new file).
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import GlossdeckError

# EX_TEMPFAIL from sysexits.h: "try again later", which is what a busy run means to cron.
BUSY_EXIT = 75


class Busy(GlossdeckError):
    """Another glossdeck run holds the lock of this output folder."""

    exit_code = BUSY_EXIT


@contextmanager
def locked(path: Path, wait: float = 0.0, what: str = "") -> Iterator[None]:
    """Hold an exclusive lock on `path`, waiting up to `wait` seconds; raise Busy when it stays taken.

    `what` names what the lock guards, for the message (default: the lock file's folder).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + max(wait, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _holder(fd)
                    raise Busy(
                        f"another glossdeck run{holder} is writing {what or path.parent}; "
                        f"nothing was written (retry later, or pass --wait SECONDS)"
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)  # closing drops the lock


def _holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode().strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""
