"""PredecessorLink elements to `after` entries: link type, lag in the plan's units, and the
links techpm reads differently (from a summary's start, across projects) made explicit."""

from __future__ import annotations

from collections import deque
from datetime import datetime
from typing import Any

from techpm.interop.exchange import fail
from techpm.interop.msproject.durations import ELAPSED, PERCENT, TimeUnits, duration_text
from techpm.interop.msproject.skipped import Skipped
from techpm.interop.msproject.tasks_in import TaskIn, TasksIn

LINK_TYPES = {0: "FF", 1: "FS", 2: "SF", 3: "SS"}


def read_links(found: TasksIn, units: TimeUnits, day_minutes: int, skipped: Skipped) -> None:
    tasks = found.tasks
    for task in tasks.values():
        links = task.record.nested.get("PredecessorLink", ())
        seen: set[int] = set()
        for n, element in enumerate(links, start=1):
            link = task.record.sub(element, f"PredecessorLink {n}")
            shown = f"{task.name} (UID {task.uid})"
            pred_uid = link.integer("PredecessorUID")
            if pred_uid is None:
                continue
            if link.flag("CrossProject"):
                skipped.add("cross_project", shown)
                continue
            if pred_uid == 0:
                skipped.add("summary_link_to_project", shown)
                continue
            if pred_uid in found.blank:
                continue
            if pred_uid not in tasks:
                raise fail(
                    link.source.path,
                    link.source.where(task.record.element, link.label),
                    f"its predecessor UID {pred_uid} is not a task in the file",
                    code="import.missing_reference",
                )
            code = link.integer("Type")
            kind = LINK_TYPES.get(1 if code is None else code)
            if kind is None:
                raise link.bad("Type", str(code), "0 (FF), 1 (FS), 2 (SF) or 3 (SS)")
            pred = tasks[pred_uid]
            if pred_uid == task.uid or _same_branch(tasks, pred, task):
                skipped.add("bad_link", shown)
                continue
            if pred.children and kind in ("SS", "SF"):
                skipped.add("summary_start", shown)
                pred = _first_to_start(tasks, pred)
            if pred.uid in seen:
                skipped.add("duplicate_link", shown)
                continue
            seen.add(pred.uid)
            lag = _lag(link.integer("LinkLag") or 0, link.integer("LagFormat"), pred, units)
            if link.integer("LagFormat") in ELAPSED and lag:
                skipped.add("elapsed_lag", shown)
            if link.integer("LagFormat") in PERCENT and lag:
                skipped.add("percent_lag", shown)
            task.after.append(_entry(pred.id, kind, lag, day_minutes))
    _check_cycles(found)


def _lag(raw: int, fmt: int | None, pred: TaskIn, units: TimeUnits) -> int:
    """LinkLag is tenths of a minute, or a percentage of the predecessor's duration."""
    if fmt in PERCENT:
        return round(pred.duration_minutes * raw / 100)
    return round(units.working(raw / 10, fmt))


def _entry(pred_id: str, kind: str, lag: int, day_minutes: int) -> Any:
    if kind == "FS" and lag == 0:
        return pred_id
    entry: dict[str, Any] = {"task": pred_id}
    if kind != "FS":
        entry["type"] = kind
    if lag:
        entry["lag"] = duration_text(lag, day_minutes)
    return entry


def _same_branch(tasks: dict[int, TaskIn], a: TaskIn, b: TaskIn) -> bool:
    return _is_ancestor(tasks, a, b) or _is_ancestor(tasks, b, a)


def _is_ancestor(tasks: dict[int, TaskIn], older: TaskIn, task: TaskIn) -> bool:
    parent = task.parent
    while parent is not None:
        if parent == older.uid:
            return True
        parent = tasks[parent].parent
    return False


def _first_to_start(tasks: dict[int, TaskIn], summary: TaskIn) -> TaskIn:
    """The task under a summary that MS Project had starting first (outline order breaks
    ties)."""
    leaves: list[TaskIn] = []
    pending = [summary]
    while pending:
        node = pending.pop()
        if node.children:
            pending.extend(tasks[uid] for uid in reversed(node.children))
        else:
            leaves.append(node)
    dated = [leaf for leaf in leaves if leaf.start is not None]
    if not dated:
        return leaves[0]
    return min(dated, key=lambda leaf: leaf.start or datetime.max)


def _check_cycles(found: TasksIn) -> None:
    """Links that loop back, named by UID (summaries' own loops are found when scheduling)."""
    tasks = found.tasks
    by_id = {task.id: task for task in tasks.values()}
    preds = {uid: [_pred_id(a) for a in task.after] for uid, task in tasks.items()}
    succs: dict[str, list[str]] = {}
    indegree = {task.id: 0 for task in tasks.values()}
    for uid, ids in preds.items():
        for pred in ids:
            succs.setdefault(pred, []).append(tasks[uid].id)
            indegree[tasks[uid].id] += 1
    queue = deque(tid for tid, n in indegree.items() if n == 0)
    while queue:
        tid = queue.popleft()
        for nxt in succs.get(tid, ()):
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                queue.append(nxt)
    stuck = {tid for tid, n in indegree.items() if n > 0}
    if not stuck:
        return
    start = next(tid for tid in by_id if tid in stuck)
    path = [start]
    seen = {start: 0}
    while True:
        pred = next(p for p in preds[by_id[path[-1]].uid] if p in stuck)
        if pred in seen:
            loop = [*path[seen[pred] :], pred]
            break
        seen[pred] = len(path)
        path.append(pred)
    loop.reverse()
    first = by_id[loop[0]]
    names = " -> ".join(f"UID {by_id[t].uid} ({by_id[t].name!r})" for t in loop)
    raise fail(
        first.record.source.path,
        first.record.source.where(first.record.element, f"Task UID {first.uid}"),
        f"the predecessor links form a loop: {names}",
        code="import.dependency_cycle",
    )


def _pred_id(entry: Any) -> str:
    return entry if isinstance(entry, str) else str(entry["task"])
