"""A job computes what the CLI computes: the simulation and the leveled schedule of the stored
plan come out as the same JSON documents as `simulate` and `schedule --level` print."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from techpm.cli.schedule import schedule_json
from techpm.jobs import LocalPoolBackend
from techpm.persistence.rows.server import EventRow, JobRow
from techpm.services.planning import schedule_plan
from techpm.services.simulating import simulate_plan, simulation_json
from tests.integration.jobs.conftest import PLAN, Database, finished


def test_a_simulation_job_gives_the_cli_document(
    database: Database, backend: LocalPoolBackend
) -> None:
    job_id = database.start(backend, "simulation", iterations=300, seed=11)
    view = database.wait(job_id, finished)
    expected = simulation_json(simulate_plan(PLAN, iterations=300, seed=11))
    assert (view.status, view.error, view.progress) == ("succeeded", None, 1.0)
    assert view.result == expected
    assert view.started_at is not None
    assert view.finished_at is not None
    with database.sessions() as session:
        events = session.scalars(select(EventRow).order_by(EventRow.id)).all()
        row = session.get(JobRow, job_id)
        assert row is not None
        assert row.project_version is not None
        assert row.options["project_version"] == row.project_version
    assert [e.kind for e in events][-1] == "job.finished"
    assert {e.data["job_id"] for e in events} == {job_id}
    assert events[-1].data == {"job_id": job_id, "status": "succeeded", "progress": 1.0}


def test_progress_only_moves_forward(database: Database, backend: LocalPoolBackend) -> None:
    """Sampled while the job runs and as its events tell it: never backwards, ending at 1."""
    job_id = database.start(backend, "simulation", iterations=20_000, seed=3)
    seen = []
    view = database.job(job_id)
    while not finished(view):
        seen.append(view.progress)
        view = database.wait(job_id, lambda v: v.progress != seen[-1] or finished(v), 10)
    seen.append(view.progress)
    with database.sessions() as session:
        events = session.scalars(select(EventRow).order_by(EventRow.id)).all()
    told = [e.data["progress"] for e in events]
    assert view.status == "succeeded"
    assert seen == sorted(seen)
    assert told == sorted(told)
    assert told[-1] == 1.0
    assert len(set(told)) >= 3


def _without_timing(document: dict[str, Any]) -> dict[str, Any]:
    leveling = dict(document["project"]["leveling"])
    leveling.pop("seconds")
    return {**document, "project": {**document["project"], "leveling": leveling}}


def test_a_leveling_job_gives_the_schedule_document(
    database: Database, backend: LocalPoolBackend
) -> None:
    job_id = database.start(backend, "leveling", engine="heuristic", time_limit=2)
    view = database.wait(job_id, finished)
    expected = schedule_json(schedule_plan(PLAN, level=True, engine="heuristic", time_limit=2))
    assert (view.status, view.error) == ("succeeded", None)
    assert view.result["project"]["leveling"]["engine"] == "heuristic"
    assert _without_timing(view.result) == _without_timing(expected)
