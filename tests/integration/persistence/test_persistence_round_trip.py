"""A plan stored and read back is the same plan: the same domain value (every field, the
other tools' refs and extra keys too), the same plan file, the same schedule, budget and
risk register. Over every example, every scenario plan that loads, and every sample of
another tool's file (under ../shared/samples) that techpm imports."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from techpm.domain.errors import InvalidPlanError, TechpmError
from techpm.domain.project import Project
from techpm.evm.timephase import budget_at_completion, planned_costs
from techpm.forecasting.register import assess
from techpm.interop.json_export import export_data
from techpm.interop.planfile.dump import plan_document
from techpm.persistence.mappers import add_project
from techpm.persistence.reading import load_project
from techpm.services.exchange import import_file
from techpm.services.planning import load_plan, schedule_plan

ROOT = Path(__file__).resolve().parents[3]
CANDIDATES = sorted(ROOT.glob("examples/*.yaml")) + sorted(ROOT.glob("tests/scenarios/**/*.yaml"))


def _loadable() -> list[Path]:
    plans = []
    for path in CANDIDATES:
        try:
            load_plan(path)
        except InvalidPlanError:
            continue  # the error scenarios: nothing to store
        plans.append(path)
    return plans


PLANS = _loadable()
SAMPLES_DIR = ROOT.parent / "shared" / "samples"
SAMPLES = sorted(
    path
    for path in SAMPLES_DIR.glob("*/*")
    if path.is_file() and path.suffix not in (".md", ".tsv")
)


def _stored_and_read(session: Session, project: Project) -> Project:
    add_project(session, project, key="PLAN")
    session.commit()
    session.expunge_all()  # read from the database, not from the session's rows
    return load_project(session, "PLAN")


def _refused(project: Project) -> list[str] | None:
    try:
        schedule_plan(project)
    except InvalidPlanError as exc:
        return [problem.code for problem in exc.problems]
    return None


def test_the_examples_and_the_scenarios_are_all_covered() -> None:
    names = {path.name for path in PLANS}
    assert {p.name for p in ROOT.glob("examples/*.yaml")} <= names
    assert len(PLANS) >= 15


@pytest.mark.parametrize("path", PLANS, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_stored_plan_reads_back_as_the_same_plan(session: Session, path: Path) -> None:
    _assert_same_after_storing(session, load_plan(path))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.relative_to(SAMPLES_DIR)))
def test_an_imported_plan_reads_back_as_the_same_plan(session: Session, path: Path) -> None:
    try:
        imported = import_file(path)
    except TechpmError as exc:  # a file techpm does not import here (mpp without Java ...)
        if os.environ.get("CI"):  # CI has MPXJ and Java: every sample must import there
            pytest.fail(f"{path.name} did not import: {exc.code}: {exc}")
        pytest.skip(f"{path.name} is not imported here: {exc.code}")
    _assert_same_after_storing(session, imported.project)


def _assert_same_after_storing(session: Session, original: Project) -> None:
    back = _stored_and_read(session, original)

    # every field of every domain value, compared field by field for a readable failure
    for field in dataclasses.fields(Project):
        assert getattr(back, field.name) == getattr(original, field.name), field.name
    # refs and extra are left out of the dataclasses' equality: compare them on their own
    for before, after in zip(original.tasks, back.tasks, strict=True):
        assert (after.refs, after.extra) == (before.refs, before.extra), before.id
    for before_r, after_r in zip(original.resources, back.resources, strict=True):
        assert after_r.refs == before_r.refs, before_r.id

    assert plan_document(back) == plan_document(original)

    if _refused(original) is not None:  # a cycle loads but does not schedule: the same refusal
        assert _refused(back) == _refused(original)
        return
    schedule_before, schedule_after = schedule_plan(original), schedule_plan(back)
    assert export_data(schedule_after) == export_data(schedule_before)
    bac_before = budget_at_completion(planned_costs(schedule_before))
    assert budget_at_completion(planned_costs(schedule_after)) == bac_before
    assert assess(back) == assess(original)
