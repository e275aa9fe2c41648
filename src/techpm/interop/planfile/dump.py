"""A Project as plan-file values: the mapping a person would write in YAML, with durations
as "5d" and ISO dates. Exporters and the JSON round trip share it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from techpm.domain.calendar import WEEKDAY_NAMES, CalendarSpec, DayHours
from techpm.domain.dependency import Dependency, DependencyType
from techpm.domain.estimate import ThreePoint
from techpm.domain.idea import Idea
from techpm.domain.project import Project, ProjectInfo
from techpm.domain.resource import Resource, effort_duration
from techpm.domain.risk import Delay, Money, Risk
from techpm.domain.task import Moment, Task
from techpm.domain.units import DurationUnits, format_duration

PLAN_KEYS = (
    "project",
    "calendars",
    "resources",
    "procurement",
    "risks",
    "risk_matrix",
    "correlations",
    "stakeholders",
    "raci",
    "decisions",
    "asks",
    "workflow",
    "sprints",
    "goals",
    "ideas",
)
_TASK_DEFAULTS = {"milestone": False, "percent_complete": 0, "priority": 500, "accrue": "prorated"}

# ---- the plan as plan-file values -------------------------------------------------------


def moment_text(moment: Moment) -> str:
    return moment.isoformat()


def days_text(minutes: int, minutes_per_day: int) -> str:
    """Working time for people to read, in days to one decimal: 19.8d, 0d, -2d."""
    return f"{round(minutes / minutes_per_day, 1):g}d"


def plan_document(project: Project) -> dict[str, Any]:
    """The plan-file mapping of a project: loading it gives an equal Project."""
    document = plan_parts(project)
    entries = task_entries(project)
    document["tasks"] = nest([e for _, e in entries], [t.parent for t, _ in entries])
    return document


def task_entries(project: Project, *, compact: bool = True) -> list[tuple[Task, dict[str, Any]]]:
    """Each task's plan-file mapping without `children`, in WBS order; `compact` leaves out
    what the plan file would default."""
    links: dict[str, list[Dependency]] = {}
    for dep in project.dependencies:
        links.setdefault(dep.successor, []).append(dep)
    out = []
    for task in project.tasks:
        entry = _task_entry(task, links.get(task.id, []), project.units)
        out.append((task, compact_task(entry) if compact else entry))
    return out


def compact_task(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: value
        for key, value in entry.items()
        if value is not None and value != [] and value != {} and _TASK_DEFAULTS.get(key) != value
    }


def plan_parts(project: Project) -> dict[str, Any]:
    units = project.units
    return {
        "project": _project_entry(project.info),
        "calendars": {cid: _calendar_entry(spec) for cid, spec in project.calendars.items()},
        "resources": [_resource_entry(r) for r in project.resources],
        "procurement": [
            _drop_none(
                {
                    **asdict(item),
                    "quantity": plain_number(item.quantity),
                    "unit_cost": _money(item.unit_cost),
                    "status": item.status.value,
                    **{
                        key: _maybe_moment(getattr(item, key))
                        for key in ("order_date", "needed_by", "received")
                    },
                }
            )
            for item in project.procurement
        ],
        "risks": [_risk_entry(risk, units) for risk in project.risks],
        "risk_matrix": {
            key: list(value) if isinstance(value, tuple) else value
            for key, value in asdict(project.risk_matrix).items()
        },
        "correlations": [_correlation(c.tasks, c.matrix) for c in project.correlations],
        "stakeholders": [_drop_none(asdict(s)) for s in project.stakeholders],
        "raci": [
            {
                "task": r.task,
                **{role: list(ids) for role, ids in r.parties().items() if ids},
                **({"accountable": r.accountable[0]} if len(r.accountable) == 1 else {}),
            }
            for r in project.raci
        ],
        "decisions": list(project.decisions),
        "asks": list(project.asks),
        **_backlog_parts(project),
    }


def _backlog_parts(project: Project) -> dict[str, Any]:
    flow = project.workflow
    return {
        "workflow": None
        if flow is None
        else {
            "states": list(flow.states),
            **{key: list(getattr(flow, key)) for key in ("done", "active", "blocked")},
        },
        "sprints": [
            _drop_none(
                {
                    "id": s.id,
                    "name": s.name,
                    "start": s.start.isoformat(),
                    "finish": s.finish.isoformat(),
                    "capacity": s.capacity,
                    "team": list(s.team) or None,
                    "goal": s.goal,
                }
            )
            for s in project.sprints
        ],
        "goals": [_drop_none(asdict(g)) for g in project.goals],
        "ideas": [_idea_entry(i) for i in project.ideas],
    }


def _idea_entry(idea: Idea) -> dict[str, Any]:
    entry = asdict(idea)
    entry["comments"] = [
        _drop_none({**asdict(c), "at": c.at.isoformat() if c.at else None}) for c in idea.comments
    ]
    entry["tags"], entry["goals"] = list(idea.tags), list(idea.goals)
    entry["moscow"] = idea.moscow.value if idea.moscow else None
    entry["status"] = idea.status.value
    return _drop_none(entry)


def _task_entry(task: Task, links: Sequence[Dependency], units: DurationUnits) -> dict[str, Any]:
    duration = task.duration_minutes
    if duration is not None and duration == _implied_duration(task):
        duration = None  # written as an estimate or an effort: keep it that way
    constraints = [
        {"type": c.type.value, "date": moment_text(c.on)} for c in task.constraints if not c.gate
    ]
    return {
        "id": task.id,
        "name": task.name,
        "duration": _duration(duration, units),
        "milestone": task.milestone,
        "after": [_link(dep, units) for dep in links],
        "constraint": constraints[0] if len(constraints) == 1 else constraints or None,
        "deadline": _maybe_moment(task.deadline),
        "calendar": task.calendar,
        "actual_start": _maybe_moment(task.actual_start),
        "actual_finish": _maybe_moment(task.actual_finish),
        "percent_complete": plain_number(task.percent_complete),
        "remaining_duration": _duration(task.remaining_minutes, units),
        "priority": task.priority,
        "owner": task.owner,
        "tags": list(task.tags),
        "notes": task.notes,
        "assign": [
            {"resource": a.resource, "units": plain_number(a.units)} for a in task.assignments
        ],
        "needs": [
            {"skill": n.skill, "level": n.level, "count": n.count, "units": plain_number(n.units)}
            for n in task.needs
        ],
        "effort": _duration(task.effort_minutes, units),
        "estimate": _estimate(task.estimate, units) if task.estimate else None,
        "fixed_cost": _money(task.fixed_cost),
        "accrue": task.accrue.value,
        "cost_account": task.cost_account,
        "actual_cost": _money(task.actual_cost),
        "needs_items": list(task.needs_items),
        "control_account": task.control_account,
        "refs": dict(task.refs),
        "issue_type": task.issue_type,
        "points": task.points,
        "status": task.status,
        "sprint": task.sprint,
        "history": [
            {"at": h.at.isoformat(), "to": h.to, **({"from": h.from_} if h.from_ else {})}
            for h in task.history
        ],
    }


def _implied_duration(task: Task) -> int | None:
    """The duration the plan loader derives when none is written."""
    if task.estimate is not None:
        return round(task.estimate.likely)
    if task.effort_minutes is not None:
        return effort_duration(task.effort_minutes, task.assignments, task.needs)
    return None


def _link(dep: Dependency, units: DurationUnits) -> str | dict[str, Any]:
    if dep.type is DependencyType.FS and dep.lag_minutes == 0:
        return dep.predecessor
    link: dict[str, Any] = {"task": dep.predecessor, "type": dep.type.value}
    if dep.lag_minutes:
        link["lag"] = format_duration(dep.lag_minutes, units)
    return link


def _project_entry(info: ProjectInfo) -> dict[str, Any]:
    defaults = ProjectInfo("", date.min)
    entry: dict[str, Any] = {
        "name": info.name,
        "start": info.start.isoformat(),
        "calendar": info.calendar,
        "currency": info.currency,
        "description": info.description,
        "manager": info.manager,
        "priority": info.priority if info.priority != defaults.priority else None,
        "contingency": _money(info.contingency) or None,
        "management_reserve": _money(info.management_reserve) or None,
        "status_date": info.status_date.isoformat() if info.status_date else None,
        "prioritization": info.prioritization
        if info.prioritization != defaults.prioritization
        else None,
    }
    for field in ("thresholds", "status_rules"):
        given = {
            name: {"amber": amber, "red": red}
            for name, amber, red in getattr(info, field)
            if (name, amber, red) not in getattr(defaults, field)
        }
        entry[field] = given or None
    return _drop_none(entry)


def _calendar_entry(spec: CalendarSpec) -> dict[str, Any]:
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


def _resource_entry(r: Resource) -> dict[str, Any]:
    return _drop_none(
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


def _risk_entry(risk: Risk, units: DurationUnits) -> dict[str, Any]:
    response = risk.response
    return _drop_none(
        {
            "id": risk.id,
            "title": risk.title,
            "description": risk.description,
            "category": risk.category,
            "owner": risk.owner,
            "probability": risk.probability,
            "impact": _impact(risk.delays, risk.cost, units),
            "response": None
            if response is None
            else _drop_none(
                {
                    "strategy": response.strategy.value,
                    "actions": list(response.actions) or None,
                    "cost": _money(response.cost),
                    "residual_probability": response.residual_probability,
                    "residual_impact": None
                    if response.residual_delays is None
                    else _impact(response.residual_delays, response.residual_cost, units),
                }
            ),
            "trigger": risk.trigger,
            "status": risk.status.value,
            "review_dates": [d.isoformat() for d in risk.review_dates] or None,
        }
    )


def _impact(delays: Iterable[Delay], cost: Money | None, units: DurationUnits) -> dict[str, Any]:
    schedule = [
        {
            "task": d.task,
            "delay": _estimate(d.minutes, units)
            if isinstance(d.minutes, ThreePoint)
            else format_duration(round(d.minutes), units),
        }
        for d in delays
    ]
    money: Any = _money(cost) if isinstance(cost, Decimal) else None
    if isinstance(cost, ThreePoint):
        money = {**_three_point(cost), "distribution": cost.distribution.value}
    return _drop_none({"schedule": schedule or None, "cost": money})


def _correlation(tasks: tuple[str, ...], matrix: tuple[tuple[float, ...], ...]) -> dict[str, Any]:
    off = {value for i, row in enumerate(matrix) for j, value in enumerate(row) if i != j}
    if len(off) == 1 and all(matrix[i][i] == 1.0 for i in range(len(tasks))):
        return {"tasks": list(tasks), "coefficient": off.pop()}
    return {"tasks": list(tasks), "matrix": [list(row) for row in matrix]}


def _estimate(estimate: ThreePoint, units: DurationUnits) -> dict[str, Any]:
    values = _three_point(estimate)
    return {
        **{key: format_duration(round(value), units) for key, value in values.items()},
        "distribution": estimate.distribution.value,
    }


def _three_point(estimate: ThreePoint) -> dict[str, float]:
    return {
        "optimistic": estimate.optimistic,
        "likely": estimate.likely,
        "pessimistic": estimate.pessimistic,
    }


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


def _duration(minutes: int | None, units: DurationUnits) -> str | None:
    return None if minutes is None else format_duration(minutes, units)


def _maybe_moment(moment: Moment | None) -> str | None:
    return None if moment is None else moment_text(moment)


def plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _money(amount: Decimal | None) -> int | float | None:
    """Plan files hold money as JSON numbers; the loader reads them back exactly."""
    if amount is None:
        return None
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _drop_none(entry: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in entry.items() if value is not None}


# ---- tree and cycle helpers shared with the task-list formats ---------------------------


def nest(entries: Sequence[Mapping[str, Any]], parents: Sequence[str | None]) -> list[Any]:
    """Flat task mappings and their parents' ids to the plan file's `children` tree."""
    nodes = {entry["id"]: dict(entry) for entry in entries}
    roots: list[Any] = []
    for entry, parent in zip(entries, parents, strict=True):
        node = nodes[entry["id"]]
        if parent is None:
            roots.append(node)
        else:
            nodes[parent].setdefault("children", []).append(node)
    return roots


def find_cycle(links: Mapping[str, Sequence[str]]) -> list[str] | None:
    """A loop in `node -> nodes it depends on`, as a path from a node back to itself."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    for root in links:
        if state.get(root):
            continue
        path = [root]
        stack = [iter(links.get(root, ()))]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(links.get(nxt, ())))
    return None
