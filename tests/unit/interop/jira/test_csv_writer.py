"""Jira CSV export: what Jira's importer needs, and that the reader gets the plan back."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from techpm.interop.jira.csv_reader import read_jira_csv
from techpm.interop.jira.csv_writer import jira_date, write_jira_csv
from techpm.interop.jira.json_reader import from_issues
from techpm.services.planning import schedule_plan

from .support import RESPONSES, by_id, parents, validate

KEPT = (
    "name",
    "duration",
    "milestone",
    "points",
    "sprint",
    "tags",
    "status",
    "issue_type",
    "deadline",
    "priority",
    "notes",
    "assign",
    "owner",
    "refs",
)

NATIVE = """
project: {name: Launch, start: 2027-01-04}
resources:
  - {id: ann, name: Ann Lee}
tasks:
  - id: build
    name: Build
    children:
      - id: api
        name: API
        children:
          - {id: schema, name: Schema, duration: 2d, assign: [{resource: ann}], tags: [data model]}
          - {id: endpoints, name: Endpoints, duration: 4h, after: [schema], percent_complete: 100}
      - id: ui
        name: UI
        duration: 3d
        after: [{task: schema, type: SS, lag: 1d}]
        deadline: 2027-02-01
  - {id: launch, name: Launch day, milestone: true, after: [build], priority: 900}
"""


def native() -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe", pure=True).load(io.StringIO(NATIVE))
    return data


def rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as stream:
        header, *body = list(csv.reader(stream))
    return header, body


def round_trip(document: dict[str, Any], tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    schedule = schedule_plan(validate(document).project)
    path = tmp_path / "plan.jira.csv"
    write_jira_csv(schedule, path)
    return path, read_jira_csv(path).document


def kept(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        tid: {k: task[k] for k in KEPT if k in task} | {"after": sorted(task.get("after", []))}
        for tid, task in by_id(document).items()
    }


def test_jira_issues_survive_export_and_import(tmp_path: Path) -> None:
    issues: list[Any] = []
    names: dict[str, str] = {}
    for page in sorted(RESPONSES.glob("search-v3-page*.json")):
        data = json.loads(page.read_text(encoding="utf-8"))
        issues += data["issues"]
        names.update(data["names"])
    original = from_issues(issues, "search.json", names=names).document
    _, again = round_trip(original, tmp_path)
    validate(again)
    before, after = kept(original), kept(again)
    del before["version.1.0"]["deadline"]  # release dates are not a CSV column
    assert after == before
    assert parents(again) == parents(original)
    assert sorted(again["resources"], key=str) == sorted(original["resources"], key=str)


def test_a_native_plan_keeps_its_tasks_hierarchy_links_and_estimates(tmp_path: Path) -> None:
    original = native()
    path, again = round_trip(original, tmp_path)
    validate(again)
    tasks = by_id(again)
    assert parents(again) == parents(original)
    assert {t: sorted(v.get("after", [])) for t, v in tasks.items()} == {
        t: sorted(a if isinstance(a, str) else a["task"] for a in v.get("after", []))
        for t, v in by_id(original).items()
    }
    assert tasks["schema"]["duration"] == "2d"
    assert tasks["endpoints"]["duration"] == "4h"
    assert tasks["ui"]["deadline"] == date(2027, 2, 1)
    assert tasks["launch"]["milestone"] is True
    assert tasks["launch"]["priority"] == 900
    assert tasks["schema"]["tags"] == ["data_model"]  # Jira labels have no spaces
    assert tasks["schema"]["assign"] == [{"resource": "ann"}]
    assert again["resources"] == [{"id": "ann", "name": "Ann Lee", "refs": {"jira": "ann"}}]
    assert tasks["endpoints"]["status"] == "Done"
    assert [tasks[t]["issue_type"] for t in ("build", "api", "schema", "ui", "launch")] == [
        "Epic",
        "Story",
        "Sub-task",
        "Task",
        "Milestone",
    ]
    result = read_jira_csv(path)
    assert result.reference_dates["schema"] == ("2027-01-04T09:00:00", "2027-01-05T17:00:00")


def test_columns_jira_imports(tmp_path: Path) -> None:
    original = native()
    path, _ = round_trip(original, tmp_path)
    header, body = rows(path)
    assert header[:8] == [
        "Issue id",
        "Issue key",
        "Parent id",
        "Summary",
        "Issue Type",
        "Status",
        "Priority",
        "Original Estimate",
    ]
    assert header.count("Labels") == 1
    assert "Inward issue link (Blocks)" in header
    cells = [dict(zip(header, row, strict=True)) for row in body]
    order = [c["Issue key"] for c in cells]
    assert order == ["build", "launch", "api", "ui", "schema", "endpoints"]  # level by level
    number = {c["Issue key"]: c["Issue id"] for c in cells}
    schema = cells[order.index("schema")]
    assert schema["Parent id"] == number["api"]
    assert schema["Original Estimate"] == "57600"
    assert schema["Assignee"] == "Ann Lee"
    assert schema["Assignee Id"] == "ann"
    endpoints = cells[order.index("endpoints")]
    assert endpoints["Inward issue link (Blocks)"] == number["schema"]
    assert cells[order.index("build")]["Original Estimate"] == ""  # summaries roll up
    assert cells[order.index("ui")]["Due Date"] == "01/Feb/27 12:00 AM"


def test_dates_in_the_importers_default_format() -> None:
    assert jira_date(datetime(2027, 1, 4, 9, 0)) == "04/Jan/27 9:00 AM"
    assert jira_date(datetime(2027, 12, 31, 17, 30)) == "31/Dec/27 5:30 PM"
    assert jira_date(datetime(2027, 6, 1, 12, 5)) == "01/Jun/27 12:05 PM"
    assert jira_date(date(2027, 6, 1)) == "01/Jun/27 12:00 AM"
