"""A TaskJuggler .tjp file as a plan-file mapping: the common subset, the rest named.

Task ids become TaskJuggler's full dotted ids (`AcSo.software.gui`), so links read the
same in both. Efforts with allocations stay efforts; `length` (working time) is a
duration; `duration` (calendar time) is converted to working days and said so.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from techpm.interop.exchange import ImportFailed, ImportResult, counted_phrase, fail
from techpm.interop.taskjuggler.lexer import Lexer, Statement, TjpSyntaxError, Token, statements
from techpm.scheduling.network import cycle_among

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
YEARLY_WORKING_DAYS = 260.714  # TaskJuggler's default
CALENDAR_DAYS = {"min": 1 / 1440, "h": 1 / 24, "d": 1, "w": 7, "m": 30.4167, "y": 365}
REPORTS = frozenset(
    (
        "taskreport",
        "resourcereport",
        "textreport",
        "tracereport",
        "accountreport",
        "icalreport",
        "export",
        "nikureport",
        "statussheetreport",
        "timesheetreport",
        "navigator",
    )
)
WHY = {
    "reports": "reports are output, not plan",
    "accounts": "cost accounts are not modelled",
    "other": "not part of a techpm plan",
}
TASK_SKIPS = {
    "journalentry": "journal entr[y|ies]",
    "charge": "charge[s] (cost accounting)",
    "chargeset": "chargeset[s] (cost accounting)",
    "purge": "purge statement[s]",
    "limits": "limits block[s]",
    "shifts": "shift assignment[s]",
    "shift": "shift assignment[s]",
}
KEY_ORDER = (
    "id",
    "name",
    "duration",
    "effort",
    "milestone",
    "after",
    "constraint",
    "percent_complete",
    "priority",
    "owner",
    "tags",
    "notes",
    "assign",
    "refs",
    "children",
)
SILENT = frozenset({"scheduled", "projectid", "projectids", "flags"})


@dataclass
class _Node:
    """A task or resource: its statements, from its definition and any supplements."""

    ident: str
    name: str
    line: int
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)
    attrs: list[Statement] = field(default_factory=list)


def read_tjp(path: Path) -> ImportResult:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise fail(path, "", f"cannot read: {exc.strerror}", code="import.unreadable") from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise fail(path, f"line {line}", "not UTF-8 text", code="import.bad_encoding") from None
    lexer = Lexer()
    try:
        tree = statements(lexer.tokens(text))
        return _Reader(path, lexer).read(tree)
    except TjpSyntaxError as exc:
        raise fail(path, f"line {exc.line}", exc.message, code="import.bad_syntax") from None
    except RecursionError:
        raise fail(path, "", "blocks nest too deeply", code="import.bad_syntax") from None
    except OverflowError:
        raise fail(
            path, "", "a date or span reaches past the year 9999", "import.bad_tjp"
        ) from None


def _date(token: Token) -> tuple[date, bool]:
    """The day, and whether it is that day's midnight (an end then means the day before)."""
    match = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:-(\d{1,2}):(\d{2}))?", token.text)
    if match is None:
        raise ValueError(token.text)
    day = date(int(match[1]), int(match[2]), int(match[3]))
    midnight = match[4] is None or (int(match[4]) == 0 and int(match[5]) == 0)
    return day, midnight


def _clock(text: str) -> str:
    """9:00 -> 09:00"""
    hours, minutes = text.split(":")
    return f"{int(hours):02d}:{minutes}"


def _amount(value: float, unit: str) -> str:
    text = f"{round(value, 2):g}"
    return f"{text}{unit}"


