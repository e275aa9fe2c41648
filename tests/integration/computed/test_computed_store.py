"""Computed results are served from the store while the project's version stands, and
computed again (older versions removed) once anything in the project changes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from techpm.persistence.mappers import add_project
from techpm.persistence.reading import find_project, read_project
from techpm.persistence.rows import ProjectRow, TaskRow
from techpm.persistence.rows.server import ComputedResultRow
from techpm.services.computed import options_key, stored_result
from techpm.services.planning import load_plan
from techpm.services.project_views import schedule_view

ROOT = Path(__file__).resolve().parents[3]
NOW = datetime(2027, 3, 20, 9, 0, tzinfo=UTC)


class Counting:
    """A compute function that counts its calls."""

    def __init__(self, session: Session, row: ProjectRow) -> None:
        self.session, self.row, self.calls = session, row, 0

    def __call__(self) -> tuple[bytes, str]:
        self.calls += 1
        return schedule_view(read_project(self.session, self.row), level=False)


def _project(session: Session) -> ProjectRow:
    add_project(session, load_plan(ROOT / "examples" / "mobile-app-launch.yaml"), key="APP")
    session.commit()
    return find_project(session, "APP")


def _records(session: Session) -> list[tuple[str, int]]:
    rows = session.execute(
        select(ComputedResultRow.options_key, ComputedResultRow.project_version)
    ).all()
    return sorted((key, version) for key, version in rows)


def test_a_second_read_is_served_from_the_store(session: Session) -> None:
    row = _project(session)
    compute = Counting(session, row)
    first = stored_result(session, row, "schedule", {"level": False}, compute, now=NOW)
    second = stored_result(session, row, "schedule", {"level": False}, compute, now=NOW)
    assert (first.fresh, second.fresh) == (True, False)
    assert compute.calls == 1
    assert second.content == first.content
    assert second.media_type == "application/json"
    assert second.project_version == first.project_version == row.version


def test_a_change_to_the_project_computes_again_and_drops_the_old_record(
    session: Session,
) -> None:
    row = _project(session)
    compute = Counting(session, row)
    before = stored_result(session, row, "schedule", {"level": False}, compute, now=NOW)
    session.commit()
    # a critical task not started yet: five more working days move the finish
    tasks = json.loads(before.content)["tasks"]
    critical = next(
        t["id"]
        for t in tasks
        if t["critical"] and not t["summary"] and not t["milestone"] and t["percent_complete"] == 0
    )
    task = session.scalars(
        select(TaskRow).where(TaskRow.project_id == row.id, TaskRow.key == critical)
    ).one()
    task.duration_minutes = (task.duration_minutes or 0) + 5 * 480
    session.commit()
    assert row.version > before.project_version
    after = stored_result(session, row, "schedule", {"level": False}, compute, now=NOW)
    assert after.fresh
    assert compute.calls == 2
    finish = [json.loads(r.content)["project"]["finish"] for r in (before, after)]
    assert finish[1] > finish[0]
    assert _records(session) == [(options_key({"level": False}), row.version)]


def test_different_options_are_different_records(session: Session) -> None:
    row = _project(session)
    compute = Counting(session, row)
    stored_result(session, row, "schedule", {"level": False, "engine": "auto"}, compute, now=NOW)
    # the same options in another order, with a None, are the same record
    again = stored_result(
        session, row, "schedule", {"engine": "auto", "level": False, "x": None}, compute, now=NOW
    )
    other = stored_result(session, row, "schedule", {"level": True}, compute, now=NOW)
    assert (again.fresh, other.fresh) == (False, True)
    assert compute.calls == 2
    count = session.scalar(select(func.count()).select_from(ComputedResultRow))
    assert count == 2


def test_a_row_stored_by_a_concurrent_request_is_served(session: Session) -> None:
    row = _project(session)
    options = {"level": False}

    def racing() -> tuple[bytes, str]:
        # another request stores the same result while this one computes
        session.add(
            ComputedResultRow(
                project_id=row.id,
                kind="schedule",
                options_key=options_key(options),
                options=options,
                project_version=row.version,
                media_type="application/json",
                content=b"winner",
                created_at=NOW,
            )
        )
        session.flush()
        return b"loser", "application/json"

    result = stored_result(session, row, "schedule", options, racing, now=NOW)
    assert (result.content, result.fresh) == (b"winner", False)
    session.commit()  # the transaction is still usable
    assert session.scalar(select(func.count()).select_from(ComputedResultRow)) == 1
