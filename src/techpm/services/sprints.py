"""Plan a sprint: its capacity from the team's calendars and past velocity, filled with
backlog items by rank, and optionally written into the plan file."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from techpm.domain.errors import NotFoundError, TechpmError
from techpm.domain.project import Project
from techpm.domain.sprint import Sprint
from techpm.domain.workflow import Workflow
from techpm.flow.capacity import SprintCapacity, SprintFill, fill_sprint, sprint_capacity
from techpm.flow.history import project_items
from techpm.flow.metrics import velocity
from techpm.interop.holidays import public_holidays
from techpm.interop.planfile.document import YamlDocument, read_document
from techpm.interop.planfile.loader import load_plan_document
from techpm.interop.planfile.writeback import replace_plan, updated_text
from techpm.interop.safe_write import locked
from techpm.scheduling.timeline import HolidayLookup


class SprintNotFoundError(NotFoundError):
    """A sprint named on the command line that the plan does not have (a named thing not
    found, like a task)."""

    code = "sprint.not_found"


class NoSprintError(TechpmError):
    code = "sprint.none"


@dataclass(frozen=True)
class SprintPlan:
    sprint: Sprint
    capacity: SprintCapacity
    fill: SprintFill
    written: tuple[str, ...] = ()  # tasks whose `sprint` was set in the plan file


def choose_sprint(project: Project, sprint_id: str | None, today: date) -> Sprint:
    """The sprint named, else the first starting on or after the status date (or today)."""
    if sprint_id is not None:
        for sprint in project.sprints:
            if sprint.id == sprint_id:
                return sprint
        known = ", ".join(s.id for s in project.sprints) or "none"
        raise SprintNotFoundError(f"no sprint {sprint_id!r} in this plan (sprints: {known})")
    if not project.sprints:
        raise NoSprintError("the plan has no `sprints`; add one to plan it")
    day = project.info.status_date or today
    upcoming = sorted((s for s in project.sprints if s.start >= day), key=lambda s: s.start)
    if not upcoming:
        raise NoSprintError(f"no sprint starts on or after {day}; name one with --sprint")
    return upcoming[0]


def plan_sprint(
    project: Project,
    sprint_id: str | None = None,
    *,
    holidays: HolidayLookup = public_holidays,
    today: date | None = None,
) -> SprintPlan:
    """Capacity (stated, or person-days times the points per person-day of past sprints)
    and the items that fill it; nothing is written."""
    sprint = choose_sprint(project, sprint_id, today or date.today())
    workflow = project.workflow or Workflow()
    past = velocity(project_items(project, workflow), project.sprints, sprint.start)
    capacity = sprint_capacity(project, sprint, past, holidays)
    return SprintPlan(sprint, capacity, fill_sprint(project, sprint, capacity.points, workflow))


def plan_sprint_file(
    plan: str | Path,
    sprint_id: str | None = None,
    *,
    write: bool = False,
    today: date | None = None,
) -> SprintPlan:
    """With `write`, sets `sprint` on the chosen items in the file, keeping its comments."""
    path = Path(plan)
    # a write holds the plan's lock from the read on: two at once both land
    with locked(path) if write else contextlib.nullcontext(path):
        document = read_document(path)
        loaded = load_plan_document(document)
        result = plan_sprint(loaded.project, sprint_id, today=today)
        if not write:
            return result
        sprint_id = result.sprint.id
        updates: dict[str, dict[str, Any]] = {
            item.id: {"sprint": sprint_id} for item in result.fill.chosen if not item.in_sprint
        }
        if updates:
            text = updated_text(document, loaded.source_map, updates, {})
            load_plan_document(YamlDocument(str(path), text))  # still a valid plan
            replace_plan(path, text, document)  # refused if the file changed meanwhile
        return SprintPlan(result.sprint, result.capacity, result.fill, tuple(updates))
