"""Tasks as a spreadsheet: one row per task, the hierarchy in a `parent` column.

Lists (dependencies, assignments, tags) sit in one cell separated by semicolons, so that
the file opens in any spreadsheet and reads back without loss. The export adds the
scheduled dates; the import reads them back as reference dates only, since techpm computes
its own.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Sequence, Set
from datetime import date, datetime
from pathlib import Path
from typing import Any

from techpm.domain.units import DurationSyntaxError, DurationUnits, format_duration, parse_duration
from techpm.interop.exchange import ImportFailed, ImportResult, fail
from techpm.interop.planfile.dump import days_text, find_cycle, nest, task_entries
from techpm.scheduling.result import Schedule

# wbs, start, finish, total_float and critical are the schedule's: written, never read as
# plan data (start and finish come back as reference dates)
COLUMNS = (
    *("id", "name", "parent", "wbs", "duration", "effort", "estimate", "milestone", "after"),
    *("start", "finish", "total_float", "critical", "constraint", "deadline", "calendar"),
    *("percent_complete", "remaining_duration", "actual_start", "actual_finish", "priority"),
    *("owner", "assign", "tags", "notes", "fixed_cost", "accrue", "cost_account", "actual_cost"),
    *("control_account", "issue_type", "points", "status", "sprint", "refs"),
)
ALIASES = {
    "predecessors": "after",
    "dependencies": "after",
    "resources": "assign",
    "% complete": "percent_complete",
    "percent": "percent_complete",
    "labels": "tags",
}
CONSTRAINT_NAMES = {
    "snet": "start_no_earlier_than",
    "snlt": "start_no_later_than",
    "fnet": "finish_no_earlier_than",
    "fnlt": "finish_no_later_than",
    "mso": "must_start_on",
    "mfo": "must_finish_on",
}
_ID_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-/]*$")
_AFTER_RE = re.compile(
    r"^(?P<task>.+?)(?:\s+(?P<type>FS|SS|FF|SF)(?:\s*(?P<lag>[+-]\s*\S+))?)?$", re.IGNORECASE
)
_CONSTRAINT_RE = re.compile(r"^(?P<type>[A-Za-z_ -]+?)\s+(?P<on>\d{4}-\d\d-\d\d(?:[T ][\d:]+)?)$")
_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0", ""}
_DISTRIBUTIONS = ("pert", "triangular", "uniform", "lognormal")


# ---- export -----------------------------------------------------------------------------


def write_csv(schedule: Schedule, path: Path) -> None:
    project = schedule.problem.project
    units = project.units
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for (task, entry), row in zip(task_entries(project), schedule.rows, strict=True):
        cells = {
            **{key: _text(value) for key, value in entry.items()},
            "parent": task.parent or "",
            "wbs": row.wbs,
            "start": _stamp(row.start),
            "finish": _stamp(row.finish),
            "total_float": days_text(row.total_float_minutes, schedule.minutes_per_day),
            "critical": "true" if row.critical else "",
            "milestone": "true" if task.milestone else "",
            # always written: skill needs, which the file cannot hold, may have implied it
            "duration": ""
            if task.duration_minutes is None
            else format_duration(task.duration_minutes, units),
            "after": ";".join(_link_text(link) for link in entry.get("after", [])),
            "constraint": ";".join(f"{c['type']} {c['date']}" for c in _listed(entry)),
            "assign": ";".join(f"{a['resource']}:{a['units']}" for a in entry.get("assign", [])),
            "tags": ";".join(entry.get("tags", [])),
            "refs": ";".join(f"{k}:{v}" for k, v in entry.get("refs", {}).items()),
            "estimate": _estimate_text(entry.get("estimate")),
        }
        writer.writerow([cells.get(column, "") for column in COLUMNS])
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")


def _text(value: Any) -> str:
    return "" if isinstance(value, list | dict) else str(value)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(sep=" ", timespec="minutes")


def _link_text(link: str | dict[str, Any]) -> str:
    if isinstance(link, str):
        return link
    lag = link.get("lag", "")
    return f"{link['task']} {link['type']}{'' if lag.startswith('-') or not lag else '+'}{lag}"


def _listed(entry: dict[str, Any]) -> list[dict[str, Any]]:
    found = entry.get("constraint")
    return found if isinstance(found, list) else [found] if found else []


def _estimate_text(estimate: dict[str, Any] | None) -> str:
    if not estimate:
        return ""
    text = "/".join(estimate[key] for key in ("optimistic", "likely", "pessimistic"))
    return text if estimate["distribution"] == "pert" else f"{text} {estimate['distribution']}"


# ---- import -----------------------------------------------------------------------------


def read_csv(path: Path, *, today: date | None = None) -> ImportResult:
    """`today` starts the project when the file holds no date at all."""
    text = _decode(path)
    parser = csv.reader(io.StringIO(text), delimiter=_delimiter(text), strict=True)
    rows: list[list[str]] = []
    try:
        rows.extend(parser)
    except csv.Error as exc:
        where = f"row {len(rows) + 1} (line {parser.line_num})"
        raise fail(path, where, f"not readable as CSV: {exc}", "import.bad_csv") from None
    if not rows:
        message = "empty file: expected a header with id and name columns"
        raise fail(path, "row 1", message, "import.bad_csv")
    reader = _Rows(path, _header(path, rows[0]))
    records = [
        (number, reader.record(number, cells))
        for number, cells in enumerate(rows[1:], start=2)
        if any(cell.strip() for cell in cells)
    ]
    if not records:
        raise fail(path, "row 2", "no tasks below the header", "import.bad_csv")
    return reader.result(records, today or date.today())


def _decode(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(path, "", f"cannot read: {exc.strerror}", "import.unreadable") from None
    try:
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = raw.decode("utf-16")  # spreadsheets' "Unicode text"
        else:
            text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = f"not UTF-8 text (byte 0x{raw[exc.start]:02X}); save the file as CSV UTF-8"
        raise fail(path, f"line {line}", message, "import.bad_encoding") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        message = "NUL bytes: UTF-16 without a byte order mark? save the file as CSV UTF-8"
        raise fail(path, f"line {line}", message, "import.bad_encoding")
    return text


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    if "\t" in first:
        return "\t"
    return ";" if first.count(";") > first.count(",") else ","


def _header(path: Path, cells: Sequence[str]) -> list[str]:
    names: list[str] = []
    for cell in cells:
        name = cell.strip().lower()
        name = ALIASES.get(name, name.replace(" ", "_"))
        if name in names and name in COLUMNS:
            raise fail(path, f"row 1, column {name}", "appears twice", "import.bad_csv")
        names.append(name)
    if "id" not in names or "name" not in names:
        found = ", ".join(c.strip() for c in cells) or "nothing"
        message = f"the header needs id and name columns; found: {found}"
        raise fail(path, "row 1", message, "import.bad_csv")
    return names


Record = dict[str, str]


class _Rows:
    """Reads rows into task mappings, naming the row and column of the first bad cell."""

    def __init__(self, path: Path, columns: list[str]) -> None:
        self.path = path
        self.columns = columns
        self.unread: dict[str, int] = {}
        self.number = 1  # the row being read, as a spreadsheet numbers it
        self.resources: dict[str, dict[str, Any]] = {}  # as written -> resource mapping
        self.calendars: set[str] = set()

    def bad(self, column: str, message: str, code: str = "import.bad_value") -> ImportFailed:
        return fail(self.path, f"row {self.number}, column {column}", message, code)

    def record(self, number: int, cells: list[str]) -> Record:
        if len(cells) > len(self.columns) and any(c.strip() for c in cells[len(self.columns) :]):
            message = f"{len(cells)} cells, the header has {len(self.columns)} columns"
            raise fail(self.path, f"row {number}", message, "import.bad_csv")
        record: Record = {}
        for name, cell in zip(self.columns, cells, strict=False):
            if name in COLUMNS:
                record[name] = cell if name == "notes" else cell.strip()
            elif name and cell.strip():
                self.unread[name] = self.unread.get(name, 0) + 1
        return record

    def result(self, records: list[tuple[int, Record]], today: date) -> ImportResult:
        ids = self._ids(records)
        by_wbs = None
        if "parent" not in self.columns and "wbs" in self.columns:
            by_wbs = {r["wbs"]: ids[r["id"]] for _, r in records if r.get("wbs")}
        entries: list[dict[str, Any]] = []
        parents: list[str | None] = []
        reference: dict[str, tuple[str, str]] = {}
        starts: list[date] = []
        dates: list[date] = []
        for number, record in records:
            self.number = number
            entry = self._task(record, ids, dates)
            entries.append(entry)
            parents.append(self._parent(record, ids, by_wbs))
            start, finish = (self._moment(record, key) for key in ("start", "finish"))
            if start is not None:
                starts.append(_day(start))
            if start is not None and finish is not None:
                reference[entry["id"]] = (start.isoformat(), finish.isoformat())
        self._check_loops([n for n, _ in records], entries, parents)
        document = {
            "project": {
                "name": self.path.stem or "tasks",
                "start": min(starts or dates or [today]),
            },
            "calendars": {cid: {} for cid in sorted(self.calendars)},
            "resources": list(self.resources.values()),
            "tasks": nest(entries, parents),
        }
        skipped = [
            f"column {name!r} ({count} values): not a techpm task field"
            for name, count in self.unread.items()
        ]
        if self.calendars:
            names = ", ".join(sorted(self.calendars))
            skipped.append(f"the working time of calendar {names} (read as Mon-Fri 09:00-17:00)")
        return ImportResult("csv", document, tuple(skipped), reference_dates=reference)

    def _ids(self, records: list[tuple[int, Record]]) -> dict[str, str]:
        """Ids as written -> plan ids: valid ones kept, others made valid and unique."""
        written: dict[str, int] = {}
        for number, record in records:
            self.number = number
            raw = record.get("id", "")
            if not raw:
                raise self.bad("id", "empty; every task needs an id")
            if raw in written:
                message = f"{raw!r} is also the id on row {written[raw]}"
                raise self.bad("id", message, "import.duplicate_id")
            written[raw] = number
        return _safe_ids(list(written))

    def _task(self, record: Record, ids: dict[str, str], dates: list[date]) -> dict[str, Any]:
        raw_id = record["id"]
        if not record.get("name"):
            raise self.bad("name", "empty; every task needs a name")
        entry: dict[str, Any] = {"id": ids[raw_id], "name": record["name"]}
        for key in ("duration", "effort", "remaining_duration"):
            if record.get(key):
                entry[key] = self._duration(key, record[key])
        if record.get("estimate"):
            entry["estimate"] = self._estimate(record["estimate"])
        if self._flag(record, "milestone"):
            entry["milestone"] = True
        after = [self._link(text, ids) for text in _items(record.get("after"))]
        if after:
            entry["after"] = after
        constraints = [self._constraint(text) for text in _items(record.get("constraint"))]
        dates.extend(_day(c["date"]) for c in constraints)
        if constraints:
            entry["constraint"] = constraints[0] if len(constraints) == 1 else constraints
        for key in ("deadline", "actual_start", "actual_finish"):
            moment = self._moment(record, key)
            if moment is not None:
                entry[key] = moment
                dates.append(_day(moment))
        self._numbers(record, entry)
        assign = [self._assignment(text) for text in _items(record.get("assign"))]
        if assign:
            entry["assign"] = assign
        if record.get("calendar"):
            entry["calendar"] = record["calendar"]
            if record["calendar"] != "standard":
                self.calendars.add(record["calendar"])
        for key in ("owner", "notes", "cost_account", "control_account", "issue_type", "status"):
            if record.get(key, "").strip():
                entry[key] = record[key]
        if record.get("sprint"):
            entry["sprint"] = record["sprint"]
        tags = _items(record.get("tags"))
        if tags:
            entry["tags"] = tags
        refs = self._refs(record.get("refs"))
        if ids[raw_id] != raw_id:
            refs.setdefault("csv", raw_id)
        if refs:
            entry["refs"] = refs
        return entry

    def _numbers(self, record: Record, entry: dict[str, Any]) -> None:
        percent = record.get("percent_complete", "").rstrip("%").strip()
        if percent:
            entry["percent_complete"] = self._number("percent_complete", percent, 0, 100)
        if record.get("priority"):
            value = self._number("priority", record["priority"], 0, 1000)
            if not float(value).is_integer():
                raise self.bad("priority", f"{record['priority']!r} is not a whole number")
            entry["priority"] = int(value)
        for key in ("fixed_cost", "actual_cost", "points"):
            if record.get(key):
                entry[key] = self._number(key, record[key], 0, None)
        accrue = record.get("accrue", "").lower()
        if accrue:
            if accrue not in ("prorated", "start", "end"):
                raise self.bad("accrue", f"{accrue!r}: write prorated, start or end")
            entry["accrue"] = accrue

    def _parent(
        self, record: Record, ids: dict[str, str], by_wbs: dict[str, str] | None
    ) -> str | None:
        if by_wbs is None:
            raw = record.get("parent", "")
            if raw and raw not in ids:
                raise self.bad("parent", f"no task {raw!r} in the id column", "import.unknown_task")
            return ids[raw] if raw else None
        wbs = record.get("wbs", "")  # no parent column: the outline number tells
        if "." not in wbs:
            return None
        code = wbs.rsplit(".", 1)[0]
        if code not in by_wbs:
            raise self.bad("wbs", f"no row with wbs {code!r}", "import.unknown_task")
        return by_wbs[code]

    def _check_loops(
        self, numbers: list[int], entries: list[dict[str, Any]], parents: list[str | None]
    ) -> None:
        row_of = {e["id"]: n for e, n in zip(entries, numbers, strict=True)}
        tree = {e["id"]: [p] if p else [] for e, p in zip(entries, parents, strict=True)}
        loop = find_cycle(tree)
        if loop:
            self.number = row_of[loop[0]]
            raise self.bad("parent", "parents form a loop: " + " -> ".join(loop), "import.cycle")
        links = {
            e["id"]: [a if isinstance(a, str) else a["task"] for a in e.get("after", [])]
            for e in entries
        }
        loop = find_cycle(links)
        if loop:
            self.number = row_of[loop[0]]
            rows = ", ".join(str(row_of[t]) for t in loop[:-1])
            message = f"dependencies form a cycle: {' -> '.join(loop)} (rows {rows})"
            raise self.bad("after", message, "import.cycle")

    # -- cells --

    def _duration(self, column: str, text: str) -> str:
        try:
            parse_duration(text, DurationUnits())
        except DurationSyntaxError as exc:
            raise self.bad(column, str(exc)) from None
        return text

    def _estimate(self, text: str) -> dict[str, str]:
        parts = text.split()
        points = parts[0].split("/") if parts else []
        distribution = parts[1].lower() if len(parts) > 1 else "pert"
        if len(points) != 3 or len(parts) > 2 or distribution not in _DISTRIBUTIONS:
            message = f"{text!r}: write optimistic/likely/pessimistic, such as 2d/3d/5d triangular"
            raise self.bad("estimate", message)
        keys = ("optimistic", "likely", "pessimistic")
        values = {
            key: self._duration("estimate", value) for key, value in zip(keys, points, strict=True)
        }
        return {**values, "distribution": distribution}

    def _flag(self, record: dict[str, str], column: str) -> bool:
        text = record.get(column, "").lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise self.bad(column, f"{record[column]!r}: write true or false")

    def _link(self, text: str, ids: dict[str, str]) -> str | dict[str, str]:
        match = _AFTER_RE.match(text)
        if not match:
            raise self.bad("after", f"{text!r}: write a task id, or id TYPE+lag such as b FS+2d")
        if match["task"] not in ids:
            raise self.bad("after", f"no task {match['task']!r}", "import.unknown_task")
        task = ids[match["task"]]
        kind = (match["type"] or "FS").upper()
        lag = (match["lag"] or "").replace(" ", "").lstrip("+")
        if lag:
            self._duration("after", lag)
        if kind == "FS" and not lag:
            return task
        return {"task": task, "type": kind, **({"lag": lag} if lag else {})}

    def _constraint(self, text: str) -> dict[str, Any]:
        match = _CONSTRAINT_RE.match(text)
        kind = re.sub(r"[\s-]+", "_", match["type"].strip().lower()) if match else ""
        kind = CONSTRAINT_NAMES.get(kind, kind)
        if not match or kind not in CONSTRAINT_NAMES.values():
            message = f"{text!r}: write a type and a date, such as start_no_earlier_than 2027-01-04"
            raise self.bad("constraint", message)
        return {"type": kind, "date": self._parse_moment("constraint", match["on"])}

    def _moment(self, record: dict[str, str], column: str) -> date | datetime | None:
        text = record.get(column, "")
        return self._parse_moment(column, text) if text else None

    def _parse_moment(self, column: str, text: str) -> date | datetime:
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
            return datetime.fromisoformat(text)
        except ValueError:
            message = f"{text!r} is not a date; write YYYY-MM-DD or YYYY-MM-DD HH:MM"
            raise self.bad(column, message) from None

    def _number(self, column: str, text: str, low: float, high: float | None) -> float | int:
        try:
            value = float(
                text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
            )
        except ValueError:
            raise self.bad(column, f"{text!r} is not a number") from None
        if value < low or (high is not None and value > high) or value != value:
            span = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
            raise self.bad(column, f"{text!r} must be {span}")
        return int(value) if value.is_integer() else value

    def _assignment(self, text: str) -> dict[str, Any]:
        raw, _, amount = (part.strip() for part in text.partition(":"))
        units: float = 1
        if amount.endswith("%"):
            units = self._number("assign", amount[:-1], 0, None) / 100
        elif amount:
            units = self._number("assign", amount, 0, None)
        if not raw or units <= 0:
            raise self.bad("assign", f"{text!r}: write resource:units, such as alice:1;bob:0.5")
        if raw not in self.resources:
            taken = {r["id"] for r in self.resources.values()}
            self.resources[raw] = {"id": _safe_ids([raw], taken)[raw], "name": raw}
        resource = self.resources[raw]
        if units > resource.get("capacity", 1):
            resource["capacity"] = units  # a pool: enough heads for its largest booking
        return {"resource": resource["id"], "units": units}

    def _refs(self, text: str | None) -> dict[str, str]:
        refs = {}
        for item in _items(text):
            tool, _, ref = item.partition(":")
            if not tool.strip() or not ref.strip():
                raise self.bad("refs", f"{item!r}: write tool:id, such as jira:PROJ-12")
            refs[tool.strip()] = ref.strip()
        return refs


def _items(text: str | None) -> list[str]:
    return [item.strip() for item in (text or "").split(";") if item.strip()]


def _day(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _safe_ids(written: list[str], taken: Set[str] = frozenset()) -> dict[str, str]:
    """Keep valid ids; replace other characters with '-' and number clashes."""
    valid = {raw for raw in written if _ID_RE.match(raw) and len(raw) <= 200} - taken
    used = set(taken) | valid
    out: dict[str, str] = {}
    for raw in written:
        if raw in valid:
            out[raw] = raw
            continue
        base = re.sub(r"[^A-Za-z0-9_.\-/]+", "-", raw).strip("-./")[:180] or "task"
        base = base if _ID_RE.match(base) else f"_{base}"
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        out[raw] = candidate
    return out
