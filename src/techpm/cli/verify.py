"""`techpm verify`: is this schedule feasible?"""

from __future__ import annotations

from pathlib import Path

import typer

from techpm.cli.csv_out import emit_records
from techpm.cli.output import EXIT_INFEASIBLE, Format, emit_json, reporting_errors, stdout
from techpm.cli.schedule import ENGINE_OPT, LEVEL_OPT, PLAN_ARG, TIME_LIMIT_OPT, Engine
from techpm.services.verifying import verify_plan


def verify(
    plan: Path = PLAN_ARG,
    schedule: Path | None = typer.Option(
        None, "--schedule", help="Check this `techpm schedule --format json` output."
    ),
    level: bool | None = LEVEL_OPT,
    engine: Engine = ENGINE_OPT,
    time_limit: float = TIME_LIMIT_OPT,
    format: Format = typer.Option(Format.table, "--format", "-f", help="Output format."),
) -> None:
    """Check a schedule against the plan: calendars, links and every resource's capacity."""
    with reporting_errors():
        result, breaches = verify_plan(
            plan,
            schedule_file=schedule,
            level=level,
            engine=engine.value,
            time_limit=time_limit,
        )
    if format is Format.csv:
        emit_records(
            [
                {"kind": b.kind, "subjects": list(b.subjects), "message": b.message}
                for b in breaches
            ],
            columns=["kind", "subjects", "message"],
        )
    elif format is Format.json:
        emit_json(
            {
                "feasible": not breaches,
                "breaches": [
                    {"kind": b.kind, "subjects": list(b.subjects), "message": b.message}
                    for b in breaches
                ],
            }
        )
    else:
        for breach in breaches:
            stdout.print(f"{breach.kind}: {breach.message}", markup=False)
        resources = len(result.problem.project.resources)
        verdict = "feasible" if not breaches else f"NOT feasible: {len(breaches)} breach(es)"
        stdout.print(
            f"{plan}: {verdict} ({result.problem.size} tasks, {resources} resources checked)",
            markup=False,
        )
    if breaches:
        raise typer.Exit(EXIT_INFEASIBLE)
