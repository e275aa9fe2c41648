"""`techpm schedule --level` and `techpm verify` on a plan computed by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.cli.output import EXIT_INFEASIBLE

runner = CliRunner()

# Alice has two tasks (5d and 3d) that the network would run at once: leveled, one follows
# the other and the plan ends Wed 2027-01-13. Bob (away Jan 11-15) is the only other
# backend person; he is less booked than Alice, so he gets c, then d before his vacation.
PLAN = """\
project: {name: Team, start: 2027-01-04}
resources:
  - {id: alice, name: Alice, skills: {backend: 3}}
  - {id: bob, name: Bob, skills: {backend: 2}, vacations: [[2027-01-11, 2027-01-15]]}
tasks:
  - {id: a, name: A, duration: 5d, assign: [{resource: alice}]}
  - {id: b, name: B, duration: 3d, assign: [{resource: alice}]}
  - {id: c, name: C, duration: 2d, needs: [{skill: backend, level: 2}]}
  - {id: d, name: D, duration: 2d, assign: [{resource: bob}], after: [c]}
  - {id: done, name: Done, milestone: true, after: [a, b, d]}
"""


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "team.yaml"
    path.write_text(PLAN)
    return path


@pytest.mark.parametrize("engine", ["heuristic", "cpsat"])
def test_leveled_schedule(plan: Path, engine: str) -> None:
    result = runner.invoke(
        app, ["schedule", str(plan), "--level", "--engine", engine, "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    tasks = {t["id"]: t for t in data["tasks"]}
    assert data["project"]["finish"] == "2027-01-13T17:00:00"
    assert {tasks["a"]["start"][:10], tasks["b"]["start"][:10]} == {"2027-01-04", "2027-01-11"}
    assert tasks["c"]["assignments"] == [{"resource": "bob", "units": 1}]
    assert tasks["d"]["finish"] == "2027-01-07T17:00:00"
    assert tasks["d"]["total_float"] == 1  # Bob can slip d by a day before his vacation
    leveling = data["project"]["leveling"]
    assert leveling["makespan"] == 8
    if engine == "cpsat":
        assert leveling["optimal"] is True


def test_verify(plan: Path, tmp_path: Path) -> None:
    unleveled = runner.invoke(app, ["verify", str(plan)])
    assert unleveled.exit_code == EXIT_INFEASIBLE
    assert "alice is booked 2 of 1 on 2027-01-04: a, b" in unleveled.stdout
    assert runner.invoke(app, ["verify", str(plan), "--level"]).exit_code == 0
    out = tmp_path / "leveled.json"
    runner.invoke(app, ["schedule", str(plan), "--level", "-f", "json", "-o", str(out)])
    assert runner.invoke(app, ["verify", str(plan), "--schedule", str(out)]).exit_code == 0
    data = json.loads(out.read_text())
    data["tasks"][1]["start"] = data["tasks"][0]["start"]  # put b back on top of a
    data["tasks"][1]["finish"] = "2027-01-06T17:00:00"
    out.write_text(json.dumps(data))
    broken = runner.invoke(app, ["verify", str(plan), "--schedule", str(out)])
    assert broken.exit_code == EXIT_INFEASIBLE
    assert "alice is booked 2 of 1" in broken.stdout


def test_workload_flags_over_allocation(plan: Path) -> None:
    result = runner.invoke(app, ["workload", str(plan), "-f", "json"])
    assert result.exit_code == 0, result.output
    alice = next(r for r in json.loads(result.stdout)["resources"] if r["resource"] == "alice")
    first = alice["weeks"][0]
    assert first["week"] == "2027-01-04"
    assert first["booked_hours"] == 64  # a (40h) and b (24h) in the same week
    assert first["available_hours"] == 40
    assert first["over_allocated"] is True
    leveled = json.loads(
        runner.invoke(app, ["workload", str(plan), "--level", "-f", "json"]).stdout
    )
    assert not any(w["over_allocated"] for r in leveled["resources"] for w in r["weeks"])
    text = runner.invoke(app, ["workload", str(plan)]).stdout
    assert "Over-allocated: alice" in text


STAFFING = """\
project: {name: Team, start: 2027-01-04}
resources:
  - {id: alice, name: Alice, skills: {backend: 3}}
  - {id: bob, name: Bob, skills: {backend: 2}, vacations: [[2027-01-11, 2027-01-15]]}
tasks:
  - {id: a, name: A, duration: 5d, assign: [{resource: alice}]}
  - {id: api, name: API, duration: 10d, needs: [{skill: backend, level: 2, count: 2}]}
