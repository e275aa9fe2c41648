"""Entry point of the `techpm` command."""

from __future__ import annotations

import os
import sys
from contextlib import suppress
from typing import NoReturn

import typer

from techpm import __version__
from techpm.cli.commands import LazyGroup
from techpm.cli.output import stderr

# the commands are listed in techpm.cli.commands and imported only when one runs
app = typer.Typer(
    name="techpm",
    help="Plan as code for technical project managers: schedules, critical path and more.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=LazyGroup,
)


def _version(value: bool) -> None:
    if value:
        print(f"techpm {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """techpm: plan as code for technical project managers."""


def _quiet_after_closed_pipe() -> NoReturn:
    """`techpm schedule plan.yaml | head -1`: the reader has all it wanted; end with 0,
    sending what is still buffered to devnull (as the Python docs advise for SIGPIPE)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    with suppress(OSError, ValueError):
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(0)


def main() -> None:
    """Run the CLI; an unexpected failure is reported in one line unless TECHPM_DEBUG is set."""
    try:
        app()
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_after_closed_pipe()
    except SystemExit:
        # click ends a closed pipe with status 1, having wrapped stdout to mute it
        if type(sys.stdout).__name__.endswith("PacifyFlushWrapper"):
            _quiet_after_closed_pipe()
        raise
    except Exception as exc:  # the last guard against a traceback reaching a user
        if os.environ.get("TECHPM_DEBUG"):
            raise
        stderr.print(
            f"internal error: {type(exc).__name__}: {exc} (set TECHPM_DEBUG=1 for details)",
            markup=False,
        )
        sys.exit(70)


if __name__ == "__main__":
    main()
