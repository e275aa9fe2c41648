"""A schedule as a GanttProject 3 .gan file.

Tasks are written where techpm scheduled them, with whole working days (GanttProject has
no smaller unit), strong links, and each start-no-earlier-than constraint as GanttProject's
"earliest begin" date, so that reading the file back gives the same plan.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal
from itertools import count
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from techpm.domain.dependency import Dependency
from techpm.domain.project import Project
from techpm.domain.resource import RateUnit, Resource
from techpm.domain.task import ConstraintType, Task
from techpm.scheduling.result import Schedule
from techpm.scheduling.timeline import Timeline

LINK_CODES = {"SS": "1", "FS": "2", "FF": "3", "SF": "4"}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# techpm's 0-1000 priority to GanttProject's five, at the middle of each band
PRIORITY_BANDS = ((200, "3"), (400, "0"), (600, "1"), (800, "2"), (1001, "4"))
DEFAULT_COLUMNS = (
    ("tpd0", "type", "icon"),
    ("tpd1", "priority", "icon"),
    ("tpd2", "info", "icon"),
    ("tpd3", "name", "text"),
    ("tpd4", "begindate", "date"),
    ("tpd5", "enddate", "date"),
    ("tpd6", "duration", "int"),
    ("tpd7", "completion", "int"),
    ("tpd8", "coordinator", "text"),
    ("tpd9", "predecessorsr", "text"),
)
VERSION = "3.3.3309"


def write_gan(schedule: Schedule, path: Path) -> None:
    root = gan_element(schedule)
    indent(root, space="    ")
    body = tostring(root, encoding="unicode")
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n', encoding="utf-8")


def gan_element(schedule: Schedule) -> Element:
    return _Writer(schedule).project_element()


def _gantt_ids(refs: list[dict[str, str]]) -> list[int]:
    """GanttProject's integer ids: the ones read from a .gan file where they are free."""
    taken: set[int] = set()
    found: list[int | None] = []
    for ref in refs:
        text = ref.get("gantt", "")
        number = int(text) if text.lstrip("-").isdigit() else None
        found.append(number if number is not None and number not in taken else None)
        if number is not None:
            taken.add(number)
    fresh = count(max(taken, default=-1) + 1)
    return [n if n is not None else next(fresh) for n in found]


