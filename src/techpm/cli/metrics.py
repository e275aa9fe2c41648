"""`techpm metrics` (flow metrics of the backlog) and `techpm sprint plan`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from techpm.cli.csv_out import emit_records
from techpm.cli.output import (
    Format,
    emit_json,
    number,
    print_diagnostics,
    reporting_errors,
    stdout,
)
from techpm.cli.schedule import FORMAT_OPT, PLAN_ARG
from techpm.cli.tables import print_table
from techpm.flow.capacity import Candidate, SprintCapacity
from techpm.flow.metrics import CumulativeFlow, DurationStats, FlowMetrics
from techpm.services.flow_metrics import FlowReport, plan_flow_metrics
from techpm.services.sprints import SprintPlan, plan_sprint_file

CFD_ROWS = 21  # more days than this are shown a week apart (JSON has every day)
TABLE_ROWS = 26


def metrics(
    plan: Path = PLAN_ARG,
    history: Path | None = typer.Option(
        None,
        "--history",
        help="A Jira export whose issues and history to use: CSV, or JSON with the changelog.",
    ),
    as_of: datetime | None = typer.Option(
        None,
        "--as-of",
        formats=["%Y-%m-%d"],
        help="Measure as of the end of this day (default: the plan's status_date, else the "
        "latest history entry).",
    ),
    charts: Path | None = typer.Option(
        None, "--charts", help="Write the flow charts (SVG and PNG) to this folder."
    ),
    format: Format = FORMAT_OPT,
) -> None:
    """Flow metrics of the backlog: cycle and lead time, throughput, cumulative flow, age of
    work in progress, flow efficiency, velocity and the sprint burndown."""
    with reporting_errors():
        report = plan_flow_metrics(
            plan, history=history, as_of=as_of.date() if as_of else None, charts=charts
        )
    print_diagnostics(report.diagnostics)
    if format is Format.json:
        emit_json(metrics_json(report))
        return
    if format is Format.csv:
        emit_records(item_rows(report), columns=ITEM_COLUMNS)
        return
    print_metrics(report)


ITEM_COLUMNS = ["id", "cycle_time_days", "lead_time_days", "state", "age_days"]


def item_rows(report: FlowReport) -> list[dict[str, Any]]:
    """One row per item measured: its cycle and lead time when finished, its state and age
    while in progress (the summaries and the weekly series are in the JSON)."""
    m = report.metrics
    rows: dict[str, dict[str, Any]] = {}
    for key, stats in (("cycle_time_days", m.cycle_time), ("lead_time_days", m.lead_time)):
        for item, days in stats.items:
            rows.setdefault(item, {"id": item})[key] = number(days)
    for age in m.wip_age:
        rows.setdefault(age.id, {"id": age.id}).update(state=age.state, age_days=number(age.days))
    return list(rows.values())


def _stats_json(stats: DurationStats) -> dict[str, Any]:
    return {
        "p50": _maybe(stats.p50),
        "p85": _maybe(stats.p85),
        "p95": _maybe(stats.p95),
        "items": [{"id": i, "days": number(d)} for i, d in stats.items],
    }


def _maybe(value: float | None) -> int | float | None:
    return None if value is None else number(value)


def _cfd_json(cfd: CumulativeFlow) -> list[dict[str, Any]]:
    return [
        {"date": day.isoformat(), "states": dict(zip(cfd.states, row, strict=True))}
        for day, row in zip(cfd.days, cfd.counts, strict=True)
    ]


def metrics_json(report: FlowReport) -> dict[str, Any]:
    m = report.metrics
    fe = m.flow_efficiency
    return {
        "as_of": m.as_of.isoformat(),
        "items": len(m.items),
        "cycle_time": _stats_json(m.cycle_time),
        "lead_time": _stats_json(m.lead_time),
        "throughput": [
            {"week": w.week, "start": w.monday.isoformat(), "count": w.count} for w in m.throughput
        ],
        "cumulative_flow": _cfd_json(m.cumulative_flow),
        "wip_age": [{"id": a.id, "state": a.state, "days": number(a.days)} for a in m.wip_age],
        "flow_efficiency": {
            "ratio": _maybe(fe.ratio),
            "active_days": number(fe.active_days),
            "waiting_days": number(fe.waiting_days),
            "blocked_days": number(fe.blocked_days),
            "items": fe.items,
        },
        "velocity": [
            {
                "sprint": v.sprint,
                "points": number(v.points),
                "items": v.items,
                "unestimated": v.unestimated,
            }
            for v in m.velocity
        ],
        "burndown": {
            sprint: [
                {
                    "date": d.day.isoformat(),
                    "remaining": number(d.remaining),
                    "completed": number(d.completed),
                    "scope": number(d.scope),
                }
                for d in days
            ]
            for sprint, days in m.burndown.items()
        },
        "charts": [str(p) for p in report.charts],
    }


def _days(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def print_metrics(report: FlowReport) -> None:
    m = report.metrics
    stdout.print(f"Flow of {len(m.items)} items as of {m.as_of}", markup=False)
    if not m.items:
        stdout.print(
            "No backlog items: a leaf task is one when it has a status, a history, points or "
            "a sprint (or use --history with a Jira export)",
            markup=False,
        )
        return
    times = Table(title="Cycle and lead time (calendar days)", title_justify="left")
    for header in ("", "P50", "P85", "P95", "Items"):
        times.add_column(header, justify="left" if not header else "right")
    for label, stats in (("Cycle time", m.cycle_time), ("Lead time", m.lead_time)):
        times.add_row(
            label, _days(stats.p50), _days(stats.p85), _days(stats.p95), str(len(stats.items))
        )
    print_table(times)
    _print_throughput(m)
    _print_cfd(m.cumulative_flow)
    ages = Table(title="Work in progress", title_justify="left")
    for header in ("Item", "State", "Age (days)"):
        ages.add_column(header, justify="right" if header.startswith("Age") else "left")
    for age in m.wip_age[:TABLE_ROWS]:
        ages.add_row(age.id, age.state, f"{age.days:.1f}")
    print_table(ages)
    _more(len(m.wip_age))
    fe = m.flow_efficiency
    if fe.ratio is None:
        stdout.print("Flow efficiency: no finished items with a start", markup=False)
    else:
        stdout.print(
            f"Flow efficiency: {fe.ratio:.0%} ({fe.active_days:.1f} active days of "
            f"{fe.active_days + fe.waiting_days:.1f} in progress, {fe.items} finished items; "
            f"{fe.blocked_days:.1f} days blocked)",
            markup=False,
        )
    _print_sprints(m)
    for path in report.charts:
        stdout.print(f"wrote {path}", markup=False)


def _more(count: int) -> None:
    if count > TABLE_ROWS:
        stdout.print(f"... and {count - TABLE_ROWS} more (all in --format json)", markup=False)


def _print_throughput(m: FlowMetrics) -> None:
    title = "Throughput per week"
    if len(m.throughput) > TABLE_ROWS:
        title += f", the last {TABLE_ROWS}"
    table = Table(title=title, title_justify="left")
    for header in ("Week", "From", "Finished"):
        table.add_column(header, justify="right" if header == "Finished" else "left")
    for week in m.throughput[-TABLE_ROWS:]:
        table.add_row(week.week, week.monday.isoformat(), str(week.count))
    print_table(table)


def _print_cfd(cfd: CumulativeFlow) -> None:
    title = "Cumulative flow (items at the end of the day)"
    rows = list(range(len(cfd.days)))
    if len(rows) > CFD_ROWS:
        rows = rows[::-7][:TABLE_ROWS][::-1]  # a week apart, ending on the as-of day
        title += ", a week apart"
    table = Table(title=title, title_justify="left")
    table.add_column("Date")
    for state in cfd.states:
        table.add_column(state, justify="right")
    for k in rows:
        table.add_row(cfd.days[k].isoformat(), *(str(c) for c in cfd.counts[k]))
    print_table(table)


def _print_sprints(m: FlowMetrics) -> None:
    title = "Velocity (points finished within each sprint)"
    if len(m.velocity) > TABLE_ROWS:
        title += f", the last {TABLE_ROWS} sprints"
    table = Table(title=title, title_justify="left")
    for header in ("Sprint", "Points", "Items"):
        table.add_column(header, justify="left" if header == "Sprint" else "right")
    for row in m.velocity[-TABLE_ROWS:]:
        table.add_row(row.sprint, f"{row.points:g}", str(row.items))
    print_table(table)
    sprint = m.current_sprint
    if sprint is None:
        return
    burn = Table(title=f"Burndown of {sprint.id} ({sprint.name})", title_justify="left")
    for header in ("Date", "Scope", "Completed", "Remaining"):
        burn.add_column(header, justify="left" if header == "Date" else "right")
    for day in m.burndown.get(sprint.id, ()):
        burn.add_row(
            day.day.isoformat(), f"{day.scope:g}", f"{day.completed:g}", f"{day.remaining:g}"
        )
    print_table(burn)


sprint_app = typer.Typer(
    name="sprint", help="Plan sprints from the team's capacity.", no_args_is_help=True
)


@sprint_app.command("plan")
def sprint_plan(
    plan: Path = PLAN_ARG,
    sprint: str | None = typer.Option(
        None, "--sprint", help="The sprint to plan (default: the next to start)."
    ),
    write: bool = typer.Option(
        False, "--write", help="Set `sprint` on the chosen items in the plan file."
    ),
    format: Format = FORMAT_OPT,
) -> None:
    """Fill a sprint to its capacity with the highest-ranked open items that are ready."""
    with reporting_errors():
        result = plan_sprint_file(plan, sprint, write=write)
    if format is Format.json:
        emit_json(sprint_json(result))
        return
    if format is Format.csv:
        data = sprint_json(result)
        emit_records(
            [{**c, "planned": True} for c in data["planned"]]
            + [{**k, "planned": False} for k in data["not_planned"]],
            columns=["id", "name", "points", "rank", "planned"],
        )
        return
    print_sprint_plan(result)


def capacity_json(capacity: SprintCapacity) -> dict[str, Any]:
    rate = capacity.points_per_person_day
    return {
        "points": number(capacity.points),
        "source": capacity.source,
        "person_days": number(capacity.person_days),
        "points_per_person_day": None if rate is None else number(rate),
        "members": [
            {"resource": m.resource, "person_days": number(m.person_days)} for m in capacity.members
        ],
        "basis": [
            {"sprint": b.sprint, "points": number(b.points), "person_days": number(b.person_days)}
            for b in capacity.basis
        ],
    }


def sprint_json(result: SprintPlan) -> dict[str, Any]:
    s, fill = result.sprint, result.fill
    return {
        "sprint": {
            "id": s.id,
            "name": s.name,
            "start": s.start.isoformat(),
            "finish": s.finish.isoformat(),
        },
        "capacity": capacity_json(result.capacity),
        "planned_points": number(fill.points),
        "planned": [
            {
                "id": c.id,
                "name": c.name,
                "points": number(c.points or 0.0),
                "rank": c.rank,
                "priority": c.priority,
                "already_in_sprint": c.in_sprint,
                "carried_over_from": c.carried_from,
            }
            for c in fill.chosen
        ],
        "carried_over": {
            "items": [c.id for c in fill.carried],
            "points": number(fill.carried_points),
        },
        "not_planned": [
            {
                "id": k.item.id,
                "points": number(k.item.points or 0.0),
                "rank": k.item.rank,
                "code": k.code,
                "reason": k.reason,
            }
            for k in fill.skipped
        ],
        "unestimated": [{"id": c.id, "name": c.name, "rank": c.rank} for c in fill.unestimated],
        "in_other_sprints": fill.elsewhere,
        "written": list(result.written),
    }


def how_derived(capacity: SprintCapacity) -> str:
    days = f"{capacity.person_days:.1f} person-days"
    if capacity.source != "stated" and capacity.person_days <= 0:
        return (
            f"{days}: no working time (no people in the plan, or the sprint's team is away); "
            "state the sprint's `capacity` or add resources"
        )
    if capacity.source == "stated":
        return f"stated in the plan ({days} available)"
    rate = capacity.points_per_person_day or 0.0
    text = f"{days} x {rate:.2f} points per person-day"
    if capacity.source == "default":
        return text + " (the default: no earlier sprint finished anything)"
    basis = ", ".join(
        f"{b.sprint} {b.points:g} points in {b.person_days:.1f} person-days" for b in capacity.basis
    )
    return text + f" (from {basis})"


def print_sprint_plan(result: SprintPlan) -> None:
    s, fill, capacity = result.sprint, result.fill, result.capacity
    stdout.print(f"Sprint {s.id} ({s.name}), {s.start} to {s.finish}", markup=False)
    stdout.print(f"Capacity {capacity.points:.1f} points: {how_derived(capacity)}", markup=False)
    team = Table(title="Team", title_justify="left")
    team.add_column("Member")
    team.add_column("Person-days", justify="right")
    for member in capacity.members:
        team.add_row(member.resource, f"{member.person_days:.1f}")
    print_table(team)
    if fill.carried:
        moved = ", ".join(f"{c.id} from {c.carried_from}" for c in fill.carried[:TABLE_ROWS])
        if len(fill.carried) > TABLE_ROWS:
            moved += f" and {len(fill.carried) - TABLE_ROWS} more"
        rest = capacity.points - fill.carried_points
        stdout.print(
            f"Carried over: {moved}: {_pts(fill.carried_points)} points of the "
            f"{_pts(capacity.points)} capacity, {_pts(rest)} left",
            markup=False,
        )
    chosen = Table(title="Planned", title_justify="left")
    marked = any(c.in_sprint or c.carried_from for c in fill.chosen)
    for header in ("Rank", "Item", "Name", "Points", "Priority", "")[: 6 if marked else 5]:
        left_aligned = header in ("Item", "Name", "")
        chosen.add_column(header, justify="left" if left_aligned else "right")
    for c in fill.chosen:
        cells = [str(c.rank), c.id, c.name, f"{c.points or 0:g}", str(c.priority)]
        chosen.add_row(*cells, *([_mark(c)] if marked else []))
    print_table(chosen)
    stdout.print(
        f"Planned {fill.points:g} of {capacity.points:.1f} points, {len(fill.chosen)} items",
        markup=False,
    )
    if fill.skipped:
        left = Table(title="Not planned", title_justify="left")
        for header in ("Rank", "Item", "Points", "Why"):
            left.add_column(header, justify="right" if header in ("Rank", "Points") else "left")
        for k in fill.skipped[:TABLE_ROWS]:
            left.add_row(str(k.item.rank), k.item.id, f"{k.item.points or 0:g}", k.reason)
        print_table(left)
        _more(len(fill.skipped))
    if fill.unestimated:
        ids = ", ".join(c.id for c in fill.unestimated[:TABLE_ROWS])
        if len(fill.unestimated) > TABLE_ROWS:
            ids += f" and {len(fill.unestimated) - TABLE_ROWS} more"
        stdout.print(f"Unestimated (no points, not planned): {ids}", markup=False)
    if fill.elsewhere:
        stdout.print(f"{fill.elsewhere} open items are planned in other sprints", markup=False)
    if result.written:
        stdout.print(
            f"Set sprint {s.id} on {len(result.written)} items in the plan file", markup=False
        )


def _mark(c: Candidate) -> str:
    if c.carried_from is not None:
        return f"carried over from {c.carried_from}"
    return "already in the sprint" if c.in_sprint else ""


def _pts(value: float) -> str:
    return f"{round(value, 1):g}"
