"""Scales in the words people use: `interest: high, influence: low`, `probability: 30%`,
`impact: massive`, alongside the numbers, everywhere a plan asks for a level."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml_rs
from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.interop.planfile.schema import plan_json_schema

runner = CliRunner()

PLAN = """\
project: {name: Words, start: 2027-01-04, prioritization: rice}
tasks:
  - {id: a, name: A, duration: 5d}
stakeholders:
  - {id: cfo, name: CFO, interest: high, influence: low}
  - {id: cto, name: CTO, interest: Very High, influence: very_high}
  - {id: ops, name: Ops, interest: medium, influence: 1}
  - {id: pr, name: PR, interest: very low, influence: "2"}
risks:
  - {id: r1, title: Late vendor, probability: 30%, impact: {schedule: [{task: a, delay: 2d}]},
     response: {strategy: mitigate, residual_probability: low}}
  - {id: r2, title: Outage, probability: high, impact: {cost: 1000}}
ideas:
  - {id: i1, title: One-tap pay, rice: {reach: 100, impact: massive, confidence: 80%, effort: 2}}
  - {id: i2, title: Dark mode, rice: {reach: 100, impact: low, confidence: medium, effort: 1}}
"""


def _run(tmp_path: Path, *args: str, body: str = PLAN) -> dict:
    path = tmp_path / "plan.yaml"
    path.write_text(body)
    result = runner.invoke(app, [args[0], str(path), *args[1:], "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_stakeholder_levels_in_words(tmp_path: Path) -> None:
    people = {s["id"]: s for s in _run(tmp_path, "stakeholders")["stakeholders"]}
    # five-point scale: very low 1, low 2, medium 3, high 4, very high 5
    assert (people["cfo"]["interest"], people["cfo"]["influence"]) == (4, 2)
    assert (people["cto"]["interest"], people["cto"]["influence"]) == (5, 5)
    assert (people["ops"]["interest"], people["ops"]["influence"]) == (3, 1)
    assert (people["pr"]["interest"], people["pr"]["influence"]) == (1, 2)
    # high interest, low influence: keep informed (3 and above is high on the grid)
    assert people["cfo"]["quadrant"] == "keep informed"
    assert people["cto"]["quadrant"] == "manage closely"


def test_risk_probability_as_a_percentage_or_a_word(tmp_path: Path) -> None:
    risks = {r["id"]: r for r in _run(tmp_path, "risks")["risks"]}
    assert risks["r1"]["probability"] == 0.3
    assert risks["r1"]["response"]["residual_probability"] == 0.2  # low: middle of 0.1-0.3
    assert risks["r2"]["probability"] == 0.6  # high: middle of the 0.5-0.7 band


def test_rice_impact_and_confidence_in_words(tmp_path: Path) -> None:
    ideas = {i["id"]: i for i in _run(tmp_path, "ideas")["ideas"]}
    # RICE = reach x impact x confidence / effort: 100 x 3 x 0.8 / 2 = 120
    assert ideas["i1"]["score"] == 120
    # 100 x 0.5 (low) x 0.8 (medium) / 1 = 40
    assert ideas["i2"]["score"] == 40


def test_a_word_off_the_scale_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.replace("interest: high", "interest: huge"))
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 3
    assert "plan.yaml:5:" in result.stderr
    assert "planfile.bad_value [stakeholders[0].interest]" in result.stderr
    assert "very low, low, medium" in result.stderr


def test_the_schema_accepts_the_words() -> None:
    """Editors validating with the schema accept the words as the plan reader does."""
    plan = PLAN.replace("Very High", "very high").replace("very_high", "very high")
    data = json.loads(json.dumps(yaml_rs.loads(plan.replace('"2"', "2")), default=str))
    jsonschema.validate(data, plan_json_schema())


def test_idea_add_takes_the_words_too(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    args = ["idea", "add", str(path), "--title", "Wallet", "--reach", "50"]
    args += ["--impact", "high", "--confidence", "80%", "--effort", "2"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    ideas = {i["id"]: i for i in _run(tmp_path, "ideas", body=path.read_text())["ideas"]}
    assert ideas["wallet"]["score"] == 40  # 50 x 2 (high) x 0.8 / 2
    wrong = runner.invoke(app, [*args[:-6], "--impact", "huge"])
    assert wrong.exit_code == 2
    assert "minimal, low, medium, high, massive" in wrong.output
