"""Stakeholder register: the power/interest grid (Mendelow) and located errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.cli.output import EXIT_INVALID_INPUT

runner = CliRunner()

# influence/interest 3 and above are high: cto 5/4 manage closely, cfo 4/2 keep satisfied,
# users 2/5 keep informed, vendor 1/1 monitor; order is by influence, then interest
PLAN = """\
project: {name: Portal, start: 2027-01-04}
tasks:
  - {id: build, name: Build, duration: 5d}
stakeholders:
  - {id: users, name: Pilot users, interest: 5, influence: 2, channel: webhook}
  - {id: cto, name: Ana Silva, role: CTO, interest: 4, influence: 5}
  - {id: vendor, name: Hosting vendor, interest: 1, influence: 1, frequency: monthly}
  - {id: cfo, name: Raj Patel, role: CFO, interest: 2, influence: 4}
"""


def test_register_and_grid(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    result = runner.invoke(app, ["stakeholders", str(path), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [s["id"] for s in data["stakeholders"]] == ["cto", "cfo", "users", "vendor"]
    assert data["grid"] == {
        "manage closely": ["cto"],
        "keep satisfied": ["cfo"],
        "keep informed": ["users"],
        "monitor": ["vendor"],
    }
    # the communication plan: explicit values, else the quadrant's defaults
    plan = [(s["report"], s["frequency"], s["channel"]) for s in data["stakeholders"]]
    assert plan == [
        ("executive", "weekly", "email"),
        ("executive", "monthly", "email"),
        ("team", "weekly", "webhook"),
        ("executive", "monthly", "email"),
    ]
    table = runner.invoke(app, ["stakeholders", str(path)]).stdout
    assert "Power/interest grid" in table
    assert "keep satisfied" in table


@pytest.mark.parametrize(
    ("old", "new", "where", "code"),
    [
        ("interest: 1,", "interest: 9,", "plan.yaml:7:", "stakeholders[2].interest"),
        ("id: cfo", "id: cto", "plan.yaml:8:", "stakeholder.duplicate_id"),
    ],
)
def test_bad_entries_are_located(tmp_path: Path, old: str, new: str, where: str, code: str) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.replace(old, new))
    result = runner.invoke(app, ["stakeholders", str(path)])
    assert result.exit_code == EXIT_INVALID_INPUT
    assert where in result.stderr
    assert code in result.stderr


def test_grid_chart(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    result = runner.invoke(app, ["stakeholders", str(path), "--charts", str(tmp_path / "c")])
    assert result.exit_code == 0, result.stderr
    svg = (tmp_path / "c" / "power-interest.svg").read_text()
    assert "Raj Patel" in svg
    assert (tmp_path / "c" / "power-interest.png").stat().st_size > 5000
