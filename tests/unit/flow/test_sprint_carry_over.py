"""Unfinished items of earlier sprints are carried over into the sprint being planned, first,
and their points come off its capacity."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

from techpm.cli.metrics import sprint_app

app = typer.Typer()
app.add_typer(sprint_app)
runner = CliRunner()

# s1 and s2 are over: in s1, a (3) is done and c (2, doing) is not; in s2, d (5) is done
# and e (3, review) is not. s3 states its capacity, 10 points. Carried over: c 2 + e 3 = 5,
# leaving 10 - 5 = 5 for new work: by rank g (priority 700, 3 points; 2 left), h (600,
# 5 points) does not fit, f (500, 1 point; 1 left), m (500, 3) does not fit.
PLAN = """\
project: {name: Carry, start: 2027-01-04, status_date: 2027-01-29}
resources:
  - {id: ann, name: Ann}
sprints:
  - {id: s1, name: Sprint 1, start: 2027-01-04, finish: 2027-01-15}
  - {id: s2, name: Sprint 2, start: 2027-01-18, finish: 2027-01-29}
  - {id: s3, name: Sprint 3, start: 2027-02-01, finish: 2027-02-12, capacity: 10}
  - {id: s4, name: Sprint 4, start: 2027-02-15, finish: 2027-02-26}
tasks:
  - {id: a, name: A, duration: 1d, points: 3, sprint: s1, status: done}
  - {id: c, name: C, duration: 1d, points: 2, sprint: s1, status: in progress}
  - {id: d, name: D, duration: 1d, points: 5, sprint: s2, status: done}
  - {id: e, name: E, duration: 1d, points: 3, sprint: s2, status: review}
  - {id: f, name: F, duration: 1d, points: 1, status: todo}
  - {id: g, name: G, duration: 1d, points: 3, priority: 700, status: todo}
  - {id: h, name: H, duration: 1d, points: 5, priority: 600, status: todo}
  - {id: m, name: M, duration: 1d, points: 3, status: todo}
  - {id: later, name: Later, duration: 1d, points: 2, sprint: s4, status: todo}
"""


def _plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    return path


def _json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["sprint", "plan", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_unfinished_items_are_carried_over_and_deducted(tmp_path: Path) -> None:
    data = _json(str(_plan(tmp_path)), "--sprint", "s3")
    planned = [(p["id"], p["carried_over_from"]) for p in data["planned"]]
    assert planned == [("c", "s1"), ("e", "s2"), ("g", None), ("f", None)]
    assert data["carried_over"] == {"items": ["c", "e"], "points": 5}
    assert data["capacity"]["points"] == 10
    assert data["planned_points"] == 9  # 5 carried + g 3 + f 1; h and m do not fit the 1 left
    assert [(k["id"], k["reason"]) for k in data["not_planned"]] == [
        ("h", "5 points do not fit in the 1 left"),
        ("m", "3 points do not fit in the 1 left"),
    ]
    assert data["in_other_sprints"] == 1  # `later`, planned in s4


def test_the_table_shows_the_carry_over(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sprint", "plan", str(_plan(tmp_path)), "--sprint", "s3"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Carried over: c from s1, e from s2: 5 points of the 10 capacity, 5 left" in out
    assert "carried over from s1" in out


def test_write_moves_the_carried_items(tmp_path: Path) -> None:
    path = _plan(tmp_path)
    data = _json(str(path), "--sprint", "s3", "--write")
    assert data["written"] == ["c", "e", "g", "f"]
    text = path.read_text()
    assert "{id: c, name: C, duration: 1d, points: 2, sprint: s3, status: in progress}" in text