class _Reader:
    def __init__(self, path: Path, lexer: Lexer) -> None:
        self.path = path
        self.lexer = lexer
        self.skipped: Counter[str] = Counter()
        self.tasks: dict[str, _Node] = {}
        self.top_tasks: list[_Node] = []
        self.resources: dict[str, _Node] = {}
        self.top_resources: list[_Node] = []
        self.nonworking: list[Any] = []
        self.default_rate: str | None = None
        self.scenario = "plan"
        self.custom: set[str] = set()
        self.day_hours = 8.0
        self.week: dict[str, list[str]] | None = None
        self.project: dict[str, Any] = {}
        self.notes: list[str] = []
        self.links: dict[str, list[Statement]] = {}
        self.reference: dict[str, tuple[str, str]] = {}
        self.docs: dict[str, dict[str, Any]] = {}
        self.calendars: dict[str, Any] = {}

    def error(self, line: int, message: str) -> ImportFailed:
        return fail(self.path, f"line {line}", message, code="import.bad_tjp")

    # the file's top level -------------------------------------------------------------

    def read(self, tree: list[Statement]) -> ImportResult:
        header = next((s for s in tree if s.name == "project"), None)
        if header is None:
            raise fail(self.path, "", "no `project` header: not a TaskJuggler project file")
        self._project(header)
        for statement in tree:
            self._top(statement)
        calendar: dict[str, Any] = {"workweek": self.week or list(WEEKDAYS[:5])}
        if self.week is None:
            calendar["hours"] = ["09:00-12:00", "13:00-18:00"]  # TaskJuggler's default day
        if self.nonworking:
            calendar["nonworking"] = self.nonworking
        self.calendars["standard"] = calendar
        resources = self._resource_docs()
        tasks = [self._task_doc(node, {}) for node in self.top_tasks]
        self._links()
        self._macro_notes()
        document = {
            "project": self.project,
            "calendars": self.calendars,
            "resources": resources,
            "tasks": tasks,
        }
        counted = tuple(counted_phrase(n, what) for what, n in self.skipped.items())
        skipped = counted + tuple(self.notes)
        return ImportResult("tjp", document, skipped, reference_dates=self.reference)

    def _project(self, header: Statement) -> None:
        tokens = header.tokens
        strings = [t for t in tokens if t.kind == "string"]
        dates = [t for t in tokens if t.kind == "date"]
        if not strings or not dates:
            raise self.error(header.line, "the project header needs a name and a start date")
        self.project = {"name": strings[0].text.strip() or self.path.stem}
        self.start = self._day(dates[0])[0]
        self.project["start"] = self.start
        self.end = self._day(dates[1])[0] if len(dates) > 1 else self._span_end(tokens)
        if self.end is not None:
            self.notes.append(
                f"project end {self.end.isoformat()} (TaskJuggler's scheduling window; "
                "techpm plans until the work is done)"
            )
        for item in header.body:
            name, args = item.name, item.tokens
            if name == "now":
                self.skip(
                    "`now` date[s] (as a status date it would move all unstarted work after it)"
                )
            elif name == "currency" and args and re.fullmatch(r"[A-Z]{3}", args[0].text):
                self.project["currency"] = args[0].text
            elif name == "dailyworkinghours" and args:
                self.day_hours = float(args[0].text)
            elif name == "workinghours":
                self.week = self._hours(item, self.week or {})
            elif name == "scenario":
                self.scenario = args[0].text if args else "plan"
                nested = sum(1 for s in item.body if s.name == "scenario")
                self.skip("scenario[s] besides the first (only its values are read)", nested)
            elif name == "extend":
                self.custom |= {s.tokens[0].text for s in item.body if s.tokens}
            elif name not in SILENT:
                self.skip(f"project attribute[s] `{name}`")

    def _top(self, statement: Statement) -> None:
        name = statement.name
        if name == "project":
            return
        if name == "task":
            self.top_tasks.append(self._node(statement, None, self.tasks))
        elif name == "resource":
            self.top_resources.append(self._node(statement, None, self.resources))
        elif name == "supplement":
            self._supplement(statement)
        elif name in ("leaves", "vacation"):
            for first, last in self._intervals(statement):
                self.nonworking.append(first if first == last else {"from": first, "to": last})
        elif name == "rate" and statement.tokens and statement.tokens[0].kind == "number":
            self.default_rate = f"{statement.tokens[0].text}/d"
        elif name == "include":
            self.skip("included file[s] (not read)")
        elif name in REPORTS:
            self.skip(f"{name} block[s] ({WHY['reports']})")
        elif name in ("account", "balance"):
            self.skip(f"{name} statement[s] ({WHY['accounts']})")
        elif name not in SILENT:
            self.skip(f"`{name}` statement[s] ({WHY['other']})")

    def skip(self, what: str, count: int = 1) -> None:
        if count:
            self.skipped[what] += count

    def _macro_notes(self) -> None:
        for line, name in self.lexer.unknown_macros:
            self.notes.append(f"undefined macro ${{{name}}} on line {line} left out")
        used = sorted(self.lexer.used_macros)
        if used:
            self.notes.append(f"macros expanded where used: {', '.join(used)}")

    # tasks and resources as trees -----------------------------------------------------

    def _node(self, statement: Statement, parent: _Node | None, into: dict[str, _Node]) -> _Node:
        tokens = statement.tokens
        names = [t for t in tokens if t.kind == "string"]
        kind = statement.name
        if not names:
            raise self.error(statement.line, f"a {kind} needs a name in quotes")
        if tokens and tokens[0].kind == "id":
            local = tokens[0].text
        else:
            local = re.sub(r"[^A-Za-z0-9_]+", "_", names[0].text).strip("_").lower() or kind
        ident = local if kind == "resource" or parent is None else f"{parent.ident}.{local}"
        base, n = ident, 1
        named = bool(tokens) and tokens[0].kind == "id"
        while ident in into and not named:
            n += 1
            ident = f"{base}_{n}"
        if ident in into:
            raise self.error(statement.line, f"{kind} {ident!r} is defined twice")
        node = _Node(ident, names[0].text.strip() or local, statement.line, parent)
        into[ident] = node
        for item in statement.body:
            if item.name == kind:
                node.children.append(self._node(item, node, into))
            else:
                node.attrs.append(item)
        return node

    def _supplement(self, statement: Statement) -> None:
        tokens = statement.tokens
        if len(tokens) < 2 or tokens[0].text not in ("task", "resource"):
            self.skip("`supplement` statement[s] for other than tasks and resources")
            return
        table = self.tasks if tokens[0].text == "task" else self.resources
        node = table.get(tokens[1].text)
        if node is None:
            raise self.error(
                statement.line, f"supplement of unknown {tokens[0].text} {tokens[1].text!r}"
            )
        for item in statement.body:
            if item.name == tokens[0].text:
                node.children.append(self._node(item, node, table))
            else:
                node.attrs.append(item)

    def _attr_name(self, item: Statement) -> str | None:
        """The attribute's name in the first scenario, None for another scenario's value."""
        scenario, _, name = item.name.rpartition(":")
        if scenario and scenario != self.scenario:
            self.skip("value[s] of other scenarios")
            return None
        if name in self.custom:
            self.skip("custom attribute value[s]")
            return None
        return name

    # values ---------------------------------------------------------------------------

    def _day(self, token: Token) -> tuple[date, bool]:
        if token.kind == "macro" and token.text == "projectstart":
            return self.start, True
        if token.kind == "macro" and token.text == "projectend" and self.end is not None:
            return self.end, True
        if token.kind != "date":
            raise self.error(token.line, f"expected a date (YYYY-MM-DD), found {token.text!r}")
        try:
            return _date(token)
        except ValueError:
            raise self.error(token.line, f"{token.text!r} is not a date") from None

    def _unknown_day(self, item: Statement) -> bool:
        tokens = item.tokens
        if not tokens or tokens[0].kind != "macro":
            return False
        return tokens[0].text in ("now", "today") or (
            tokens[0].text == "projectend" and self.end is None
        )

    def _span_end(self, tokens: list[Token]) -> date | None:
        """The end of a `start +4m` header: calendar time after the start."""
        for n, token in enumerate(tokens[:-1]):
            if token.text == "+" and tokens[n + 1].kind == "number":
                value, unit = self._amount_of(tokens[n + 1])
                if unit in ("m", "y") and value == int(value):
                    months = int(value) * (12 if unit == "y" else 1)
                    years, month = divmod(self.start.month - 1 + months, 12)
                    year = self.start.year + years
                    if year > date.max.year:
                        raise self.error(token.line, "the project ends after the year 9999")
                    day = min(self.start.day, monthrange(year, month + 1)[1])
                    return date(year, month + 1, day)
                return self.start + timedelta(days=round(value * CALENDAR_DAYS[unit]))
        return None

    def _number(self, item: Statement) -> Token:
        numbers = [t for t in item.tokens if t.kind == "number"]
        if not numbers:
            raise self.error(item.line, f"`{item.name}` needs a number")
        return numbers[0]

    def _amount_of(self, token: Token) -> tuple[float, str]:
        if token.kind != "number" or (token.unit or "d") not in CALENDAR_DAYS:
            raise self.error(
                token.line, f"expected a duration such as 5d or 4h, not {token.text!r}"
            )
        return float(token.text), token.unit or "d"

    def _work(self, token: Token) -> str:
        """Working time (effort, length) in plan units; a day is `dailyworkinghours`."""
        value, unit = self._amount_of(token)
        if unit in ("min", "h"):
            return _amount(value, "m" if unit == "min" else "h")
        days = value * {
            "d": 1,
            "w": 5,
            "m": YEARLY_WORKING_DAYS / 12,
            "y": YEARLY_WORKING_DAYS,
        }.get(unit, 1)
        if self.day_hours != 8:
            return _amount(days * self.day_hours, "h")
        return _amount(days, "d")

    def _calendar_time(self, token: Token) -> str:
        """Calendar time as working time: five working days in seven (approximated)."""
        value, unit = self._amount_of(token)
        if unit in ("min", "h"):
            return _amount(value, "m" if unit == "min" else "h")
        if unit == "w":
            return _amount(value * 5, "d")
        self.skip("calendar-time duration[s] approximated as working days (5 in 7)")
        return _amount(max(value * CALENDAR_DAYS.get(unit, 1) * 5 / 7, 1 / 8), "d")

    def _intervals(self, item: Statement) -> list[tuple[date, date]]:
        """`[type] ["name"] start [- end | + span], ...`; an end at midnight is not included."""
        found: list[tuple[date, date]] = []
        tokens = [t for t in item.tokens if t.kind != "string"]
        pos = 0
        while pos < len(tokens):
            token = tokens[pos]
            if token.kind != "date":
                pos += 1
                continue
            first = self._day(token)[0]
            last = first
            following = tokens[pos + 1] if pos + 1 < len(tokens) else None
            if following is not None and following.text == "-" and pos + 2 < len(tokens):
                end, midnight = self._day(tokens[pos + 2])
                last = max(first, end - timedelta(days=1) if midnight else end)
                pos += 3
            elif following is not None and following.text == "+" and pos + 2 < len(tokens):
                value, unit = self._amount_of(tokens[pos + 2])
                days = value * CALENDAR_DAYS[unit]
                last = first + timedelta(days=max(round(days) - 1, 0))
                pos += 3
            else:
                pos += 1
            found.append((first, last))
        if not found:
            raise self.error(item.line, f"`{item.name}` needs a date or a date range")
        return found

    def _hours(self, item: Statement, week: dict[str, list[str]]) -> dict[str, list[str]]:
        """`workinghours mon - fri 9:00 - 12:00, 13:00 - 18:00` or `... sat, sun off`."""
        tokens = item.tokens
        days: list[str] = []
        pos = 0
        while pos < len(tokens) and tokens[pos].text in (*WEEKDAYS, "-", ","):
            text = tokens[pos].text
            if text == "-" and days and pos + 1 < len(tokens) and tokens[pos + 1].text in WEEKDAYS:
                first, last = WEEKDAYS.index(days[-1]), WEEKDAYS.index(tokens[pos + 1].text)
                days += list(WEEKDAYS[first + 1 : last + 1])
                pos += 2
                continue
            if text in WEEKDAYS:
                days.append(text)
            pos += 1
        off = any(t.text == "off" for t in tokens[pos:])
        times = [] if off else [t.text for t in tokens[pos:] if t.kind == "time"]
        if not days or len(times) % 2 or not (off or times):
            raise self.error(
                item.line, "workinghours needs weekdays and times (9:00 - 17:00) or off"
            )
        spans = [f"{_clock(a)}-{_clock(b)}" for a, b in zip(times[::2], times[1::2], strict=True)]
        result = dict(week) if week else {d: ["09:00-12:00", "13:00-18:00"] for d in WEEKDAYS[:5]}
        for day in days:
            result[day] = spans
        return {d: result[d] for d in WEEKDAYS if result.get(d)}

    # resources ------------------------------------------------------------------------

    def _resource_docs(self) -> list[dict[str, Any]]:
        docs: list[dict[str, Any]] = []

        def walk(node: _Node, inherited: dict[str, Any], groups: list[str]) -> None:
            own = dict(inherited)
            for item in node.attrs:
                name = self._attr_name(item)
                if name is None:
                    continue
                tokens = item.tokens
                if name == "email" and tokens:
                    own["email"] = tokens[0].text
                elif name == "rate" and tokens and tokens[0].kind == "number":
                    own["rate"] = f"{tokens[0].text}/d"
                elif name in ("leaves", "vacation"):
                    own["vacations"] = own.get("vacations", []) + [
                        {"from": a, "to": b} for a, b in self._intervals(item)
                    ]
                elif name == "workinghours":
                    own["week"] = self._hours(item, own.get("week") or {})
                elif name == "flags":
                    own["tags"] = own.get("tags", []) + [t.text for t in tokens if t.kind == "id"]
                elif name == "efficiency":
                    self.skip("resource efficienc[y|ies] (techpm has none)")
                elif name == "managers":
                    self.skip("`managers` statement[s] (no org chart in a plan)")
                else:
                    self.skip(TASK_SKIPS.get(name, f"resource attribute[s] `{name}`"))
            if node.children:
                passed = {k: v for k, v in own.items() if k != "email"}
                for child in node.children:
                    walk(child, passed, [*groups, node.ident])
                return
            doc: dict[str, Any] = {"id": node.ident, "name": node.name}
            for key in ("email", "rate", "vacations"):
                if own.get(key):
                    doc[key] = own[key]
            if "rate" not in doc and self.default_rate:
                doc["rate"] = self.default_rate
            tags = list(dict.fromkeys([*groups, *own.get("tags", [])]))
            if tags:
                doc["tags"] = tags
            if own.get("week"):
                calendar = node.ident if node.ident != "standard" else "standard_resource"
                self.calendars[calendar] = {"base": "standard", "workweek": own["week"]}
                doc["calendar"] = calendar
            doc["refs"] = {"tjp": node.ident}
            docs.append(doc)

        for top in self.top_resources:
            walk(top, {}, [])
        return docs

    def _members(self, ident: str, line: int) -> list[str]:
        node = self.resources.get(ident)
        if node is None:
            raise self.error(line, f"allocates {ident!r}, which is not a resource")
        if not node.children:
            return [ident]
        return [m for child in node.children for m in self._members(child.ident, line)]

    # tasks ----------------------------------------------------------------------------

    def _task_doc(self, node: _Node, inherited: dict[str, Any]) -> dict[str, Any]:
        """One task; `allocate` and `priority` pass down to sub-tasks as in TaskJuggler."""
        task: dict[str, Any] = {"id": node.ident, "name": node.name}
        own = dict(inherited)
        facts: dict[str, Any] = {}
        for item in node.attrs:
            name = self._attr_name(item)
            if name is not None:
                self._task_attr(item, name, own, facts)
        if node.children:
            task["children"] = [self._task_doc(child, own) for child in node.children]
            for key in ("effort", "length", "duration", "milestone", "complete"):
                if key in facts:
                    self.skip(f"`{key}` on summary task[s] (TaskJuggler derives it)")
        else:
            self._leaf(node, task, own, facts)
        if own.get("priority", 500) != 500:
            task["priority"] = own["priority"]
        for key in ("owner", "notes", "tags"):
            if facts.get(key):
                task[key] = facts[key]
        constraints = facts.get("constraints", [])
        start = facts.get("start")
        if start is not None and start[0] > self.start:
            constraints.insert(0, {"type": "start_no_earlier_than", "date": start[0]})
        if constraints:
            task["constraint"] = constraints[0] if len(constraints) == 1 else constraints
        task["refs"] = {"tjp": node.ident}
        self.links[node.ident] = facts.get("links", [])
        self.docs[node.ident] = task
        return task

    def _task_attr(
        self, item: Statement, name: str, own: dict[str, Any], facts: dict[str, Any]
    ) -> None:
        tokens = item.tokens
        if name in ("effort", "length", "duration"):
            facts[name] = self._number(item)
        elif name == "milestone":
            facts["milestone"] = True
        elif name in ("start", "end", "maxend", "maxstart", "minend", "minstart") and (
            self._unknown_day(item)
        ):
            self.skip("date[s] given as ${now} or ${today} (no fixed day in a plan)")
        elif name in ("start", "end"):
            if not tokens:
                raise self.error(item.line, f"`{name}` needs a date")
            facts[name] = self._day(tokens[0])
        elif name in ("depends", "precedes"):
            facts.setdefault("links", []).append(item)
        elif name == "allocate":
            members = list(own.get("allocate", []))  # adds to what the parent allocates
            for token in tokens:
                if token.kind == "id":
                    members += [m for m in self._members(token.text, item.line) if m not in members]
            if item.blocks:
                self.skip("allocation option[s] (alternatives, selection, shifts)")
            own["allocate"] = members
        elif name == "complete":
            facts["complete"] = min(max(float(self._number(item).text), 0.0), 100.0)
        elif name == "priority":
            own["priority"] = min(max(int(float(self._number(item).text)), 0), 1000)
        elif name == "note" and tokens:
            facts["notes"] = "\n\n".join(filter(None, [facts.get("notes"), tokens[0].text.strip()]))
        elif name == "responsible" and tokens:
            person = self.resources.get(tokens[0].text)
            facts["owner"] = person.name if person else tokens[0].text
        elif name == "flags":
            facts["tags"] = [*facts.get("tags", []), *(t.text for t in tokens if t.kind == "id")]
        elif name in ("maxend", "maxstart", "minend", "minstart") and tokens:
            day, midnight = self._day(tokens[0])
            if name.endswith("end") and midnight:
                day -= timedelta(days=1)
            kind = {
                "maxend": "finish_no_later_than",
                "maxstart": "start_no_later_than",
                "minend": "finish_no_earlier_than",
                "minstart": "start_no_earlier_than",
            }[name]
            facts.setdefault("constraints", []).append({"type": kind, "date": day})
        elif name == "purge" and tokens and tokens[0].text == "allocate":
            own["allocate"] = []
        elif name == "booking":
            self.skip("booking[s] (who worked on the task is kept, not when)")
            booked = facts.setdefault("booked", [])
            ids = [t.text for t in tokens if t.kind == "id"][:1]
            booked += (
                [m for m in self._members(ids[0], item.line) if m not in booked] if ids else []
            )
        elif name == "scheduling":
            if tokens and tokens[0].text == "alap":
                self.skip("as-late-as-possible task[s] (techpm schedules as soon as possible)")
        elif name not in SILENT:
            self.skip(TASK_SKIPS.get(name, f"task attribute[s] `{name}`"))

    def _leaf(
        self, node: _Node, task: dict[str, Any], own: dict[str, Any], facts: dict[str, Any]
    ) -> None:
        allocated = own.get("allocate", []) or facts.get("booked", [])
        start, end = facts.get("start"), facts.get("end")
        last = None
        if start is not None and end is not None:
            last = end[0] - timedelta(days=1) if end[1] and end[0] > start[0] else end[0]
            self.reference[node.ident] = (start[0].isoformat(), last.isoformat())
        if "effort" in facts and allocated:
            task["effort"] = self._work(facts["effort"])
        elif "effort" in facts:
            task["duration"] = self._work(facts["effort"])
            self.skip("effort[s] without an allocation read as durations")
        elif "length" in facts:
            task["duration"] = self._work(facts["length"])
        elif "duration" in facts:
            task["duration"] = self._calendar_time(facts["duration"])
        elif start is not None and last is not None and not facts.get("milestone"):
            days = self._working_days(start[0], last)
            task["duration"] = f"{days}d"
            self.skip("task[s] with a fixed start and end: duration counted in working days")
        else:
            task["milestone"] = True  # as in TaskJuggler: a leaf that takes no time
        if facts.get("complete"):
            task["percent_complete"] = facts["complete"]
        if end is not None and start is None:
            day = end[0] - timedelta(days=1) if end[1] and not task.get("milestone") else end[0]
            facts.setdefault("constraints", []).append({"type": "must_finish_on", "date": day})
        if allocated:
            task["assign"] = [{"resource": r} for r in allocated]

    def _working_days(self, first: date, last: date) -> int:
        off: set[date] = set()
        for item in self.nonworking:
            day, to = (item, item) if isinstance(item, date) else (item["from"], item["to"])
            while day <= to:
                off.add(day)
                day += timedelta(days=1)
        workdays = {WEEKDAYS.index(d) for d in (self.week or dict.fromkeys(WEEKDAYS[:5]))}
        count, day = 0, first
        while day <= last:
            count += day.weekday() in workdays and day not in off
            day += timedelta(days=1)
        return max(count, 1)

    # links ----------------------------------------------------------------------------

    def _resolve(self, node_id: str, bangs: int, ref: str, line: int) -> str:
        """`!` climbs one level from the task's own scope; without it the id is absolute."""
        if bangs:
            scope = node_id.split(".")
            if bangs > len(scope):
                raise self.error(line, f"{'!' * bangs}{ref} climbs above the top-level tasks")
            target = ".".join([*scope[:-bangs], ref])
        else:
            target = ref
        if target not in self.tasks:
            raise self.error(line, f"{'!' * bangs}{ref} is not a task (looked for {target!r})")
        return target

    def _links(self) -> None:
        by_id = self.docs
        found: list[tuple[str, str]] = []
        for node_id, items in self.links.items():
            for item in items:
                for ref, bangs, options, line in self._refs(item):
                    other = self._resolve(node_id, bangs, ref, line)
                    pred, succ = (
                        (other, node_id) if item.name.endswith("depends") else (node_id, other)
                    )
                    entry = self._link(pred, succ, item.name.endswith("depends"), options)
                    if entry is not None:
                        by_id[succ].setdefault("after", []).append(entry)
                        found.append((pred, succ))
        for doc in by_id.values():
            ordered = sorted(doc.items(), key=lambda kv: KEY_ORDER.index(kv[0]))
            doc.clear()
            doc.update(ordered)
        self._check_cycles(found)

    def _refs(self, item: Statement) -> list[tuple[str, int, list[Statement], int]]:
        found: list[tuple[str, int, list[Statement], int]] = []
        bangs = 0
        for arg in item.args:
            if isinstance(arg, Token) and arg.text == "!":
                bangs += 1
            elif isinstance(arg, Token) and arg.kind == "id":
                found.append((arg.text, bangs, [], arg.line))
                bangs = 0
            elif not isinstance(arg, Token) and found:
                found[-1][2].extend(arg.statements)
        return found

    def _link(self, pred: str, succ: str, depends: bool, options: list[Statement]) -> Any:
        names = {o.name for o in options}
        from_start = depends and "onstart" in names
        to_finish = not depends and "onend" in names
        kind = {(False, False): "FS", (True, False): "SS", (False, True): "FF", (True, True): "SF"}[
            (from_start, to_finish)
        ]
        pred_node, succ_node = self.tasks[pred], self.tasks[succ]
        if pred == succ or self._under(pred_node, succ_node) or self._under(succ_node, pred_node):
            self.skip("link[s] between a summary task and a task inside it (techpm forbids them)")
            return None
        if from_start and pred_node.children:
            self.skip("link[s] from the start of a summary task (techpm forbids them)")
            return None
        lag = ""
        for option in options:
            if option.name in ("gaplength", "gapduration") and option.tokens:
                token = option.tokens[-1]
                lag = (
                    self._work(token) if option.name == "gaplength" else self._calendar_time(token)
                )
        entry: dict[str, Any] = {"task": pred}
        if kind != "FS":
            entry["type"] = kind
        if lag and float(re.sub(r"[a-z]+$", "", lag)) != 0:
            entry["lag"] = lag
        return entry if len(entry) > 1 else pred

    def _under(self, node: _Node, ancestor: _Node) -> bool:
        up = node.parent
        while up is not None:
            if up is ancestor:
                return True
            up = up.parent
        return False

    def _check_cycles(self, links: list[tuple[str, str]]) -> None:
        cycle = cycle_among(list(self.tasks), links)
        if cycle is not None:
            raise ImportFailed(
                f"{self.path.name}: line {self.tasks[cycle[0]].line}: depends/precedes loop: "
                + " -> ".join([*cycle, cycle[0]]),
                code="import.cycle",
            )
