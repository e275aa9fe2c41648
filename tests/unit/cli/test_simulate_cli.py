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


MITIGATED = """\
project: {name: Sim, start: 2027-01-04}
tasks:
  - {id: build, name: Build, duration: 10d}
  - {id: done, name: Done, milestone: true, after: [build]}
risks:
  - {id: outage, title: Outage, probability: 0.5,
     impact: {schedule: [{task: build, delay: 10d}], cost: 1000},
     response: {strategy: mitigate, cost: 200, residual_probability: 0.1}}
  - {id: minor, title: Minor, probability: 0.5, impact: {schedule: [{task: build, delay: 1d}]}}
"""


def test_mitigation_tornado_and_milestones(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(MITIGATED)
    result = runner.invoke(app, ["simulate", str(path), "-n", "4000", "--seed", "3", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # with the response the outage (10d) happens in 10% of iterations: P80 is 10d or 11d;
    # without it, in half of them: P80 is 20d or 21d
    (mitigation,) = data["mitigations"]
    assert mitigation["id"] == "outage"
    assert mitigation["p80_working_days_with"] in (10, 11)
    assert mitigation["p80_working_days_without"] in (20, 21)
    # mean cost: 200 + 0.1 x 1000 = 300 with it, 0.5 x 1000 = 500 without
    assert abs(mitigation["mean_cost_with"] - 300) < 4 * 1000 * (0.09 / 4000) ** 0.5
    assert abs(mitigation["mean_cost_without"] - 500) < 4 * 1000 * (0.25 / 4000) ** 0.5
    # the outage moves the finish by 10 days when it occurs, the minor risk by 1
    tornado = data["risk_sensitivity"]
    assert [r["id"] for r in tornado] == ["outage", "minor"]
    assert abs(tornado[0]["finish_delta_days"] - 10) < 0.2
    assert abs(tornado[1]["finish_delta_days"] - 1) < 0.5
    assert data["milestones"]["done"]["p10"] == "2027-01-15"  # 10 days with no risk


def test_charts(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    folder = tmp_path / "charts"
    result = runner.invoke(
        app, ["simulate", str(path), "-n", "500", "--seed", "1", "--charts", str(folder)]
    )
    assert result.exit_code == 0, result.output
    for stem in ("finish-histogram", "tornado"):
        assert (folder / f"{stem}.svg").read_text().lstrip().startswith("<?xml")
        assert "<svg" in (folder / f"{stem}.svg").read_text()
        assert (folder / f"{stem}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
