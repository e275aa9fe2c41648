"""MSPDI tasks to plan-file tasks: the outline (OutlineLevel) becomes nested `children`,
and each task keeps what techpm schedules with: duration, milestone, constraint,
deadline, calendar, progress, cost, priority and notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import Element

from techpm.interop.exchange import fail
from techpm.interop.msproject.carried_in import item_data, item_id, others, values
from techpm.interop.msproject.durations import ELAPSED, TimeUnits, duration_text
from techpm.interop.msproject.records import Record
from techpm.interop.msproject.skipped import Skipped
from techpm.interop.msproject.xml_source import Source

CONSTRAINTS = {
    2: "must_start_on",
    3: "must_finish_on",
    4: "start_no_earlier_than",
    5: "start_no_later_than",
    6: "finish_no_earlier_than",
    7: "finish_no_later_than",
}
ALAP = 1
_ACCRUAL = {"1": "start", "3": "end"}


def task_id(uid: int) -> str:
    return f"t{uid}" if uid >= 0 else f"t_{-uid}"


def plain_number(value: Decimal) -> int | float:
    """Money and units as YAML numbers: whole amounts without a decimal point."""
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass
class TaskIn:
    """One task on its way to the plan file; `fields` are plan-file keys in their order."""

    uid: int
    record: Record
    level: int
    fields: dict[str, Any] = field(default_factory=dict)
    parent: int | None = None
    children: list[int] = field(default_factory=list)
    after: list[Any] = field(default_factory=list)
    assign: list[dict[str, Any]] = field(default_factory=list)
    duration_minutes: int = 0
    start: datetime | None = None
    finish: datetime | None = None
    given: str | None = None  # the techpm id the file carries
    data: dict[str, Any] = field(default_factory=dict)  # the techpm data it carries

    @property
    def id(self) -> str:
        return self.given or task_id(self.uid)

    @property
    def name(self) -> str:
        return str(self.fields["name"])

    def document(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id}
        for key in ("name", "duration", "milestone"):
            if key in self.fields:
                out[key] = self.fields[key]
        if self.after:
            out["after"] = self.after
        for key, value in self.fields.items():
            out.setdefault(key, value)
        if self.assign:
            out["assign"] = self.assign
        out["refs"] = {**out.get("refs", {}), "msproject": self.uid}
        return out


@dataclass
class TasksIn:
    tasks: dict[int, TaskIn]  # in outline order
    summary: Record | None  # the project summary task (UID 0)
    blank: set[int]  # UIDs of blank rows


def read_tasks(
    source: Source, elements: list[Element], skipped: Skipped, *, carried: bool = False
) -> TasksIn:
    """The outline: tasks in ID order, each under the last task one level up; with
    `carried`, each task keeps the techpm id and data techpm wrote into it."""
    records: list[tuple[int, int, int, Record]] = []
    summary = None
    blank: set[int] = set()
    for position, element in enumerate(elements):
        record = Record(element, source, "Task")
        uid = record.integer("UID")
        if uid is None:
            raise fail(source.path, source.where(element, "Task"), "a task has no <UID>")
        record.label = f"Task UID {uid}"
        if uid == 0:
            summary = record
            continue
        if record.flag("IsNull"):
            blank.add(uid)
            continue
        order = record.integer("ID")
        records.append((order if order is not None else position, position, uid, record))
    records.sort(key=lambda item: (item[0], item[1]))
    tasks: dict[int, TaskIn] = {}
    given_ids: set[str] = set()
    stack: list[TaskIn] = []
    for _, _, uid, record in records:
        if uid in tasks:
            raise fail(
                source.path,
                source.where(record.element, record.label),
                f"UID {uid} is used by two tasks",
                code="import.duplicate_uid",
            )
        task = TaskIn(uid, record, _level(record))
        if carried:
            _carried(task, given_ids, skipped)
        while stack and stack[-1].level >= task.level:
            stack.pop()
        if stack:
            task.parent = stack[-1].uid
            stack[-1].children.append(uid)
        stack.append(task)
        tasks[uid] = task
    return TasksIn(tasks, summary, blank)


def _carried(task: TaskIn, taken: set[str], skipped: Skipped) -> None:
    found = values(task.record)
    given = item_id(found, "task")
    if given is not None and given in taken:
        skipped.say(
            f"techpm id {given!r} is on two tasks (copied in MS Project?): task UID "
            f"{task.uid} is {task_id(task.uid)}"
        )
        given = None
    if given is not None:
        taken.add(given)
    task.given = given
    task.data = item_data(found, "task", f"task UID {task.uid}", skipped)


def _level(record: Record) -> int:
    level = record.integer("OutlineLevel")
    if level is None:
        number = record.text("OutlineNumber")
        level = number.count(".") + 1 if number else 1
    return max(1, level)


def fill_tasks(
    found: TasksIn,
    units: TimeUnits,
    day_minutes: int,
    calendar_ids: dict[int, str],
    skipped: Skipped,
) -> None:
    """Every task's own fields, once the outline says which tasks are summaries."""
    for task in found.tasks.values():
        _fill(task, units, day_minutes, calendar_ids, skipped)


