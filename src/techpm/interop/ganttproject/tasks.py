"""GanttProject tasks as plan tasks, kept by their GanttProject id with their start and length."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from xml.etree.ElementTree import Element

from techpm.interop.exchange import fail
from techpm.interop.ganttproject.calendars import WorkDays
from techpm.interop.ganttproject.source import Source, slug, where

# GanttProject's five priorities (3 lowest ... 4 highest) on techpm's 0-1000 scale
PRIORITIES = {"3": 100, "0": 300, "1": 500, "2": 700, "4": 900}
MAX_DAYS = 36_500  # a task of a hundred years is a broken file
MAX_DEPTH = 200


@dataclass
class TaskTable:
    """The plan tasks by GanttProject id, with where GanttProject placed them."""

    days: WorkDays
    tasks: dict[str, dict[str, Any]] = field(default_factory=dict)  # gantt id -> plan task
    parent: dict[str, str | None] = field(default_factory=dict)
    starts: dict[str, date] = field(default_factory=dict)
    durations: dict[str, int] = field(default_factory=dict)
    # successor -> (predecessor, hardness), filled in by the links
    incoming: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def finish(self, gid: str) -> date:
        if self.tasks[gid].get("milestone"):
            return self.starts[gid]
        return self.days.finish(self.starts[gid], self.durations[gid])


def read_tasks(source: Source, table: TaskTable) -> list[dict[str, Any]]:
    """The top-level tasks, their sub-tasks nested; every task is also put in `table`."""
    reader = _TaskReader(source, table)
    return [reader.task(el, None) for el in reader.elements()]


class _TaskReader:
    def __init__(self, source: Source, table: TaskTable) -> None:
        self.source = source
        self.table = table
        self.used_ids: set[str] = set()
        self.properties = {
            d.get("id", ""): d for d in source.root.findall("tasks/taskproperties/taskproperty")
        }

    def elements(self, parent: Element | None = None) -> Iterator[Element]:
        holder = parent if parent is not None else self.source.root.find("tasks")
        return iter(holder.findall("task")) if holder is not None else iter(())

    def task(self, el: Element, parent: str | None, depth: int = 0) -> dict[str, Any]:
        source, table = self.source, self.table
        if depth > MAX_DEPTH:
            raise RecursionError
        gid = el.get("id")
        if gid is None or not gid.strip():
            raise fail(source.path, "<task>", "a task without an id attribute")
        if gid in table.tasks:
            raise fail(source.path, where(el), f"task id {gid} is used twice")
        plan_id = slug(f"t{gid}")
        while plan_id in self.used_ids:
            plan_id += "_"
        self.used_ids.add(plan_id)
        task: dict[str, Any] = {"id": plan_id, "name": el.get("name", "").strip() or f"Task {gid}"}
        table.tasks[gid] = task
        table.parent[gid] = parent
        table.starts[gid] = source.date_of(el, "start")
        table.durations[gid] = days = int(source.number(el, "duration"))
        if not 0 <= days <= MAX_DAYS:
            raise fail(source.path, f"{where(el)} duration", f"{days} days is out of range")
        children = [self.task(child, gid, depth + 1) for child in self.elements(el)]
        milestone = el.get("meeting") == "true" or (days == 0 and not children)
        if children:
            task["children"] = children
            if el.get("meeting") == "true":
                source.skip("milestone[s] with sub-tasks (read as summary tasks)")
        elif milestone:
            task["milestone"] = True
            if days > 0:
                source.skip("milestone[s] with a duration (read as zero-length)")
        else:
            task["duration"] = f"{days}d"
            complete = source.number(el, "complete")
            if complete:
                task["percent_complete"] = min(max(complete, 0.0), 100.0)
        priority = PRIORITIES.get(el.get("priority", "1"), 500)
        if priority != 500:
            task["priority"] = priority
        notes = [(el.findtext("notes") or "").strip()]
        notes += self.custom_values(el)
        if any(notes):
            task["notes"] = "\n\n".join(n for n in notes if n)
        link = el.get("webLink", "").strip()
        if link and link not in ("http://", "http%3A%2F%2F"):
            source.skip("task web link[s]")
        task["refs"] = {"gantt": int(gid) if gid.lstrip("-").isdigit() else gid}
        return task

    def custom_values(self, el: Element) -> list[str]:
        lines = []
        for value in el.findall("customproperty"):
            definition = self.properties.get(value.get("taskproperty-id", ""))
            if definition is None:
                raise fail(
                    self.source.path,
                    f"{where(el)} <customproperty>",
                    f"refers to property {value.get('taskproperty-id')!r}, which is not defined",
                )
            if definition.find("simple-select") is not None:
                self.source.skip("calculated custom property value[s] (GanttProject derives them)")
                continue
            lines.append(f"{definition.get('name', '')}: {value.get('value', '')}")
        return ["\n".join(lines)] if lines else []
