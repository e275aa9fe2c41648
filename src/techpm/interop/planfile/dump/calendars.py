"""Calendars and resources as plan-file mappings: when work can happen and who does it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from techpm.domain.calendar import WEEKDAY_NAMES, CalendarSpec, DayHours
from techpm.domain.resource import Resource
from techpm.interop.planfile.dump.values import drop_none, plain_number


def calendar_entry(spec: CalendarSpec) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    if spec.base is not None:
        entry["base"] = spec.base
    if spec.week is not None:  # weekday -> hours says exactly what the plan said
        entry["workweek"] = {
            name: _spans(day) for name, day in zip(WEEKDAY_NAMES, spec.week, strict=True) if day
        }
    if spec.working_hours is not None:
        entry["hours"] = _spans(spec.working_hours)
    if spec.holidays is not None:
        entry["holidays"] = [
            {"country": h.country, **({"subdiv": h.subdivision} if h.subdivision else {})}
            for h in spec.holidays
        ]
    if spec.nonworking:
        entry["nonworking"] = _day_list(spec.nonworking)
    if spec.working:
        entry["working"] = _day_list(spec.working)
    return entry


def resource_entry(r: Resource) -> dict[str, Any]:
    return drop_none(
        {
            "id": r.id,
            "name": r.name,
            "kind": r.kind.value,
            "capacity": plain_number(r.capacity),
            "calendar": r.calendar,
            "vacations": [
                a.isoformat() if a == b else [a.isoformat(), b.isoformat()] for a, b in r.vacations
            ]
            or None,
            "skills": dict(r.skills) or None,
            "rate": f"{r.rate.amount:f}/{r.rate.per.value}" if r.rate else None,
            "max_allocation": plain_number(r.max_allocation) if r.max_allocation != 1 else None,
            "rates": [
                {"from": day.isoformat(), "rate": f"{rate.amount:f}/{rate.per.value}"}
                for day, rate in r.rate_changes
            ]
            or None,
            "cost_account": r.cost_account if r.cost_account != "labor" else None,
            "email": r.email,
            "tags": list(r.tags) or None,
            "refs": dict(r.refs) or None,
        }
    )


def _spans(day: DayHours) -> list[str]:
    return [f"{s // 60:02d}:{s % 60:02d}-{e // 60:02d}:{e % 60:02d}" for s, e in day]


def _day_list(days: Iterable[date]) -> list[str | dict[str, str]]:
    """Runs of consecutive days as {from, to} ranges, single days as dates."""
    out: list[str | dict[str, str]] = []
    runs: list[list[date]] = []
    for day in sorted(days):
        if runs and day - runs[-1][-1] == timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    for run in runs:
        if len(run) == 1:
            out.append(run[0].isoformat())
        else:
            out.append({"from": run[0].isoformat(), "to": run[-1].isoformat()})
    return out
