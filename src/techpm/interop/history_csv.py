"""Finished dates from a CSV: a Jira export (its `Resolved` column) or a plain list.

A plain list has one finished date per row, under a header `finished`, `done` or `date`
(also `finished_on`, `finished_at`, `completed`, `resolved`), or with no header at all.
A Jira export is recognised by its `Issue key` or `Summary` column next to `Resolved`;
unresolved issues (an empty `Resolved`) are open items, not errors.

Every problem names the file, the line and column, and the column's name: an editor jumps
there. Dates are ISO 8601 (`2027-01-05`, `2027-01-05T16:20`, with or without a zone; a
zone is converted to UTC) or the forms Jira exports (`25/Jun/20 12:44`, day first).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from techpm.domain.errors import InvalidPlanError, Problem, SourceLocation
from techpm.flow.states import utc_naive
from techpm.flow.throughput import HistoryError
from techpm.interop.csv_records import CsvSyntaxError, csv_records
from techpm.interop.jira.csv_reader import parse_date

DATE_HEADERS = (
    "finished",
    "done",
    "date",
    "finished_on",
    "finished_at",
    "finished on",
    "completed",
    "resolved",
)
JIRA_MARKERS = ("issue key", "summary", "issue id")
MAX_PROBLEMS = 50  # enough to see the pattern; the rest are counted


@dataclass(frozen=True)
class FinishedItem:
    on: date
    location: SourceLocation


@dataclass(frozen=True)
class HistoryFile:
    path: Path
    kind: str  # "jira-csv" or "dates"
    column: str  # the column read: its header, or "column 1"
    items: tuple[FinishedItem, ...]
    open_items: int  # rows with no finished date (a Jira export's unresolved issues)


def read_history(path: str | Path, *, not_after: date | None = None) -> HistoryFile:
    """The finished dates of a CSV; `not_after` is the last day of history (the day before
    the forecast starts): a date after it is an error, located like a bad date."""
    path = Path(path)
    rows = _rows(path, _decode(path))
    if not rows:
        raise HistoryError(f"{path}: the file is empty", code="history.no_finished")
    kind, index, name, skip = _layout(path, rows)
    items: list[FinishedItem] = []
    problems: list[Problem] = []
    open_items = 0
    # rows are numbered as a spreadsheet shows them: the header, if any, is row 1
    for number, (line, cells) in enumerate(rows[skip:], start=skip + 1):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, and Jira's padding
        where = SourceLocation(str(path), line, index + 1, name)
        if index >= len(cells):
            problems.append(
                Problem(
                    "history.bad_csv",
                    f"row {number} has {len(cells)} cells, no {name} column: the file may be "
                    "cut short",
                    where,
                )
            )
            continue
        text = cells[index].strip()
        if not text:
            open_items += 1
            continue
        day = parse_day(text)
        if day is None:
            problems.append(
                Problem(
                    "history.bad_date",
                    f"row {number}: {text!r} is not a date; write 2027-01-05 or 2027-01-05T16:20",
                    where,
                )
            )
        elif not_after is not None and day > not_after:
            problems.append(
                Problem(
                    "history.future_date",
                    f"row {number}: finished on {day}, after the history ends ({not_after}, "
                    "the day before the forecast starts); set --from later, or correct it",
                    where,
                )
            )
        else:
            items.append(FinishedItem(day, where))
    if problems:
        raise InvalidPlanError(_capped(problems))
    if not items:
        raise HistoryError(
            f"{path}: no finished items: the {name} column (column {index + 1}) holds no date "
            f"in {len(rows) - skip} rows",
            code="history.no_finished",
        )
    return HistoryFile(path, kind, name, tuple(items), open_items)


def parse_day(text: str) -> date | None:
    """The day of an ISO 8601 date or date-time (a zone is converted to UTC), or of the
    forms a Jira export writes."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        found = parse_date(text)
        if found is None:
            return None
        return found.date() if isinstance(found, datetime) else found
    if len(text) <= 10:
        return moment.date()
    return utc_naive(moment).date()


def _layout(path: Path, rows: list[tuple[int, list[str]]]) -> tuple[str, int, str, int]:
    """(kind, column index, column name, number of header rows) from the header."""
    header_line, header = rows[0]
    names = [cell.strip().lower() for cell in header]
    if "resolved" in names and any(marker in names for marker in JIRA_MARKERS):
        index = names.index("resolved")
        return "jira-csv", index, header[index].strip(), 1
    for wanted in DATE_HEADERS:
        if wanted in names:
            index = names.index(wanted)
            return "dates", index, header[index].strip(), 1
    if header and parse_day(header[0].strip()) is not None:
        return "dates", 0, "column 1", 0
    found = ", ".join(repr(cell) for cell in header[:8])
    raise HistoryError(
        f"{path}:{header_line}: no column of finished dates: name it `finished`, `done` or "
        f"`date` (or give dates with no header), or export from Jira with `Resolved`; "
        f"the header has {found}",
        code="history.no_date_column",
    )


def _capped(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    last = problems[MAX_PROBLEMS - 1]
    more = len(problems) - MAX_PROBLEMS + 1
    summary = Problem(last.code, f"and {more} more problems like these", last.location)
    return [*problems[: MAX_PROBLEMS - 1], summary]


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise HistoryError(f"{path}: no such file", code="history.not_found") from None
    except OSError as exc:
        raise HistoryError(
            f"{path}: cannot read: {exc.strerror}", code="history.unreadable"
        ) from None
    encoding = (
        "utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "utf-8-sig"
    )
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise HistoryError(
            f"{path}:{line}: not {encoding.removesuffix('-sig').upper()} text (byte "
            f"0x{data[exc.start]:02x}); save the file as UTF-8",
            code="history.bad_encoding",
        ) from None


def _rows(path: Path, text: str) -> list[tuple[int, list[str]]]:
    try:
        return csv_records(text)
    except CsvSyntaxError as exc:
        raise HistoryError(
            f"{path}:{exc.line}: not valid CSV: {exc.reason}", code="history.bad_csv"
        ) from None
