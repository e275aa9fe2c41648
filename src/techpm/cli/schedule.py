"""`techpm schedule` and `techpm explain`."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from techpm.cli.csv_out import emit_records
from techpm.cli.output import (
    Format,
    emit_csv,
    emit_json,
    number,
    print_diagnostics,
    reporting_errors,
    stdout,
    write_text,
)
from techpm.cli.tables import (
    WIDE_OPT,
    Cell,
    Column,
    duration_text,
    show_table,
    without_weekday,
)
from techpm.interop import json_text
from techpm.interop.gc_pause import paused_gc
from techpm.scheduling.explain import Explanation
from techpm.scheduling.result import Schedule
from techpm.services.planning import explain_plan_task, schedule_plan
from techpm.services.portfolio import schedule_portfolio
from techpm.services.views_schedule import (
    bookings,
    explanation_json,
    leveling_json,
    schedule_document,
    schedule_json,
    task_json,
)

__all__ = ["bookings", "explanation_json", "leveling_json", "schedule_json", "task_json"]

PLAN_ARG = typer.Argument(..., help="The plan file (YAML).", show_default=False)
FORMAT_OPT = typer.Option(Format.table, "--format", "-f", help="Output format.")
OUTPUT_OPT = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout.")

CSV_COLUMNS = [
    "id",
    "name",
    "wbs",
    "parent",
    "summary",
    "milestone",
    "duration",
    "start",
    "finish",
    "late_start",
    "late_finish",
    "total_float",
    "free_float",
    "critical",
    "percent_complete",
    "resources",
]


class Engine(StrEnum):
    auto = "auto"
    heuristic = "heuristic"
    cpsat = "cpsat"


LEVEL_OPT = typer.Option(
    None,
    "--level/--no-level",
    help="Level resources: never book anyone over capacity (default: the plan's project.level).",
    show_default=False,
)
ENGINE_OPT = typer.Option(
    Engine.auto, "--engine", help="Leveling engine (auto: CP-SAT up to 3,000 tasks)."
)
TIME_LIMIT_OPT = typer.Option(5.0, "--time-limit", help="Seconds the leveling may take.", min=0.1)


def schedule(
    plans: list[Path] = typer.Argument(
        ..., help="The plan file, or several to schedule together.", show_default=False
    ),
    format: Format = FORMAT_OPT,
    output: Path | None = OUTPUT_OPT,
    level: bool | None = LEVEL_OPT,
    engine: Engine = ENGINE_OPT,
    time_limit: float = TIME_LIMIT_OPT,
    resources: Path | None = typer.Option(
        None, "--resources", help="A resource file shared by the plans."
    ),
    wide: bool = WIDE_OPT,
) -> None:
    """Schedule a plan: early and late dates, floats (in working days) and the critical path.
    Several plans with one --resources file are scheduled (and leveled) together."""
    with reporting_errors(), paused_gc():  # a large plan: many live objects, no cycles
        result = schedule_portfolio(
            plans, resources=resources, level=level, engine=engine.value, time_limit=time_limit
        )
    print_diagnostics(result.diagnostics)
    if format is Format.json:
        with paused_gc():  # a row per task: many live objects, no cycles
            _emit_schedule_json(result, plans, output)
    elif format is Format.csv:
        rows = [
            task_json(result, row) | {"resources": _booked(result, row.id)} for row in result.rows
        ]
        emit_csv(CSV_COLUMNS, [[_cell(row[c]) for c in CSV_COLUMNS] for row in rows], output)
    else:
        print_schedule(result, wide=wide)


def _emit_schedule_json(result: Schedule, plans: list[Path], output: Path | None) -> None:
    """The outer levels indented, a line per task (see techpm.interop.json_text)."""
    if len(plans) == 1:
        write_text(schedule_document(result), output)
        return
    data = schedule_json(result)
    if len(plans) > 1:
        data["project"]["projects"] = [
            {
                "key": row.id,
                "name": row.name,
                "start": row.start.isoformat(),
                "finish": row.finish.isoformat(),
            }
            for row in result.rows
            if row.level == 0
        ]
    write_text(json_text.dumps(data) + "\n", output)


def explain(
    plan: Path = PLAN_ARG,
    task: str = typer.Argument(..., help="Id of the task to explain.", show_default=False),
    format: Format = FORMAT_OPT,
    level: bool | None = LEVEL_OPT,
    engine: Engine = ENGINE_OPT,
    time_limit: float = TIME_LIMIT_OPT,
) -> None:
    """Say why a task starts when it does: driving links, resources, constraints and
    calendar gaps."""
    with reporting_errors():
        result = schedule_plan(plan, level=level, engine=engine.value, time_limit=time_limit)
        explanation = explain_plan_task(result, task)
    if format is Format.json:
        emit_json(explanation_json(explanation))
        return
    if format is Format.csv:
        steps = explanation_json(explanation)["steps"]
        for step in steps:
            step["waits"] = [f"{w['date']}: {w['reason']}" for w in step["waits"]]
        emit_records(steps, columns=["task", "name", "start", "kind", "reason"])
        return
    print_explanation(result, explanation)


def _cell(value: Any) -> Any:
    """CSV cells as JSON spells them: true/false, and empty for none."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _days(result: Schedule, minutes: int) -> int | float:
    return number(minutes / result.minutes_per_day)


