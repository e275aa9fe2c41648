"""Plan-file models to domain objects, collecting the problems only the whole plan shows
(durations in the plan's own day length, rates, holiday countries)."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from techpm.domain.calendar import (
    CalendarSpec,
    DayHours,
    HolidayRule,
    default_week,
    resolve_calendars,
)
from techpm.domain.dependency import Dependency, DependencyType
from techpm.domain.errors import Problem
from techpm.domain.estimate import Correlation
from techpm.domain.idea import Goal
from techpm.domain.procurement import Item, ItemStatus
from techpm.domain.project import Project, ProjectInfo
from techpm.domain.raci import RaciEntry
from techpm.domain.resource import Assignment, Resource, SkillNeed, effort_duration
from techpm.domain.stakeholder import Stakeholder
from techpm.domain.task import Accrual, Constraint, ConstraintType, StatusChange, Task
from techpm.domain.units import DurationSyntaxError, DurationUnits, parse_duration
from techpm.interop.holidays import unknown_holiday_rule
from techpm.interop.planfile import backlog
from techpm.interop.planfile.locations import PathPart
from techpm.interop.planfile.model import (
    CalendarModel,
    DateRange,
    DependencyModel,
    PlanModel,
    ResourceModel,
    TaskModel,
    TeamModel,
    ThresholdModel,
)
from techpm.interop.planfile.resources import RateSyntaxError, build_resource, parse_rate
from techpm.interop.planfile.risks import build_estimate, build_matrix, build_risk
from techpm.interop.planfile.source import SourceMap

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_LINK_TYPES = {kind.value: kind for kind in DependencyType}


@dataclass(frozen=True)
class Team:
    """Resources (and their calendars) shared by several plans, from a resource file."""

    resources: tuple[Resource, ...]
    calendars: dict[str, CalendarSpec]
    file: str


class PartsBuilder:
    """Calendars and resources: what plan files and resource files have in common."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.resources: list[Resource] = []

    def _calendar(self, cal_id: str, cal: CalendarModel) -> CalendarSpec:
        path: tuple[PathPart, ...] = ("calendars", cal_id)
        rules: tuple[HolidayRule, ...] | None = None
        if cal.holidays is not None:
            items = cal.holidays if isinstance(cal.holidays, list) else [cal.holidays]
            rules = tuple(HolidayRule(h.country.upper(), h.region) for h in items)
            for n, rule in enumerate(rules):
                reason = unknown_holiday_rule(rule)
                if reason:
                    sub: list[PathPart] = [*path, "holidays"]
                    if isinstance(cal.holidays, list):
                        sub.append(n)
                    sub.append("country")
                    self.problems.append(
                        Problem("calendar.unknown_holidays", reason, self.source.at(sub))
                    )
        day_hours = _spans(cal.hours) if cal.hours else None
        if day_hours is None and cal.hours_per_day is not None:
            day_hours = default_week(cal.hours_per_day, (0,))[0]
        week: tuple[DayHours, ...] | None = None
        if isinstance(cal.workweek, dict):
            week = tuple(_spans(cal.workweek.get(name, [])) for name in WEEKDAYS)  # type: ignore[call-overload]
        elif cal.workweek is not None or day_hours is not None:
            days = cal.workweek if cal.workweek is not None else list(WEEKDAYS[:5])
            hours = day_hours if day_hours is not None else default_week()[0]
            week = tuple(hours if name in days else () for name in WEEKDAYS)
        return CalendarSpec(
            id=cal_id,
            base=cal.base,
            week=week,
            holidays=rules,
            nonworking=frozenset(_expand(cal.nonworking)),
            working=frozenset(_expand(cal.working)),
            working_hours=day_hours,
        )

    def _resource(self, model: ResourceModel, path: tuple[PathPart, ...]) -> None:
        self.source.resources.setdefault(model.id, []).append(path)
        rate = None
        if model.rate is not None:
            try:
                rate = parse_rate(model.rate)
            except RateSyntaxError as exc:
                self.problems.append(
                    Problem("planfile.bad_rate", str(exc), self.source.at((*path, "rate")))
                )
        changes = []
        for n, change in enumerate(model.rates):
            try:
                changes.append((change.from_, parse_rate(change.rate)))
            except RateSyntaxError as exc:
                where = self.source.at((*path, "rates", n, "rate"))
                self.problems.append(Problem("planfile.bad_rate", str(exc), where))
        self.resources.append(build_resource(model, rate, tuple(changes)))


class TeamBuilder(PartsBuilder):
    def __init__(self, model: TeamModel, source: SourceMap) -> None:
        super().__init__(source)
        self.model = model

    def build(self) -> Team:
        calendars = {cid: self._calendar(cid, cal) for cid, cal in self.model.calendars.items()}
        for position, resource in enumerate(self.model.resources):
            self._resource(resource, ("resources", position))
        return Team(tuple(self.resources), calendars, self.source.document.file)


