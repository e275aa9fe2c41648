"""`techpm simulate`: how likely each date and budget is."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from techpm.cli.csv_out import emit_records
from techpm.cli.output import Format, emit_json, number, reporting_errors, stderr, stdout
from techpm.cli.schedule import (
    ENGINE_OPT,
    FORMAT_OPT,
    LEVEL_OPT,
    PLAN_ARG,
    TIME_LIMIT_OPT,
    Engine,
)
from techpm.cli.tables import Column, print_table, show_table
from techpm.forecasting.summary import SimulationSummary
from techpm.services.simulating import simulate_plan, simulation_json


def simulate(
    plan: Path = PLAN_ARG,
    iterations: int = typer.Option(10_000, "-n", "--iterations", min=1, help="Iterations."),
    seed: int | None = typer.Option(None, "--seed", help="Seed, for reproducible results."),
    format: Format = FORMAT_OPT,
    charts: Path | None = typer.Option(
        None, "--charts", help="Write the histogram and tornado (SVG and PNG) to this folder."
    ),
    nearest_correlation: bool = typer.Option(
        False,
        "--nearest-correlation",
        help="Replace a correlation matrix no estimates could have with the nearest valid one.",
    ),
    level: bool | None = LEVEL_OPT,
    engine: Engine = ENGINE_OPT,
    time_limit: float = TIME_LIMIT_OPT,
) -> None:
    """Monte Carlo schedule and cost risk: finish and cost percentiles, the odds of each
    deadline, and which tasks drive the finish."""
    with (
        Progress(
            TextColumn("simulating"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeRemainingColumn(),
            console=stderr,
            transient=True,
            disable=not stderr.is_terminal,
        ) as bar,
        reporting_errors(),
    ):
        job = bar.add_task("simulate", total=iterations)
        summary = simulate_plan(
            plan,
            iterations=iterations,
            seed=seed,
            progress=lambda k: bar.advance(job, k),
            on_total=lambda runs: bar.update(job, total=runs),  # one run more per response
            nearest_correlation=nearest_correlation,
            charts=charts,
            level=level,
            engine=engine.value,
            time_limit=time_limit,
        )
    if format is Format.json:
        emit_json(simulation_json(summary))
        return
    if format is Format.csv:
        emit_records(percentile_rows(summary))
        return
    print_summary(summary)


def percentile_rows(summary: SimulationSummary) -> list[dict[str, object]]:
    """One row per percentile: the finish date, in working days, and the cost."""
    return [
        {
            "percentile": key,
            "finish": summary.finish[key].date().isoformat(),
            "finish_working_days": number(summary.finish_working_days[key]),
            "cost": round(summary.cost[key], 2),
        }
        for key in summary.finish
    ]


def print_summary(summary: SimulationSummary) -> None:
    keys = list(summary.finish)
    show_table(
        f"Finish after {summary.iterations} iterations",
        [Column(""), *(Column(key.upper(), "right") for key in keys)],
        [
            ["Finish", *(f"{v:%Y-%m-%d}" for v in summary.finish.values())],
            ["Working days", *(f"{v:.1f}" for v in summary.finish_working_days.values())],
            ["Cost", *(f"{v:,.0f}" for v in summary.cost.values())],
        ],
        repeat=1,
    )
    for task_id, chance in summary.deadlines.items():
        stdout.print(f"Deadline of {task_id}: met in {chance:.0%} of iterations", markup=False)
    drivers = sorted(summary.tasks, key=lambda t: -abs(t.sensitivity))[:10]
    ranking = Table(title="What drives the finish", title_justify="left")
    for header in ("Task", "Criticality", "Sensitivity"):
        ranking.add_column(header, justify="left" if header == "Task" else "right")
    for task in drivers:
        ranking.add_row(task.id, f"{task.criticality:.0%}", f"{task.sensitivity:+.2f}")
    print_table(ranking)
    for effect in summary.risks:
        stdout.print(
            f"Risk {effect.id}: occurs in {effect.occurred:.0%}, moves the finish by "
            f"{effect.finish_delta_days:+.1f} working days on average when it does",
            markup=False,
        )
    for m in summary.mitigations:
        stdout.print(
            f"Response to {m.id}: P80 {m.p80_days_with:.1f} working days with it, "
            f"{m.p80_days_without:.1f} without; mean cost {m.mean_cost_with:,.0f} with, "
            f"{m.mean_cost_without:,.0f} without",
            markup=False,
        )
