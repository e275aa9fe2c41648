"""`techpm progress`: record a status sheet into the plan file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer

from techpm.cli.output import reporting_errors, stdout
from techpm.cli.schedule import PLAN_ARG
from techpm.services.progress import COLUMNS, record_progress


def progress(
    plan: Path = PLAN_ARG,
    sheet: Path = typer.Argument(
        ..., help=f"CSV with a task column and any of: {', '.join(COLUMNS)}.", show_default=False
    ),
    status_date: datetime | None = typer.Option(
        None, "--status-date", formats=["%Y-%m-%d"], help="Set the project's status date."
    ),
) -> None:
    """Write actuals and percent complete from a CSV status sheet into the plan, keeping its
    comments and order; nothing is written if any row is wrong."""
    with reporting_errors():
        result = record_progress(
            plan, sheet, status_date=status_date.date() if status_date else None
        )
    if not result.written:
        stdout.print(f"{plan}: nothing new to record; the file is unchanged", markup=False)
        return
    stdout.print(f"{plan}: progress recorded on {result.tasks} task(s)", markup=False)