class Builder(PartsBuilder):
    """A plan file's model to a Project, with a shared team if the plan uses one."""

    def __init__(self, model: PlanModel, source: SourceMap, team: Team | None = None) -> None:
        super().__init__(source)
        self.model = model
        self.team = team
        self.tasks: list[Task] = []
        self.dependencies: list[Dependency] = []
        self._durations: dict[tuple[type, str | float | int], int] = {}
        self._names: dict[str, str] = {}

    def build(self) -> Project:
        calendars = dict(self.team.calendars) if self.team else {}
        for cid, cal in self.model.calendars.items():
            if cid in calendars and self.team is not None:
                self.problems.append(
                    Problem(
                        "calendar.defined_twice",
                        f"calendar {cid!r} is also defined in {self.team.file}; "
                        "give this one another id",
                        self.source.at(("calendars", cid), at_key=True),
                    )
                )
            calendars[cid] = self._calendar(cid, cal)
        if self.team is not None:
            self.resources.extend(self.team.resources)
        units = self._units(calendars)
        self.units = units
        for position, resource in enumerate(self.model.resources):
            self._resource(resource, ("resources", position))
        for position, task in enumerate(self.model.tasks):
            self._task(task, None, ("tasks", position))
        risks = []
        for position, risk in enumerate(self.model.risks):
            path: tuple[PathPart, ...] = ("risks", position)
            self.source.risks.setdefault(risk.id, []).append(path)
            risks.append(build_risk(risk, path, self._duration))
        for position, person in enumerate(self.model.stakeholders):
            self.source.stakeholders.setdefault(person.id, []).append(("stakeholders", position))
        info = self.model.project
        return Project(
            info=ProjectInfo(
                name=info.name,
                start=info.start,
                calendar=info.calendar,
                currency=info.currency,
                description=info.description,
                manager=info.manager,
                priority=info.priority,
                contingency=Decimal(str(info.contingency)),
                management_reserve=Decimal(str(info.management_reserve)),
                status_date=info.status_date,
                thresholds=_thresholds({str(k): v for k, v in info.thresholds.items()}),
                status_rules=_thresholds(
                    {str(k): v for k, v in info.status_rules.items()}, "status_rules"
                ),
                prioritization=info.prioritization,
                level=info.level,
            ),
            calendars=calendars,
            tasks=tuple(self.tasks),
            dependencies=tuple(self.dependencies),
            resources=tuple(self.resources),
            risks=tuple(risks),
            risk_matrix=build_matrix(self.model.risk_matrix),
            correlations=tuple(self._correlations()),
            procurement=tuple(
                Item(
                    id=i.id,
                    name=i.name,
                    kind=i.kind,
                    vendor=i.vendor,
                    quantity=i.quantity,
                    unit_cost=Decimal(str(i.unit_cost)),
                    lead_time_days=i.lead_time_days,
                    order_date=i.order_date,
                    needed_by=i.needed_by,
                    received=i.received,
                    status=ItemStatus(i.status),
                )
                for i in self.model.procurement
            ),
            stakeholders=tuple(Stakeholder(**s.model_dump()) for s in self.model.stakeholders),
            raci=tuple(
                RaciEntry(
                    task=r.task,
                    responsible=tuple(r.responsible),
                    accountable=(r.accountable,)
                    if isinstance(r.accountable, str)
                    else tuple(r.accountable),
                    consulted=tuple(r.consulted),
                    informed=tuple(r.informed),
                )
                for r in self.model.raci
            ),
            decisions=tuple(self.model.decisions),
            asks=tuple(self.model.asks),
            workflow=backlog.workflow(self.model.workflow),
            sprints=tuple(backlog.sprint(s) for s in self.model.sprints),
            goals=tuple(Goal(g.id, g.title, g.description) for g in self.model.goals),
            ideas=tuple(backlog.idea(i) for i in self.model.ideas),
            units=units,
            source=self.source.document.file,
        )

    def _correlations(self) -> list[Correlation]:
        found = []
        for n, item in enumerate(self.model.correlations):
            where = self.source.at(("correlations", n))
            tasks = tuple(sys.intern(t) for t in item.tasks)
            if (item.coefficient is None) == (item.matrix is None):
                self.problems.append(
                    Problem(
                        "correlation.shape",
                        "give either `coefficient` or `matrix` for a correlation group",
                        where,
                    )
                )
                continue
            if item.coefficient is not None:
                found.append(Correlation.uniform(tasks, item.coefficient))
                continue
            matrix = item.matrix or []
            size = len(tasks)
            if len(matrix) != size or any(len(row) != size for row in matrix):
                self.problems.append(
                    Problem(
                        "correlation.shape",
                        f"the matrix must be {size} x {size}, one row and column per task",
                        self.source.at(("correlations", n, "matrix")),
                    )
                )
                continue
            found.append(Correlation(tasks, tuple(tuple(row) for row in matrix)))
        return found

    def _units(self, calendars: dict[str, CalendarSpec]) -> DurationUnits:
        """A day is the project calendar's working day; a week its working days."""
        cal_id = self.model.project.calendar
        if cal_id not in calendars:
            return DurationUnits()
        try:
            cal = resolve_calendars(calendars)[cal_id]
        except (KeyError, RecursionError):
            return DurationUnits()  # reported by validation
        if cal.minutes_per_day <= 0:
            return DurationUnits()
        return DurationUnits(minutes_per_day=cal.minutes_per_day, days_per_week=cal.days_per_week)

    def _duration(self, value: str | float | int, path: tuple[PathPart, ...]) -> int:
        # a plan repeats a few spellings ("1d", "2w", "0d") thousands of times: parse each once
        key = (type(value), value)
        known = self._durations.get(key)
        if known is not None:
            return known
        try:
            minutes = parse_duration(value, self.units)
        except DurationSyntaxError as exc:
            self.problems.append(Problem("planfile.bad_duration", str(exc), self.source.at(path)))
            return 0  # reported; 0 keeps later checks from piling on
        self._durations[key] = minutes
        return minutes

    def _name(self, text: str) -> str:
        """One string object per id, so that the many lookups by id compare by identity."""
        return self._names.setdefault(text, text)

    def _task(self, model: TaskModel, parent: str | None, path: tuple[PathPart, ...]) -> None:
        task_id = self._name(sys.intern(model.id))  # ids are looked up often: intern them once
        self.source.tasks.setdefault(task_id, []).append(path)
        duration = None
        if model.duration is not None:
            duration = self._duration(model.duration, (*path, "duration"))
        assignments = tuple(Assignment(self._name(a.resource), a.units) for a in model.assign)
        needs = tuple(SkillNeed(n.skill, n.level, n.count, n.units) for n in model.needs)
        estimate = None
        if model.estimate is not None:
            estimate = build_estimate(model.estimate, (*path, "estimate"), self._duration)
            if duration is None:
                duration = round(estimate.likely)
        effort = None
        if model.effort is not None:
            effort = self._duration(model.effort, (*path, "effort"))
            if duration is None:
                duration = effort_duration(effort, assignments, needs)
        constraints = model.constraint
        items = (
            constraints if isinstance(constraints, list) else [constraints] if constraints else []
        )
        self.tasks.append(
            Task(
                id=task_id,
                name=model.name,
                parent=parent,
                duration_minutes=duration,
                milestone=model.milestone,
                calendar=model.calendar,
                constraints=tuple(Constraint(ConstraintType(c.type), c.date) for c in items),
                deadline=model.deadline,
                actual_start=model.actual_start,
                actual_finish=model.actual_finish,
                percent_complete=model.percent_complete,
                priority=model.priority,
                owner=model.owner,
                tags=tuple(model.tags),
                notes=model.notes,
                refs={k: str(v) for k, v in model.refs.items()},
                issue_type=model.issue_type,
                points=model.points,
                status=model.status,
                sprint=model.sprint,
                history=tuple(StatusChange(h.at, h.to, h.from_) for h in model.history),
                assignments=assignments,
                needs=needs,
                effort_minutes=effort,
                estimate=estimate,
                fixed_cost=Decimal(str(model.fixed_cost)) if model.fixed_cost is not None else None,
                accrue=Accrual(model.accrue),
                cost_account=model.cost_account,
                actual_cost=Decimal(str(model.actual_cost))
                if model.actual_cost is not None
                else None,
                needs_items=tuple(model.needs_items),
                control_account=model.control_account,
                remaining_minutes=(
                    self._duration(model.remaining_duration, (*path, "remaining_duration"))
                    if model.remaining_duration is not None
                    else None
                ),
            )
        )
        name, append = self._name, self.dependencies.append
        for n, link in enumerate(model.after):
            if isinstance(link, DependencyModel):
                lag = self._duration(link.lag, (*path, "after", n, "lag"))
                append(Dependency(name(link.task), task_id, _LINK_TYPES[link.type], lag))
            else:
                append(Dependency(name(link), task_id))
        for n, child in enumerate(model.children or []):
            self._task(child, task_id, (*path, "children", n))


def _spans(spans: list[str]) -> DayHours:
    out = []
    for span in spans:
        start, end = (part.strip() for part in span.split("-"))
        out.append((_minute(start), _minute(end)))
    return tuple(sorted(out))


def _minute(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _expand(items: list[date | DateRange]) -> list[date]:
    days: list[date] = []
    for item in items:
        if isinstance(item, DateRange):
            day = item.from_
            while day <= item.to:
                days.append(day)
                day += timedelta(days=1)
        else:
            days.append(item)
    return days


def _thresholds(
    given: Mapping[str, ThresholdModel], field: str = "thresholds"
) -> tuple[tuple[str, float, float], ...]:
    defaults = {
        name: (amber, red) for name, amber, red in getattr(ProjectInfo("", date.min), field)
    }
    for name, limits in given.items():
        defaults[name] = (limits.amber, limits.red)
    return tuple((name, amber, red) for name, (amber, red) in defaults.items())
