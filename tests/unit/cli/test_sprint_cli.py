"""`techpm sprint plan`: capacity from the team and past velocity, items by rank, and
writing the choice into the plan file with its comments kept."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from techpm.cli.metrics import sprint_app
from techpm.cli.output import EXIT_ERROR, EXIT_INVALID_INPUT, EXIT_NOT_FOUND

app = typer.Typer()
app.add_typer(sprint_app)
runner = CliRunner()

# The backlog of tests/unit/flow/scenario.py with items to plan. s1 and s2 each finished
# 8 points (a + b; d) with Ann and Raj for ten days each (20 person-days): 0.4 points per
# person-day. In s3 Raj is away three days: 10 + 7 = 17 person-days, 6.8 points.
PLAN = """\
# Backlog of the checkout team
project: {name: Checkout, start: 2027-01-04, status_date: 2027-01-29}
workflow: {states: [todo, doing, blocked, review, done], blocked: [blocked]}
resources:
  - {id: ann, name: Ann}
  - {id: raj, name: Raj, vacations: [[2027-02-03, 2027-02-05]]}
sprints:
  - {id: s1, name: Sprint 1, start: 2027-01-04, finish: 2027-01-15}
  - {id: s2, name: Sprint 2, start: 2027-01-18, finish: 2027-01-29}
  - {id: s3, name: Sprint 3, start: 2027-02-01, finish: 2027-02-12}
tasks:
  - {id: a, name: Card form, duration: 1d, points: 3, sprint: s1, status: done,
     history: [{at: 2027-01-04T10:00, to: doing}, {at: 2027-01-07T10:00, to: done}]}
  - {id: b, name: Card validation, duration: 1d, points: 5, sprint: s1, status: done,
     history: [{at: 2027-01-05T09:00, to: doing}, {at: 2027-01-11T09:00, to: done}]}
  - {id: c, name: Receipts, duration: 1d, points: 2, sprint: s1, status: doing}
  - {id: d, name: Payment API, duration: 1d, points: 8, sprint: s2, status: done,
     history: [{at: 2027-01-25T09:00, to: doing}, {at: 2027-01-27T09:00, to: done}]}
  - {id: e, name: Refund rounding, duration: 1d, sprint: s2, status: todo}
  - {id: f, name: Wallets, duration: 1d, points: 1, status: doing}
  - id: g
    name: Saved cards   # ranked second
    duration: 1d
    points: 3
    priority: 700
    status: todo
  - {id: h, name: One-click, duration: 1d, points: 5, priority: 600, status: todo, after: [g]}
  - {id: i, name: Apple Pay, duration: 1d, points: 1, priority: 800, status: todo, after: [j]}
  - {id: j, name: Merchant id, duration: 1d, points: 1, priority: 100, status: todo}
  - {id: k, name: Gift cards, duration: 1d, status: todo}
  - {id: m, name: Vouchers, duration: 1d, points: 3, status: todo}
  - {id: n, name: One-click analytics, duration: 1d, points: 1, priority: 50, status: todo,
     after: [h]}
