"""Atomic file writes: a temporary file in the target folder, fsync, then os.replace."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def deck_file(out: Path, deck_name: str, suffix: str) -> Path:
    """Return the path of one of a deck's files in the output folder (characters no OS allows made _)."""
    safe = "".join("_" if c in '/\\:*?"<>|' else c for c in deck_name).strip() or "glossdeck"
    return Path(out) / f"{safe}{suffix}"


def write_bytes(path: Path, data: bytes) -> bool:
    """Write `data` to `path` atomically; return False (and touch nothing) when it is unchanged."""
    path = Path(path)
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return True


def write_text(path: Path, text: str, encoding: str = "utf-8") -> bool:
    """Write text atomically (see write_bytes)."""
    return write_bytes(path, text.encode(encoding))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
