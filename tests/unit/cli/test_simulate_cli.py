"""`techpm simulate`: the JSON contract and reproducibility."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from techpm.cli.main import app

runner = CliRunner()

PLAN = """\
project: {name: Sim, start: 2027-01-04}
tasks:
  - {id: design, name: Design, estimate: {optimistic: 3d, likely: 5d, pessimistic: 12d}}
  - {id: build, name: Build, duration: 10d, after: [design], deadline: 2027-02-05}
risks:
  - {id: late, title: Vendor late, probability: 0.25,
     impact: {schedule: [{task: build, delay: 4d}]}}
"""


def test_simulate_json(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    args = ["simulate", str(path), "-n", "4000", "--seed", "7", "-f", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    keys = ["p10", "p20", "p30", "p40", "p50", "p60", "p70", "p80", "p90", "p95"]
    assert list(data["finish"]) == keys
    assert list(data["finish_working_days"]) == keys
    days = [data["finish_working_days"][k] for k in keys]
    assert days == sorted(days)
    assert 13 <= days[0] <= days[-1] <= 26  # 3-12 days of design, 10 of build, 4 if late
    assert data["finish"]["p50"] >= "2027-01-22"
    assert 0 < data["deadlines"]["build"] <= 1
    tasks = {t["id"]: t for t in data["tasks"]}
    assert tasks["design"]["criticality"] == 1
    assert tasks["design"]["sensitivity"] > 0.5
    assert abs(data["risks"]["late"] - 0.25) < 0.03
    again = json.loads(runner.invoke(app, args).stdout)
    assert again == data


def test_simulate_table(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    result = runner.invoke(app, ["simulate", str(path), "-n", "500", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "P80" in result.stdout
    assert "Deadline of build: met in" in result.stdout