class _Writer:
    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule
        self.project: Project = schedule.problem.project
        self.timeline: Timeline = schedule.problem.timelines[0]
        self.per_day = max(schedule.problem.minutes_per_day, 1)
        tasks, resources = self.project.tasks, self.project.resources
        self.task_ids = dict(
            zip((t.id for t in tasks), _gantt_ids([t.refs for t in tasks]), strict=True)
        )
        self.resource_ids = dict(
            zip((r.id for r in resources), _gantt_ids([r.refs for r in resources]), strict=True)
        )
        self.roles = sorted({r.tags[0] for r in resources if r.tags})
        self.rows = {row.id: row for row in schedule.rows}
        self.successors: dict[str, list[Dependency]] = {}
        for dep in self.project.dependencies:  # GanttProject writes a link in its predecessor
            self.successors.setdefault(dep.predecessor, []).append(dep)

    def project_element(self) -> Element:
        info = self.project.info
        start = self.schedule.start.date() if self.project.tasks else info.start
        root = Element(
            "project",
            {
                "name": info.name,
                "company": "",
                "webLink": "",
                "view-date": start.isoformat(),
                "view-index": "0",
                "gantt-divider-location": "300",
                "resource-divider-location": "300",
                "version": VERSION,
                "locale": "en",
            },
        )
        SubElement(root, "description").text = info.description or None
        self._views(root)
        self._calendars(root)
        tasks = SubElement(root, "tasks", {"empty-milestones": "true"})
        columns = SubElement(tasks, "taskproperties")
        for ident, name, kind in DEFAULT_COLUMNS:
            SubElement(
                columns,
                "taskproperty",
                {"id": ident, "name": name, "type": "default", "valuetype": kind},
            )
        for task_id in self.project.children.get(None, ()):
            self._task(tasks, self.project.task_by_id[task_id])
        self._resources(root)
        self._allocations(root)
        vacations = SubElement(root, "vacations")
        for resource in self.project.resources:
            for first, last in resource.vacations:
                SubElement(
                    vacations,
                    "vacation",
                    {
                        "start": first.isoformat(),
                        "end": last.isoformat(),
                        "resourceid": str(self.resource_ids[resource.id]),
                    },
                )
        SubElement(root, "previous")
        SubElement(root, "roles", {"roleset-name": "Default"})
        if self.roles:
            custom = SubElement(root, "roles")
            for n, name in enumerate(self.roles):
                SubElement(custom, "role", {"id": str(n), "name": name})
        return root

    def _views(self, root: Element) -> None:
        chart = SubElement(root, "view", {"zooming-state": "default:3", "id": "gantt-chart"})
        for order, (ident, name, width) in enumerate(
            (("tpd3", "Name", "200"), ("tpd4", "Begin date", "75"), ("tpd5", "End date", "75"))
        ):
            SubElement(
                chart, "field", {"id": ident, "name": name, "width": width, "order": str(order)}
            )
        table = SubElement(root, "view", {"id": "resource-table"})
        SubElement(table, "field", {"id": "0", "name": "Name", "width": "200", "order": "0"})
        SubElement(
            table, "field", {"id": "1", "name": "Default role", "width": "150", "order": "1"}
        )

    def _calendars(self, root: Element) -> None:
        """The project calendar's week, its explicit days, and public holidays while it runs."""
        calendar = self.timeline.calendar
        element = SubElement(root, "calendars")
        types = SubElement(element, "day-types")
        SubElement(types, "day-type", {"id": "0"})
        SubElement(types, "day-type", {"id": "1"})
        week = {name: "0" if calendar.week[n] else "1" for n, name in enumerate(WEEKDAYS)}
        ordered = {k: week[k] for k in ("sun", "mon", "tue", "wed", "thu", "fri", "sat")}
        SubElement(types, "default-week", {"id": "1", "name": "default", **ordered})
        SubElement(types, "only-show-weekends", {"value": "false"})
        SubElement(types, "overriden-day-types")
        SubElement(types, "days")
        days: dict[date, str] = {}
        if calendar.holidays and self.project.tasks:
            for year in range(self.schedule.start.year, self.schedule.finish.year + 1):
                for rule in calendar.holidays:
                    for day in self.schedule.problem.holidays(rule, year):
                        days[day] = "HOLIDAY"
        for day, hours in calendar.exceptions:
            days[day] = "WORKING_DAY" if hours else "HOLIDAY"
        for day in sorted(days):
            SubElement(
                element,
                "date",
                {
                    "year": str(day.year),
                    "month": str(day.month),
                    "date": str(day.day),
                    "type": days[day],
                },
            )

    def _start_day(self, moment: datetime) -> date:
        """The working day a start falls in: a start at a day's end is the next day's, as a
        milestone after a task shows in GanttProject."""
        minute = int((moment - self.schedule.moment(0)).total_seconds() // 60)
        return self.timeline.day_of(self.timeline.start_at(self.timeline.to_work(minute)))

    def _task(self, parent: Element, task: Task) -> None:
        row = self.rows[task.id]
        summary = self.project.is_summary(task.id)
        milestone = row.milestone and not summary
        days = 0 if milestone else max(1, math.ceil(row.duration_minutes / self.per_day))
        attrs = {
            "id": str(self.task_ids[task.id]),
            "name": task.name,
            "meeting": "true" if milestone else "false",
            "start": self._start_day(row.start).isoformat(),
            "duration": str(days),
            "complete": str(round(task.percent_complete)),
        }
        floors = [
            c.on
            for c in task.constraints
            if c.type is ConstraintType.START_NO_EARLIER_THAN and not c.gate
        ]
        if floors:
            earliest = max(d.date() if isinstance(d, datetime) else d for d in floors)
            attrs["thirdDate"] = earliest.isoformat()
            attrs["thirdDate-constraint"] = "1"
        priority = next(code for limit, code in PRIORITY_BANDS if task.priority < limit)
        if priority != "1":
            attrs["priority"] = priority
        attrs["expand"] = "true"
        element = SubElement(parent, "task", attrs)
        if task.notes:
            SubElement(element, "notes").text = task.notes
        for dep in self.successors.get(task.id, []):
            SubElement(
                element,
                "depend",
                {
                    "id": str(self.task_ids[dep.successor]),
                    "type": LINK_CODES[dep.type.value],
                    "difference": str(round(dep.lag_minutes / self.per_day)),
                    "hardness": "Strong",
                },
            )
        for child in self.project.children.get(task.id, ()):
            self._task(element, self.project.task_by_id[child])

    def _role(self, resource: Resource) -> str:
        return str(self.roles.index(resource.tags[0])) if resource.tags else "Default:0"

    def _resources(self, root: Element) -> None:
        element = SubElement(root, "resources")
        for resource in self.project.resources:
            item = SubElement(
                element,
                "resource",
                {
                    "id": str(self.resource_ids[resource.id]),
                    "name": resource.name,
                    "function": self._role(resource),
                    "contacts": resource.email or "",
                    "phone": "",
                },
            )
            if resource.rate is not None:
                per_day = resource.rate.amount
                if resource.rate.per is RateUnit.HOUR:
                    per_day *= Decimal(self.per_day) / 60
                SubElement(item, "rate", {"name": "standard", "value": _decimal(per_day)})

    def _allocations(self, root: Element) -> None:
        element = SubElement(root, "allocations")
        by_id = self.project.resource_by_id
        index = self.schedule.problem.index
        bookings = self.schedule.bookings
        for task in self.project.tasks:
            if task.id not in index:
                continue
            owner_done = False
            for resource_id, units in bookings[index[task.id]]:
                resource = by_id[resource_id]
                responsible = not owner_done and task.owner == resource.name
                owner_done = owner_done or responsible
                SubElement(
                    element,
                    "allocation",
                    {
                        "task-id": str(self.task_ids[task.id]),
                        "resource-id": str(self.resource_ids[resource_id]),
                        "function": self._role(resource),
                        "responsible": "true" if responsible else "false",
                        "load": f"{units * 100:.1f}",
                    },
                )


def _decimal(value: Decimal) -> str:
    return format(value.normalize(), "f")
