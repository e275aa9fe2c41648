"""GanttProject resources, vacations and allocations as plan resources and assignments."""

from __future__ import annotations

import re
from typing import Any

from techpm.interop.exchange import fail
from techpm.interop.ganttproject.source import Source, slug, where
from techpm.interop.ganttproject.tasks import TaskTable

DEFAULT_ROLES = {"Default:1": "project manager"}  # Default:0 is GanttProject's "undefined"
_RATE = re.compile(r"\brate\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def read_resources(source: Source) -> dict[str, dict[str, Any]]:
    """The plan resources by GanttProject id, with their vacations."""
    root = source.root
    roles = {f"{r.get('id')}": r.get("name", "") for r in root.iter("role")}
    fields = {
        d.get("id", ""): d.get("name", "")
        for d in root.findall("resources/custom-property-definition")
    }
    found: dict[str, dict[str, Any]] = {}
    for el in root.findall("resources/resource"):
        rid = el.get("id")
        if rid is None or not rid.strip():
            raise fail(source.path, "<resource>", "a resource without an id attribute")
        if rid in found:
            raise fail(source.path, where(el), f"resource id {rid} is used twice")
        name = el.get("name", "").strip() or f"Resource {rid}"
        resource: dict[str, Any] = {"id": slug(f"r{rid}"), "name": name}
        rate = el.find("rate[@name='standard']")
        if rate is not None and source.number(rate, "value"):
            resource["rate"] = f"{source.number(rate, 'value'):g}/d"
        contacts = el.get("contacts", "").strip()
        if "@" in contacts and " " not in contacts:
            resource["email"] = contacts
        role = el.get("function", "")
        role_name = DEFAULT_ROLES.get(role) or roles.get(role)
        if role_name:
            resource["tags"] = [role_name]
        if el.get("phone", "").strip():
            source.skip("resource phone number[s]")
        for value in el.findall("custom-property"):
            field = fields.get(value.get("definition-id", ""), "")
            text = value.get("value", "").strip()
            amount = float(text) if _RATE.search(field) and _NUMBER.fullmatch(text) else 0
            if amount > 0 and "rate" not in resource:
                resource["rate"] = f"{amount:g}/d"  # a rate kept as a custom column
            else:
                source.skip("resource custom property value[s]")
        resource["refs"] = {"gantt": int(rid) if rid.lstrip("-").isdigit() else rid}
        found[rid] = resource
    for el in root.findall("vacations/vacation"):
        rid = el.get("resourceid", "")
        if rid not in found:
            raise fail(
                source.path,
                f"<vacation resourceid={rid!r}>",
                f"resource {rid} is not in the file",
            )
        span = {"from": source.date_of(el, "start"), "to": source.date_of(el, "end")}
        if span["to"] < span["from"]:
            raise fail(source.path, f"<vacation resourceid={rid!r}>", "ends before it starts")
        found[rid].setdefault("vacations", []).append(span)
    return found


def read_allocations(
    source: Source, table: TaskTable, resources: dict[str, dict[str, Any]]
) -> None:
    """Each allocation as an assignment on its task; a responsible one names the owner."""
    for el in source.root.findall("allocations/allocation"):
        tid, rid = el.get("task-id", ""), el.get("resource-id", "")
        at = f"<allocation task-id={tid!r} resource-id={rid!r}>"
        if tid not in table.tasks:
            raise fail(source.path, at, f"task {tid} is not in the file")
        if rid not in resources:
            raise fail(source.path, at, f"resource {rid} is not in the file")
        load = source.number(el, "load", 100.0)
        task = table.tasks[tid]
        assign = task.setdefault("assign", [])
        if load <= 0 or any(a["resource"] == resources[rid]["id"] for a in assign):
            source.skip("allocation[s] with no load or repeated")
            continue
        entry: dict[str, Any] = {"resource": resources[rid]["id"]}
        if load != 100:
            entry["units"] = round(load / 100, 4)
        assign.append(entry)
        if el.get("responsible") == "true" and "owner" not in task:
            task["owner"] = resources[rid]["name"]
    for task in table.tasks.values():
        if task.get("assign") == []:
            del task["assign"]
    _capacities(source, table, resources)


def _capacities(source: Source, table: TaskTable, resources: dict[str, dict[str, Any]]) -> None:
    """GanttProject books people above 100%; techpm then needs a team that large."""
    largest: dict[str, float] = {}
    for task in table.tasks.values():
        for entry in task.get("assign", []):
            units = entry.get("units", 1.0)
            largest[entry["resource"]] = max(largest.get(entry["resource"], 0.0), units)
    for resource in resources.values():
        units = largest.get(resource["id"], 1.0)
        if units > 1:
            refs = resource.pop("refs")
            resource.update(capacity=units, refs=refs)
            source.skip("resource[s] booked above 100%: capacity raised to the largest load")
