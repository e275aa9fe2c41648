"""Plan files that state, in comments, the dates, floats and errors computed by hand.

Comment forms (see each file for the reasoning behind its numbers):
  # expect finish: ISO
  # expect TASK: key=value ...          keys of `techpm schedule --format json` tasks
  # expect-critical-path: ID ID ...
  # expect-constraint: TASK KIND holds=true|false
  # expect-diagnostic: CODE ID,ID
  # expect-explain TASK: driver=ID|constraint kind=KIND waits=DATE,DATE
  # expect-error: CODE LINE:COL TEXT     (for files under errors/)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import techpm
from techpm.cli.schedule import schedule_json

HERE = Path(__file__).parent
PLANS = sorted(HERE.glob("*.yaml"))
BROKEN = sorted((HERE / "errors").glob("*.yaml"))


def _expectations(path: Path) -> list[tuple[str, str, str]]:
    found = []
    for line in path.read_text().splitlines():
        match = re.match(r"#\s*(expect(?:-[a-z-]+)?)\s*([^:]*):\s*(.*)$", line)
        if match:
            found.append((match[1], match[2].strip(), match[3].strip()))
    return found


def _value(text: str) -> Any:
    if text in ("true", "false"):
        return text == "true"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


@pytest.mark.parametrize("path", PLANS, ids=[p.stem for p in PLANS])
def test_scenario(path: Path) -> None:
    expectations = _expectations(path)
    assert expectations, f"{path.name} states no expectation"
    result = techpm.schedule(path)
    data = schedule_json(result)
    tasks = {task["id"]: task for task in data["tasks"]}
    for kind, subject, body in expectations:
        if kind == "expect" and subject == "finish":
            assert data["project"]["finish"] == body
        elif kind == "expect":
            for pair in body.split():
                key, value = pair.split("=", 1)
                assert tasks[subject][key] == _value(value), f"{subject}.{key}"
        elif kind == "expect-critical-path":
            assert body.split() in data["project"]["critical_paths"]
        elif kind == "expect-constraint":
            task_id, ckind, holds = body.split()
            checks = [c for c in data["constraints"] if (c["task"], c["type"]) == (task_id, ckind)]
            assert checks, f"no check of {ckind} on {task_id}"
            assert checks[0]["holds"] == _value(holds.split("=")[1])
        elif kind == "expect-diagnostic":
            code, subjects = body.split()
            diags = [d for d in data["diagnostics"] if d["code"] == code]
            assert diags, f"no {code} diagnostic"
            assert sorted(diags[0]["subjects"]) == sorted(subjects.split(","))
        elif kind == "expect-explain":
            steps = techpm.explain(result, subject).steps
            for pair in body.split():
                key, value = pair.split("=", 1)
                if key == "driver" and value == "constraint":
                    assert steps[0].kind == "constraint"
                elif key == "driver":
                    assert steps[0].predecessor == value
                elif key == "kind":
                    assert steps[0].kind == value
                elif key == "waits":
                    assert [w.day.isoformat() for w in steps[0].waits] == value.split(",")
        else:
            raise AssertionError(f"unknown expectation {kind!r} in {path.name}")


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_error_scenario(path: Path) -> None:
    expected = _expectations(path)
    assert expected, f"{path.name} states no expected error"
    with pytest.raises(techpm.InvalidPlanError) as caught:
        techpm.schedule(path)
    problems = caught.value.problems
    for kind, _, body in expected:
        assert kind == "expect-error"
        code, where, text = body.split(" ", 2)
        line, column = (int(n) for n in where.split(":"))
        matching = [p for p in problems if p.code == code]
        assert matching, f"expected {code}, got {[p.code for p in problems]}"
        for problem in matching:
            assert problem.location is not None
            assert problem.location.file == str(path)
        placed = [p for p in matching if (p.location.line, p.location.column) == (line, column)]  # type: ignore[union-attr]
        assert placed, f"{code} at {line}:{column}: got {[str(p) for p in matching]}"
        assert text in str(placed[0])
