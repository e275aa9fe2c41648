"""`techpm metrics`: flow metrics of a plan's backlog, with a Jira export's history or not.

The plan is the backlog of tests/unit/flow/scenario.py, whose figures are worked out by
hand there; here the command's tables, JSON keys, charts and errors are checked.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from techpm.cli.metrics import metrics
from techpm.cli.output import EXIT_INVALID_INPUT

app = typer.Typer()
app.command()(metrics)
runner = CliRunner()

PLAN = """\
project: {name: Checkout, start: 2027-01-04}
workflow: {states: [todo, doing, blocked, review, done], blocked: [blocked]}
sprints:
  - {id: s1, name: Sprint 1, start: 2027-01-04, finish: 2027-01-15}
  - {id: s2, name: Sprint 2, start: 2027-01-18, finish: 2027-01-29}
tasks:
  - id: a
    name: Card form
    duration: 1d
    points: 3
    sprint: s1
    status: done
    history:
      - {at: 2027-01-04T09:00, to: todo}
      - {at: 2027-01-04T10:00, to: doing}
      - {at: 2027-01-06T10:00, to: review}
      - {at: 2027-01-07T10:00, to: done}
  - id: b
    name: Card validation
    duration: 1d
    points: 5
    sprint: s1
    status: done
    history:
      - {at: 2027-01-04T09:00, to: todo}
      - {at: 2027-01-05T09:00, to: doing}
      - {at: 2027-01-06T09:00, to: blocked}
      - {at: 2027-01-08T09:00, to: doing}
      - {at: 2027-01-11T09:00, to: done}
  - {id: c, name: Receipts, duration: 1d, points: 2, sprint: s1, status: doing,
     history: [{at: 2027-01-05T12:00, to: todo}, {at: 2027-01-12T12:00, to: doing}]}
  - id: d
    name: Payment API
    duration: 1d
    points: 8
    sprint: s2
    status: done
    history:
      - {at: 2027-01-04T09:00, to: todo}
      - {at: 2027-01-25T09:00, to: doing}
      - {at: 2027-01-27T09:00, to: done}
  - {id: e, name: Refund rounding, duration: 1d, sprint: s2, status: todo,
     history: [{at: 2027-01-06T09:00, to: todo}]}
  - id: f
    name: Wallets
    duration: 1d
    points: 1
    status: doing
    history:
      - {at: 2027-01-04T09:00, to: todo}
      - {at: 2027-01-19T15:00, to: doing}
      - {at: 2027-01-19T18:00, to: done}
      - {at: 2027-01-21T10:00, to: doing}
