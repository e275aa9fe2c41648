"""User text is text: names, titles and file locations are never read as console markup
or emoji codes, in any command's table output or error message."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from techpm.cli.main import app

runner = CliRunner()
HOSTILE_PLAN = (Path(__file__).parent / "hostile_text_plan.yaml").read_text()
HOSTILE_TEXTS = (
    "[iOS] Checkout",
    "[iOS] Cart :100: polish",
    "Payments [/] and [link=x]refunds[/link]",
    "Launch :tada: [b]",
)


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(HOSTILE_PLAN)
    return path


# each command, and the user strings its table shows verbatim
SHOWN = [
    (["schedule"], [*HOSTILE_TEXTS, "[bold]Basket[/bold] :rocket: release"]),
    (["schedule", "--wide"], HOSTILE_TEXTS),
    (["explain", "PLAN", "ios-pay"], ["[iOS] Cart :100: polish"]),
    (["risks"], ["[red]Store[/red] rejects :100:"]),
    (["stakeholders"], ["Dana [CPO] :crown:", "QA [team]"]),
    (["raci"], ["[iOS] Checkout"]),
    (["procurement"], ["[Apple] dev kit :iphone:"]),
    (["ideas"], ["[Idea] one-tap :zap: pay"]),
    (["simulate", "PLAN", "-n", "200", "--seed", "1"], ["ios-cart"]),
]


@pytest.mark.parametrize(("command", "texts"), SHOWN, ids=lambda v: str(v))
def test_user_text_keeps_brackets_and_colons(
    plan: Path, command: list[str], texts: list[str]
) -> None:
    args = [str(plan) if a == "PLAN" else a for a in command]
    if "PLAN" not in command:
        args.insert(1, str(plan))
    result = runner.invoke(app, args, env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    for text in texts:
        assert text in result.stdout, (text, result.stdout)
    assert "💯" not in result.stdout
    assert "🚀" not in result.stdout


def test_an_error_on_line_100_is_located_not_an_emoji(tmp_path: Path) -> None:
    filler = "".join(f"  - {{id: t{n}, name: Task {n}, duration: 1d}}\n" for n in range(97))
    path = tmp_path / "plan.yaml"
    path.write_text(
        "project: {name: P, start: 2027-01-04}\ntasks:\n"
        + filler
        + "  - {id: bad, name: Bad, duration: 1d, after: [nowhere]}\n"
    )
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 3
    assert f"{path}:100:" in result.stderr
    assert "💯" not in result.stderr


BACKLOG = Path(__file__).resolve().parents[3] / "examples" / "checkout-backlog.yaml"


def test_workflow_states_and_sprint_names_stay_text(tmp_path: Path) -> None:
    # the state `review` renamed `[review] :100:` everywhere the plan names it
    text = BACKLOG.read_text().replace(" review", " '[review] :100:'")
    text = text.replace("name: Sprint 6", "name: '[S6] :zap: sprint'")
    path = tmp_path / "backlog.yaml"
    path.write_text(text)
    metrics = runner.invoke(app, ["metrics", str(path)], env={"COLUMNS": "250"})
    assert metrics.exit_code == 0, metrics.output
    assert "[review] :100:" in metrics.stdout
    sprint = runner.invoke(app, ["sprint", "plan", str(path), "--sprint", "s6"])
    assert sprint.exit_code == 0, sprint.output
    assert "[S6] :zap: sprint" in sprint.stdout


def test_budget_accounts_and_messages_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(
        "project: {name: P, start: 2027-01-04}\n"
        "resources:\n  - {id: ana, name: Ana, rate: 100/h, cost_account: '[hw] :100:'}\n"
        "tasks:\n  - {id: a, name: A, duration: 2d, assign: [{resource: ana}]}\n"
    )
    result = runner.invoke(app, ["budget", str(path)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "[hw] :100:" in result.stdout
    wrong = runner.invoke(app, ["explain", str(path), "[b]:100:"])
    assert wrong.exit_code == 4
    assert "[b]:100:" in wrong.stderr
