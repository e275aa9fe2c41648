"""Every command that offers `--format csv` writes CSV: a header row, one row per record,
plain values, never the boxed table."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from techpm.cli.main import app

ROOT = Path(__file__).resolve().parents[3]
HOSTILE = Path(__file__).parent / "hostile_text_plan.yaml"
BACKLOG = ROOT / "examples" / "checkout-backlog.yaml"
runner = CliRunner()
BOX = set("┏┃┡│└━─")


@pytest.fixture
def plans(tmp_path: Path) -> dict[str, Path]:
    plan = tmp_path / "plan.yaml"
    shutil.copy(HOSTILE, plan)
    backlog = tmp_path / "backlog.yaml"
    shutil.copy(BACKLOG, backlog)
    saved = runner.invoke(app, ["baseline", str(plan), "--name", "v1"])
    assert saved.exit_code == 0, saved.output
    return {"plan": plan, "backlog": backlog}


# command, the plan it reads, the first header cells, and the records it must hold
CASES = [
    (["schedule"], "plan", ["id", "name"], 4),
    (["explain", "PLAN", "ios-pay"], "plan", ["task", "name", "start"], 2),
    (["verify"], "plan", ["kind", "subjects", "message"], 0),
    (["check"], "plan", ["code", "severity", "message", "subjects"], None),
    (["workload"], "plan", ["resource", "name", "week"], None),
    (["staffing"], "plan", ["skill", "level", "week"], 0),
    (["risks"], "plan", ["id", "title"], 1),
    (["budget"], "plan", ["period_start", "period_end"], None),
    (["evm"], "plan", ["scope", "status_date", "bac"], None),
    (["variance", "PLAN", "--baseline", "v1"], "plan", ["id", "milestone", "status"], 4),
    (["procurement"], "plan", ["id", "name"], 1),
    (["stakeholders"], "plan", ["id", "name"], 2),
    (["raci"], "plan", ["task", "deliverable"], 1),
    (["ideas"], "plan", ["rank", "id", "title"], 1),
    (["simulate", "PLAN", "-n", "100", "--seed", "3"], "plan", ["percentile", "finish"], 10),
    (["metrics", "PLAN", "--as-of", "2027-01-20"], "backlog", ["id", "cycle_time_days"], None),
    (
        ["forecast", "PLAN", "--items", "5", "-n", "200", "--seed", "1"],
        "backlog",
        ["question", "items"],
        4,
    ),
    (["sprint", "plan", "PLAN", "--sprint", "s2"], "backlog", ["id", "name", "points"], None),
]


@pytest.mark.parametrize(("command", "which", "header", "count"), CASES, ids=lambda v: str(v))
def test_csv_is_csv(
    plans: dict[str, Path],
    command: list[str],
    which: str,
    header: list[str] | None,
    count: int | None,
) -> None:
    path = str(plans[which])
    args = [path if a == "PLAN" else a for a in command]
    if "PLAN" not in command:
        args.insert(1, path)
    result = runner.invoke(app, [*args, "--format", "csv"], env={"COLUMNS": "80"})
    assert result.exit_code in (0, 5), result.output  # 5: verify found a breach
    assert not BOX & set(result.stdout), result.stdout
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows, "no header row"
    if header is not None:
        assert rows[0][: len(header)] == header, rows[0]
    width = len(rows[0])
    assert all(len(r) == width for r in rows), "ragged rows"
    if count is not None:
        assert len(rows) - 1 == count, rows


def test_schedule_csv_rows_are_the_json_rows(plans: dict[str, Path]) -> None:
    plan = str(plans["plan"])
    as_json = json.loads(runner.invoke(app, ["schedule", plan, "-f", "json"]).stdout)
    rows = list(
        csv.DictReader(io.StringIO(runner.invoke(app, ["schedule", plan, "-f", "csv"]).stdout))
    )
    assert [r["name"] for r in rows] == [t["name"] for t in as_json["tasks"]]
    assert rows[0]["name"] == "[iOS] Checkout"
    assert [r["resources"] for r in rows] == ["", "ana", "bo", ""]


def test_risk_register_csv_opens_in_a_spreadsheet(plans: dict[str, Path]) -> None:
    out = runner.invoke(app, ["risks", str(plans["plan"]), "-f", "csv"]).stdout
    [risk] = list(csv.DictReader(io.StringIO(out)))
    assert risk["title"] == "[red]Store[/red] rejects :100:"
    assert risk["probability"] == "0.4"
    # exposure = probability x impact: 0.4 x 2 days = 0.8 days, 0.4 x 1,000 = 400
    assert risk["exposure_days"] == "0.8"
    assert risk["exposure_cost"] == "400.00"
