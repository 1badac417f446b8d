"""The glossdeck command group, its shared options, and the one place errors become messages and exit codes."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer

from .. import __version__
from ..console import err
from ..corrections import Corrections
from ..errors import GlossdeckError
from ..export.lang import LANGS
from ..writing import FORMATS
from .group import Group

app = typer.Typer(
    cls=Group,
    add_completion=False,
    no_args_is_help=True,
    help="Harvest acronyms and cited definitions from an Obsidian vault into Anki decks, CSV and more.",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
_debug = False
_P = ParamSpec("_P")
_T = TypeVar("_T")


def _version(value: bool) -> None:
    if value:
        print(f"glossdeck {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """glossdeck: your vault's acronyms and definitions as Anki cards."""
    global _debug
    _debug = debug
    for stream in (sys.stdout, sys.stderr):
        # a path that is not UTF-8 (a folder named with Latin-1 bytes) prints as its own bytes, as ls does
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="surrogateescape")
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    # glossdeck's own debug lines only: markdown-it logs every rule it tries
    logging.getLogger("glossdeck").setLevel(logging.DEBUG if debug else logging.WARNING)


def formats_option(value: str) -> tuple[str, ...]:
    """Return the formats of a comma-separated --format value (any case), or say which are unknown."""
    chosen = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    bad = [f for f in chosen if f not in FORMATS]
    if bad or not chosen:
        raise typer.BadParameter(f"unknown format {', '.join(bad) or value!r}; choose from {', '.join(FORMATS)}")
    return chosen


def lang_option(value: str | None) -> str | None:
    """Return a --lang value the cards can use, or say which there are."""
    if value is not None and value not in LANGS:
        raise typer.BadParameter(f"choose {' or '.join(LANGS)}", param_hint="--lang")
    return value


def run(fn: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
    """Call `fn`; a GlossdeckError, an interruption or an OSError becomes a message and an exit code."""
    try:
        return fn(*args, **kwargs)
    except GlossdeckError as exc:
        if _debug:
            raise
        err.print(f"glossdeck: {exc}", markup=False)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        err.print("glossdeck: interrupted; no output was left half-written: run again to finish", markup=False)
        raise typer.Exit(130) from None
    except OSError as exc:
        # a full disk, a folder where a file should be, no permission: say where, not how
        if _debug:
            raise
        name = exc.filename2 or exc.filename  # os.replace names the target second
        where = f"{name}: " if name else ""
        err.print(f"glossdeck: {where}{exc.strerror or exc}; outputs left as they were", markup=False)
        raise typer.Exit(2) from None


VaultArg = Annotated[Path, typer.Argument(help="The vault folder.", show_default=False, metavar="VAULT")]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config", "-c", show_default=False,
        help="Take \\[ignore] and \\[\\[override]] from this file (default: ./glossdeck.toml when its vault is VAULT).",
    ),
]


def corrections(vault: Path, config_file: Path | None) -> tuple[Corrections, str | None]:
    """Return the corrections and vault name of the config that goes with VAULT (none: no corrections)."""
    from ..config import for_vault

    config = run(for_vault, vault, config_file)
    return (config.corrections, config.vault_name) if config else (Corrections(), None)


ExcludeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude", metavar="PATH", show_default=False,
        help="A path from the vault's root never to read (gitignore-style with a glob); repeatable. "
        ".obsidian, .trash and the Templates plugin's folder are always excluded.",
    ),
]



def main() -> None:
    """Run the command line."""
    try:
        app()
    except GlossdeckError as exc:
        if _debug:  # --debug: the traceback that run let through
            raise
        err.print(f"glossdeck: {exc}", markup=False)
        sys.exit(exc.exit_code)
    except Exception as exc:  # pragma: no cover - a bug: still no traceback unless asked
        if _debug:
            raise
        err.print(f"glossdeck: internal error ({type(exc).__name__}: {exc}); run with --debug for details",
                  markup=False)
        sys.exit(3)
