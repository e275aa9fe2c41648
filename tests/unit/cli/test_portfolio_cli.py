"""Several plans on one shared team: `techpm schedule a.yaml b.yaml --resources team.yaml`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.cli.output import EXIT_INVALID_INPUT

runner = CliRunner()

TEAM = """\
calendars:
  standard: {workweek: [mon, tue, wed, thu, fri], hours_per_day: 8}
resources:
  - {id: alice, name: Alice, skills: {backend: 3}}
  - {id: bob, name: Bob, skills: {backend: 2}}
"""
CHECKOUT = """\
project: {name: Checkout, start: 2027-01-04, priority: 900}
tasks:
  - {id: api, name: API, duration: 5d, assign: [{resource: alice}]}
  - {id: ui, name: UI, duration: 3d, assign: [{resource: bob}], after: [api]}
"""
SEARCH = """\
project: {name: Search, start: 2027-01-04, priority: 100}
tasks:
  - {id: index, name: Indexer, duration: 4d, assign: [{resource: alice}]}
  - {id: tune, name: Tuning, duration: 2d, assign: [{resource: bob}], after: [index]}
"""


@pytest.fixture
def files(tmp_path: Path) -> list[str]:
    for name, text in (("team", TEAM), ("checkout", CHECKOUT), ("search", SEARCH)):
        (tmp_path / f"{name}.yaml").write_text(text)
    return [str(tmp_path / f"{name}.yaml") for name in ("checkout", "search", "team")]


def test_higher_priority_plan_books_the_team_first(files: list[str]) -> None:
    checkout, search, team = files
    for first, second in ((checkout, search), (search, checkout)):
        result = runner.invoke(
            app, ["schedule", first, second, "--resources", team, "--level", "-f", "json"]
        )
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        tasks = {t["id"]: t for t in data["tasks"]}
        # Checkout (900) keeps Alice from Mon 4; Search's indexer waits until Mon 11.
        assert tasks["checkout/api"]["start"] == "2027-01-04T09:00:00"
        assert tasks["search/index"]["start"] == "2027-01-11T09:00:00"
        assert tasks["search/tune"]["finish"] == "2027-01-18T17:00:00"
        projects = {p["key"]: p for p in data["project"]["projects"]}
        assert projects["checkout"]["finish"] == "2027-01-13T17:00:00"
        assert projects["search"]["finish"] == "2027-01-18T17:00:00"


def test_swapped_priorities_swap_the_order(files: list[str], tmp_path: Path) -> None:
    checkout, search, team = files
    Path(search).write_text(SEARCH.replace("priority: 100", "priority: 950"))
    data = json.loads(
        runner.invoke(
            app, ["schedule", checkout, search, "--resources", team, "--level", "-f", "json"]
        ).stdout
    )
    tasks = {t["id"]: t for t in data["tasks"]}
    assert tasks["search/index"]["start"] == "2027-01-04T09:00:00"
    assert tasks["checkout/api"]["start"] == "2027-01-08T09:00:00"


def test_plan_using_the_shared_team_alone(files: list[str]) -> None:
    checkout, _, team = files
    result = runner.invoke(app, ["schedule", checkout, "--resources", team, "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["project"]["finish"] == "2027-01-13T17:00:00"


def test_unknown_resource_without_the_team_file(files: list[str]) -> None:
    checkout, _, _ = files
    result = runner.invoke(app, ["check", checkout])
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "resource.not_found" in result.stderr


def test_conflicting_resource_definitions(files: list[str]) -> None:
    checkout, search, team = files
    Path(search).write_text(
        SEARCH.replace("tasks:", "resources:\n  - {id: carol, name: Carol}\ntasks:")
    )
    Path(checkout).write_text(
        CHECKOUT.replace("tasks:", "resources:\n  - {id: carol, name: Carol C.}\ntasks:")
    )
    result = runner.invoke(app, ["schedule", checkout, search, "--resources", team])
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "portfolio.conflict" in result.stderr
