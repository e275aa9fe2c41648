"""A status sheet sent to the server: the rows of `techpm progress`'s CSV, as CSV or as JSON
objects with the same column names, recorded into the stored plan all or nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from techpm.domain.errors import PlanFileError
from techpm.persistence.reading import read_project
from techpm.persistence.rows import ProjectRow
from techpm.services.plan_store import Actor, PlanWrite, write_plan
from techpm.services.plans import check_project_version
from techpm.services.progress import (
    COLUMNS,
    KNOWN_COLUMNS,
    ProgressSheetError,
    SheetProblem,
    apply_progress,
    unknown_columns,
)
from techpm.services.versions import Expected

MAX_ROWS = 100_000


class SheetShapeError(PlanFileError):
    code = "progress.bad_sheet"


@dataclass(frozen=True)
class Sheet:
    """Rows as the CSV reader gives them (text or None per column); `lines` holds each row's
    line in the CSV, when it came as CSV."""

    rows: list[dict[str, str | None]]
    lines: list[int] | None = None
    problems: list[SheetProblem] = field(default_factory=list)  # found while reading it


@dataclass(frozen=True)
class RecordedProgress:
    written: PlanWrite | None  # None: the sheet changed nothing, nothing was written
    version: int
    updated: list[str]


def sheet_from_csv(text: str) -> Sheet:
    """The sheet's exact CSV, as `techpm progress` reads it."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    names = reader.fieldnames
    if names is None or "task" not in names:
        raise SheetShapeError(
            "a status sheet needs a `task` column and any of " + ", ".join(COLUMNS)
        )
    unknown = unknown_columns(names)
    if unknown:
        raise ProgressSheetError(
            [
                SheetProblem(-1, name, "progress.unknown_column", message)
                for name, message in unknown
            ]
        )
    rows: list[dict[str, str | None]] = []
    lines: list[int] = []
    try:
        for row in reader:
            if len(rows) >= MAX_ROWS:
                raise SheetShapeError(f"a status sheet has at most {MAX_ROWS} rows")
            rows.append({k: v for k, v in row.items() if isinstance(k, str)})
            lines.append(reader.line_num)
    except csv.Error as error:
        raise SheetShapeError(f"line {reader.line_num}: {error}") from None
    return Sheet(rows, lines)


def sheet_from_json(rows: Sequence[Any]) -> Sheet:
    """JSON objects keyed by the sheet's columns; numbers are read as the CSV's text would be,
    and anything else that is not text (a list, true) is a bad value of its own."""
    problems: list[SheetProblem] = []
    sheet: list[dict[str, str | None]] = []
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            problems.append(SheetProblem(index, None, "progress.bad_row", "a row is an object"))
            sheet.append({})
            continue
        values: dict[str, str | None] = {}
        for name, message in unknown_columns(str(k) for k in row):
            problems.append(SheetProblem(index, name, "progress.unknown_column", message))
        for column, value in row.items():
            if column not in KNOWN_COLUMNS:
                continue
            if value is None or isinstance(value, str):
                values[column] = value
            elif isinstance(value, int | float) and not isinstance(value, bool):
                values[column] = repr(value)
            else:
                message = f"{column} {value!r} is not valid"
                problems.append(SheetProblem(index, column, "progress.bad_value", message))
        sheet.append(values)
    return Sheet(sheet, problems=problems)


def record_sheet(
    session: Session,
    row: ProjectRow,
    sheet: Sheet,
    *,
    status_date: date | None,
    expected: Expected | None,
    actor: Actor,
    now: datetime,
) -> RecordedProgress:
    """Every row checked first; one bad row and nothing is written. Commits."""
    if expected is not None:
        check_project_version(session, row, expected)
    project = read_project(session, row)
    try:
        applied = apply_progress(
            project, sheet.rows, status_date=status_date, file=f"{row.key}.yaml"
        )
    except ProgressSheetError as error:
        whole = {p.row for p in sheet.problems if p.column is None}  # not an object at all
        found = [p for p in error.problems if p.row not in whole]
        raise ProgressSheetError(_in_order([*sheet.problems, *found])) from None
    if sheet.problems:
        raise ProgressSheetError(_in_order(sheet.problems))
    if applied.project == project:
        return RecordedProgress(None, row.version, [])
    as_of = status_date or applied.project.info.status_date or now.date()
    summary = f"progress as of {as_of.isoformat()}"
    written = write_plan(session, row, applied.project, actor=actor, summary=summary, now=now)
    session.commit()
    return RecordedProgress(written, written.version, applied.updated)


def _in_order(problems: list[SheetProblem]) -> list[SheetProblem]:
    return sorted(problems, key=lambda p: p.row)  # stable: a row's own order stays
