"""MS Project's saved baselines (Baseline 0 to 10 on each task) in the shape `techpm
baseline` saves (evm.baseline.snapshot), so that variance and EVM can use them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from techpm.interop.msproject.records import Record
from techpm.interop.msproject.tasks_in import TaskIn, TasksIn

CENT = Decimal("0.01")


def baseline_name(number: int) -> str:
    return f"msproject-{number}"


def read_baselines(found: TasksIn, day_minutes: int, taken_at: datetime) -> dict[str, Any]:
    per_number: dict[int, dict[str, dict[str, Any]]] = {}
    costs: dict[int, Decimal] = {}
    for task in found.tasks.values():
        for number, entry, cost in _entries(task, day_minutes):
            per_number.setdefault(number, {})[task.id] = entry
            if not task.children:
                costs[number] = costs.get(number, Decimal(0)) + cost
    project: dict[int, dict[str, str]] = {}
    if found.summary is not None:
        for element in found.summary.nested.get("Baseline", ()):
            saved = found.summary.sub(element, "Baseline")
            which = saved.integer("Number")
            start, finish = saved.moment("Start"), saved.moment("Finish")
            if which is not None and start is not None and finish is not None:
                project[which] = {
                    "start": start.isoformat(),
                    "finish": finish.isoformat(),
                    "bac": str((saved.number("Cost") or Decimal(0)).quantize(CENT)),
                }
    out: dict[str, Any] = {}
    for number in sorted(per_number):
        tasks = per_number[number]
        summary = project.get(number) or {
            "start": min(t["start"] for t in tasks.values()),
            "finish": max(t["finish"] for t in tasks.values()),
            "bac": str(costs.get(number, Decimal(0)).quantize(CENT)),
        }
        out[baseline_name(number)] = {
            "name": baseline_name(number),
            "taken_at": taken_at.isoformat(timespec="seconds"),
            "project": summary,
            "tasks": tasks,
            "risks": {},
        }
    return out


def _entries(task: TaskIn, day_minutes: int) -> list[tuple[int, dict[str, Any], Decimal]]:
    out = []
    for element in task.record.nested.get("Baseline", ()):
        saved: Record = task.record.sub(element, "Baseline")
        number = saved.integer("Number")
        start, finish = saved.moment("Start"), saved.moment("Finish")
        if number is None or start is None or finish is None or saved.flag("Interim"):
            continue
        cost = saved.number("Cost") or Decimal(0)
        entry = {
            "start": start.isoformat(),
            "finish": finish.isoformat(),
            "duration_days": round((saved.minutes("Duration") or 0) / day_minutes, 4),
            "work_hours": round((saved.minutes("Work") or 0) / 60, 2),
            "cost": str(cost),
            "milestone": bool(task.fields.get("milestone")),
            "finished": False,
        }
        out.append((number, entry, cost))
    return out
