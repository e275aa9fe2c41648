"""Each computed view of a stored plan gives the bytes the CLI prints with `--format json`
for the plan file it came from."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.domain.errors import TaskNotFoundError, TechpmError
from techpm.domain.project import Project
from techpm.persistence.mappers import add_project
from techpm.persistence.reading import load_project
from techpm.services.project_views import (
    UnknownEngineError,
    budget_view,
    evm_view,
    explain_view,
    schedule_view,
    workload_view,
)

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "mobile-app-launch.yaml"
runner = CliRunner()


def _cli(*args: str) -> bytes:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    copy = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, copy)
    return copy


@pytest.fixture
def stored(session: Session, plan: Path) -> Project:
    from techpm.services.planning import load_plan

    add_project(session, load_plan(plan), key="APP")
    session.commit()
    session.expunge_all()  # read from the database, not from the session's rows
    return load_project(session, "APP")


def test_schedule_is_the_cli_json(stored: Project, plan: Path) -> None:
    content, media_type = schedule_view(stored, level=False, engine="auto")
    assert media_type == "application/json"
    assert content == _cli("schedule", str(plan), "--format", "json", "--no-level")
    assert json.loads(content)["project"]["tasks"] == len(stored.tasks)


def _without_seconds(content: bytes) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(content)
    assert data["project"]["leveling"] is not None
    data["project"]["leveling"].pop("seconds")  # how long this run took
    return data


def test_the_leveled_schedule_is_the_cli_json(stored: Project, plan: Path) -> None:
    content, _ = schedule_view(stored, level=True, engine="heuristic")
    cli = _cli("schedule", str(plan), "-f", "json", "--level", "--engine", "heuristic")
    assert _without_seconds(content) == _without_seconds(cli)


def test_explain_is_the_cli_json(stored: Project, plan: Path) -> None:
    last = stored.tasks[-1].id
    content, _ = explain_view(stored, last, level=False)
    assert content == _cli("explain", str(plan), last, "--format", "json", "--no-level")
    assert json.loads(content)["task"] == last


def test_workload_is_the_cli_json(stored: Project, plan: Path) -> None:
    content, _ = workload_view(stored, level=False)
    assert content == _cli("workload", str(plan), "--format", "json", "--no-level")
    assert len(json.loads(content)["resources"]) == len(stored.resources)


@pytest.mark.parametrize("by", ["week", "month"])
def test_budget_is_the_cli_json(stored: Project, plan: Path, by: str) -> None:
    content, _ = budget_view(stored, level=False, by=by)
    assert content == _cli("budget", str(plan), "--format", "json", "--no-level", "--by", by)


def test_evm_is_the_cli_json(stored: Project, plan: Path) -> None:
    content, _ = evm_view(stored, status_date=None, baseline=None, level=False)
    assert content == _cli("evm", str(plan), "--format", "json", "--no-level")
    assert json.loads(content)["status_date"] == "2027-03-19"


def test_evm_against_a_baseline_and_a_record_is_the_cli_json(stored: Project, plan: Path) -> None:
    _cli("baseline", str(plan), "--name", "v1", "--no-level")
    snapshot = json.loads(plan.with_name(f"{plan.stem}.baseline.v1.json").read_text())
    _cli("evm", str(plan), "--no-level", "--status-date", "2027-03-12", "--record")
    record = json.loads(plan.with_name(f"{plan.stem}.evm-history.json").read_text())
    history = {date.fromisoformat(k): (v["ev"], v["ac"]) for k, v in record.items()}
    args = ["evm", str(plan), "-f", "json", "--no-level", "--baseline", "v1"]
    content, _ = evm_view(stored, status_date=None, baseline=snapshot, history=history, level=False)
    assert content == _cli(*args)
    data = json.loads(content)
    assert data["baseline"] == "v1"
    assert any("ev" in period for period in data["periods"])  # the recorded week shows


def test_bad_options_raise_the_cli_codes(stored: Project) -> None:
    with pytest.raises(TaskNotFoundError) as missing:
        explain_view(stored, "no-such-task", level=False)
    assert missing.value.code == "task.not_found"
    with pytest.raises(UnknownEngineError) as engine:
        schedule_view(stored, level=True, engine="simplex")
    assert engine.value.code == "schedule.unknown_engine"
    with pytest.raises(TechpmError) as period:
        budget_view(stored, level=False, by="year")
    assert period.value.code == "budget.bad_period"
