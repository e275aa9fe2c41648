"""A GanttProject .gan file as a plan-file mapping.

GanttProject keeps a task where it was placed unless a strong link moves it, so a task's
start becomes a start-no-earlier-than constraint only where no strong link positions it.
Durations and lags are GanttProject working days on the file's own week and holidays.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeElementTree
from defusedxml import (
    DefusedXmlException,
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)

from techpm.interop.exchange import ImportFailed, ImportResult, counted_phrase, fail
from techpm.scheduling.network import cycle_among

LINK_TYPES = {"1": "SS", "2": "FS", "3": "FF", "4": "SF"}
# GanttProject's five priorities (3 lowest ... 4 highest) on techpm's 0-1000 scale
PRIORITIES = {"3": 100, "0": 300, "1": 500, "2": 700, "4": 900}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_ROLES = {"Default:1": "project manager"}  # Default:0 is GanttProject's "undefined"
KEY_ORDER = (
    "id",
    "name",
    "duration",
    "milestone",
    "after",
    "constraint",
    "percent_complete",
    "priority",
    "owner",
    "notes",
    "assign",
    "refs",
    "children",
)
MAX_DAYS = 36_500  # a task of a hundred years is a broken file
MAX_DEPTH = 200
_ID_CHARS = re.compile(r"[^A-Za-z0-9_.\-]")
_RATE = re.compile(r"\brate\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def read_gan(path: Path) -> ImportResult:
    root = parse_xml(path)
    if root.tag != "project":
        raise fail(path, f"<{root.tag}>", "not a GanttProject file: the root must be <project>")
    try:
        return _Reader(path, root).result()
    except RecursionError:
        raise fail(path, "<tasks>", f"tasks nest more than {MAX_DEPTH} levels deep") from None


def parse_xml(path: Path) -> Element:
    """The document's root; DTD entities and external references are refused, never expanded."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise fail(path, "", f"cannot read: {exc.strerror}", code="import.unreadable") from None
    try:
        root: Element = SafeElementTree.fromstring(data)
    except (EntitiesForbidden, DTDForbidden) as exc:
        raise fail(
            path,
            "DOCTYPE",
            f"declares entity {getattr(exc, 'name', '')!r}; entity declarations are refused "
            "(they can expand into gigabytes)",
            code="import.unsafe_xml",
        ) from None
    except ExternalReferenceForbidden as exc:
        raise fail(
            path,
            "DOCTYPE",
            f"refers to an external resource ({exc.sysid or exc.pubid}); "
            "external references are refused",
            code="import.unsafe_xml",
        ) from None
    except LookupError as exc:  # an encoding Python does not know
        raise fail(path, "<?xml?>", f"cannot decode: {exc}", "import.bad_encoding") from None
    except DefusedXmlException as exc:
        raise fail(path, "", f"unsafe XML refused: {exc}", code="import.unsafe_xml") from None
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise fail(
            path, f"line {line}, column {column + 1}", f"invalid XML: {reason}", "import.bad_xml"
        ) from None
    return root


def slug(text: str) -> str:
    """Letters, digits and `_ . -` only, not starting with `.` or `-`."""
    cleaned = _ID_CHARS.sub("_", text.strip())
    return cleaned if cleaned[:1].isalnum() or cleaned[:1] == "_" else f"x{cleaned}"


@dataclass(frozen=True)
class WorkDays:
    """The file's working week and holidays, to count GanttProject's working days."""

    weekend: frozenset[int]
    holidays: frozenset[date]
    every_year: frozenset[tuple[int, int]]  # (month, day) holidays of every year
    working: frozenset[date]

    def works(self, day: date) -> bool:
        if day in self.working:
            return True
        if day in self.holidays or (day.month, day.day) in self.every_year:
            return False
        return day.weekday() not in self.weekend

    def next_working(self, day: date) -> date:
        for _ in range(3700):  # ten years of days off is a calendar without work
            if self.works(day) or day == date.max:
                return day
            day += timedelta(days=1)
        return day

    def finish(self, start: date, days: int) -> date:
        """The last day of `days` working days from `start` (the start, for none)."""
        day = self.next_working(start)
        for _ in range(max(days, 1) - 1):
            if day == date.max:
                break
            day = self.next_working(day + timedelta(days=1))
        return day


def _where(el: Element) -> str:
    ident = el.get("id")
    return f"<{el.tag} id={ident!r}>" if ident is not None else f"<{el.tag}>"


