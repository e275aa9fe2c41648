"""GanttProject <depend> links as `after` entries, and where a task's own start still holds it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from techpm.interop.exchange import ImportFailed, fail
from techpm.interop.ganttproject.source import Source, where
from techpm.interop.ganttproject.tasks import TaskTable
from techpm.scheduling.network import cycle_among

LINK_TYPES = {"1": "SS", "2": "FS", "3": "FF", "4": "SF"}


def read_links(source: Source, table: TaskTable) -> None:
    """Kept per successor, for the cycle check and for placing tasks."""
    table.incoming = {}
    found: list[tuple[str, str]] = []
    seen: set[tuple[str, str, str]] = set()
    for el in source.root.iter("task"):
        pred = el.get("id", "")
        for dep in el.findall("depend"):
            succ = dep.get("id", "")
            at = f"{where(el)} <depend id={succ!r}>"
            if succ not in table.tasks:
                raise fail(source.path, at, f"links to task {succ}, which is not in the file")
            kind = LINK_TYPES.get(dep.get("type", "2"))
            if kind is None:
                raise fail(source.path, at, f"unknown link type {dep.get('type')!r} (1 to 4)")
            if not _linkable(source, table, pred, succ, kind):
                continue
            if (pred, succ, kind) in seen:
                source.skip("repeated link[s] between the same two tasks")
                continue
            seen.add((pred, succ, kind))
            entry: dict[str, Any] = {"task": table.tasks[pred]["id"]}
            lag = int(source.number(dep, "difference"))
            if kind != "FS":
                entry["type"] = kind
            if lag:
                entry["lag"] = f"{lag}d"
            after = table.tasks[succ].setdefault("after", [])
            after.append(entry if len(entry) > 1 else entry["task"])
            table.incoming.setdefault(succ, []).append((pred, dep.get("hardness", "Strong")))
            found.append((pred, succ))
    _check_cycles(source, table, found)


def _linkable(source: Source, table: TaskTable, pred: str, succ: str, kind: str) -> bool:
    if pred == succ:
        source.skip("link[s] from a task to itself")
        return False
    if pred in _ancestors(table, succ) or succ in _ancestors(table, pred):
        source.skip("link[s] between a summary task and a task inside it (techpm forbids them)")
        return False
    if kind in ("SS", "SF") and any(p == pred for p in table.parent.values()):
        source.skip("link[s] from the start of a summary task (techpm forbids them)")
        return False
    return True


def _ancestors(table: TaskTable, gid: str) -> Iterator[str]:
    up = table.parent.get(gid)
    while up is not None:
        yield up
        up = table.parent.get(up)


def _check_cycles(source: Source, table: TaskTable, links: list[tuple[str, str]]) -> None:
    cycle = cycle_among(list(table.tasks), links)
    if cycle is not None:
        loop = " -> ".join(f"task {gid}" for gid in [*cycle, cycle[0]])
        raise ImportFailed(f"{source.path.name}: <depend> links loop: {loop}", code="import.cycle")


def constrain(source: Source, table: TaskTable, project_start: date) -> None:
    """Where no strong link places a leaf, its start holds it; an earliest begin, set on
    purpose, holds any task."""
    summaries = {p for p in table.parent.values() if p is not None}
    earliest_begin = {
        el.get("id", ""): source.date_of(el, "thirdDate")
        for el in source.root.iter("task")
        if el.get("thirdDate") and el.get("thirdDate-constraint") == "1"
    }
    for gid, task in table.tasks.items():
        # (the working day it means, the date as written): the later day wins, and on
        # the same day the earliest begin as written, so that a round trip keeps it
        floors: list[tuple[date, date]] = []
        earliest = earliest_begin.get(gid)
        if earliest is not None:
            floors.append((table.days.next_working(earliest), earliest))
        incoming = table.incoming.get(gid, [])
        if gid not in summaries and (not incoming or any(h != "Strong" for _, h in incoming)):
            placed = table.days.next_working(table.starts[gid])
            floors.append((placed, placed))
        floor = max(floors, key=lambda f: f[0], default=None)
        if floor is not None and (floor[0] > project_start or floor[1] == earliest):
            task["constraint"] = {"type": "start_no_earlier_than", "date": floor[1]}
