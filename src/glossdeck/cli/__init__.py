"""The command line (Typer): `app` holds the commands, `main` runs them (the console script)."""

from __future__ import annotations

from . import sync_commands, vault_commands
from .app import app, main

__all__ = ["app", "main", "sync_commands", "vault_commands"]