class _Reader:
    def __init__(self, path: Path, root: Element) -> None:
        self.path = path
        self.root = root
        self.skipped: dict[str, int] = {}
        self.tasks: dict[str, dict[str, Any]] = {}  # gantt id -> plan task
        self.parent: dict[str, str | None] = {}
        self.starts: dict[str, date] = {}
        self.durations: dict[str, int] = {}
        self.used_ids: set[str] = set()
        self.days = self._workdays()
        self.properties = {
            d.get("id", ""): d for d in root.findall("tasks/taskproperties/taskproperty")
        }

    def skip(self, what: str, count: int = 1) -> None:
        self.skipped[what] = self.skipped.get(what, 0) + count

    def date_of(self, el: Element, attr: str) -> date:
        text = el.get(attr, "")
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise fail(
                self.path, f"{_where(el)} {attr}", f"{text!r} is not a date (YYYY-MM-DD)"
            ) from None

    def number(self, el: Element, attr: str, default: float = 0) -> float:
        text = el.get(attr)
        if text is None or text.strip() == "":
            return default
        try:
            return float(text)
        except ValueError:
            raise fail(self.path, f"{_where(el)} {attr}", f"{text!r} is not a number") from None

    def result(self) -> ImportResult:
        tops = [self._task(el, None) for el in self._task_elements()]
        self._links()
        resources = self._resources()
        self._allocations(resources)
        first = min((self.days.next_working(d) for d in self.starts.values()), default=None)
        start = first or self._fallback_start()
        self._constrain(start)
        project: dict[str, Any] = {"name": self.root.get("name", "").strip() or self.path.stem}
        project["start"] = start
        description = (self.root.findtext("description") or "").strip()
        if description:
            project["description"] = description
        document: dict[str, Any] = {
            "project": project,
            "calendars": {"standard": self._calendar_doc(start)},
            "resources": list(resources.values()),
            "tasks": tops,
        }
        skipped = tuple(counted_phrase(n, what) for what, n in self.skipped.items())
        for task in self.tasks.values():
            ordered = sorted(task.items(), key=lambda kv: KEY_ORDER.index(kv[0]))
            task.clear()
            task.update(ordered)
        reference = {
            self.tasks[gid]["id"]: (day.isoformat(), self._finish(gid).isoformat())
            for gid, day in self.starts.items()
        }
        return ImportResult("gan", document, skipped, self._baselines(), reference)

    def _finish(self, gid: str) -> date:
        if self.tasks[gid].get("milestone"):
            return self.starts[gid]
        return self.days.finish(self.starts[gid], self.durations[gid])

    def _fallback_start(self) -> date:
        """A file without tasks: the day its chart was showing, else its first vacation."""
        for el in (self.root, *self.root.iter("vacation")):
            for attr in ("view-date", "start"):
                if el.get(attr):
                    return self.date_of(el, attr)
        raise fail(self.path, "<tasks>", "no task and no date to start the project from")

    # calendar -------------------------------------------------------------------------

    def _workdays(self) -> WorkDays:
        week = self.root.find("calendars/day-types/default-week")
        weekend = {5, 6}
        if week is not None:
            weekend = {n for n, name in enumerate(WEEKDAYS) if week.get(name, "0") == "1"}
        holidays: set[date] = set()
        every_year: set[tuple[int, int]] = set()
        working: set[date] = set()
        for el in self.root.findall("calendars/date"):
            kind = el.get("type", "HOLIDAY")
            month, day = int(self.number(el, "month")), int(self.number(el, "date"))
            year = el.get("year", "").strip()
            try:
                on = date(int(year) if year else 2000, month, day)
            except ValueError:
                raise fail(
                    self.path, "<calendars> <date>", f"no such day: {year}-{month}-{day}"
                ) from None
            if kind == "HOLIDAY" and not year:
                every_year.add((month, day))
            elif kind == "HOLIDAY":
                holidays.add(on)
            elif kind == "WORKING_DAY" and year:
                working.add(on)
            else:
                self.skip(f"calendar day[s] of type {kind} (no meaning in techpm)")
        return WorkDays(
            frozenset(weekend), frozenset(holidays), frozenset(every_year), frozenset(working)
        )

    def _calendar_doc(self, start: date) -> dict[str, Any]:
        """Holidays of every year are written out for each year the plan may run through."""
        days = self.days
        nonworking = set(days.holidays)
        if days.every_year:
            last = max((self._finish(gid) for gid in self.starts), default=start)
            years = range(start.year, last.year + 2)
            for month, day in days.every_year:
                for year in years:
                    try:
                        nonworking.add(date(year, month, day))
                    except ValueError:  # 29 February
                        continue
        doc: dict[str, Any] = {
            "workweek": [d for n, d in enumerate(WEEKDAYS) if n not in days.weekend]
        }
        if nonworking:
            doc["nonworking"] = sorted(nonworking)
        if days.working:
            doc["working"] = sorted(days.working)
        return doc

    # tasks ----------------------------------------------------------------------------

    def _task_elements(self, parent: Element | None = None) -> Iterator[Element]:
        holder = parent if parent is not None else self.root.find("tasks")
        return iter(holder.findall("task")) if holder is not None else iter(())

    def _task(self, el: Element, parent: str | None, depth: int = 0) -> dict[str, Any]:
        if depth > MAX_DEPTH:
            raise RecursionError
        gid = el.get("id")
        if gid is None or not gid.strip():
            raise fail(self.path, "<task>", "a task without an id attribute")
        if gid in self.tasks:
            raise fail(self.path, _where(el), f"task id {gid} is used twice")
        plan_id = slug(f"t{gid}")
        while plan_id in self.used_ids:
            plan_id += "_"
        self.used_ids.add(plan_id)
        task: dict[str, Any] = {"id": plan_id, "name": el.get("name", "").strip() or f"Task {gid}"}
        self.tasks[gid] = task
        self.parent[gid] = parent
        self.starts[gid] = self.date_of(el, "start")
        self.durations[gid] = days = int(self.number(el, "duration"))
        if not 0 <= days <= MAX_DAYS:
            raise fail(self.path, f"{_where(el)} duration", f"{days} days is out of range")
        children = [self._task(child, gid, depth + 1) for child in self._task_elements(el)]
        milestone = el.get("meeting") == "true" or (days == 0 and not children)
        if children:
            task["children"] = children
            if el.get("meeting") == "true":
                self.skip("milestone[s] with sub-tasks (read as summary tasks)")
        elif milestone:
            task["milestone"] = True
            if days > 0:
                self.skip("milestone[s] with a duration (read as zero-length)")
        else:
            task["duration"] = f"{days}d"
            complete = self.number(el, "complete")
            if complete:
                task["percent_complete"] = min(max(complete, 0.0), 100.0)
        priority = PRIORITIES.get(el.get("priority", "1"), 500)
        if priority != 500:
            task["priority"] = priority
        notes = [(el.findtext("notes") or "").strip()]
        notes += self._custom_values(el)
        if any(notes):
            task["notes"] = "\n\n".join(n for n in notes if n)
        link = el.get("webLink", "").strip()
        if link and link not in ("http://", "http%3A%2F%2F"):
            self.skip("task web link[s]")
        task["refs"] = {"gantt": int(gid) if gid.lstrip("-").isdigit() else gid}
        return task

    def _custom_values(self, el: Element) -> list[str]:
        lines = []
        for value in el.findall("customproperty"):
            definition = self.properties.get(value.get("taskproperty-id", ""))
            if definition is None:
                raise fail(
                    self.path,
                    f"{_where(el)} <customproperty>",
                    f"refers to property {value.get('taskproperty-id')!r}, which is not defined",
                )
            if definition.find("simple-select") is not None:
                self.skip("calculated custom property value[s] (GanttProject derives them)")
                continue
            lines.append(f"{definition.get('name', '')}: {value.get('value', '')}")
        return ["\n".join(lines)] if lines else []

    # links ----------------------------------------------------------------------------

    def _links(self) -> None:
        """Kept per successor, for the cycle check and for placing tasks."""
        self.incoming: dict[str, list[tuple[str, str]]] = {}  # successor -> (predecessor, hardness)
        found: list[tuple[str, str]] = []
        seen: set[tuple[str, str, str]] = set()
        for el in self.root.iter("task"):
            pred = el.get("id", "")
            for dep in el.findall("depend"):
                succ = dep.get("id", "")
                where = f"{_where(el)} <depend id={succ!r}>"
                if succ not in self.tasks:
                    raise fail(self.path, where, f"links to task {succ}, which is not in the file")
                kind = LINK_TYPES.get(dep.get("type", "2"))
                if kind is None:
                    raise fail(self.path, where, f"unknown link type {dep.get('type')!r} (1 to 4)")
                if not self._linkable(pred, succ, kind):
                    continue
                if (pred, succ, kind) in seen:
                    self.skip("repeated link[s] between the same two tasks")
                    continue
                seen.add((pred, succ, kind))
                entry: dict[str, Any] = {"task": self.tasks[pred]["id"]}
                lag = int(self.number(dep, "difference"))
                if kind != "FS":
                    entry["type"] = kind
                if lag:
                    entry["lag"] = f"{lag}d"
                after = self.tasks[succ].setdefault("after", [])
                after.append(entry if len(entry) > 1 else entry["task"])
                self.incoming.setdefault(succ, []).append((pred, dep.get("hardness", "Strong")))
                found.append((pred, succ))
        self._check_cycles(found)

    def _linkable(self, pred: str, succ: str, kind: str) -> bool:
        if pred == succ:
            self.skip("link[s] from a task to itself")
            return False
        if pred in self._ancestors(succ) or succ in self._ancestors(pred):
            self.skip("link[s] between a summary task and a task inside it (techpm forbids them)")
            return False
        if kind in ("SS", "SF") and any(p == pred for p in self.parent.values()):
            self.skip("link[s] from the start of a summary task (techpm forbids them)")
            return False
        return True

    def _ancestors(self, gid: str) -> Iterator[str]:
        up = self.parent.get(gid)
        while up is not None:
            yield up
            up = self.parent.get(up)

    def _check_cycles(self, links: list[tuple[str, str]]) -> None:
        cycle = cycle_among(list(self.tasks), links)
        if cycle is not None:
            loop = " -> ".join(f"task {gid}" for gid in [*cycle, cycle[0]])
            raise ImportFailed(
                f"{self.path.name}: <depend> links loop: {loop}", code="import.cycle"
            )

    def _constrain(self, project_start: date) -> None:
        """Where no strong link places a leaf, its start holds it; an earliest begin, set on
        purpose, holds any task."""
        summaries = {p for p in self.parent.values() if p is not None}
        earliest_begin = {
            el.get("id", ""): self.date_of(el, "thirdDate")
            for el in self.root.iter("task")
            if el.get("thirdDate") and el.get("thirdDate-constraint") == "1"
        }
        for gid, task in self.tasks.items():
            # (the working day it means, the date as written): the later day wins, and on
            # the same day the earliest begin as written, so that a round trip keeps it
            floors: list[tuple[date, date]] = []
            earliest = earliest_begin.get(gid)
            if earliest is not None:
                floors.append((self.days.next_working(earliest), earliest))
            incoming = self.incoming.get(gid, [])
            if gid not in summaries and (not incoming or any(h != "Strong" for _, h in incoming)):
                placed = self.days.next_working(self.starts[gid])
                floors.append((placed, placed))
            floor = max(floors, key=lambda f: f[0], default=None)
            if floor is not None and (floor[0] > project_start or floor[1] == earliest):
                task["constraint"] = {"type": "start_no_earlier_than", "date": floor[1]}

    # resources ------------------------------------------------------------------------

    def _resources(self) -> dict[str, dict[str, Any]]:
        roles = {f"{r.get('id')}": r.get("name", "") for r in self.root.iter("role")}
        fields = {
            d.get("id", ""): d.get("name", "")
            for d in self.root.findall("resources/custom-property-definition")
        }
        found: dict[str, dict[str, Any]] = {}
        for el in self.root.findall("resources/resource"):
            rid = el.get("id")
            if rid is None or not rid.strip():
                raise fail(self.path, "<resource>", "a resource without an id attribute")
            if rid in found:
                raise fail(self.path, _where(el), f"resource id {rid} is used twice")
            name = el.get("name", "").strip() or f"Resource {rid}"
            resource: dict[str, Any] = {"id": slug(f"r{rid}"), "name": name}
            rate = el.find("rate[@name='standard']")
            if rate is not None and self.number(rate, "value"):
                resource["rate"] = f"{self.number(rate, 'value'):g}/d"
            contacts = el.get("contacts", "").strip()
            if "@" in contacts and " " not in contacts:
                resource["email"] = contacts
            role = el.get("function", "")
            role_name = DEFAULT_ROLES.get(role) or roles.get(role)
            if role_name:
                resource["tags"] = [role_name]
            if el.get("phone", "").strip():
                self.skip("resource phone number[s]")
            for value in el.findall("custom-property"):
                field = fields.get(value.get("definition-id", ""), "")
                text = value.get("value", "").strip()
                amount = float(text) if _RATE.search(field) and _NUMBER.fullmatch(text) else 0
                if amount > 0 and "rate" not in resource:
                    resource["rate"] = f"{amount:g}/d"  # a rate kept as a custom column
                else:
                    self.skip("resource custom property value[s]")
            resource["refs"] = {"gantt": int(rid) if rid.lstrip("-").isdigit() else rid}
            found[rid] = resource
        for el in self.root.findall("vacations/vacation"):
            rid = el.get("resourceid", "")
            if rid not in found:
                raise fail(
                    self.path,
                    f"<vacation resourceid={rid!r}>",
                    f"resource {rid} is not in the file",
                )
            span = {"from": self.date_of(el, "start"), "to": self.date_of(el, "end")}
            if span["to"] < span["from"]:
                raise fail(self.path, f"<vacation resourceid={rid!r}>", "ends before it starts")
            found[rid].setdefault("vacations", []).append(span)
        return found

    def _allocations(self, resources: dict[str, dict[str, Any]]) -> None:
        for el in self.root.findall("allocations/allocation"):
            tid, rid = el.get("task-id", ""), el.get("resource-id", "")
            where = f"<allocation task-id={tid!r} resource-id={rid!r}>"
            if tid not in self.tasks:
                raise fail(self.path, where, f"task {tid} is not in the file")
            if rid not in resources:
                raise fail(self.path, where, f"resource {rid} is not in the file")
            load = self.number(el, "load", 100.0)
            task = self.tasks[tid]
            assign = task.setdefault("assign", [])
            if load <= 0 or any(a["resource"] == resources[rid]["id"] for a in assign):
                self.skip("allocation[s] with no load or repeated")
                continue
            entry: dict[str, Any] = {"resource": resources[rid]["id"]}
            if load != 100:
                entry["units"] = round(load / 100, 4)
            assign.append(entry)
            if el.get("responsible") == "true" and "owner" not in task:
                task["owner"] = resources[rid]["name"]
        for task in self.tasks.values():
            if task.get("assign") == []:
                del task["assign"]
        self._capacities(resources)

    def _capacities(self, resources: dict[str, dict[str, Any]]) -> None:
        """GanttProject books people above 100%; techpm then needs a team that large."""
        largest: dict[str, float] = {}
        for task in self.tasks.values():
            for entry in task.get("assign", []):
                units = entry.get("units", 1.0)
                largest[entry["resource"]] = max(largest.get(entry["resource"], 0.0), units)
        for resource in resources.values():
            units = largest.get(resource["id"], 1.0)
            if units > 1:
                refs = resource.pop("refs")
                resource.update(capacity=units, refs=refs)
                self.skip("resource[s] booked above 100%: capacity raised to the largest load")

    # baselines ------------------------------------------------------------------------

    def _baselines(self) -> dict[str, dict[str, Any]]:
        """Each <previous-tasks> set in the shape `techpm baseline` saves (dates at 09:00-17:00)."""
        found: dict[str, dict[str, Any]] = {}
        for n, el in enumerate(self.root.findall("previous/previous-tasks"), start=1):
            name = re.sub(r"[^A-Za-z0-9_.-]+", "-", el.get("name", "").strip()).strip("-")
            name = (name or f"baseline-{n}")[:64]
            tasks: dict[str, Any] = {}
            for item in el.findall("previous-task"):
                start = self.date_of(item, "start")
                days = int(self.number(item, "duration"))
                milestone = item.get("meeting") == "true"
                finish = start if milestone else self.days.finish(start, days)
                gid = item.get("id", "")
                tasks[self.tasks[gid]["id"] if gid in self.tasks else slug(f"t{gid}")] = {
                    "start": f"{start.isoformat()}T09:00:00",
                    "finish": f"{finish.isoformat()}T{'09' if milestone else '17'}:00:00",
                    "duration_days": 0 if milestone else days,
                    "work_hours": 0.0,
                    "cost": "0",
                    "milestone": milestone,
                    "finished": False,
                }
            if not tasks:
                continue
            first = min(t["start"] for t in tasks.values())
            found[name] = {
                "name": name,
                "taken_at": first,
                "project": {
                    "start": first,
                    "finish": max(t["finish"] for t in tasks.values()),
                    "bac": "0.00",
                },
                "tasks": tasks,
                "risks": {},
            }
        return found
