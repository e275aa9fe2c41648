"""Start-up stays light: the CLI's entry point and `techpm check` do not import the heavy
libraries (charts, PDF, the CP-SAT solver, scipy); each command imports what it uses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

import techpm
from techpm.cli.commands import COMMANDS, GROUPS
from techpm.cli.main import app

HEAVY = ("matplotlib", "weasyprint", "ortools", "scipy")
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def _imported_after(code: str) -> set[str]:
    """The top-level packages present in sys.modules after running `code` in a new process."""
    probe = code + (
        "\nimport sys, json\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def test_importing_the_cli_loads_no_heavy_library() -> None:
    loaded = _imported_after("import techpm.cli.main")
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_import_techpm_loads_no_heavy_library() -> None:
    loaded = _imported_after("import techpm")
    assert loaded.isdisjoint((*HEAVY, "numpy", "pydantic")), loaded


@pytest.mark.parametrize(
    "command",
    [["check"], ["schedule"], ["evm"], ["simulate", "-n", "50"], ["stakeholders"], ["budget"]],
    ids=lambda c: c[0],
)
def test_a_command_without_charts_loads_no_heavy_library(command: list[str]) -> None:
    plan = EXAMPLES / "mobile-app-launch.yaml"
    args = [command[0], str(plan), *command[1:]]
    code = (
        "from typer.testing import CliRunner\n"
        "from techpm.cli.main import app\n"
        f"result = CliRunner().invoke(app, {args!r})\n"
        "assert result.exit_code == 0, result.output\n"
    )
    loaded = _imported_after(code)
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_every_command_is_listed_once_in_registration_order() -> None:
    command = typer.main.get_command(app)
    names = list(command.commands)  # type: ignore[attr-defined]
    assert names == [*COMMANDS, *GROUPS]
    assert len(set(names)) == len(names)
    # a lazily loaded command is the real one, with its options
    check = command.commands["check"]  # type: ignore[attr-defined]
    assert "--format" in {opt for param in check.params for opt in param.opts}
    assert sorted(command.commands["sprint"].commands) == ["plan"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["load_plan", "schedule", "simulate", "explain", "Project"])
def test_the_public_api_is_still_there(name: str) -> None:
    assert name in techpm.__all__
    assert getattr(techpm, name) is not None
