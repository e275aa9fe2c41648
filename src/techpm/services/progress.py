"""Record progress from a status sheet into a plan: into the plan file, keeping its comments
(`techpm progress`), or into a plan held in memory (the server). Both check every row the
same way and write nothing when any row is wrong."""

from __future__ import annotations

import csv
import difflib
import math
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from techpm.domain.errors import InvalidPlanError, PlanFileError, Problem, SourceLocation
from techpm.domain.project import Project
from techpm.interop.planfile.document import YamlDocument
from techpm.interop.planfile.dump import plan_document
from techpm.interop.planfile.loader import LoadedPlan, load_plan_document
from techpm.interop.planfile.writeback import PlanFileEdit, editing_plan, updated_text
from techpm.services.exchange import plan_yaml

COLUMNS = ("actual_start", "actual_finish", "percent_complete", "remaining_duration", "actual_cost")
NOTES = ("name", "notes", "comment", "comments")  # for the people filling it in; not read
KNOWN_COLUMNS = ("task", *COLUMNS, *NOTES)


def unknown_columns(names: Iterable[str]) -> list[tuple[str, str]]:
    """Each column the sheet does not know, with a hint: a misspelled column would silently
    record nothing of what it holds."""
    found = []
    for raw in names:
        name = raw.strip()
        if name and name not in KNOWN_COLUMNS:
            near = difflib.get_close_matches(name, KNOWN_COLUMNS, n=1)
            hint = f"; did you mean `{near[0]}`?" if near else ""
            found.append((name, f"unknown column {name!r}{hint}"))
    return found


def _check_columns(sheet: Path, names: Sequence[str]) -> None:
    unknown = unknown_columns(names)
    if unknown:
        raise PlanFileError(
            f"{sheet}: line 1: {unknown[0][1]} (columns: {', '.join(KNOWN_COLUMNS)})",
            code="progress.unknown_column",
        )


@dataclass(frozen=True)
class SheetProblem:
    """One thing wrong in a sheet: `row` counts the sheet's rows from 0; `column` is None
    when the row as a whole is wrong."""

    row: int
    column: str | None
    code: str
    message: str


@dataclass(frozen=True)
class SheetCheck:
    updates: dict[str, dict[str, Any]]  # task id -> the values to set
    problems: list[SheetProblem]


def check_sheet(
    rows: Iterable[Mapping[str, str | None]], known: Container[str], *, plan: str
) -> SheetCheck:
    """Every row checked: its task must be in the plan, its values readable."""
    updates: dict[str, dict[str, Any]] = {}
    problems: list[SheetProblem] = []
    for index, row in enumerate(rows):
        task_id = (row.get("task") or "").strip()
        if task_id not in known:
            problems.append(
                SheetProblem(
                    index, "task", "progress.unknown_task", f"no task {task_id!r} in {plan}"
                )
            )
            continue
        values = _values(row, index, problems)
        if values:
            updates[task_id] = values
    return SheetCheck(updates, problems)


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
            rows, lines = [], []
            for row in reader:
                rows.append(row)
                lines.append(reader.line_num)
    except FileNotFoundError:
        raise PlanFileError(f"{sheet}: no such file", code="progress.not_found") from None
    checked = check_sheet(rows, loaded.project.task_by_id, plan=str(plan))
    if checked.problems:
        raise InvalidPlanError(
            [
                Problem(p.code, p.message, SourceLocation(str(sheet), lines[p.row]))
                for p in checked.problems
            ]
        )
    text = _updated(document, loaded, checked.updates, status_date)
    if text != document.text:  # a sheet that records nothing leaves the file untouched
        edit.write(text)
    return ProgressResult(len(checked.updates), status_date, edit.written)


def _updated(
    document: YamlDocument,
    loaded: LoadedPlan,
    updates: Mapping[str, Mapping[str, Any]],
    status_date: date | None,
) -> str:
    """The plan's text with the values set, checked as a whole plan again (a finish before
    its start, a percentage above 100 on a task that had none)."""
    project = {"status_date": status_date} if status_date else {}
    text = updated_text(document, loaded.source_map, updates, project)
    if text != document.text:
        load_plan_document(YamlDocument(document.file, text))
    return text


@dataclass(frozen=True)
class AppliedProgress:
    project: Project
    updated: list[str]  # ids of the tasks the sheet changed, in plan order


class ProgressSheetError(PlanFileError):
    """Rows of a sheet that cannot be recorded; every one of them, not just the first."""

    code = "progress.invalid_sheet"

    def __init__(self, problems: list[SheetProblem]) -> None:
        count = len(problems)
        super().__init__(
            f"the sheet has {count} problem{'s' if count != 1 else ''}; nothing was recorded"
        )
        self.problems = problems


def apply_progress(
    project: Project,
    rows: Sequence[Mapping[str, str | None]],
    *,
    status_date: date | None,
    file: str,
) -> AppliedProgress:
    """The project with the sheet's rows recorded, exactly as `techpm progress` would record
    them in its plan file; `ProgressSheetError` names every bad row."""
    document = YamlDocument(file, plan_yaml(plan_document(project), file))
    loaded = load_plan_document(document)
    checked = check_sheet(rows, loaded.project.task_by_id, plan=file)
    if checked.problems:
        raise ProgressSheetError(checked.problems)
    text = _updated(document, loaded, checked.updates, status_date)
    after = (
        load_plan_document(YamlDocument(file, text)).project if text != document.text else project
    )
    before = loaded.project.task_by_id
    updated = [t.id for t in after.tasks if t.id in checked.updates and before.get(t.id) != t]
    return AppliedProgress(after, updated)


def _values(
    row: Mapping[str, str | None], index: int, problems: list[SheetProblem]
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
            problems.append(
                SheetProblem(index, column, "progress.bad_value", f"{column} {raw!r} is not valid")
            )
    start, finish = values.get("actual_start"), values.get("actual_finish")
    if start and finish and finish < start:
        problems.append(
            SheetProblem(
                index,
                "actual_finish",
                "progress.finish_before_start",
                "actual_finish is before actual_start",
            )
        )
    return values
