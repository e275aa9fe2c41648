"""The README documents every command, option and plan-file key (a test fails otherwise)."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main

from techpm.cli.main import app
from techpm.interop.planfile.model import (
    CalendarModel,
    ConstraintModel,
    DependencyModel,
    PlanModel,
    ProjectModel,
    TaskModel,
)

README = (Path(__file__).resolve().parents[3] / "README.md").read_text()
COMMAND = typer.main.get_command(app)


@pytest.mark.parametrize("name", sorted(COMMAND.commands))  # type: ignore[attr-defined]
def test_every_command_is_documented(name: str) -> None:
    assert f"### `techpm {name}" in README
    command = COMMAND.commands[name]  # type: ignore[attr-defined]
    for param in command.params:
        for flag in param.opts:
            if flag.startswith("--"):
                assert flag in README, f"{name} {flag}"


@pytest.mark.parametrize(
    "model", [PlanModel, ProjectModel, CalendarModel, TaskModel, DependencyModel, ConstraintModel]
)
def test_every_plan_key_is_documented(model: type) -> None:
    for name, field in model.model_fields.items():  # type: ignore[attr-defined]
        key = field.alias or name
        assert f"`{key}`" in README, f"{model.__name__}.{key}"