"""


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    return path


def run_json(*args: str) -> dict[str, object]:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_json_has_every_metric(plan: Path) -> None:
    data = run_json(str(plan), "--as-of", "2027-01-28")
    assert data["as_of"] == "2027-01-28"
    # sorted cycle times 2, 3, 6: P50 3, P85 3 + .7 * 3, P95 3 + .9 * 3
    assert data["cycle_time"] == {
        "p50": 3,
        "p85": 5.1,
        "p95": 5.7,
        "items": [{"id": "a", "days": 3}, {"id": "b", "days": 6}, {"id": "d", "days": 2}],
    }
    lead = data["lead_time"]
    assert isinstance(lead, dict)
    assert (lead["p50"], lead["p85"], lead["p95"]) == (7, 18.2, 21.4)
    assert data["throughput"] == [
        {"week": "2027-W01", "start": "2027-01-04", "count": 1},
        {"week": "2027-W02", "start": "2027-01-11", "count": 1},
        {"week": "2027-W03", "start": "2027-01-18", "count": 0},
        {"week": "2027-W04", "start": "2027-01-25", "count": 1},
    ]
    cfd = data["cumulative_flow"]
    assert isinstance(cfd, list)
    assert cfd[2] == {
        "date": "2027-01-06",
        "states": {"todo": 4, "doing": 0, "blocked": 1, "review": 1, "done": 0},
    }
    assert data["wip_age"] == [
        {"id": "c", "state": "doing", "days": 16.5},
        {"id": "f", "state": "doing", "days": 9.375},
    ]
    assert data["flow_efficiency"] == {
        "ratio": 0.818,  # 9 active days of 11 (b was blocked for 2)
        "active_days": 9,
        "waiting_days": 2,
        "blocked_days": 2,
        "items": 3,
    }
    assert data["velocity"] == [
        {"sprint": "s1", "points": 8, "items": 2, "unestimated": 0},
        {"sprint": "s2", "points": 8, "items": 1, "unestimated": 0},
    ]
    burndown = data["burndown"]
    assert isinstance(burndown, dict)
    assert set(burndown) == {"s1", "s2"}
    assert burndown["s2"][-2] == {
        "date": "2027-01-27",
        "remaining": 0,
        "completed": 8,
        "scope": 8,
    }
    assert burndown["s1"][0] == {"date": "2027-01-04", "remaining": 8, "completed": 0, "scope": 8}
    assert data["charts"] == []


def test_as_of_defaults_to_the_latest_history_entry(plan: Path) -> None:
    data = run_json(str(plan))
    assert data["as_of"] == "2027-01-27"  # d finished then, the last change in the plan


def test_tables(plan: Path) -> None:
    result = runner.invoke(app, [str(plan), "--as-of", "2027-01-28"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Flow of 6 items as of 2027-01-28" in out
    assert "Cycle time │ 3.0 │  5.1 │  5.7 │     3" in out
    assert "2027-W03 │ 2027-01-18 │        0" in out
    assert "a week apart" in out  # 25 days of cumulative flow
    assert "│ c    │ doing │       16.5 │" in out
    assert "Flow efficiency: 82% (9.0 active days of 11.0" in out
    assert "Burndown of s2 (Sprint 2)" in out


def test_charts_are_written(plan: Path, tmp_path: Path) -> None:
    folder = tmp_path / "charts"
    data = run_json(str(plan), "--as-of", "2027-01-28", "--charts", str(folder))
    names = sorted(p.name for p in folder.iterdir())
    stems = ["burndown", "cumulative-flow", "cycle-time", "throughput", "velocity", "wip-age"]
    assert names == sorted(f"{s}.{ext}" for s in stems for ext in ("png", "svg"))
    assert len(data["charts"]) == 12  # type: ignore[arg-type]
    assert (folder / "cumulative-flow.svg").read_text().lstrip().startswith("<?xml")


JIRA_JSON = {
    "issues": [
        {
            "key": "PAY-1",
            "fields": {
                "summary": "Card form",
                "status": {"name": "Done"},
                "issuetype": {"name": "Story"},
                "created": "2027-01-04T09:00:00.000+0000",
            },
            "changelog": {
                "total": 2,
                "histories": [
                    {
                        "created": "2027-01-05T10:00:00.000+0100",
                        "items": [
                            {"field": "status", "fromString": "To Do", "toString": "In Progress"}
                        ],
                    },
                    {
                        "created": "2027-01-07T09:00:00.000+0000",
                        "items": [
                            {"field": "status", "fromString": "In Progress", "toString": "Done"}
                        ],
                    },
                ],
            },
        },
        {
            "key": "PAY-2",
            "fields": {
                "summary": "Refunds",
                "status": {"name": "In Progress"},
                "issuetype": {"name": "Story"},
                "created": "2027-01-04T12:00:00.000+0000",
            },
            "changelog": {
                "total": 1,
                "histories": [
                    {
                        "created": "2027-01-06T12:00:00.000+0000",
                        "items": [
                            {"field": "status", "fromString": "To Do", "toString": "In Progress"}
                        ],
                    }
                ],
            },
        },
    ]
}
SMALL_PLAN = """\
project: {name: Payments, start: 2027-01-04}
tasks:
  - {id: card, name: Card form, duration: 2d, refs: {jira: PAY-1}, points: 3}
