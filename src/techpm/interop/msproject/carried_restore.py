"""The plan a techpm export came from, put back together on import: tasks and resources
get their carried keys, resources their own calendars and vacations (while the calendar
techpm derived for them is unchanged), and the plan its sections and project keys."""

from __future__ import annotations

from typing import Any

from techpm.interop.msproject.calendars_in import CalendarsIn
from techpm.interop.msproject.carried_in import merge_task
from techpm.interop.msproject.resources_in import ResourceIn
from techpm.interop.msproject.skipped import Skipped
from techpm.interop.msproject.tasks_in import TaskIn, TasksIn

_RESOURCE_CALENDAR = ("calendar", "vacations")


def restore_items(
    found: TasksIn,
    resources: dict[int, ResourceIn],
    calendars: CalendarsIn,
    carried: dict[str, Any],
    project_calendar: str,
    skipped: Skipped,
) -> None:
    inherits = {t.uid for t in found.tasks.values() if t.data.pop("_ci", False)}
    for task in found.tasks.values():
        if task.data:
            if _links_and_people(task):
                skipped.discard("duplicate_link", f"{task.name} (UID {task.uid})")
            merge_task(
                task.fields,
                dict(task.data),
                summary=bool(task.children),
                duration_minutes=task.duration_minutes,
                uid=task.uid,
            )
    _inherited_calendars(found, inherits)
    written = carried.get("calendars") or {}
    plan_ids = {str(c["id"]) for c in written.values() if isinstance(c, dict) and c.get("id")}
    own_calendars: set[str] = set()
    for resource in resources.values():
        uid = resource.calendar_uid
        entry = written.get(str(uid)) if uid is not None else None
        derived = isinstance(entry, dict) and entry.get("resource") is not None
        if derived and uid is not None and uid in calendars.ids:
            own_calendars.add(calendars.ids[uid])
        _restore_resource(resource, derived, uid in calendars.as_written, project_calendar)
    # a resource's own calendar, unchanged, is its calendar and vacations again
    calendars.droppable = calendars.droppable | (own_calendars - plan_ids)


def _inherited_calendars(found: TasksIn, inherits: set[int]) -> None:
    """MS Project passes no calendar down the outline, so techpm writes a summary's
    calendar on its tasks; where it still is the summary's, the task inherits it again."""
    for task in found.tasks.values():
        if task.uid not in inherits or "calendar" not in task.fields:
            continue
        parent = found.tasks.get(task.parent) if task.parent is not None else None
        while parent is not None and "calendar" not in parent.fields:
            parent = found.tasks.get(parent.parent) if parent.parent is not None else None
        if parent is not None and parent.fields["calendar"] == task.fields["calendar"]:
            del task.fields["calendar"]


def _links_and_people(task: TaskIn) -> bool:
    """The plan's own links and assignments, where MSPDI could not hold them (two links
    between one pair of tasks; people booked to fill a skill need) and the file's still
    agree with what techpm wrote; True when links were restored."""
    data = task.data
    after = data.pop("after", None)
    restored = False
    if isinstance(after, list) and all(isinstance(a, str | dict) for a in after):
        native = {a if isinstance(a, str) else a.get("task") for a in task.after}
        carried = {a if isinstance(a, str) else a.get("task") for a in after}
        if native == carried:
            task.after = after
            restored = True
    assign, booked = data.pop("assign", None), data.pop("_b", None)
    people = sorted(a["resource"] for a in task.assign)
    if isinstance(assign, list) and isinstance(booked, list) and people == sorted(booked):
        task.assign = assign
    return restored


def _restore_resource(
    resource: ResourceIn, derived: bool, unchanged: bool, project_calendar: str
) -> None:
    data = dict(resource.data)
    fields = resource.fields
    native = fields.get("calendar", project_calendar)
    if derived and unchanged:
        use = True
    elif derived:
        use = False  # changed in MS Project: its calendar as the file gives it
    else:
        use = data.get("calendar", project_calendar) == native
    for key in _RESOURCE_CALENDAR:
        value = data.pop(key, None)
        if not use:
            continue
        if value is None:
            fields.pop(key, None)
        else:
            fields[key] = value
    for key, value in data.items():
        if key == "refs":
            if isinstance(value, dict):
                fields[key] = {**value, "msproject": resource.uid}
        else:
            fields[key] = value


def restore_plan(
    document: dict[str, Any],
    info: dict[str, Any],
    calendars: CalendarsIn,
    carried: dict[str, Any],
    skipped: Skipped,
) -> None:
    for key, value in (carried.get("project") or {}).items():
        info.setdefault(key, value)
    for key, value in (carried.get("plan") or {}).items():
        document.setdefault(key, value)
    for key, written in (carried.get("calendars") or {}).items():
        cal_id = calendars.ids.get(int(key))
        if not (isinstance(written, dict) and written.get("implicit")) or cal_id is None:
            continue
        based = any(c.get("base") == cal_id for c in calendars.calendars.values())
        if int(key) in calendars.as_written and not based:
            calendars.calendars.pop(cal_id, None)  # the plan named it without defining it
    left_out = carried.get("not_carried") or []
    if left_out:
        skipped.say(
            "not carried through MS Project (too large for its custom text fields): "
            + ", ".join(str(x) for x in left_out)
        )
