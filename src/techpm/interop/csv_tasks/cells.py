"""One task CSV cell read into a plan value, naming the row and column when it is bad."""

from __future__ import annotations

import re
from collections.abc import Set
from datetime import date, datetime
from pathlib import Path
from typing import Any

from techpm.domain.units import DurationSyntaxError, DurationUnits, parse_duration
from techpm.interop.csv_tasks.columns import CONSTRAINT_NAMES
from techpm.interop.exchange import ImportFailed, fail

_ID_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-/]*$")
_AFTER_RE = re.compile(
    r"^(?P<task>.+?)(?:\s+(?P<type>FS|SS|FF|SF)(?:\s*(?P<lag>[+-]\s*\S+))?)?$", re.IGNORECASE
)
_CONSTRAINT_RE = re.compile(r"^(?P<type>[A-Za-z_ -]+?)\s+(?P<on>\d{4}-\d\d-\d\d(?:[T ][\d:]+)?)$")
_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0", ""}
_DISTRIBUTIONS = ("pert", "triangular", "uniform", "lognormal")


class CellReader:
    """Reads cells of the row being read; bookings found in `assign` cells become resources."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.number = 1  # the row being read, as a spreadsheet numbers it
        self.resources: dict[str, dict[str, Any]] = {}  # as written -> resource mapping

    def bad(self, column: str, message: str, code: str = "import.bad_value") -> ImportFailed:
        return fail(self.path, f"row {self.number}, column {column}", message, code)

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
            self.resources[raw] = {"id": safe_ids([raw], taken)[raw], "name": raw}
        resource = self.resources[raw]
        if units > resource.get("capacity", 1):
            resource["capacity"] = units  # a pool: enough heads for its largest booking
        return {"resource": resource["id"], "units": units}

    def _refs(self, text: str | None) -> dict[str, str]:
        refs = {}
        for item in split_items(text):
            tool, _, ref = item.partition(":")
            if not tool.strip() or not ref.strip():
                raise self.bad("refs", f"{item!r}: write tool:id, such as jira:PROJ-12")
            refs[tool.strip()] = ref.strip()
        return refs


def split_items(text: str | None) -> list[str]:
    return [item.strip() for item in (text or "").split(";") if item.strip()]


def to_day(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def safe_ids(written: list[str], taken: Set[str] = frozenset()) -> dict[str, str]:
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
