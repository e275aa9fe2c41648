"""A throughput forecast from too little history says so, with the rule it applies."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import typer
from typer.testing import CliRunner

from techpm.cli.forecast import forecast
from techpm.flow.throughput import MIN_HISTORY_DAYS, MIN_HISTORY_ITEMS

app = typer.Typer()
app.command()(forecast)
runner = CliRunner()


def _plan(tmp_path: Path, finished_on: list[date]) -> Path:
    lines = ["project: {name: Shop, start: 2027-01-04, status_date: 2027-01-15}", "tasks:"]
    for n, day in enumerate(finished_on, start=1):
        lines.append(
            f"  - {{id: d{n}, name: Done {n}, duration: 1d, actual_start: {day}, "
            f"actual_finish: {day}}}"
        )
    for k in range(1, 6):
        lines.append(f"  - {{id: o{k}, name: Open {k}, duration: 1d}}")
    path = tmp_path / "plan.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_six_finished_items_warn(tmp_path: Path) -> None:
    # six items, finished Mon 11 .. Fri 15 (Wednesday twice): 6 items over 5 working days
    days = [date(2027, 1, d) for d in (11, 12, 13, 13, 14, 15)]
    path = _plan(tmp_path, days)
    result = runner.invoke(app, [str(path), "--seed", "1", "-n", "200", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["history"]["finished_items"] == 6
    assert data["history"]["samples"] == 5
    [warning] = data["warnings"]
    assert warning["code"] == "forecast.short_history"
    assert "6 finished items over 5 working days" in warning["message"]
    assert f"at least {MIN_HISTORY_ITEMS} finished items" in warning["message"]
    assert f"at least {MIN_HISTORY_DAYS} working days" in warning["message"]
    table = runner.invoke(app, [str(path), "--seed", "1", "-n", "200"])
    assert table.exit_code == 0
    assert "warning forecast.short_history" in table.stderr


def test_enough_history_has_no_warning(tmp_path: Path) -> None:
    # one item on each working day of two weeks, Mon 4 .. Fri 15: 10 items over 10 days
    day, days = date(2027, 1, 4), []
    while day <= date(2027, 1, 15):
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    path = _plan(tmp_path, days)
    result = runner.invoke(app, [str(path), "--seed", "1", "-n", "200", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["history"]["finished_items"], data["history"]["samples"]) == (10, 10)
    assert data["warnings"] == []
