"""The Python API: what `import techpm` offers, and that it works end to end."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

import techpm

ROOT = Path(__file__).resolve().parents[2]


def test_all_lists_exactly_the_public_names() -> None:
    public = {
        name
        for name in dir(techpm)
        if not name.startswith("_") and not isinstance(getattr(techpm, name), ModuleType)
    }
    assert set(techpm.__all__) - {"__version__"} == public
    for name in techpm.__all__:
        assert getattr(techpm, name) is not None


def test_load_schedule_explain() -> None:
    plan = techpm.load_plan(ROOT / "examples" / "cloud-migration.yaml")
    assert isinstance(plan, techpm.Project)
    result = techpm.schedule(plan)
    assert isinstance(result, techpm.Schedule)
    assert result.finish > result.start
    assert result.critical_paths
    last = result.critical_paths[0][-1]
    explanation = techpm.explain(result, last)
    assert isinstance(explanation, techpm.Explanation)
    assert explanation.steps[0].task_id == last
    rows = {row.id: row for row in result.rows}
    assert all(isinstance(row, techpm.TaskSchedule) for row in rows.values())


def test_errors_are_typed(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(
        "project: {name: X, start: 2027-01-04}\ntasks: [{id: a, name: A, priority: 5000}]\n"
    )
    with pytest.raises(techpm.InvalidPlanError) as caught:
        techpm.load_plan(path)
    assert isinstance(caught.value, techpm.TechpmError)
    assert caught.value.problems[0].code == "planfile.bad_value"
    with pytest.raises(techpm.PlanFileError):
        techpm.load_plan(tmp_path / "missing.yaml")
    result = techpm.schedule(ROOT / "tests" / "scenarios" / "link_types.yaml")
    with pytest.raises(techpm.TaskNotFoundError):
        techpm.explain(result, "nope")
