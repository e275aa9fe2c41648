"""`techpm budget`: time-phased planned value, computed by hand."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from techpm.cli.main import app

runner = CliRunner()

# a: Mon 4 - Fri 8, Alice 40h at 100/h = 4,000, plus 1,000 fixed spread over its days.
# b: Mon 11 - Thu 14, Alice half time at her new rate 120/h (16h = 1,920) and Bob at
#    800/d (3,200); a 400 licence falls on its last day. BAC = 5,000 + 5,520 = 10,520.
PLAN = """\
project: {name: Budget, start: 2027-01-04, contingency: 1000, management_reserve: 2000}
resources:
  - {id: alice, name: Alice, rate: 100/h, rates: [{from: 2027-01-11, rate: 120/h}]}
  - {id: bob, name: Bob, rate: 800/d}
tasks:
  - id: phase
    name: Phase
    children:
      - {id: a, name: A, duration: 5d, assign: [{resource: alice}], fixed_cost: 1000}
      - {id: b, name: B, duration: 4d, after: [a], fixed_cost: 400, accrue: end,
         cost_account: licenses, assign: [{resource: alice, units: 0.5}, {resource: bob}]}
"""


def _plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    return path


def test_weekly_budget(tmp_path: Path) -> None:
    result = runner.invoke(app, ["budget", str(_plan(tmp_path)), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["bac"] == "10520.00"
    assert data["cost_baseline"] == "11520.00"
    assert data["total_budget"] == "13520.00"
    assert data["tasks"] == {"phase": "10520.00", "a": "5000.00", "b": "5520.00"}
    first, second = data["periods"]
    assert first["accounts"] == {"fixed": "1000.00", "labor": "4000.00"}
    assert second["accounts"] == {"labor": "5120.00", "licenses": "400.00"}
    assert [p["cumulative"] for p in data["periods"]] == ["5000.00", "10520.00"]


def test_daily_and_monthly(tmp_path: Path) -> None:
    path = _plan(tmp_path)
    daily = json.loads(
        runner.invoke(app, ["budget", str(path), "--by", "day", "-f", "json"]).stdout
    )
    days = {p["start"]: p["planned_value"] for p in daily["periods"]}
    assert days["2027-01-04"] == "1000.00"  # 800 of work and a fifth of the fixed 1,000
    assert days["2027-01-09"] == "0.00"  # a Saturday
    assert days["2027-01-14"] == "1680.00"  # 480 + 800 + the 400 licence
    monthly = runner.invoke(app, ["budget", str(path), "--by", "month", "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(monthly.stdout)))
    assert [(r["period_start"], r["cumulative"]) for r in rows] == [("2027-01-01", "10520.00")]


def test_budget_table(tmp_path: Path) -> None:
    text = runner.invoke(app, ["budget", str(_plan(tmp_path))]).stdout
    assert "Budget at completion (BAC)        10,520.00 USD" in text
