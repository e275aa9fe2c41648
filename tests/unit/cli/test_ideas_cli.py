"""`techpm ideas`, `techpm idea add` and `techpm idea promote` through a local Typer app:
hand-computed ranks, edits that keep the plan's comments, and errors without tracebacks."""

from __future__ import annotations

import difflib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from techpm.cli.ideas import idea_app, ideas
from techpm.services.planning import load_plan, schedule_plan

PLAN = """\
# Shop plan: this comment must survive every edit.
project:
  name: Shop
  start: 2027-01-04   # a Monday
  prioritization: rice

goals:
  - {id: retention, title: Keep 90-day retention above 40 %}

ideas:
  # ideas from the January workshop
  - id: dark-mode
    title: Dark mode
    description: Night shoppers asked for it.
    tags: [ui]
    votes: 12
    goals: [retention]
    rice: {reach: 4000, impact: 1, confidence: 0.8, effort: 2}   # 1600
    wsjf: {business_value: 5, time_criticality: 2, risk_reduction: 1, job_size: 3}
    moscow: should
    value: 6
    effort: 3
    status: new   # until the review
  - {id: wishlist, title: Wish list, votes: 3, rice: {reach: 800, impact: 2, confidence: 0.5, effort: 1}, moscow: must, value: 4, effort: 1, status: accepted}
  - {id: gift-cards, title: Gift cards, votes: 7, moscow: could, status: rejected}

tasks:
  - id: build
    name: Build
    children:
      - {id: api, name: API, duration: 5d}
      - {id: web, name: Web, duration: 3d, after: [api]}   # needs the API
  - {id: launch, name: Launch, milestone: true, after: [build]}
"""  # noqa: E501 (an idea on one long line, as flow mappings often are)

app = typer.Typer()
app.command()(ideas)
app.add_typer(idea_app)
runner = CliRunner()


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return path


def _run(*args: str | Path) -> Any:
    return runner.invoke(app, [str(a) for a in args])


def _json(*args: str | Path) -> dict[str, Any]:
    result = _run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _only_additions(before: str, after: str) -> list[str]:
    """Lines removed from `before` (none, when an edit only adds and changes in place)."""
    diff = difflib.ndiff(before.splitlines(), after.splitlines())
    return [line for line in diff if line.startswith("- ")]


# ideas --------------------------------------------------------------------------------


def test_ranks_by_the_projects_method(plan: Path) -> None:
    data = _json("ideas", plan)
    assert data["method"] == "rice"
    # dark-mode 4000 x 1 x 0.8 / 2 = 1600; wishlist 800 x 2 x 0.5 / 1 = 800
    assert [(i["id"], i["score"], i["rank"]) for i in data["ideas"]] == [
        ("dark-mode", 1600, 1),
        ("wishlist", 800, 2),
    ]
    first = data["ideas"][0]
    assert set(first) == {
        "id",
        "title",
        "score",
        "rank",
        "method",
        "votes",
        "goals",
        "status",
        "epic",
        "inputs",
    }
    assert first["inputs"] == {"reach": 4000, "impact": 1, "confidence": 0.8, "effort": 2}
    assert first["goals"] == ["retention"]
    assert data["unscored"] == [
        {
            "id": "gift-cards",
            "title": "Gift cards",
            "votes": 7,
            "status": "rejected",
            "reason": "no rice scores (reach, impact, confidence, effort)",
        }
    ]


def test_wsjf_moscow_and_value_effort(plan: Path) -> None:
    wsjf = _json("ideas", plan, "--rank", "wsjf")["ideas"]
    # (5 + 2 + 1) / 3 = 2.667
    assert [(i["id"], i["score"]) for i in wsjf] == [("dark-mode", 2.667)]
    assert wsjf[0]["inputs"]["cost_of_delay"] == 8
    moscow = _json("ideas", plan, "--rank", "moscow")["ideas"]
    assert [(i["id"], i["score"], i["rank"]) for i in moscow] == [
        ("wishlist", 3, 1),  # must
        ("dark-mode", 2, 2),  # should
        ("gift-cards", 1, 3),  # could
    ]
    value = _json("ideas", plan, "--rank", "value_effort")["ideas"]
    # wishlist 4 / 1 = 4, dark-mode 6 / 3 = 2; medians: value (4, 6) = 5, effort (1, 3) = 2
    # wishlist: 4 < 5 low value, 1 <= 2 low effort; dark-mode: 6 >= 5 high, 3 > 2 high
    assert [(i["id"], i["score"], i["quadrant"]) for i in value] == [
        ("wishlist", 4, "fill_in"),
        ("dark-mode", 2, "big_bet"),
    ]