"""


def test_staffing_shortfall(tmp_path: Path) -> None:
    # api needs two backend people for two weeks: in week 1 Alice is on a, in week 2 Bob
    # is away, so one more person is missing throughout; with the team as it is the API
    # waits for both of them: Alice is free from Jan 11, Bob from Jan 18 -> Jan 18 to Jan 29.
    path = tmp_path / "staffing.yaml"
    path.write_text(STAFFING)
    result = runner.invoke(app, ["staffing", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    backend = data["skills"][0]
    assert backend["qualified"] == ["alice", "bob"]
    assert backend["shortfalls"] == [{"from": "2027-01-04", "to": "2027-01-17", "more_people": 1}]
    assert data["finish_if_staffed"] == "2027-01-15T17:00:00"
    assert data["finish_with_team"] == "2027-01-29T17:00:00"
    text = runner.invoke(app, ["staffing", str(path)]).stdout
    assert "1 more backend person from 2027-01-04 to 2027-01-17" in text


def test_explain_names_the_resource_conflict(plan: Path) -> None:
    result = runner.invoke(app, ["explain", str(plan), "done", "--level", "-f", "json"])
    assert result.exit_code == 0, result.output
    steps = json.loads(result.stdout)["steps"]
    waiting = next(step for step in steps if step["kind"] == "resource")
    first, second = ("a", "b") if waiting["task"] == "b" else ("b", "a")
    assert waiting["task"] == second
    assert waiting["predecessor"] == first
    assert waiting["reason"].startswith(f"waits for alice, busy on {first} until ")


DEADLINE = """\
project: {name: Team, start: 2027-01-04}
resources:
  - {id: alice, name: Alice}
tasks:
  - {id: a, name: A, duration: 5d, assign: [{resource: alice}]}
  - {id: b, name: B, duration: 3d, assign: [{resource: alice}], deadline: 2027-01-08}
"""


@pytest.mark.parametrize("engine", ["heuristic", "cpsat"])
def test_leveling_keeps_deadlines_when_it_can(tmp_path: Path, engine: str) -> None:
    # Either order takes 8 days; only b first (Mon 4 - Wed 6) meets b's deadline (Fri 8).
    path = tmp_path / "deadline.yaml"
    path.write_text(DEADLINE)
    result = runner.invoke(
        app, ["schedule", str(path), "--level", "--engine", engine, "-f", "json"]
    )
    data = json.loads(result.stdout)
    tasks = {t["id"]: t for t in data["tasks"]}
    assert tasks["b"]["finish"] == "2027-01-06T17:00:00"
    assert data["project"]["finish"] == "2027-01-13T17:00:00"
    assert data["diagnostics"] == []


def test_missed_deadline_says_by_how_much(tmp_path: Path) -> None:
    path = tmp_path / "deadline.yaml"
    path.write_text(DEADLINE.replace("deadline: 2027-01-08", "deadline: 2027-01-05"))
    result = runner.invoke(app, ["schedule", str(path), "--level", "-f", "json"])
    missed = [
        d
        for d in json.loads(result.stdout)["diagnostics"]
        if d["code"] == "leveling.constraint_missed"
    ]
    assert missed
    assert "is missed by 1 working day" in missed[0]["message"]


LONG = """\
project: {name: Team, start: 2027-01-04}
resources:
  - {id: alice, name: Alice}
  - {id: bob, name: Bob}
tasks:
  - {id: a, name: A, duration: 8d, assign: [{resource: alice}]}
  - {id: b, name: B, duration: 8d, assign: [{resource: alice}]}
  - {id: c, name: C, duration: 2d, assign: [{resource: bob}]}
"""


def test_over_allocation_is_flagged_in_every_week_it_lasts(tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    path.write_text(LONG)
    data = json.loads(runner.invoke(app, ["workload", str(path), "-f", "json"]).stdout)
    alice = next(r for r in data["resources"] if r["resource"] == "alice")
    assert [w["over_allocated"] for w in alice["weeks"]] == [True, True]


def test_cpsat_schedules_are_left_justified(tmp_path: Path) -> None:
    # c has nothing to wait for: whatever the solver found, it starts on day one
    path = tmp_path / "long.yaml"
    path.write_text(LONG)
    result = runner.invoke(
        app, ["schedule", str(path), "--level", "--engine", "cpsat", "-f", "json"]
    )
    tasks = {t["id"]: t for t in json.loads(result.stdout)["tasks"]}
    assert tasks["c"]["start"] == "2027-01-04T09:00:00"
    assert tasks["c"]["total_float"] == 14
