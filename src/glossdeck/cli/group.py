"""The command group: Typer's, with `--debug` taken anywhere on the line and flags shown as flags."""

from __future__ import annotations

from typing import Any

from typer.core import TyperGroup


class Group(TyperGroup):
    """The command group, with two things Typer does not do by itself.

    `--debug` is taken wherever it stands on the line (`glossdeck build V --debug`), and options that
    are flags show as flags in --help: Typer 0.29 writes `--reverse <bool>`, which reads as an option
    taking a value, and `--reverse true` then fails.
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        end = args.index("--") if "--" in args else len(args)
        if "--debug" in args[:end]:
            args = ["--debug", *(a for a in args[:end] if a != "--debug"), *args[end:]]
        return super().parse_args(ctx, args)

    def get_params(self, ctx: Any) -> list[Any]:
        return _flags_as_flags(super().get_params(ctx))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _flags_as_flags(command.get_params(ctx))
        return command


def _flags_as_flags(params: list[Any]) -> list[Any]:
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""  # Typer's help shows the metavar in place of the type, `<bool>`
    return params
