"""`techpm baseline` and `techpm variance`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.cli.output import EXIT_ERROR, EXIT_INVALID_INPUT

runner = CliRunner()

PLAN = """\
project: {name: Baseline, start: 2027-01-04}
resources:
  - {id: bob, name: Bob, rate: 800/d}
tasks:
  - {id: a, name: A, duration: 5d, assign: [{resource: bob}]}
  - {id: b, name: B, duration: 4d, after: [a], assign: [{resource: bob}]}
  - {id: done, name: Done, milestone: true, after: [b]}
"""


def test_baseline_then_variance(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN)
    saved = runner.invoke(app, ["baseline", str(plan), "--name", "v1"])
    assert saved.exit_code == 0, saved.output
    file = tmp_path / "plan.baseline.v1.json"
    data = json.loads(file.read_text())
    assert data["project"]["bac"] == "7200.00"  # 9 days of Bob at 800
    assert data["tasks"]["b"]["finish"] == "2027-01-14T17:00:00"
    # a second baseline of the same name needs --force; another name coexists
    assert runner.invoke(app, ["baseline", str(plan), "--name", "v1"]).exit_code == EXIT_ERROR
    assert runner.invoke(app, ["baseline", str(plan), "--name", "v2"]).exit_code == 0
    # a grows by two days: a, b and done finish two working days later, a costs 1,600 more
    plan.write_text(
        PLAN.replace("duration: 5d", "duration: 7d") + "  - {id: c, name: C, duration: 1d}\n"
    )
    result = runner.invoke(app, ["variance", str(plan), "--baseline", "v1", "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.stdout)["tasks"]}
    assert rows["a"]["finish_variance"] == 2
    assert rows["a"]["duration_variance"] == 2
    assert rows["a"]["cost_variance"] == "1600.00"
    assert rows["b"]["start_variance"] == 2
    assert rows["b"]["cost_variance"] == "0.00"
    assert rows["done"]["status"] == "slipped"
    assert rows["c"]["status"] == "added"
    text = runner.invoke(app, ["variance", str(plan), "--baseline", "v1"]).stdout
    assert "Slipped: a (+2d), b (+2d), done (+2d)" in text


def test_missing_baseline(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN)
    result = runner.invoke(app, ["variance", str(plan), "--baseline", "nope"])
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "baseline.not_found" in result.stderr
