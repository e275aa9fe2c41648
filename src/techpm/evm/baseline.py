"""Baselines: a snapshot of the plan's dates, durations, work and cost, and the variance of
the current schedule against one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from techpm.evm.timephase import CENT, budget_at_completion, planned_costs
from techpm.scheduling.result import Schedule


def snapshot(schedule: Schedule, name: str, taken_at: datetime) -> dict[str, Any]:
    """The baseline as plain data (JSON-ready, stable order so that files diff well)."""
    problem = schedule.problem
    project = problem.project
    per_day = problem.minutes_per_day
    leaf_cost = budget_at_completion(planned_costs(schedule))
    work = {
        problem.ids[j]: sum(units for _, units in schedule.bookings[j]) * problem.duration[j] / 60
        for j in range(problem.size)
    }
    tasks: dict[str, Any] = {}
    for row in schedule.rows:
        leaves = list(project.leaves_under(row.id))
        tasks[row.id] = {
            "start": row.start.isoformat(),
            "finish": row.finish.isoformat(),
            "duration_days": round(row.duration_minutes / per_day, 4),
            "work_hours": round(sum(work.get(leaf, 0.0) for leaf in leaves), 2),
            "cost": str(sum((leaf_cost.get(leaf, Decimal(0)) for leaf in leaves), Decimal(0))),
            "milestone": row.milestone,
            "finished": project.task_by_id[row.id].actual_finish is not None,
        }
    return {
        "name": name,
        "taken_at": taken_at.isoformat(timespec="seconds"),
        "project": {
            "start": schedule.start.isoformat(),
            "finish": schedule.finish.isoformat(),
            "bac": str(sum(leaf_cost.values(), Decimal(0)).quantize(CENT)),
            "leveled": schedule.leveling is not None,
        },
        "tasks": tasks,
        "risks": {r.id: {"title": r.title, "status": r.status.value} for r in project.risks},
    }


def working_days_between(schedule: Schedule, a: str, b: str) -> float:
    """Working days from a to b on the project calendar (negative when b is earlier)."""
    problem = schedule.problem
    tl = problem.timelines[0]
    minute_a = problem.moment_minute(datetime.fromisoformat(a), finish=False)
    minute_b = problem.moment_minute(datetime.fromisoformat(b), finish=False)
    return round((tl.to_work(minute_b) - tl.to_work(minute_a)) / problem.minutes_per_day, 4)


def working_days_slipped(schedule: Schedule, a: str, b: str) -> float:
    """Working days from a's day to b's day on the project calendar: a milestone is a day
    to the people who read it, so one reached on its planned day is on time whatever the
    hour (the evening of the day, or a time of day recorded with it)."""
    tl = schedule.problem.timelines[0]
    day_a = datetime.fromisoformat(a).date()
    day_b = datetime.fromisoformat(b).date()
    first, last = sorted((day_a, day_b))
    days = 0
    while first < last:
        days += bool(tl.hours_on(first))
        first += timedelta(days=1)
    return float(days if day_b >= day_a else -days)


@dataclass(frozen=True)
class Variance:
    task_id: str
    name: str
    milestone: bool
    status: str  # "same", "slipped", "ahead", "added", "removed"
    start_days: float | None  # current minus baseline, in working days (+ = later)
    finish_days: float | None
    duration_days: float | None
    cost: Decimal | None  # current minus baseline (+ = over)
    baseline_finish: str | None
    current_finish: str | None


def variance(
    schedule: Schedule, baseline: dict[str, Any], now: dict[str, Any] | None = None
) -> list[Variance]:
    """`now`: the schedule's own snapshot, when the caller already has it."""
    current = (now or snapshot(schedule, "current", datetime.min))["tasks"]
    then: dict[str, Any] = baseline["tasks"]

    def days_between(a: str, b: str) -> float:
        return working_days_between(schedule, a, b)

    def milestone_days(a: str, b: str) -> float:
        return working_days_slipped(schedule, a, b)

    out = []
    for row in schedule.rows:
        now = current[row.id]
        old = then.get(row.id)
        if old is None:
            out.append(
                Variance(
                    row.id,
                    row.name,
                    row.milestone,
                    "added",
                    None,
                    None,
                    None,
                    None,
                    None,
                    now["finish"],
                )
            )
            continue
        between = milestone_days if row.milestone else days_between
        finish = between(old["finish"], now["finish"])
        status = "slipped" if finish > 0 else ("ahead" if finish < 0 else "same")
        out.append(
            Variance(
                row.id,
                row.name,
                row.milestone,
                status,
                between(old["start"], now["start"]),
                finish,
                round(now["duration_days"] - old["duration_days"], 4),
                Decimal(now["cost"]) - Decimal(old["cost"]),
                old["finish"],
                now["finish"],
            )
        )
    for task_id, old in then.items():
        if task_id not in current:
            out.append(
                Variance(
                    task_id,
                    task_id,
                    bool(old.get("milestone")),
                    "removed",
                    None,
                    None,
                    None,
                    None,
                    old["finish"],
                    None,
                )
            )
    return out