def test_status_filter(plan: Path) -> None:
    data = _json("ideas", plan, "--rank", "moscow", "--status", "new", "--status", "accepted")
    assert [i["id"] for i in data["ideas"]] == ["wishlist", "dark-mode"]
    assert _json("ideas", plan, "--status", "promoted") == {
        "method": "rice",
        "ideas": [],
        "unscored": [],
    }


def test_table_shows_the_arithmetic(plan: Path) -> None:
    result = _run("ideas", plan)
    assert result.exit_code == 0, result.output
    assert "Ideas by RICE" in result.stdout
    assert "4000 × 1 × 80% / 2" in result.stdout
    assert "Not ranked by RICE:" in result.stdout
    assert "gift-cards: no rice scores" in result.stdout
    quadrants = _run("ideas", plan, "--rank", "value_effort")
    assert "fill-in" in quadrants.stdout
    assert "big bet" in quadrants.stdout


def test_csv(plan: Path) -> None:
    result = _run("ideas", plan, "--format", "csv")
    assert result.stdout.splitlines()[:2] == [
        "rank,id,title,score,method,votes,goals,status,quadrant",
        "1,dark-mode,Dark mode,1600,rice,12,retention,new,",
    ]


def test_bad_method_is_a_usage_error(plan: Path) -> None:
    result = _run("ideas", plan, "--rank", "ice")
    assert result.exit_code == 2
    assert "--rank" in result.output


def test_missing_plan(tmp_path: Path) -> None:
    result = _run("ideas", tmp_path / "none.yaml")
    assert result.exit_code == 3
    assert "planfile.not_found" in result.output
    assert "Traceback" not in result.output


# idea add -----------------------------------------------------------------------------


def test_add_keeps_the_file_and_ranks_the_new_idea(plan: Path) -> None:
    result = _run(
        "idea",
        "add",
        plan,
        "--title",
        "Café wish-list: v2!",
        "--reach",
        "1000",
        "--impact",
        "2",
        "--confidence",
        "0.5",
        "--effort",
        "4",
        "--goal",
        "retention",
        "--tag",
        "web",
        "--author",
        "ann",
    )
    assert result.exit_code == 0, result.output
    assert "idea cafe-wish-list-v2 added" in result.stdout
    text = plan.read_text()
    assert _only_additions(PLAN, text) == []
    assert "# ideas from the January workshop" in text
    assert "# 1600" in text
    # the new idea follows the one-line style of the last idea
    assert (
        "  - {id: cafe-wish-list-v2, title: 'Café wish-list: v2!', author: ann, tags: [web], "
        "goals: [retention], rice: {reach: 1000, impact: 2, confidence: 0.5, effort: 4}}\n"
    ) in text
    # 1000 x 2 x 0.5 / 4 = 250, after wishlist's 800
    ranked = _json("ideas", plan)["ideas"]
    assert [(i["id"], i["score"], i["rank"]) for i in ranked][-1] == ("cafe-wish-list-v2", 250, 3)
    again = _run("idea", "add", plan, "--title", "Café wish-list: v2!")
    assert "idea cafe-wish-list-v2-2 added" in again.stdout


