"""Read a plan file into the domain, reporting every problem with its file, line and column."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from pydantic import ValidationError

from techpm.domain.calendar import (
    CalendarSpec,
    DayHours,
    HolidayRule,
    default_week,
    resolve_calendars,
)
from techpm.domain.dependency import Dependency, DependencyType
from techpm.domain.errors import InvalidPlanError, Problem, SourceLocation
from techpm.domain.project import Project, ProjectInfo
from techpm.domain.resource import Assignment, Resource, SkillNeed, effort_duration
from techpm.domain.task import Constraint, ConstraintType, Task
from techpm.domain.units import DurationSyntaxError, DurationUnits, parse_duration
from techpm.domain.validation import validate_project
from techpm.domain.validation_types import Finding
from techpm.interop.holidays import unknown_holiday_rule
from techpm.interop.planfile.document import YamlDocument, read_document
from techpm.interop.planfile.locations import PathPart
from techpm.interop.planfile.model import (
    CalendarModel,
    DateRange,
    DependencyModel,
    PlanModel,
    ResourceModel,
    TaskModel,
)
from techpm.interop.planfile.resources import RateSyntaxError, build_resource, parse_rate

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass
class SourceMap:
    """Where each task and calendar sits in the file, to point errors at it."""

    document: YamlDocument
    tasks: dict[str, list[tuple[PathPart, ...]]] = field(default_factory=dict)
    resources: dict[str, list[tuple[PathPart, ...]]] = field(default_factory=dict)

    def at(self, path: Sequence[PathPart], *, at_key: bool = False) -> SourceLocation:
        return self.document.at(path, at_key=at_key)

    def of_task(self, task_id: str, field_name: str | None = None) -> SourceLocation:
        base = self.tasks.get(task_id, [()])[0]
        return self.at([*base, field_name] if field_name else base)

    def of_finding(self, finding: Finding) -> SourceLocation:
        if finding.kind == "task":
            paths = self.tasks.get(finding.subject, [()])
            # a duplicate is reported where it is repeated, anything else where it is first
            path: list[PathPart] = list(paths[-1 if finding.code == "task.duplicate_id" else 0])
        elif finding.kind == "resource":
            paths = self.resources.get(finding.subject, [()])
            path = list(paths[-1 if finding.code == "resource.duplicate_id" else 0])
        elif finding.kind == "calendar":
            path = ["calendars", finding.subject]
        else:
            path = ["project"]
        if finding.field:
            path.append(finding.field)
        if finding.position is not None:
            path.append(finding.position)
        if finding.subfield is not None:
            path.append(finding.subfield)
        return self.at(path)


@dataclass(frozen=True)
class LoadedPlan:
    project: Project
    source_map: SourceMap


def load_plan_file(path: str | Path) -> LoadedPlan:
    return load_plan_document(read_document(Path(path)))


def load_plan_document(document: YamlDocument) -> LoadedPlan:
    """Validate a parsed document and build the domain Project, or raise InvalidPlanError."""
    source = SourceMap(document=document)
    data = document.data
    if not isinstance(data, dict):
        raise InvalidPlanError(
            [
                Problem(
                    "planfile.not_a_mapping",
                    "a plan file is a mapping with `project` and `tasks` keys",
                    source.at([]),
                )
            ]
        )
    try:
        model = PlanModel.model_validate(data)
    except ValidationError as exc:
        raise InvalidPlanError(_schema_problems(exc, source)) from None
    builder = _Builder(model, source)
    project = builder.build()
    problems = builder.problems
    problems += [
        Problem(f.code, f.message, source.of_finding(f)) for f in validate_project(project)
    ]
    if problems:
        raise InvalidPlanError(problems)
    return LoadedPlan(project, source)


_ERROR_CODES = {
    "missing": "planfile.missing_field",
    "extra_forbidden": "planfile.unknown_field",
}


_SCALAR_TAGS = {"str", "int", "float", "bool", "date", "datetime", "none"}


def _is_union_tag(part: PathPart) -> bool:
    """Pydantic names the member of a union it tried (`DependencyModel`, `constrained-str`)."""
    return isinstance(part, str) and (
        part in _SCALAR_TAGS or "-" in part or "[" in part or part[:1].isupper()
    )


def _schema_problems(exc: ValidationError, source: SourceMap) -> list[Problem]:
    """One problem per place, keeping the most specific message among union alternatives."""
    cleaned = [
        (tuple(p for p in error["loc"] if not _is_union_tag(p)), error) for error in exc.errors()
    ]
    cleaned.sort(key=lambda item: -len(item[0]))
    problems: list[tuple[tuple[int, int], Problem]] = []
    seen: set[str] = set()
    for loc, error in cleaned:
        location = source.at(loc, at_key=error["type"] == "extra_forbidden")
        key = location.field or ""
        if any(s == key or s.startswith((key + ".", key + "[")) for s in seen):
            continue
        seen.add(key)
        code = _ERROR_CODES.get(error["type"])
        if code is None:
            code = "planfile.bad_date" if "date" in error["type"] else "planfile.bad_value"
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = f"unknown field {loc[-1]!r}"
        elif error["type"] == "missing":
            message = f"missing required field {loc[-1]!r}"
        problems.append(
            ((location.line or 0, location.column or 0), Problem(code, message, location))
        )
    return [p for _, p in sorted(problems, key=lambda item: item[0])]


class _Builder:
    """Model -> domain, collecting problems that need the whole plan (durations, calendars)."""

    def __init__(self, model: PlanModel, source: SourceMap) -> None:
        self.model = model
        self.source = source
        self.problems: list[Problem] = []
        self.tasks: list[Task] = []
        self.dependencies: list[Dependency] = []
        self.resources: list[Resource] = []

    def build(self) -> Project:
        calendars = {cid: self._calendar(cid, cal) for cid, cal in self.model.calendars.items()}
        units = self._units(calendars)
        self.units = units
        for position, resource in enumerate(self.model.resources):
            self._resource(resource, ("resources", position))
        for position, task in enumerate(self.model.tasks):
            self._task(task, None, ("tasks", position))
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
            ),
            calendars=calendars,
            tasks=tuple(self.tasks),
            dependencies=tuple(self.dependencies),
            resources=tuple(self.resources),
            units=units,
            source=self.source.document.file,
        )

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

    def _duration(self, value: str | float | int, path: tuple[PathPart, ...]) -> int:
        try:
            return parse_duration(value, self.units)
        except DurationSyntaxError as exc:
            self.problems.append(Problem("planfile.bad_duration", str(exc), self.source.at(path)))
            return 0  # reported; 0 keeps later checks from piling on

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
        self.resources.append(build_resource(model, rate))

    def _task(self, model: TaskModel, parent: str | None, path: tuple[PathPart, ...]) -> None:
        task_id = sys.intern(model.id)  # ids are looked up often: intern them once
        self.source.tasks.setdefault(task_id, []).append(path)
        duration = None
        if model.duration is not None:
            duration = self._duration(model.duration, (*path, "duration"))
        assignments = tuple(Assignment(sys.intern(a.resource), a.units) for a in model.assign)
        needs = tuple(SkillNeed(n.skill, n.level, n.count, n.units) for n in model.needs)
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
                assignments=assignments,
                needs=needs,
                effort_minutes=effort,
            )
        )
        for n, link in enumerate(model.after):
            if isinstance(link, DependencyModel):
                lag = self._duration(link.lag, (*path, "after", n, "lag"))
                self.dependencies.append(
                    Dependency(sys.intern(link.task), task_id, DependencyType(link.type), lag)
                )
            else:
                self.dependencies.append(Dependency(sys.intern(link), task_id))
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
