"""The command line, driven through Typer's test runner."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml_rs
from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.cli.output import EXIT_ERROR, EXIT_INVALID_INPUT, EXIT_NOT_FOUND

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
SCENARIO = ROOT / "tests" / "scenarios" / "issue_example.yaml"
runner = CliRunner()

PLAN = """\
project: {name: Tiny, start: 2027-01-04}
tasks:
  - {id: a, name: Alpha, duration: 5d}
  - {id: b, name: Beta, duration: 2d, after: [a]}
  - {id: c, name: Gamma, duration: 1d, after: [a]}
  - {id: done, name: Done, milestone: true, after: [b, c]}
"""


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    return path


def test_schedule_json_contract(plan: Path) -> None:
    result = runner.invoke(app, ["schedule", str(plan), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["project"]["finish"] == "2027-01-12T17:00:00"
    tasks = {t["id"]: t for t in data["tasks"]}
    required = {"id", "name", "start", "finish", "late_start", "late_finish"}
    required |= {"total_float", "free_float", "critical"}
    assert required <= set(tasks["a"])
    # a 5d task starting Monday 2027-01-04 finishes Friday 2027-01-08
    assert tasks["a"]["start"] == "2027-01-04T09:00:00"
    assert tasks["a"]["finish"] == "2027-01-08T17:00:00"
    assert tasks["c"]["total_float"] == 1  # working days
    assert tasks["c"]["free_float"] == 1
    assert tasks["c"]["critical"] is False
    assert tasks["b"]["critical"] is True
    assert data["project"]["critical_paths"] == [["a", "b", "done"]]


def test_schedule_csv(plan: Path) -> None:
    result = runner.invoke(app, ["schedule", str(plan), "-f", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == ["a", "b", "c", "done"]
    assert rows[2]["total_float"] == "1"
    assert rows[1]["finish"] == "2027-01-12T17:00:00"


def test_schedule_table(plan: Path) -> None:
    result = runner.invoke(app, ["schedule", str(plan)])
    assert result.exit_code == 0
    assert "Critical path: a -> b -> done" in result.stdout
    assert "Project finish Tue 2027-01-12 17:00" in result.stdout


def test_schedule_to_file(plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["schedule", str(plan), "-f", "json", "-o", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text())["project"]["name"] == "Tiny"


def test_check(plan: Path) -> None:
    result = runner.invoke(app, ["check", str(plan)])
    assert result.exit_code == 0
    assert "OK, 4 tasks, 4 links" in result.stdout


def test_invalid_plan_names_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(PLAN.replace("duration: 2d", "duration: 2 days"))
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == EXIT_INVALID_INPUT
    assert f"{path}:4:35: error planfile.bad_duration [tasks[1].duration]" in result.stderr
    assert "Traceback" not in result.output


def test_cycle_is_printed(tmp_path: Path) -> None:
    path = tmp_path / "cycle.yaml"
    path.write_text(PLAN.replace("after: [a]}\n  - {id: c", "after: [a, done]}\n  - {id: c"))
    result = runner.invoke(app, ["schedule", str(path)])
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "dependency cycle: b -> done -> b" in result.stderr


def test_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schedule", str(tmp_path / "nope.yaml")])
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "planfile.not_found" in result.stderr


def test_explain(plan: Path) -> None:
    result = runner.invoke(app, ["explain", str(plan), "b"])
    assert result.exit_code == 0
    assert "must start after a finishes (FS link)" in result.stdout
    assert "waits over Sat 2027-01-09: weekend" in result.stdout
    data = json.loads(runner.invoke(app, ["explain", str(plan), "done", "-f", "json"]).stdout)
    assert [step["task"] for step in data["steps"]] == ["done", "b", "a"]
    assert data["steps"][-1]["kind"] == "project_start"


def test_explain_unknown_task(plan: Path) -> None:
    result = runner.invoke(app, ["explain", str(plan), "zzz"])
    assert result.exit_code == EXIT_NOT_FOUND
    assert "task.not_found" in result.stderr


def test_init_writes_a_valid_plan_and_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    assert runner.invoke(app, ["init", str(path), "--name", "Demo"]).exit_code == 0
    checked = runner.invoke(app, ["check", str(path)])
    assert checked.exit_code == 0, checked.output
    again = runner.invoke(app, ["init", str(path)])
    assert again.exit_code == EXIT_ERROR
    assert "already exists" in again.stderr
    assert runner.invoke(app, ["init", str(path), "--force"]).exit_code == 0


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


@pytest.mark.parametrize("path", [*EXAMPLES, SCENARIO], ids=lambda p: p.stem)
def test_schema_accepts_the_examples(path: Path) -> None:
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    document = _jsonable(yaml_rs.loads(path.read_text()))
    jsonschema.Draft202012Validator(schema).validate(document)


def test_schema_rejects_unknown_fields() -> None:
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    bad = {
        "project": {"name": "x", "start": "2027-01-04"},
        "tasks": [{"id": "a", "name": "A", "colour": 1}],
    }
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(bad)


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("techpm ")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_schedule_cleanly(path: Path) -> None:
    result = runner.invoke(app, ["schedule", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["diagnostics"] == []
    assert all(c["holds"] for c in data["constraints"])
    assert len(data["tasks"]) >= 15