"""


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    return path


def run_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["sprint", "plan", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_json(plan: Path) -> None:
    data = run_json(str(plan), "--sprint", "s3")
    assert data["sprint"] == {
        "id": "s3",
        "name": "Sprint 3",
        "start": "2027-02-01",
        "finish": "2027-02-12",
    }
    assert data["capacity"] == {
        "points": 6.8,
        "source": "velocity",
        "person_days": 17,
        "points_per_person_day": 0.4,
        "members": [{"resource": "ann", "person_days": 10}, {"resource": "raj", "person_days": 7}],
        "basis": [
            {"sprint": "s1", "points": 8, "person_days": 20},
            {"sprint": "s2", "points": 8, "person_days": 20},
        ],
    }
    # c (2 points, open in s1) and e (unestimated, open in s2) are carried over first: 4.8
    # left. Rank: c, e, then i 800, g 700, h 600, f, k, m (500, plan order), j 100, n 50.
    # i waits for j; g (1.8 left); h 5 does not fit; f (0.8); m 3 and j 1 do not fit;
    # n waits for h
    assert [(p["id"], p["rank"], p["points"], p["carried_over_from"]) for p in data["planned"]] == [
        ("c", 1, 2, "s1"),
        ("e", 2, 0, "s2"),
        ("g", 4, 3, None),
        ("f", 6, 1, None),
    ]
    assert data["planned_points"] == 6
    assert data["carried_over"] == {"items": ["c", "e"], "points": 2}
    assert data["not_planned"] == [
        {
            "id": "i",
            "points": 1,
            "rank": 3,
            "code": "sprint.waits_for",
            "reason": "waits for j (not done, not planned in this sprint)",
        },
        {
            "id": "h",
            "points": 5,
            "rank": 5,
            "code": "sprint.does_not_fit",
            "reason": "5 points do not fit in the 0.8 left",
        },
        {
            "id": "m",
            "points": 3,
            "rank": 8,
            "code": "sprint.does_not_fit",
            "reason": "3 points do not fit in the 0.8 left",
        },
        {
            "id": "j",
            "points": 1,
            "rank": 9,
            "code": "sprint.does_not_fit",
            "reason": "1 point does not fit in the 0.8 left",
        },
        {
            "id": "n",
            "points": 1,
            "rank": 10,
            "code": "sprint.waits_for",
            "reason": "waits for h (not done, not planned in this sprint)",
        },
    ]
    assert data["unestimated"] == [{"id": "k", "name": "Gift cards", "rank": 7}]
    assert data["in_other_sprints"] == 0  # c and e, still open in s1 and s2, are carried
    assert data["written"] == []


def test_next_sprint_after_the_status_date_by_default(plan: Path) -> None:
    assert run_json(str(plan))["sprint"]["id"] == "s3"  # status date 29 Jan


def test_table(plan: Path) -> None:
    result = runner.invoke(app, ["sprint", "plan", str(plan)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Sprint s3 (Sprint 3), 2027-02-01 to 2027-02-12" in out
    assert (
        "Capacity 6.8 points: 17.0 person-days x 0.40 points per person-day (from s1 8 points "
        "in 20.0 person-days, s2 8 points in 20.0 person-days)"
    ) in out
    assert re.search(r"│ +4 │ g +│ Saved cards +│ +3 │ +700 │", out)
    assert "Planned 6 of 6.8 points, 4 items" in out
    assert "waits for h (not done, not planned in this sprint)" in out
    assert "Unestimated (no points, not planned): k" in out
    assert "Carried over: c from s1, e from s2: 2 points of the 6.8 capacity, 4.8 left" in out
    assert "carried over from s1" in out
    assert plan.read_text() == PLAN  # nothing written without --write


def test_write_sets_the_sprint_and_keeps_comments(plan: Path) -> None:
    data = run_json(str(plan), "--write")
    assert data["written"] == ["c", "e", "g", "f"]
    text = plan.read_text()
    assert text.startswith("# Backlog of the checkout team\n")
    assert "name: Saved cards   # ranked second" in text
    assert "priority: 700\n    status: todo\n    sprint: s3\n" in text
    assert "{id: c, name: Receipts, duration: 1d, points: 2, sprint: s3, status: doing}" in text
    # planning again keeps them, now as already in the sprint, and writes nothing more
    again = run_json(str(plan), "--write")
    # now all in the sprint, by priority: g 700, then c, e, f (500, plan order); e has no
    # points but stays in the sprint it is in
    assert [(p["id"], p["already_in_sprint"]) for p in again["planned"]] == [
        ("g", True),
        ("c", True),
        ("e", True),
        ("f", True),
    ]
    assert again["written"] == []
    table = runner.invoke(app, ["sprint", "plan", str(plan)]).stdout
    assert "already in the sprint" in table


def test_write_reaches_nested_tasks(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(
        "project: {name: X, start: 2027-01-04}\n"
        "resources: [{id: ann, name: Ann}]\n"
        "sprints: [{id: s1, start: 2027-01-04, finish: 2027-01-15, capacity: 5}]\n"
        "tasks:\n"
        "  - id: epic\n"
        "    name: Epic   # a summary\n"
        "    children:\n"
        "      - {id: story, name: Story, duration: 1d, points: 5}\n"
        "      - {id: big, name: Big, duration: 1d, points: 8}\n"
    )
    data = run_json(str(path), "--sprint", "s1", "--write")
    assert data["capacity"]["source"] == "stated"
    assert data["written"] == ["story"]
    text = path.read_text()
    assert "{id: story, name: Story, duration: 1d, points: 5, sprint: s1}" in text
    assert "# a summary" in text


def test_unknown_sprint(plan: Path) -> None:
    result = runner.invoke(app, ["sprint", "plan", str(plan), "--sprint", "s9"])
    assert result.exit_code == EXIT_NOT_FOUND
    assert "error sprint.not_found: no sprint 's9' in this plan (sprints: s1, s2, s3)" in (
        result.stderr
    )


def test_no_sprint_to_plan(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("project: {name: X, start: 2027-01-04}\ntasks: []\n")
    result = runner.invoke(app, ["sprint", "plan", str(path)])
    assert result.exit_code == EXIT_ERROR
    assert "error sprint.none: the plan has no `sprints`" in result.stderr
    late = PLAN.replace("status_date: 2027-01-29", "status_date: 2027-03-01")
    path.write_text(late)
    result = runner.invoke(app, ["sprint", "plan", str(path)])
    assert result.exit_code == EXIT_ERROR
    assert "no sprint starts on or after 2027-03-01; name one with --sprint" in result.stderr


def test_invalid_plan(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.replace("sprint: s2, status: todo", "sprint: s7, status: todo"))
    result = runner.invoke(app, ["sprint", "plan", str(path)])
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "error sprint.unknown" in result.stderr
