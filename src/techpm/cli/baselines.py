"""`techpm baseline` and `techpm variance`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer
from rich.table import Table

from techpm.cli.csv_out import emit_records
from techpm.cli.output import Format, emit_json, number, reporting_errors, stdout
from techpm.cli.schedule import (
    ENGINE_OPT,
    FORMAT_OPT,
    LEVEL_OPT,
    PLAN_ARG,
    TIME_LIMIT_OPT,
    Engine,
)
from techpm.cli.tables import print_table
from techpm.services.baselines import plan_variance, save_baseline

NAME_OPT = typer.Option(..., "--name", help="Name of the baseline, such as v1.")


def baseline(
    plan: Path = PLAN_ARG,
    name: str = NAME_OPT,
    force: bool = typer.Option(False, "--force", help="Replace a baseline of that name."),
    level: bool | None = LEVEL_OPT,
    engine: Engine = ENGINE_OPT,
    time_limit: float = TIME_LIMIT_OPT,
) -> None:
    """Save the current schedule's dates, durations, work and cost as a named baseline,
    in a JSON file next to the plan (diffable, for Git)."""
    with reporting_errors():
        path = save_baseline(
            plan,
            name,
            now=datetime.now().astimezone(),
            force=force,
            level=level,
            engine=engine.value,
            time_limit=time_limit,
        )
    stdout.print(f"saved baseline {name!r} to {path}", markup=False)


def variance(
    plan: Path = PLAN_ARG,
    baseline: str = typer.Option(..., "--baseline", help="Name of the baseline to compare."),
    format: Format = FORMAT_OPT,
    level: bool | None = LEVEL_OPT,
    engine: Engine = ENGINE_OPT,
    time_limit: float = TIME_LIMIT_OPT,
) -> None:
    """Start, finish, duration and cost variance of every task against a baseline, and what
    slipped since."""
    with reporting_errors():
        saved, rows = plan_variance(
            plan, baseline, level=level, engine=engine.value, time_limit=time_limit
        )
    records = [
        {
            "id": r.task_id,
            "milestone": r.milestone,
            "status": r.status,
            "start_variance": _n(r.start_days),
            "finish_variance": _n(r.finish_days),
            "duration_variance": _n(r.duration_days),
            "cost_variance": None if r.cost is None else str(r.cost),
            "baseline_finish": r.baseline_finish,
            "finish": r.current_finish,
        }
        for r in rows
    ]
    if format is Format.csv:
        emit_records(records, columns=list(records[0]) if records else ["id"])
        return
    if format is Format.json:
        emit_json(
            {
                "baseline": saved["name"],
                "taken_at": saved["taken_at"],
                "tasks": records,
            }
        )
        return
    table = Table(title=f"Against baseline {saved['name']!r} ({saved['taken_at']})")
    for header in ("ID", "Status", "Start", "Finish", "Duration", "Cost"):
        table.add_column(header, justify="left" if header in ("ID", "Status") else "right")
    for r in rows:
        table.add_row(
            ("◆ " if r.milestone else "") + r.task_id,
            r.status,
            _days(r.start_days),
            _days(r.finish_days),
            _days(r.duration_days),
            "" if r.cost is None else f"{r.cost:+,.2f}",
        )
    print_table(table)
    slipped = [r for r in rows if r.status == "slipped"]
    if slipped:
        worst = sorted(slipped, key=lambda r: -(r.finish_days or 0))
        stdout.print(
            "Slipped: " + ", ".join(f"{r.task_id} (+{r.finish_days:g}d)" for r in worst),
            markup=False,
        )
    else:
        stdout.print("Nothing slipped since the baseline.", markup=False)


def _n(value: float | None) -> float | int | None:
    return None if value is None else number(value)


def _days(value: float | None) -> str:
    return "" if value is None else f"{value:+g}d"
