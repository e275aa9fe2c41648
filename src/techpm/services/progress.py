"""Record progress from a status sheet (CSV) into the plan file, keeping its comments."""

from __future__ import annotations

import csv
import difflib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from techpm.domain.errors import InvalidPlanError, PlanFileError, Problem, SourceLocation
from techpm.interop.planfile.document import YamlDocument
from techpm.interop.planfile.loader import load_plan_document
from techpm.interop.planfile.writeback import PlanFileEdit, editing_plan, updated_text

COLUMNS = ("actual_start", "actual_finish", "percent_complete", "remaining_duration", "actual_cost")
NOTES = ("name", "notes", "comment", "comments")  # for the people filling it in; not read


def _check_columns(sheet: Path, names: Sequence[str]) -> None:
    """A misspelled column would silently record nothing of what it holds."""
    known = ("task", *COLUMNS, *NOTES)
    unknown = [n for n in names if n.strip() and n.strip() not in known]
    if unknown:
        name = unknown[0].strip()
        near = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean `{near[0]}`?" if near else ""
        raise PlanFileError(
            f"{sheet}: line 1: unknown column {name!r}{hint} (columns: {', '.join(known)})",
            code="progress.unknown_column",
        )


@dataclass(frozen=True)
class ProgressResult:
    tasks: int  # tasks updated
    status_date: date | None
    written: bool = True  # False: every value was already as the sheet says


def record_progress(
    plan: str | Path, sheet: str | Path, *, status_date: date | None = None
) -> ProgressResult:
    plan, sheet = Path(plan), Path(sheet)
    # locked from the read to the write: two runs at once both land, one after the other
    with editing_plan(plan) as edit:
        return _record(edit, plan, sheet, status_date)


def _record(
    edit: PlanFileEdit, plan: Path, sheet: Path, status_date: date | None
) -> ProgressResult:
    document = edit.document
    loaded = load_plan_document(document)  # the plan must be valid before it is changed
    known = loaded.project.task_by_id
    updates: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    try:
        with sheet.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or "task" not in reader.fieldnames:
                raise PlanFileError(
                    f"{sheet}: a status sheet needs a `task` column and any of "
                    + ", ".join(COLUMNS),
                    code="progress.bad_sheet",
                )
            _check_columns(sheet, reader.fieldnames)
            for row in reader:
                line = reader.line_num
                where = SourceLocation(str(sheet), line)
                task_id = (row.get("task") or "").strip()
                if task_id not in known:
                    problems.append(
                        Problem("progress.unknown_task", f"no task {task_id!r} in {plan}", where)
                    )
                    continue
                values = _values(row, where, problems)
                if values:
                    updates[task_id] = values
    except FileNotFoundError:
        raise PlanFileError(f"{sheet}: no such file", code="progress.not_found") from None
    if problems:
        raise InvalidPlanError(problems)
    project = {"status_date": status_date} if status_date else {}
    text = updated_text(document, loaded.source_map, updates, project)
    if text != document.text:  # a sheet that records nothing leaves the file untouched
        # the updated plan must still be valid (a finish before its start, percent above 100)
        load_plan_document(YamlDocument(str(plan), text))
        edit.write(text)
    return ProgressResult(len(updates), status_date, edit.written)


def _values(
    row: dict[str, str | None], where: SourceLocation, problems: list[Problem]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column in COLUMNS:
        raw = (row.get(column) or "").strip()
        if not raw:
            continue
        try:
            if column in ("actual_start", "actual_finish"):
                values[column] = date.fromisoformat(raw)
            elif column in ("percent_complete", "actual_cost"):
                number = float(raw)
                if (
                    not math.isfinite(number)
                    or number < 0
                    or (column == "percent_complete" and number > 100)
                ):
                    raise ValueError(raw)
                values[column] = int(number) if number == int(number) else number
            else:
                values[column] = raw
        except ValueError:
            problems.append(Problem("progress.bad_value", f"{column} {raw!r} is not valid", where))
    start, finish = values.get("actual_start"), values.get("actual_finish")
    if start and finish and finish < start:
        problems.append(
            Problem("progress.finish_before_start", "actual_finish is before actual_start", where)
        )
    return values
