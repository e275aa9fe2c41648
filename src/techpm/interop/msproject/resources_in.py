"""MSPDI resources and assignments to plan-file resources and `assign` entries: work
resources with their max units, rate (table A) and calendar; material and cost resources
kept for the record, with their cost moved onto the task."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import Element

from techpm.interop.exchange import fail
from techpm.interop.msproject.carried_in import item_data, item_id, others, values
from techpm.interop.msproject.records import Record
from techpm.interop.msproject.skipped import Skipped
from techpm.interop.msproject.splits import HoursOn, count_gaps
from techpm.interop.msproject.tasks_in import TasksIn, plain_number
from techpm.interop.msproject.xml_source import Source

_SLUG = re.compile(r"[^a-z0-9]+")
UNASSIGNED = -65535
# StandardRateFormat 3 is per day; MSPDI stores every rate per hour whatever its format
PER_DAY = 3


@dataclass
class ResourceIn:
    uid: int
    id: str
    kind: str  # work, material, cost
    capacity: float
    fields: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)  # the techpm data it carries
    calendar_uid: int | None = None


def read_resources(
    source: Source,
    elements: list[Element],
    calendar_ids: dict[int, str],
    project_calendar: str | None,
    minutes_per_day: int,
    skipped: Skipped,
    *,
    carried: bool = False,
) -> dict[int, ResourceIn]:
    """With `carried`, each resource keeps the techpm id and data techpm wrote into it."""
    found: dict[int, ResourceIn] = {}
    taken: set[str] = set()
    for element in elements:
        r = Record(element, source, "Resource")
        uid = r.integer("UID")
        if uid is None:
            raise fail(source.path, source.where(element, "Resource"), "a resource has no <UID>")
        if uid == 0 or r.flag("IsNull"):
            continue
        if uid in found:
            raise fail(
                source.path,
                source.where(element, f"Resource UID {uid}"),
                f"UID {uid} is used by two resources",
                code="import.duplicate_uid",
            )
        name = r.text("Name") or f"Resource {uid}"
        r.label = f"Resource UID {uid} ({name!r})"
        own = values(r) if carried else {}
        given = item_id(own, "resource")
        if given is not None and given not in taken:
            taken.add(given)
            rid = given
        else:
            rid = _unique(_slug(name) or f"r{uid}", uid, taken)
        kind = _kind(r)
        units = r.number("MaxUnits")
        capacity = float(units) if units is not None and units > 0 else 1.0
        resource = ResourceIn(uid, rid, kind, capacity if kind == "work" else 1.0)
        resource.data = item_data(own, "resource", f"resource {name!r}", skipped)
        resource.calendar_uid = r.integer("CalendarUID")
        out = resource.fields
        out["id"] = rid
        out["name"] = name
        if kind == "work":
            if capacity != 1:
                out["capacity"] = plain_number(Decimal(str(capacity)))
            _calendar(r, out, calendar_ids, project_calendar)
            _rates(r, out, minutes_per_day, skipped, name)
        else:
            out["kind"] = "equipment"
            out["tags"] = [kind]
            skipped.add("material" if kind == "material" else "cost_resource", name)
        email = r.text("EmailAddress")
        if email:
            out["email"] = email
        if (r.fields.get("Notes") or "").strip():
            skipped.add("resource_notes", name)
        if r.nested.get("AvailabilityPeriods"):
            skipped.add("availability", name)
        for _ in range(others(r) + len(r.nested.get("OutlineCode", ()))):
            skipped.add("custom_fields", name)
        out["refs"] = {"msproject": uid}
        found[uid] = resource
    return found


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _SLUG.sub("-", ascii_name.lower()).strip("-")


def _unique(slug: str, uid: int, taken: set[str]) -> str:
    if slug in taken:
        slug = f"{slug}-{uid}"
    taken.add(slug)
    return slug


def _kind(r: Record) -> str:
    if r.flag("IsCostResource") or r.integer("Type") == 2:
        return "cost"
    return "material" if r.integer("Type") == 0 else "work"


def _calendar(
    r: Record, out: dict[str, Any], calendar_ids: dict[int, str], project_calendar: str | None
) -> None:
    uid = r.integer("CalendarUID")
    if uid is None or uid < 0:
        return
    if uid not in calendar_ids:
        raise fail(
            r.source.path,
            r.source.where(r.element, r.label),
            f"its calendar UID {uid} is not in the file",
            code="import.missing_reference",
        )
    if calendar_ids[uid] != project_calendar:
        out["calendar"] = calendar_ids[uid]


def _rates(r: Record, out: dict[str, Any], per_day: int, skipped: Skipped, name: str) -> None:
    """Table A of the cost rate tables (or the resource's own rate when it has none)."""
    table_a: list[tuple[date | None, Decimal, int | None]] = []
    entries = [r.sub(e, "Rate") for holder in r.nested.get("Rates", ()) for e in holder] or [r]
    overtime = per_use = other_tables = False
    for rate in entries:
        table = rate.integer("RateTable") or 0
        overtime |= (rate.number("OvertimeRate") or 0) > 0
        per_use |= (rate.number("CostPerUse") or 0) > 0
        if table != 0:
            other_tables = True
            continue
        start = rate.moment("RatesFrom")
        amount = rate.number("StandardRate") or Decimal(0)
        table_a.append(
            (start.date() if start else None, amount, rate.integer("StandardRateFormat"))
        )
    for kind, found in (
        ("overtime_rate", overtime),
        ("cost_per_use", per_use),
        ("rate_tables", other_tables),
    ):
        if found:
            skipped.add(kind, name)
    if not table_a:
        return
    table_a.sort(key=lambda item: item[0] or date.min)
    _, amount, fmt = table_a[0]
    if amount > 0:
        out["rate"] = _rate_text(amount, fmt, per_day)
    changes = [
        {"from": start, "rate": _rate_text(amount, fmt, per_day)}
        for start, amount, fmt in table_a[1:]
        if start
    ]
    if changes:
        out["rates"] = changes


def _rate_text(per_hour: Decimal, fmt: int | None, minutes_per_day: int) -> str:
    if fmt == PER_DAY:
        return f"{_decimal(per_hour * minutes_per_day / 60)}/d"
    return f"{_decimal(per_hour)}/h"


def _decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def read_assignments(
    source: Source,
    elements: list[Element],
    tasks: TasksIn,
    resources: dict[int, ResourceIn],
    hours_on: Callable[[str | None], HoursOn],
    skipped: Skipped,
) -> None:
    extra_cost: dict[int, Decimal] = {}
    split: set[int] = set()
    for element in elements:
        r = Record(element, source, "Assignment")
        uid = r.integer("UID")
        r.label = f"Assignment UID {uid}"
        task_uid, resource_uid = r.integer("TaskUID"), r.integer("ResourceUID")
        if task_uid is None or resource_uid is None:
            raise fail(
                source.path,
                source.where(element, r.label),
                "an assignment needs a <TaskUID> and a <ResourceUID>",
            )
        if task_uid == 0 or task_uid in tasks.blank:
            continue
        task = tasks.tasks.get(task_uid)
        if task is None:
            raise fail(
                source.path,
                source.where(element, r.label),
                f"its task UID {task_uid} is not in the file",
                code="import.missing_reference",
            )
        resource = resources.get(resource_uid)
        if resource is None and resource_uid not in (UNASSIGNED, 0):
            raise fail(
                source.path,
                source.where(element, r.label),
                f"its resource UID {resource_uid} is not in the file",
                code="import.missing_reference",
            )
        calendar = resource.fields.get("calendar") if resource else None
        gaps = count_gaps(r, hours_on(calendar or task.fields.get("calendar")))
        if gaps and task.uid not in split:
            split.add(task.uid)
            skipped.add("split", f"{task.name} (UID {task.uid}, {gaps + 1} pieces)")
        if resource is None:
            continue
        shown = f"{task.name} / {resource.fields['name']}"
        if resource.kind != "work":
            skipped.add("consumable_assignment", shown)
            cost = r.number("Cost") or Decimal(0)
            if cost > 0:
                extra_cost[task_uid] = extra_cost.get(task_uid, Decimal(0)) + cost
            continue
        if (r.integer("WorkContour") or 0) != 0:
            skipped.add("contour", shown)
        given = r.number("Units")
        units = float(given) if given is not None else 1.0
        if units <= 0:
            skipped.add("zero_units", shown)
            continue
        existing = next((a for a in task.assign if a["resource"] == resource.id), None)
        if existing is not None:
            skipped.add("duplicate_assignment", shown)
            units += float(existing.get("units", 1))
            task.assign.remove(existing)
        if units > resource.capacity + 1e-9:
            skipped.add("units_clamped", shown)
            units = resource.capacity
        entry: dict[str, Any] = {"resource": resource.id}
        if units != 1:
            entry["units"] = plain_number(Decimal(str(round(units, 6))))
        task.assign.append(entry)
    for task_uid, cost in extra_cost.items():
        fields = tasks.tasks[task_uid].fields
        total = Decimal(str(fields.get("fixed_cost", 0))) + cost
        fields["fixed_cost"] = plain_number(total)


def follow_resource_calendars(
    tasks: TasksIn, resources: dict[int, ResourceIn], project_calendar: str, skipped: Skipped
) -> None:
    """MS Project schedules assigned work on the resources' calendars, techpm on the task's:
    a task whose resources all work on one other calendar is given that calendar (summary
    tasks carry no calendar once imported, so a task without one runs on the project's)."""
    by_id = {r.id: r for r in resources.values()}
    for task in tasks.tasks.values():
        if task.children or "calendar" in task.fields or not task.assign or task.given:
            continue  # techpm wrote the task: it runs on the calendar techpm gave it
        if task.record.flag("IgnoreResourceCalendar"):
            continue
        used = {
            str(by_id[a["resource"]].fields.get("calendar", project_calendar)) for a in task.assign
        }
        if len(used) == 1 and project_calendar not in used:
            task.fields["calendar"] = used.pop()
            skipped.add("resource_calendar", f"{task.name} (UID {task.uid})")
