"""The plan data MSPDI has no field for, gathered for the export: each task's and
resource's techpm id and leftover plan-file keys (skills, needs, efforts, three-point
estimates, tags, sprints ...), and the plan's own (risks, stakeholders, procurement, the
calendars as the plan writes them). `carried_in.py` reads them back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from techpm.domain.project import Project
from techpm.interop.msproject.calendars_out import WrittenCalendar
from techpm.interop.msproject.carried import (
    CAPACITY,
    FIELDS,
    VERSION,
    alias,
    encode,
    field_name,
    packed,
    pieces,
)
from techpm.interop.msproject.xml_out import add
from techpm.interop.planfile.dump.calendars import calendar_entry, resource_entry
from techpm.interop.planfile.dump.plan import plan_parts
from techpm.interop.planfile.dump.tasks import task_entries

# task keys an MSPDI Task holds as they are; the others are carried
TASK_NATIVE = frozenset(
    {"id", "name", "milestone", "after", "priority", "owner", "notes", "assign"}
    | {"fixed_cost", "accrue", "actual_cost", "duration"}
)
# held by MSPDI less precisely (a date as a date and time, one constraint of several, a
# whole percent): carried too, and read back when MS Project's value still agrees
TASK_SHADOWED = frozenset(
    {"deadline", "constraint", "actual_start", "actual_finish", "percent_complete"}
    | {"remaining_duration", "calendar", "tags", "refs"}
)
RESOURCE_NATIVE = frozenset({"id", "name", "capacity", "rate", "rates", "email"})
PROJECT_NATIVE = frozenset(
    {"name", "start", "calendar", "currency", "description", "manager", "status_date"}
)
_WRITTEN_ELSEWHERE = frozenset({"project", "calendars", "resources", "tasks"})
TEXT_TYPE = 21  # CFType of a text custom field


@dataclass
class CarriedOut:
    tasks: dict[str, dict[str, Any]] = field(default_factory=dict)
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    project: dict[str, Any] = field(default_factory=dict)


def carried_data(
    project: Project,
    written: list[WrittenCalendar],
    duration_minutes: Mapping[str, int],
    booked: Mapping[str, list[str]],
) -> CarriedOut:
    """`duration_minutes`: the Duration written for each leaf task; `booked`: the
    resources written as its assignments (whoever fills its needs, too)."""
    out = CarriedOut()
    left_out: list[str] = []
    implied = {"effort", "estimate"}
    predecessors: dict[str, list[str]] = {}
    for dep in project.dependencies:
        predecessors.setdefault(dep.successor, []).append(dep.predecessor)
    for task, entry in task_entries(project):
        extra = {k: v for k, v in entry.items() if k not in TASK_NATIVE}
        if implied & set(extra) and "duration" not in entry and task.id in duration_minutes:
            extra["_d"] = duration_minutes[task.id]  # a duration techpm derived
        if task.calendar is None and task.parent is not None:
            extra["_ci"] = True  # runs on its summary's calendar, written on the task
        people = booked.get(task.id, [])
        if set(people) != {a.resource for a in task.assignments}:
            extra["assign"] = entry.get("assign", [])  # the plan's own, not who staffs it
            extra["_b"] = people
        linked = predecessors.get(task.id, [])
        if len(linked) != len(set(linked)):
            extra["after"] = entry["after"]  # MS Project links a pair of tasks once
        out.tasks[task.id] = _fitted(extra, f"task {task.id}", left_out)
    for resource in project.resources:
        own = resource_entry(resource)
        extra = {k: v for k, v in own.items() if k not in RESOURCE_NATIVE}
        out.resources[resource.id] = _fitted(extra, f"resource {resource.id}", left_out)
    parts = plan_parts(project)
    info = {k: v for k, v in parts["project"].items() if k not in PROJECT_NATIVE}
    plan = {k: v for k, v in parts.items() if k not in _WRITTEN_ELSEWHERE and v}
    calendars = {str(w.uid): _calendar(project, w) for w in written}
    data: dict[str, Any] = {"v": VERSION, "project": info, "calendars": calendars, "plan": plan}
    while len(packed({**data, "not_carried": left_out})) > CAPACITY and plan:
        largest = max(plan, key=lambda k: len(encode({k: plan[k]})))
        del plan[largest]
        left_out.append(largest)
    if left_out:
        data["not_carried"] = left_out
    out.project = data
    return out


def _calendar(project: Project, written: WrittenCalendar) -> dict[str, Any]:
    """A plan calendar as the plan writes it (`implicit` when the plan names it without
    defining it), or the resource whose own calendar it is."""
    out: dict[str, Any] = {"check": written.check}
    if written.calendar is None:
        out["resource"] = written.resource
    elif written.calendar in project.calendars:
        out["id"] = written.calendar
        out["entry"] = calendar_entry(project.calendars[written.calendar])
    else:
        out["id"] = written.calendar
        out["implicit"] = True
    return out


def _fitted(data: dict[str, Any], what: str, left_out: list[str]) -> dict[str, Any]:
    """The data, without its largest keys while it does not fit MS Project's fields."""
    data = {k: v for k, v in data.items() if v not in (None, [], {}) or k == "assign"}
    while data and len(packed(data)) > CAPACITY:
        largest = max(data, key=lambda k: len(encode({k: data[k]})))
        del data[largest]
        left_out.append(f"{what}: {largest}")
    return data


def write_definitions(root: Element, carried: CarriedOut, before: Element) -> None:
    """The project's <ExtendedAttributes>, placed before `before` (the schema's order):
    the techpm id field and as many data fields as the largest data needs."""
    used = {
        "task": max(
            (len(pieces(packed(d))) for d in [*carried.tasks.values(), carried.project] if d),
            default=0,
        ),
        "resource": max(
            (len(pieces(packed(d))) for d in carried.resources.values() if d), default=0
        ),
    }
    holder = Element("ExtendedAttributes")
    for kind, (text30, data_fields) in FIELDS.items():
        for field_id in (text30, *data_fields[: used[kind]]):
            definition = add(holder, "ExtendedAttribute")
            add(definition, "FieldID", field_id)
            add(definition, "FieldName", field_name(kind, field_id))
            add(definition, "CFType", TEXT_TYPE)
            add(definition, "Alias", alias(kind, field_id))
    root.insert(list(root).index(before), holder)


def write_values(element: Element, kind: str, item_id: str | None, data: Mapping[str, Any]) -> None:
    """A task's or resource's techpm id and data as ExtendedAttribute values."""
    text30, data_fields = FIELDS[kind]
    if item_id is not None:
        _value(element, text30, item_id)
    if data:
        for field_id, piece in zip(data_fields, pieces(packed(data)), strict=False):
            _value(element, field_id, piece)


def _value(element: Element, field_id: int, text: str) -> None:
    value = add(element, "ExtendedAttribute")
    add(value, "FieldID", field_id)
    add(value, "Value", text)
