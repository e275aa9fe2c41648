"""`techpm workload` and `techpm staffing`: the team against the work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from techpm.cli.csv_out import emit_records
from techpm.cli.output import Format, emit_json, number, reporting_errors, stdout
from techpm.cli.schedule import ENGINE_OPT, FORMAT_OPT, LEVEL_OPT, PLAN_ARG, TIME_LIMIT_OPT, Engine
from techpm.cli.tables import Cell, Column, show_table, text
from techpm.services.resourcing import plan_staffing, plan_workload
from techpm.services.views_budget import workload_json


def workload(
    plan: Path = PLAN_ARG,
    level: bool | None = LEVEL_OPT,
    engine: Engine = ENGINE_OPT,
    time_limit: float = TIME_LIMIT_OPT,
    format: Format = FORMAT_OPT,
) -> None:
    """Each resource's allocation by week; flags weeks where it is over-allocated."""
    with reporting_errors():
        _, loads = plan_workload(plan, level=level, engine=engine.value, time_limit=time_limit)
    data = workload_json(loads)
    if format is Format.json:
        emit_json({"resources": data})
        return
    if format is Format.csv:
        emit_records(
            [{"resource": r["resource"], "name": r["name"], **w} for r in data for w in r["weeks"]],
            columns=["resource", "name", "week", "booked_hours", "available_hours"],
        )
        return
    weeks = [w["week"] for w in data[0]["weeks"]] if data else []
    cells: list[list[Cell]] = []
    for row in data:
        line: list[Cell] = [row["resource"]]
        for week in row["weeks"]:
            share = week["allocation"]
            shown = "-" if share is None else f"{100 * share:.0f}%"
            line.append(text(f"{shown}!", "red") if week["over_allocated"] else shown)
        cells.append(line)
    show_table(
        "Allocation by week (booked / available); ! = over-allocated",
        [Column("Resource"), *(Column(week[5:], "right") for week in weeks)],
        cells,
        repeat=1,
    )
    over = [r["resource"] for r in data if any(w["over_allocated"] for w in r["weeks"])]
    stdout.print(
        f"Over-allocated: {', '.join(over)} (level with --level)"
        if over
        else "Nobody is over-allocated.",
        markup=False,
    )


def staffing(
    plan: Path = PLAN_ARG,
    engine: Engine = ENGINE_OPT,
    time_limit: float = TIME_LIMIT_OPT,
    format: Format = FORMAT_OPT,
) -> None:
    """Demand for each skill per week against the team's supply, and the shortfall."""
    with reporting_errors():
        report = plan_staffing(plan, engine=engine.value, time_limit=time_limit)
    data: dict[str, Any] = {
        "finish_if_staffed": report.finish.isoformat(),
        "finish_with_team": report.leveled_finish.isoformat(),
        "skills": [
            {
                "skill": d.skill,
                "level": d.level,
                "qualified": list(d.qualified),
                "weeks": [
                    {
                        "week": w.start.isoformat(),
                        "demand": number(w.demand_heads),
                        "supply": number(w.supply_heads),
                    }
                    for w in d.weeks
                ],
                "shortfalls": [
                    {"from": a.isoformat(), "to": b.isoformat(), "more_people": heads}
                    for a, b, heads in d.shortfalls()
                ],
            }
            for d in report.demands
        ],
    }
    if format is Format.json:
        emit_json(data)
        return
    if format is Format.csv:
        emit_records(
            [
                {"skill": s["skill"], "level": s["level"], **w, "qualified": s["qualified"]}
                for s in data["skills"]
                for w in s["weeks"]
            ],
            columns=["skill", "level", "week", "demand", "supply", "qualified"],
        )
        return
    if not report.demands:
        stdout.print("No task has skill needs; nothing to staff.", markup=False)
        return
    for demand in report.demands:
        stdout.print(
            f"{demand.skill} (level {demand.level}+): qualified {', '.join(demand.qualified)}",
            markup=False,
        )
        runs = demand.shortfalls()
        for first, last, heads in runs:
            stdout.print(
                f"  {heads} more {demand.skill} {'person' if heads == 1 else 'people'} "
                f"from {first} to {last}",
                markup=False,
            )
        if not runs:
            stdout.print("  enough people every week", markup=False)
    if report.leveled_finish > report.finish:
        stdout.print(
            f"Without them the finish moves from {report.finish:%Y-%m-%d} to "
            f"{report.leveled_finish:%Y-%m-%d} (leveled with the team as it is).",
            markup=False,
        )
    else:
        stdout.print(f"The team can finish by {report.finish:%Y-%m-%d}.", markup=False)
