"""`techpm schedule --format json`: the same content as before, written a line per task by
the C encoder (the indented pure-Python encoder was most of a 100,000-task run)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from techpm.cli.schedule import schedule_json
from techpm.interop import json_text
from techpm.services.planning import schedule_plan

EXAMPLES = sorted((Path(__file__).resolve().parents[3] / "examples").glob("*.yaml"))


@pytest.mark.parametrize("plan", EXAMPLES, ids=lambda p: p.name)
def test_schedule_json_has_the_content_of_the_indented_dump(plan: Path) -> None:
    from techpm.cli.main import app

    result = CliRunner().invoke(app, ["schedule", str(plan), "--format", "json"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    # what `json.dumps(..., indent=2, default=str)` of the same rows gave
    expected = json.loads(json.dumps(schedule_json(schedule_plan(plan)), indent=2, default=str))
    assert json.loads(text) == expected
    # one line per task row: the rows are written whole, not a line per key
    lines = text.splitlines()
    task_lines = [line for line in lines if line.startswith('    {"id": ')]
    assert len(task_lines) == len(expected["tasks"])
    assert len(lines) < len(expected["tasks"]) + 40


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(JSON, st.integers(min_value=0, max_value=4))
def test_any_json_value_reads_back_the_same(value: Any, depth: int) -> None:
    text = json_text.dumps(value, inline_depth=depth)
    assert json.loads(text) == json.loads(json.dumps(value))


def test_outer_levels_are_indented_like_indent_2() -> None:
    data = {"project": {"name": "X", "tasks": 2}, "tasks": [{"id": "a", "after": [1, 2]}]}
    assert json_text.dumps(data) == (
        "{\n"
        '  "project": {\n'
        '    "name": "X",\n'
        '    "tasks": 2\n'
        "  },\n"
        '  "tasks": [\n'
        '    {"id": "a", "after": [1, 2]}\n'
        "  ]\n"
        "}"
    )
    assert json_text.dumps(data, inline_depth=9) == json.dumps(data, indent=2)