def _when(moment: datetime) -> str:
    return moment.strftime("%a %Y-%m-%d %H:%M")


def _people(result: Schedule, task_id: str) -> str:
    return ", ".join(
        resource if units == 1 else f"{resource} ({number(units)})"
        for resource, units in bookings(result, task_id)
    )


def _booked(result: Schedule, task_id: str) -> str:
    """`ana; bo (0.5)`: who works on the task, and at which units when not full time."""
    return "; ".join(
        resource if units == 1 else f"{resource} ({number(units)})"
        for resource, units in bookings(result, task_id)
    )


def _day(moment: datetime) -> str:
    return moment.strftime("%a %Y-%m-%d")


def print_schedule(result: Schedule, *, wide: bool = False) -> None:
    project = result.problem.project
    people = bool(project.resources)
    columns = [
        Column("WBS", hide=3),
        Column("ID"),
        Column("Task", wrap=True),
        Column("Dur", "right"),
        Column("Start", short=without_weekday, short_at=4),
        Column("Finish", short=without_weekday, short_at=4),
        Column("Float", "right", hide=6),
        Column("Free", "right", hide=2),
        Column("", hide=5),
        *((Column("Resources", wrap=True, hide=1),) if people else ()),
    ]
    rows: list[list[Cell]] = []
    styles: list[str | None] = []
    for row in result.rows:
        flag = "critical" if row.critical else ""
        if row.milestone:
            flag = ("◆ " + flag).strip()
        styles.append("bold" if row.summary else ("red" if row.critical else None))
        rows.append(
            [
                row.wbs,
                row.id,
                "  " * row.level + row.name,
                duration_text(row.duration_minutes, result.minutes_per_day),
                _day(row.start),
                _day(row.finish),
                str(_days(result, row.total_float_minutes)),
                str(_days(result, row.free_float_minutes)),
                flag,
                *((_people(result, row.id),) if people else ()),
            ]
        )
    show_table(project.info.name, columns, rows, styles=styles, wide=wide)
    stdout.print(f"Project start  {_when(result.start)}", markup=False)
    stdout.print(f"Project finish {_when(result.finish)}", markup=False)
    info = result.leveling
    if info is not None:
        stdout.print(info.summary(result.minutes_per_day), markup=False)
        for choice in info.choices:
            who = ", ".join(f"{r} ({number(u)})" for r, u in choice.chosen)
            stdout.print(
                f"Assigned {who} to {choice.task_id} for {choice.skill}: {choice.reason}",
                markup=False,
            )
    for n, path in enumerate(result.critical_paths, start=1):
        label = "Critical path" if len(result.critical_paths) == 1 else f"Critical path {n}"
        stdout.print(f"{label}: {' -> '.join(path)}", markup=False)
    for check in result.constraint_checks:
        state = "holds" if check.holds else "VIOLATED"
        stdout.print(f"Constraint {check.task_id} {check.kind} {check.on}: {state}", markup=False)


def print_explanation(result: Schedule, explanation: Explanation) -> None:
    if explanation.summary_of:
        stdout.print(
            f"{explanation.task_id} is a summary task; it starts with its first task "
            f"{explanation.summary_of}.",
            markup=False,
        )
    for depth, step in enumerate(explanation.steps):
        pad = "  " * depth
        stdout.print(
            f"{pad}{step.task_id} ({step.task_name}) starts {_when(step.start)}", markup=False
        )
        stdout.print(f"{pad}  because it {step.reason}", markup=False)
        if step.also_driving:
            stdout.print(f"{pad}  (also driven by {', '.join(step.also_driving)})", markup=False)
        for wait in step.waits:
            stdout.print(f"{pad}  waits over {wait.day:%a %Y-%m-%d}: {wait.reason}", markup=False)