def test_add_every_score(plan: Path) -> None:
    args = ["--business-value", "8", "--time-criticality", "3", "--risk-reduction", "1"]
    result = _run(
        "idea",
        "add",
        plan,
        "--title",
        "Saved carts",
        "--id",
        "carts",
        *args,
        "--job-size",
        "4",
        "--moscow",
        "could",
        "--value",
        "5",
        "--effort",
        "2",
        "--votes",
        "2",
        "--description",
        "Shoppers lose carts.\nSupport hears it weekly.",
    )
    assert result.exit_code == 0, result.output
    idea = next(i for i in load_plan(plan).ideas if i.id == "carts")
    assert idea.description == "Shoppers lose carts.\nSupport hears it weekly."
    assert idea.wsjf is not None
    assert idea.moscow is not None
    assert (idea.value, idea.effort, idea.votes, idea.moscow.value) == (5, 2, 2, "could")
    # (8 + 3 + 1) / 4 = 3, above dark-mode's 2.667
    assert [i["id"] for i in _json("ideas", plan, "--rank", "wsjf")["ideas"]] == [
        "carts",
        "dark-mode",
    ]
    assert "    description: |-\n      Shoppers lose carts.\n" in plan.read_text()


def test_add_makes_the_ideas_key(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    original = "# top\nproject: {name: X, start: 2027-01-04}\ntasks: []   # none yet\n"
    plan.write_text(original)
    result = _run("idea", "add", plan, "--title", "First idea", "--value", "3", "--effort", "1")
    assert result.exit_code == 0, result.output
    assert plan.read_text() == original + (
        "\nideas:\n  - id: first-idea\n    title: First idea\n    value: 3\n    effort: 1\n"
    )
    assert [i.id for i in load_plan(plan).ideas] == ["first-idea"]
    # `tasks: []` takes the epic as a block list, its comment kept
    assert _run("idea", "promote", plan, "first-idea").exit_code == 0
    assert plan.read_text().startswith(
        "# top\nproject: {name: X, start: 2027-01-04}\ntasks:    # none yet\n"
        "  - id: first-idea\n    name: First idea\n"
    )


@pytest.mark.parametrize(
    ("args", "code", "exit_code"),
    [
        (["--reach", "5"], "idea.incomplete_scores", 3),
        (["--effort", "5"], "idea.incomplete_scores", 3),
        (["--value", "5"], "idea.incomplete_scores", 3),
        (["--business-value", "1", "--job-size", "1"], "idea.incomplete_scores", 3),
        (["--goal", "growth"], "idea.unknown_goal", 3),
        (["--id", "wishlist"], "idea.duplicate_id", 3),
        (["--id", "no spaces"], "idea.bad_id", 3),
        (["--value", "1", "--effort", "0"], "idea.bad_score", 3),
        (["--confidence", "80"], "--confidence", 2),
        (["--reach", "-1"], "--reach", 2),
        (["--moscow", "maybe"], "--moscow", 2),
    ],
)
def test_add_refuses_bad_input_and_writes_nothing(
    plan: Path, args: list[str], code: str, exit_code: int
) -> None:
    result = _run("idea", "add", plan, "--title", "Bad", *args)
    assert result.exit_code == exit_code, result.output
    assert code in result.output
    assert "Traceback" not in result.output
    assert plan.read_text() == PLAN


# idea promote -------------------------------------------------------------------------


def test_promote_makes_an_epic_that_schedules(plan: Path) -> None:
    result = _run(
        "idea",
        "promote",
        plan,
        "dark-mode",
        "--tasks",
        "Design; Build ;Test",
        "--duration",
        "2d",
        "--after",
        "web",
    )
    assert result.exit_code == 0, result.output
    assert "promoted to epic dark-mode (3 task(s)" in result.stdout
    text = plan.read_text()
    assert "# Shop plan: this comment must survive every edit." in text
    assert "    status: promoted   # until the review\n    epic: dark-mode\n" in text
    assert "      - {id: web, name: Web, duration: 3d, after: [api]}   # needs the API" in text
    project = load_plan(plan)
    idea = next(i for i in project.ideas if i.id == "dark-mode")
    assert (idea.status.value, idea.epic) == ("promoted", "dark-mode")
    epic = project.task_by_id["dark-mode"]
    assert epic.refs == {"idea": "dark-mode"}
    assert epic.notes == "Night shoppers asked for it."
    assert epic.issue_type == "epic"
    assert project.children["dark-mode"] == (
        "dark-mode-design",
        "dark-mode-build",
        "dark-mode-test",
    )
    rows = {row.id: row for row in schedule_plan(plan).rows}
    # api Mon 4 - Fri 8 Jan, web Mon 11 - Wed 13; the epic follows web, its tasks chained
    # 2 working days each: Thu 14 - Fri 15, Mon 18 - Tue 19, Wed 20 - Thu 21
    starts = [rows[t].start.date() for t in project.children["dark-mode"]]
    assert [d.isoformat() for d in starts] == ["2027-01-14", "2027-01-18", "2027-01-20"]
    assert rows["dark-mode-test"].finish == datetime(2027, 1, 21, 17)


def test_promote_twice_is_an_error(plan: Path) -> None:
    assert _run("idea", "promote", plan, "dark-mode").exit_code == 0
    before = plan.read_text()
    result = _run("idea", "promote", plan, "dark-mode")
    assert result.exit_code == 1
    assert "idea.already_promoted" in result.output
    assert plan.read_text() == before


def test_promote_a_one_line_idea_under_a_summary(plan: Path) -> None:
    result = _run("idea", "promote", plan, "wishlist", "--under", "build", "--parallel")
    assert result.exit_code == 0, result.output
    text = plan.read_text()
    assert _only_additions(PLAN, text) == [
        "- " + "  - {id: wishlist, title: Wish list, votes: 3, rice: {reach: 800, impact: 2, "
        "confidence: 0.5, effort: 1}, moscow: must, value: 4, effort: 1, status: accepted}"
    ]
    assert "effort: 1, status: promoted, epic: wishlist}\n" in text
    assert (
        "      - id: wishlist\n"
        "        name: Wish list\n"
        "        issue_type: epic\n"
        "        refs: {idea: wishlist}\n"
        "        children:\n"
        "          - {id: wishlist-deliver-wish-list, name: Deliver Wish list, duration: 1d}\n"
    ) in text
    project = load_plan(plan)
    assert project.task_by_id["wishlist"].parent == "build"


def test_promote_with_a_workflow_starts_children_in_the_backlog(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "project: {name: X, start: 2027-01-04}\n"
        "workflow: {states: [backlog, doing, done]}\n"
        "ideas:\n  - {id: a, title: A}\n"
        "tasks:\n- id: t\n  name: T\n  duration: 1d\n"
    )
    result = _run("idea", "promote", plan, "a", "--tasks", "One;Two")
    assert result.exit_code == 0, result.output
    # the file's lists have their dashes under the key, and so has the epic
    assert plan.read_text().endswith(
        "tasks:\n- id: t\n  name: T\n  duration: 1d\n"
        "- id: a\n  name: A\n  issue_type: epic\n  refs: {idea: a}\n  children:\n"
        "  - {id: a-one, name: One, duration: 1d, status: backlog}\n"
        "  - {id: a-two, name: Two, duration: 1d, after: [a-one], status: backlog}\n"
    )
    assert "  - {id: a, title: A, status: promoted, epic: a}\n" in plan.read_text()
    assert load_plan(plan).task_by_id["a-two"].status == "backlog"


@pytest.mark.parametrize(
    ("args", "code", "exit_code"),
    [
        (["nope"], "idea.not_found", 4),
        (["dark-mode", "--under", "nope"], "task.not_found", 4),
        (["dark-mode", "--after", "nope"], "task.not_found", 4),
        (["dark-mode", "--under", "api"], "idea.bad_parent", 3),
        (["dark-mode", "--duration", "5x"], "idea.bad_duration", 3),
        (["dark-mode", "--duration", "0d"], "idea.bad_duration", 3),
        # the epic under build, after launch, which follows build: a cycle
        (["dark-mode", "--under", "build", "--after", "launch"], "dependency.cycle", 3),
    ],
)
def test_promote_refuses_and_writes_nothing(
    plan: Path, args: list[str], code: str, exit_code: int
) -> None:
    result = _run("idea", "promote", plan, *args)
    assert result.exit_code == exit_code, result.output
    assert code in result.output
    assert "Traceback" not in result.output
    assert plan.read_text() == PLAN
    assert not list(plan.parent.glob(".*.tmp"))