def _fill(
    task: TaskIn,
    units: TimeUnits,
    day_minutes: int,
    calendar_ids: dict[int, str],
    skipped: Skipped,
) -> None:
    r = task.record
    name = r.text("Name") or f"Task {r.text('ID') or task.uid}"
    r.label = f"Task UID {task.uid} ({name!r})"
    shown = f"{name} (UID {task.uid})"
    out = task.fields
    out["name"] = name
    task.start, task.finish = r.moment("Start"), r.moment("Finish")
    summary = bool(task.children)
    minutes = r.minutes("Duration") or 0.0
    fmt = r.integer("DurationFormat")
    if fmt in ELAPSED and not summary:
        skipped.add("elapsed_duration", shown)
        minutes = units.working(minutes, fmt)
    task.duration_minutes = max(0, round(minutes))
    if not summary:
        if r.flag("Milestone"):
            out["milestone"] = True
            if task.duration_minutes:
                skipped.add("milestone_duration", shown)
        else:
            out["duration"] = duration_text(task.duration_minutes, day_minutes)
    _constraint(task, shown, skipped)
    deadline = r.moment("Deadline")
    if deadline is not None:
        out["deadline"] = deadline
    calendar_uid = r.integer("CalendarUID")
    if calendar_uid is not None and calendar_uid >= 0:
        if calendar_uid not in calendar_ids:
            raise fail(
                r.source.path,
                r.source.where(r.element, r.label),
                f"its calendar UID {calendar_uid} is not in the file",
                code="import.missing_reference",
            )
        if summary:  # MS Project does not pass a task calendar on to subtasks; techpm would
            skipped.add("summary_calendar", shown)
        else:
            out["calendar"] = calendar_ids[calendar_uid]
    if not summary:
        _progress(task, day_minutes, shown, skipped)
    contact = r.text("Contact")
    if contact:
        out["owner"] = contact
    priority = r.integer("Priority")
    if priority is not None and priority != 500:
        out["priority"] = min(1000, max(0, priority))
    fixed = r.number("FixedCost")
    if fixed is not None and fixed > 0:
        out["fixed_cost"] = plain_number(fixed)
        accrual = _ACCRUAL.get(r.text("FixedCostAccrual") or "")
        if accrual:
            out["accrue"] = accrual
    notes = (r.fields.get("Notes") or "").strip()
    if notes:
        out["notes"] = notes
    _remarks(task, shown, skipped)


def _constraint(task: TaskIn, shown: str, skipped: Skipped) -> None:
    r = task.record
    kind = r.integer("ConstraintType")
    if kind == ALAP:
        skipped.add("alap", shown)
        return
    name = CONSTRAINTS.get(kind or 0)
    on = r.moment("ConstraintDate")
    if name is not None and on is not None:
        task.fields["constraint"] = {"type": name, "date": on}


def _progress(task: TaskIn, day_minutes: int, shown: str, skipped: Skipped) -> None:
    r = task.record
    out = task.fields
    started, finished = r.moment("ActualStart"), r.moment("ActualFinish")
    if finished is not None and started is None:
        skipped.add("finish_without_start", shown)
        started = task.start or finished
    if started is not None:
        out["actual_start"] = started
    if finished is not None:
        out["actual_finish"] = finished
    percent = r.number("PercentComplete")
    pct = min(100, max(0, plain_number(percent))) if percent is not None else 0
    if pct:
        out["percent_complete"] = pct
    remaining = r.minutes("RemainingDuration")
    if started is not None and finished is None and remaining is not None:
        left = max(0, round(remaining))
        if left != round(task.duration_minutes * (1 - pct / 100)):
            out["remaining_duration"] = duration_text(left, day_minutes)
    cost = r.number("ActualCost")
    if cost is not None and cost > 0:
        out["actual_cost"] = plain_number(cost)


def _remarks(task: TaskIn, shown: str, skipped: Skipped) -> None:
    r = task.record
    if r.flag("Manual"):
        skipped.add("manual", shown)
    if r.flag("Active") is False:
        task.fields["tags"] = ["inactive"]
        skipped.add("inactive", shown)
    if r.flag("ExternalTask") or r.flag("IsSubproject"):
        skipped.add("external", shown)
    if r.integer("LevelingDelay"):
        skipped.add("leveling_delay", shown)
    for _ in range(others(r) + len(r.nested.get("OutlineCode", ()))):
        skipped.add("custom_fields", shown)


def nest(found: TasksIn) -> list[dict[str, Any]]:
    """The outline as nested plan-file tasks, parents before children."""
    documents: dict[int, dict[str, Any]] = {}
    top: list[dict[str, Any]] = []
    for uid, task in found.tasks.items():
        document = task.document()
        documents[uid] = document
        if task.parent is None:
            top.append(document)
        else:
            documents[task.parent].setdefault("children", []).append(document)
    return top
