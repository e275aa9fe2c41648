"""`techpm forecast`: when will the backlog be done, and how much by a date, from the team's
own throughput."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from techpm.cli.csv_out import emit_records
from techpm.cli.output import (
    Format,
    emit_json,
    print_diagnostics,
    reporting_errors,
    stderr,
    stdout,
)
from techpm.cli.schedule import FORMAT_OPT, PLAN_ARG
from techpm.cli.tables import print_table
from techpm.flow.forecast import CONFIDENCES
from techpm.services.forecasting import ForecastReport, forecast_plan, forecasts_asked
from techpm.services.views_forecast import forecast_json

LARGE_RUN = 200_000  # runs in all from which a progress bar is worth showing
DATE_FORMATS = ["%Y-%m-%d"]
__all__ = ["forecast_json"]


def forecast(
    plan: Path = PLAN_ARG,
    items: int | None = typer.Option(
        None, "--items", min=1, help="When will this many items be done (default: the open ones)."
    ),
    by: datetime | None = typer.Option(
        None, "--by", formats=DATE_FORMATS, help="How many items will be done by this date."
    ),
    milestones: bool = typer.Option(
        False, "--milestones", help="When each milestone's open items will be done."
    ),
    iterations: int = typer.Option(10_000, "-n", "--iterations", min=1, help="Runs."),
    seed: int | None = typer.Option(None, "--seed", help="Seed, for reproducible results."),
    history: Path | None = typer.Option(
        None,
        "--history",
        help="Finished dates from a CSV (a Jira export, or one date per row) instead of the plan.",
    ),
    window: int | None = typer.Option(
        None, "--window", min=1, help="Use only the last DAYS calendar days of history."
    ),
    since: datetime | None = typer.Option(
        None, "--since", formats=DATE_FORMATS, help="Use only history from this date on."
    ),
    start: datetime | None = typer.Option(
        None,
        "--from",
        formats=DATE_FORMATS,
        help="First day of the forecast (default: after the status date, or the history).",
    ),
    split_rate: float = typer.Option(
        0.0, "--split-rate", min=0.0, help="Extra items each item left turns into, on average."
    ),
    format: Format = FORMAT_OPT,
) -> None:
    """Monte Carlo forecast from the team's daily throughput: when N items will be done, how
    many by a date, and when each milestone's items will be."""
    if window is not None and since is not None:
        raise typer.BadParameter("give --window or --since, not both", param_hint="--since")
    by_day = by.date() if by else None
    runs = iterations * forecasts_asked(items=items, by=by_day, milestones=milestones)
    with (
        Progress(
            TextColumn("forecasting"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeRemainingColumn(),
            console=stderr,
            transient=True,
            disable=not stderr.is_terminal or runs < LARGE_RUN,
        ) as bar,
        reporting_errors(),
    ):
        job = bar.add_task("forecast", total=runs)
        report = forecast_plan(
            plan,
            items=items,
            by=by_day,
            milestones=milestones,
            iterations=iterations,
            seed=seed,
            history=history,
            window_days=window,
            since=since.date() if since else None,
            start=start.date() if start else None,
            split_rate=split_rate,
            progress=lambda k: bar.advance(job, k),
        )
    print_diagnostics(report.warnings)
    if format is Format.json:
        emit_json(forecast_json(report))
        return
    if format is Format.csv:
        emit_records(confidence_rows(forecast_json(report)), columns=FORECAST_COLUMNS)
        return
    print_forecast(report)


FORECAST_COLUMNS = ["question", "items", "by", "confidence", "date", "working_days"]


def confidence_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per question and confidence: when N items are done, how many by a date,
    and when each milestone's items are done."""
    rows: list[dict[str, Any]] = []
    for confidence, done in (data["when"] or {}).items():
        rows.append(
            {"question": "when", "items": data["items"], "confidence": confidence}
            | {"date": done["date"], "working_days": done["days"]}
            | {"calendar_days": done["calendar_days"]}
        )
    for confidence, count in (data["how_many"] or {}).items():
        rows.append(
            {"question": "how_many", "items": count, "by": data["by"], "confidence": confidence}
        )
    for milestone in data["milestones"] or []:
        for confidence, done in milestone["when"].items():
            rows.append(
                {"question": f"milestone:{milestone['id']}", "items": len(milestone["items"])}
                | {"by": milestone["deadline"], "confidence": confidence}
                | {"date": done["date"], "working_days": done["days"]}
                | {"calendar_days": done["calendar_days"], "on_time": milestone["on_time"]}
            )
    return rows


def _day(on: date | None) -> str:
    return f"{on:%a %Y-%m-%d}" if on else "reached"


def print_forecast(report: ForecastReport) -> None:
    h = report.history
    say = stdout.print
    say(
        f"{report.name}: forecast from {_day(report.start)}, {report.iterations:,} runs "
        f"(seed {report.seed})",
        markup=False,
    )
    say(
        f"History: {h.items} items finished from {h.first} to {h.last}, {h.samples} working "
        f"days sampled ({h.per_day:.2f} a day), from {h.source}",
        markup=False,
    )
    if h.undated:
        say(f"{h.undated} finished items do not say when and are left out", markup=False)
    if report.when is not None:
        w = report.when
        grows = f", each growing by {w.split_rate:g} on average" if w.split_rate else ""
        table = Table(title=f"When will {w.items} items be done{grows}?", title_justify="left")
        for header in ("Confidence", "Done by", "Working days", "Calendar days"):
            table.add_column(header, justify="left" if header == "Done by" else "right")
        for c, done in w.confidence.items():
            table.add_row(f"{c}%", _day(done.on), str(done.days), str(done.calendar_days))
        say(table)
    if report.how_many is not None:
        m = report.how_many
        table = Table(
            title=f"How many items by {_day(m.until)} ({m.working_days} working days)?",
            title_justify="left",
        )
        table.add_column("Confidence", justify="right")
        table.add_column("At least", justify="right")
        for c, count in m.confidence.items():
            table.add_row(f"{c}%", str(count))
        say(table)
    if report.milestones is not None:
        _print_milestones(report)


def _print_milestones(report: ForecastReport) -> None:
    if not report.milestones:
        stdout.print("The plan has no milestones.", markup=False)
        return
    table = Table(title="Milestones (items done in dependency order)", title_justify="left")
    table.add_column("Milestone")
    table.add_column("Items", justify="right")
    for c in CONFIDENCES:
        table.add_column(f"{c}%")
    table.add_column("Deadline")
    table.add_column("On time", justify="right")
    for m in report.milestones:
        target = m.milestone
        on_time = f"{m.on_time:.0%}" if m.on_time is not None else ""
        table.add_row(
            target.id,
            f"{len(target.items)} ({target.target})",
            *(_day(m.confidence[c].on) for c in CONFIDENCES),
            str(target.deadline or ""),
            on_time,
        )
    print_table(table)
    stdout.print(
        "Items: the milestone's own open items (in brackets, done by then with the "
        "milestones before it).",
        markup=False,
    )
