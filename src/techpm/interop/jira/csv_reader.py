"""Read a Jira CSV export (Server, Data Center or Cloud, "all fields" or current fields).

Jira repeats a column once per value (Labels, Sprint, Fix Version/s, Component/s, links)
and names custom fields "Custom field (Name)", so columns are matched by name, each name
collecting every column that carries it. Values become `Issue` records; `issues.py` makes
the plan.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import fields, replace
from datetime import date, datetime
from pathlib import Path

from techpm.interop.csv_records import CsvSyntaxError, csv_records
from techpm.interop.exchange import ImportResult, fail
from techpm.interop.jira.csv_columns import by_values, column_kind, is_link_column, month_number
from techpm.interop.jira.issues import Issue, Person, plan_from_issues, plural

FORMAT = "jira-csv"
MAX_ESTIMATE_SECONDS = 10 * 260 * 8 * 3600  # ten years of eight-hour working days
MAX_POINTS = 1_000_000
_JIRA_DATE = re.compile(
    r"^(\d{1,2})[/\-. ]([^\W\d_]{3,9}\.?|\d{1,2}月)[/\-. ]?(\d{4}|\d{2})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$"
)
_NUMERIC_DATE = re.compile(
    r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$"
)
_WORK = re.compile(r"(\d+(?:\.\d+)?)\s*([wdhm])")
_WORK_SECONDS = {"w": 5 * 8 * 3600, "d": 8 * 3600, "h": 3600, "m": 60}


def read_jira_csv(path: Path) -> ImportResult:
    """Issues of a Jira CSV export as a plan; see docs/interop/jira.md for the mapping."""
    rows = _rows(path, _decode(path))
    if not rows:
        raise fail(path, "", "the file is empty", code="import.empty")
    header_line, header = rows[0]
    columns = _Columns(header)
    guessed = (
        {} if {"summary", "key"} & columns.kinds else by_values(header, [r for _, r in rows[1:]])
    )
    if guessed:
        columns.adopt(guessed)
    if not {"summary", "key"} & columns.kinds:
        raise fail(
            path,
            f"line {header_line}",
            "no Summary or Issue key column: not a Jira CSV export",
            code="import.bad_csv",
        )
    issues: list[Issue] = []
    used: set[int] = set()
    bad_dates = 0
    for line, cells in rows[1:]:
        if not any(cell.strip() for cell in cells):
            continue  # Jira pads exports with empty rows
        if len(cells) < len(header) or any(c.strip() for c in cells[len(header) :]):
            raise fail(
                path,
                f"line {line}",
                f"{len(cells)} cells where the header has {len(header)}: the file may be cut "
                "short or its quoting broken",
                code="import.bad_csv",
            )
        row = _Row(path, line, cells, columns)
        issues.append(row.issue())
        used.update(i for i, cell in enumerate(cells) if cell.strip())
        bad_dates += row.bad_dates
    notes = [
        "status history: a CSV export holds only the current status and the created and "
        "resolved dates, so the tasks carry no history"
    ]
    if guessed:
        found = ", ".join(f"{kind} {header[i]!r}" for kind, i in guessed.items())
        notes.append(f"headers in a language techpm does not know: read by their values ({found})")
    unused = list(dict.fromkeys(header[i] for i in sorted(used) if i not in columns.mapped))
    if unused:
        notes.append(f"columns not carried: {', '.join(unused[:12])}")
        if len(unused) > 12:
            notes[-1] += f" and {len(unused) - 12} more"
    if bad_dates:
        notes.append(f"{plural(bad_dates, 'date')} in a form techpm does not read left out")
    issues, repeated = _once(path, issues)
    if repeated:
        notes.append(
            f"{plural(len(repeated), 'issue')} listed twice with the same values, kept once: "
            + ", ".join(repeated[:10])
            + (" ..." if len(repeated) > 10 else "")
        )
    return plan_from_issues(issues, path, fmt=FORMAT, notes=notes)


def _once(path: Path, issues: list[Issue]) -> tuple[list[Issue], list[str]]:
    """Exports that page through a changing filter (or are pasted together) list an issue
    twice: identical rows are one issue; rows that disagree are an error naming both."""
    kept: list[Issue] = []
    first: dict[str, Issue] = {}
    repeated: list[str] = []
    for issue in issues:
        name = (issue.key or "").upper() or (f"#{issue.issue_id}" if issue.issue_id else "")
        earlier = first.get(name) if name else None
        if earlier is None:
            if name:
                first[name] = issue
            kept.append(issue)
            continue
        if replace(earlier, where="") == replace(issue, where=""):
            repeated.append(f"{issue.key or issue.issue_id} ({earlier.where}, {issue.where})")
            continue
        differ = [
            f.name
            for f in fields(Issue)
            if f.name != "where" and getattr(earlier, f.name) != getattr(issue, f.name)
        ]
        raise fail(
            path,
            issue.where,
            f"issue {'key' if issue.key else 'id'} {issue.key or issue.issue_id} appears twice "
            f"(first at {earlier.where}) with different values: {', '.join(differ)}",
            code="import.duplicate_issue",
        )
    return kept, repeated


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise fail(path, "", f"cannot read: {exc.strerror}", code="import.unreadable") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"  # what spreadsheets write as "Unicode text"
    else:
        encoding = "utf-8-sig"  # Jira Cloud starts its exports with a BOM
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise fail(
            path,
            f"line {line}",
            f"not {encoding.removesuffix('-sig').upper()} text (byte 0x{data[exc.start]:02x}); "
            "export the CSV from Jira again, or save it as UTF-8",
            code="import.bad_encoding",
        ) from None


def _rows(path: Path, text: str) -> list[tuple[int, list[str]]]:
    try:
        return csv_records(text)
    except CsvSyntaxError as exc:
        raise fail(
            path, f"line {exc.line}", f"not valid CSV: {exc.reason}", code="import.bad_csv"
        ) from None


class _Columns:
    """Which columns carry what; a kind may have several columns (Labels, Sprint ...)."""

    def __init__(self, header: list[str]) -> None:
        self.by_kind: dict[str, list[int]] = {}
        self.other_links: list[int] = []
        for index, name in enumerate(header):
            kind = column_kind(name)
            if kind is not None:
                self.by_kind.setdefault(kind, []).append(index)
            elif is_link_column(name):
                self.other_links.append(index)
        self._index()

    def _index(self) -> None:
        self.kinds = set(self.by_kind)
        self.mapped = {i for indexes in self.by_kind.values() for i in indexes}
        self.mapped.update(self.other_links)

    def adopt(self, found: dict[str, int]) -> None:
        """Columns recognised by their values, not their names."""
        for kind, index in found.items():
            self.by_kind.setdefault(kind, [index])
        self._index()


class _Row:
    def __init__(self, path: Path, line: int, cells: list[str], columns: _Columns) -> None:
        self.path = path
        self.line = line
        self.cells = cells
        self.columns = columns
        self.bad_dates = 0

    def all(self, kind: str) -> list[str]:
        return [
            self.cells[i].strip()
            for i in self.columns.by_kind.get(kind, [])
            if self.cells[i].strip()
        ]

    def one(self, kind: str) -> str | None:
        values = self.all(kind)
        return values[0] if values else None

    def issue(self) -> Issue:
        assignee = None
        ref = self.one("assignee_id") or self.one("assignee")
        if ref:
            assignee = Person(ref, self.one("assignee") or ref)
        description = self.one("description")
        dates = [self.date(kind) for kind in ("created", "updated", "resolved")]
        start, end = self.date("target_start"), self.date("target_end")
        return Issue(
            where=f"line {self.line}",
            key=self.one("key"),
            issue_id=self.one("id"),
            summary=self.one("summary"),
            issue_type=self.one("type"),
            status=self.one("status"),
            priority=self.one("priority"),
            project=self.one("project") or self.one("project_key"),
            assignee=assignee,
            parent=self.one("parent"),
            epic=self.one("epic"),
            blocks=tuple(self._refs("blocks")),
            blocked_by=tuple(self._refs("blocked_by")),
            other_links=self._other_links(),
            estimate_seconds=self.seconds(),
            points=self.points(),
            sprints=tuple(self.all("sprint")),
            versions=tuple(self.all("version")),
            labels=tuple(label for cell in self.all("label") for label in cell.split()),
            components=tuple(self.all("component")),
            due=_day_if_midnight(self.date("due")),
            description=description.replace("\r\n", "\n") if description else None,
            dates=tuple(d.date() if isinstance(d, datetime) else d for d in dates if d),
            target=(start.isoformat(), end.isoformat()) if start and end else None,
        )

    def _other_links(self) -> tuple[str, ...]:
        """Each link once, though both of its issues list it."""
        me = self.one("key") or self.one("id") or f"line {self.line}"
        return tuple(
            " ".join(sorted((me.upper(), ref.upper())))
            for i in self.columns.other_links
            for ref in _split_refs(self.cells[i])
        )

    def _refs(self, kind: str) -> Iterator[str]:
        for cell in self.all(kind):
            yield from _split_refs(cell)

    def where(self, kind: str) -> str:
        column = self.columns.by_kind[kind][0]
        return f"line {self.line}, column {column + 1}"

    def seconds(self) -> int | None:
        """Original Estimate in seconds (what Jira writes), or "1d 4h" as people type it."""
        kind = "estimate" if self.one("estimate") else "estimate_sum"
        text = self.one(kind)
        if text is None:
            return None
        try:
            seconds = float(text)
        except ValueError:
            parts = _WORK.findall(text.lower())
            if not parts or _WORK.sub("", text.lower()).strip():
                raise fail(
                    self.path,
                    self.where(kind),
                    f"{text!r} is not an estimate: Jira writes seconds, such as 28800 for 8h",
                    code="import.bad_value",
                ) from None
            seconds = sum(float(n) * _WORK_SECONDS[u] for n, u in parts)
        if not 0 <= seconds <= MAX_ESTIMATE_SECONDS:  # also NaN and infinity
            raise fail(
                self.path,
                self.where(kind),
                f"{text!r} is not an estimate: seconds from 0 to {MAX_ESTIMATE_SECONDS} "
                "(ten years of working days)",
                code="import.bad_value",
            )
        return round(seconds)

    def points(self) -> float | None:
        text = self.one("points")
        if text is None:
            return None
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            raise fail(
                self.path,
                self.where("points"),
                f"{text!r} is not a number of story points",
                code="import.bad_value",
            ) from None
        if not 0 <= value <= MAX_POINTS:  # also NaN and infinity
            raise fail(
                self.path,
                self.where("points"),
                f"{text!r}: story points are a number from 0 to {MAX_POINTS}",
                code="import.bad_value",
            )
        return value

    def date(self, kind: str) -> date | datetime | None:
        text = self.one(kind)
        if text is None:
            return None
        found = parse_date(text)
        if found is None:
            self.bad_dates += 1
        return found


def _split_refs(cell: str) -> list[str]:
    """Link cells hold one issue, or several separated by commas or spaces."""
    return [part for part in re.split(r"[,;\s]+", cell.strip()) if part]


def _day_if_midnight(moment: date | datetime | None) -> date | datetime | None:
    """Jira writes a due date with a time of 12:00 AM; the day is what is meant."""
    if isinstance(moment, datetime) and (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return moment.date()
    return moment


def parse_date(text: str) -> date | datetime | None:
    """The date forms Jira exports use: 25/Jun/20 12:44, 06/Jul/26 6:38 PM, 16/02/2017 15:26,
    ISO 8601. Numeric dates are read day first, as Jira's default formats are."""
    text = text.strip()
    match = _JIRA_DATE.match(text)
    numeric = None if match else _NUMERIC_DATE.match(text)
    try:
        if match:
            month = month_number(match.group(2))
            if month is None:
                return None
            year = int(match.group(3))
            day = date(year + 2000 if year < 100 else year, month, int(match.group(1)))
            return _with_time(day, match.groups()[3:])
        if numeric:
            first, second = int(numeric.group(1)), int(numeric.group(2))
            day_n, month_n = (first, second) if second <= 12 else (second, first)
            day = date(int(numeric.group(3)), month_n, day_n)
            return _with_time(day, numeric.groups()[3:])
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if len(text) <= 10:
        return moment.date()
    return moment.replace(tzinfo=None)  # the wall time Jira showed; plans have no zones


def _with_time(day: date, parts: tuple[str | None, ...]) -> date | datetime:
    hour, minute, second, half = parts
    if hour is None or minute is None:
        return day
    h = int(hour)
    if half:
        if not 1 <= h <= 12:
            raise ValueError("hour out of range")
        h = h % 12 + (12 if half.lower() == "pm" else 0)
    return datetime(day.year, day.month, day.day, h, int(minute), int(second or 0))
