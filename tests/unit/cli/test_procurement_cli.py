"""Procurement: items gate tasks, flow into the budget, and have order-by dates."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.cli.output import EXIT_INVALID_INPUT

runner = CliRunner()

# gpu: not ordered; as of the status date Mon 2027-01-04 it arrives 30 days later, Wed
# 02-03, so `train` waits for it. Nothing has started by the end of the status date, so
# setup runs Tue 5 - Mon 11 and train could start Tue 01-12: the gpus had to be ordered by
# 2026-12-13: late. lic: ordered 01-04, 5 days -> Sat 01-09, so `ci`
# starts Mon 01-11.
PLAN = """\
project: {name: Lab, start: 2027-01-04, status_date: 2027-01-04}
procurement:
  - {id: gpu, name: GPU servers, vendor: Acme, quantity: 4, unit_cost: 25000, lead_time_days: 30}
  - {id: lic, name: CI licences, kind: license, quantity: 10, unit_cost: 100, lead_time_days: 5,
     order_date: 2027-01-04, status: ordered}
tasks:
  - {id: setup, name: Rack setup, duration: 5d}
  - {id: train, name: Train models, duration: 10d, after: [setup], needs_items: [gpu]}
  - {id: ci, name: CI pipeline, duration: 2d, needs_items: [lic]}
"""


def test_items_gate_tasks_and_cost(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    tasks = {
        t["id"]: t
        for t in json.loads(runner.invoke(app, ["schedule", str(path), "-f", "json"]).stdout)[
            "tasks"
        ]
    }
    assert tasks["train"]["start"] == "2027-02-03T09:00:00"
    assert tasks["ci"]["start"] == "2027-01-11T09:00:00"
    explained = runner.invoke(app, ["explain", str(path), "train"]).stdout
    assert "waits for procured items (gpu), there on 2027-02-03" in explained
    budget = json.loads(runner.invoke(app, ["budget", str(path), "-f", "json"]).stdout)
    assert budget["bac"] == "101000.00"
    items = {
        i["id"]: i
        for i in json.loads(runner.invoke(app, ["procurement", str(path), "-f", "json"]).stdout)[
            "items"
        ]
    }
    gpu = items["gpu"]
    assert (gpu["needed_by"], gpu["order_by"], gpu["expected"]) == (
        "2027-01-12",
        "2026-12-13",
        "2027-02-03",
    )
    assert gpu["late_to_order"] is True
    assert gpu["delays_plan"] is True
    assert items["lic"]["late_to_order"] is False
    assert items["lic"]["expected"] == "2027-01-09"


def test_unknown_item(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.replace("needs_items: [lic]", "needs_items: [nope]"))
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "procurement.unknown_item" in result.stderr