"""


def test_history_from_a_jira_search_result(tmp_path: Path) -> None:
    plan, export = tmp_path / "plan.yaml", tmp_path / "search.json"
    plan.write_text(SMALL_PLAN)
    export.write_text(json.dumps(JIRA_JSON))
    data = run_json(str(plan), "--history", str(export), "--as-of", "2027-01-08")
    # PAY-1 is the plan's `card` (refs.jira). Started 5 Jan 10:00 +01:00 = 09:00 UTC,
    # done 7 Jan 09:00: 2 days; created 4 Jan 09:00: 3 days. Jira's "To Do" and
    # "In Progress" are the default workflow's todo and in progress.
    assert data["cycle_time"] == {
        "p50": 2,
        "p85": 2,
        "p95": 2,
        "items": [{"id": "card", "days": 2}],
    }
    assert data["lead_time"]["items"] == [{"id": "card", "days": 3}]  # type: ignore[index]
    # PAY-2 is not in the plan: added; in progress since 6 Jan 12:00, 2.5 days by the 8th
    assert data["wip_age"] == [{"id": "PAY-2", "state": "in progress", "days": 2.5}]
    assert data["cumulative_flow"][-1]["states"] == {  # type: ignore[index]
        "todo": 0,
        "in progress": 1,
        "review": 0,
        "done": 1,
    }


CSV = (
    "Summary,Issue key,Issue Type,Status,Created,Resolved,Sprint,Custom field (Story Points)\r\n"
    "Card form,PAY-1,Story,Done,04/Jan/27 9:00 AM,07/Jan/27 3:00 PM,Sprint 1,3\r\n"
    "Refunds,PAY-2,Story,In Progress,05/Jan/27 9:00 AM,,Sprint 1,5\r\n"
    "Receipts,PAY-3,Story,To Do,06/Jan/27 9:00 AM,,,2\r\n"
)


def test_history_from_a_jira_csv_export(tmp_path: Path) -> None:
    plan, export = tmp_path / "plan.yaml", tmp_path / "export.csv"
    plan.write_text(
        "project: {name: Payments, start: 2027-01-04}\n"
        "sprints: [{id: s1, name: Sprint 1, start: 2027-01-04, finish: 2027-01-15}]\n"
        "tasks: []\n"
    )
    export.write_text(CSV)
    result = runner.invoke(
        app, [str(plan), "--history", str(export), "--as-of", "2027-01-08", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # a CSV has created and resolved only: PAY-1 lead time 4 Jan 09:00 -> 7 Jan 15:00 = 3.25
    # days, no cycle time (no start); PAY-2 is in progress since an unknown moment, so it
    # counts there from the chart's first day: every item is in the cumulative flow
    assert data["lead_time"]["items"] == [{"id": "PAY-1", "days": 3.25}]
    assert data["cycle_time"]["items"] == []
    assert data["cumulative_flow"][-1]["states"] == {
        "todo": 1,
        "in progress": 1,
        "review": 0,
        "done": 1,
    }
    # Jira's sprint "Sprint 1" is the plan's s1 by name
    assert data["velocity"] == [{"sprint": "s1", "points": 3, "items": 1, "unestimated": 0}]
    assert "flow.no_history" in result.stderr
    assert "PAY-2" in result.stderr


def test_a_bad_export_names_its_line_and_column(tmp_path: Path) -> None:
    plan, export = tmp_path / "plan.yaml", tmp_path / "export.csv"
    plan.write_text(SMALL_PLAN)
    export.write_text(CSV.replace("Sprint 1,5", "Sprint 1,five"))
    result = runner.invoke(app, [str(plan), "--history", str(export)])
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "export.csv: line 3, column 8: 'five' is not a number of story points" in result.stderr
    assert "Traceback" not in result.output


def test_missing_history_file(tmp_path: Path, plan: Path) -> None:
    result = runner.invoke(app, [str(plan), "--history", str(tmp_path / "nope.csv")])
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "error import.not_found" in result.stderr


def test_invalid_plan_is_located(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(
        PLAN.replace("- {at: 2027-01-05T09:00, to: doing}", "- {at: 2027-01-05T09:00, to: wip}")
    )
    result = runner.invoke(app, [str(path)])
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "plan.yaml:26:36: error workflow.unknown_state" in result.stderr  # b's 2nd entry


def test_unknown_tracker_states_are_reported(tmp_path: Path) -> None:
    plan, export = tmp_path / "plan.yaml", tmp_path / "search.json"
    plan.write_text(SMALL_PLAN)
    odd = json.loads(
        json.dumps(JIRA_JSON).replace('"toString": "In Progress"', '"toString": "Doing"')
    )
    export.write_text(json.dumps(odd))
    result = runner.invoke(app, [str(plan), "--history", str(export), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert "warning flow.unknown_state" in result.stderr
    assert ": Doing" in result.stderr


def test_a_plan_without_backlog_items(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(
        "project: {name: X, start: 2027-01-04}\ntasks: [{id: a, name: A, duration: 1d}]\n"
    )
    result = runner.invoke(app, [str(path), "--as-of", "2027-01-08"])
    assert result.exit_code == 0, result.output
    assert "No backlog items" in result.stdout
    data = run_json(str(path), "--as-of", "2027-01-08")
    assert data["items"] == 0
    assert data["cycle_time"] == {"p50": None, "p85": None, "p95": None, "items": []}
    assert data["throughput"] == []
    assert data["flow_efficiency"]["ratio"] is None  # type: ignore[index]
