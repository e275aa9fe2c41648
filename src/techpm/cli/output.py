"""Turn results into text, JSON or CSV, and errors into messages and exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console

from techpm.domain.errors import (
    Diagnostic,
    InvalidPlanError,
    NotFoundError,
    PlanFileError,
    Problem,
    TechpmError,
)

EXIT_OK = 0
EXIT_ERROR = 1  # the command could not do its job (file exists, write failed ...)
EXIT_USAGE = 2  # bad command-line usage (reported by the argument parser)
EXIT_INVALID_INPUT = 3  # the plan or another input file is invalid
EXIT_NOT_FOUND = 4  # a task or other named thing does not exist
EXIT_INFEASIBLE = 5  # the schedule checked breaks a calendar, link or capacity
EXIT_UNDELIVERED = 6  # a notification could not be delivered, even after retries
EXIT_UNAVAILABLE = 7  # the database or the server did not answer: trying again may work


# user text (names, titles, file locations such as `plan.yaml:100:5`) is printed as written:
# never read as console markup (`[iOS] Checkout`) or emoji codes (`:100:`); styles are given
# as rich.text.Text, never as markup in strings
class _Console(Console):
    def on_broken_pipe(self) -> None:
        """`techpm schedule plan.yaml | head -1`: the reader has what it wanted; end with 0
        rather than rich's 1, the rest of the output going to devnull."""
        self.quiet = True
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(0)


stdout = _Console(markup=False, emoji=False, highlight=False, soft_wrap=True)
stderr = _Console(stderr=True, markup=False, emoji=False, highlight=False, soft_wrap=True)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def exit_code_for(error: TechpmError) -> int:
    if error.code in ("export.unknown_format", "import.usage"):
        return EXIT_USAGE
    if error.code == "import.output_exists":
        return EXIT_ERROR
    if error.code.endswith(".unavailable"):
        return EXIT_UNAVAILABLE
    if isinstance(error, InvalidPlanError | PlanFileError) or error.code.startswith(
        (
            "portfolio.",
            "notify.config",
            "notify.bad_state",
            "import.",
            "database.bad_url",
            "settings.",
            "user.bad_",
            "token.bad_",
            "auth.weak_password",
            "auth.bad_",
        )
    ):
        return EXIT_INVALID_INPUT
    if isinstance(error, NotFoundError):
        return EXIT_NOT_FOUND
    return EXIT_ERROR


def fail(error: TechpmError) -> NoReturn:
    if isinstance(error, InvalidPlanError):
        for problem in error.problems:
            stderr.print(str(problem), markup=False)
        count = len(error.problems)
        stderr.print(f"{count} error{'s' if count != 1 else ''}; nothing was written", markup=False)
    else:
        stderr.print(f"error {error.code}: {error.message}", markup=False)
    raise typer.Exit(exit_code_for(error))


@contextmanager
def reporting_errors() -> Iterator[None]:
    """Every techpm error leaves as a message and an exit code, never a traceback."""
    try:
        yield
    except TechpmError as error:
        fail(error)


def print_diagnostics(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        subjects = ", ".join(diagnostic.subjects[:10])
        more = "" if len(diagnostic.subjects) <= 10 else f" (+{len(diagnostic.subjects) - 10})"
        stderr.print(
            f"{diagnostic.severity.value} {diagnostic.code}: {diagnostic.message}"
            + (f": {subjects}{more}" if subjects else ""),
            markup=False,
        )


def problem_json(problem: Problem) -> dict[str, Any]:
    where = problem.location
    return {
        "code": problem.code,
        "message": problem.message,
        "file": where.file if where else None,
        "line": where.line if where else None,
        "column": where.column if where else None,
        "field": where.field if where else None,
    }


def error_json(error: TechpmError) -> list[dict[str, Any]]:
    """The problems of an error, each with its place when it has one."""
    if isinstance(error, InvalidPlanError):
        return [problem_json(p) for p in error.problems]
    return [problem_json(Problem(error.code, error.message))]


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        "code": diagnostic.code,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "subjects": list(diagnostic.subjects),
    }


def emit_json(data: Any, output: Path | None = None) -> None:
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
    write_text(text, output)


def emit_csv(header: list[str], rows: list[list[Any]], output: Path | None = None) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    write_text(buffer.getvalue(), output)


def write_text(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from techpm.interop.safe_write import write_file

    try:  # replaced in one step: a crash or a full disk leaves the previous file whole
        write_file(output, text)
    except TechpmError as exc:  # not written, or locked by another command for too long
        stderr.print(f"error output.write: {exc.message}", markup=False)
        raise typer.Exit(EXIT_ERROR) from None


def number(value: float) -> int | float:
    """Whole numbers as ints, others to three decimals, for readable JSON."""
    rounded = round(value, 3)
    return int(rounded) if rounded == int(rounded) else rounded


Renderer = Callable[..., None]
