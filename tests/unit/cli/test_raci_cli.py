"""RACI: the matrix, its rules (one accountable, someone responsible) and its references."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.cli.output import EXIT_INFEASIBLE, EXIT_INVALID_INPUT
from techpm.domain.raci import RaciEntry, raci_violations

runner = CliRunner()

PLAN = """\
project: {name: Portal, start: 2027-01-04}
resources:
  - {id: ana, name: Ana}
  - {id: bo, name: Bo}
stakeholders:
  - {id: cfo, name: Raj Patel}
tasks:
  - {id: api, name: API, duration: 5d}
  - {id: ui, name: UI, duration: 5d}
  - {id: docs, name: Docs, duration: 2d}
raci:
  - {task: api, responsible: [ana], accountable: bo, informed: [cfo]}
  - {task: ui, responsible: [], accountable: [ana, bo]}
  - {task: docs, responsible: [bo], consulted: [cfo], informed: [cfo]}
"""


def test_matrix_and_violations(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    result = runner.invoke(app, ["raci", str(path), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["matrix"][0] == {
        "task": "api",
        "responsible": ["ana"],
        "accountable": ["bo"],
        "consulted": [],
        "informed": ["cfo"],
    }
    assert [(v["task"], v["rule"]) for v in data["violations"]] == [
        ("ui", "raci.accountable"),
        ("ui", "raci.responsible"),
        ("docs", "raci.accountable"),
        ("docs", "raci.overlap"),
    ]
    assert "not ana, bo" in data["violations"][0]["message"]
    assert "not no one" in data["violations"][2]["message"]
    strict = runner.invoke(app, ["raci", str(path), "--strict"])
    assert strict.exit_code == EXIT_INFEASIBLE
    assert "raci.overlap" in strict.stdout


def test_clean_matrix_passes_strict(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    clean = PLAN.split("  - {task: ui")[0]
    path.write_text(clean)
    result = runner.invoke(app, ["raci", str(path), "--strict"])
    assert result.exit_code == 0, result.stdout
    assert "No rule broken" in result.stdout


@pytest.mark.parametrize(
    ("old", "new", "where", "code"),
    [
        ("informed: [cfo]}", "informed: [ceo]}", "plan.yaml:12:", "raci.unknown_party"),
        ("{task: api,", "{task: apx,", "plan.yaml:12:", "raci.unknown_task"),
    ],
)
def test_bad_references_are_located(
    tmp_path: Path, old: str, new: str, where: str, code: str
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.replace(old, new, 1))
    result = runner.invoke(app, ["raci", str(path)])
    assert result.exit_code == EXIT_INVALID_INPUT
    assert where in result.stderr
    assert code in result.stderr


def test_responsible_and_accountable_together_is_allowed() -> None:
    entry = RaciEntry("t", responsible=("a",), accountable=("a",), informed=("b",))
    assert raci_violations((entry,)) == []
    muddled = RaciEntry("t", responsible=("a",), accountable=("b",), consulted=("b",))
    assert [v.rule for v in raci_violations((muddled,))] == ["raci.overlap"]
