"""The problem a simulation runs on, so that it prices and orders work as the schedule does.

The simulation re-runs the network with sampled durations and prices each task from the
people booked on it. Two things the network alone does not carry are added here: the
people chosen for skill needs become named assignments (their work is costed), and for a
leveled schedule the order leveling chose becomes links (a task waiting for a person
follows the task that frees them) plus a start-no-earlier-than at its leveled start when
it waits for something else (a vacation, a team's capacity), as MS Project's leveling delay.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from techpm.domain.dependency import Dependency, DependencyType
from techpm.domain.project import Project
from techpm.domain.resource import Assignment
from techpm.domain.task import Constraint, ConstraintType
from techpm.scheduling.cpm import schedule_problem
from techpm.scheduling.network import DependencyCycleError
from techpm.scheduling.problem import ScheduleProblem, compile_problem
from techpm.scheduling.result import Schedule

MAX_ROUNDS = 8


def simulation_problem(schedule: Schedule) -> ScheduleProblem:
    problem = schedule.problem
    project = problem.project
    if not schedule.assignments and schedule.leveling is None:
        return problem
    staffed = _staffed(schedule)
    if schedule.leveling is None:
        return replace(problem, project=staffed)
    links = tuple(
        Dependency(problem.ids[i], problem.ids[j], DependencyType.FS, 0)
        for i, j in schedule.resource_links
    )
    ordered = replace(staffed, dependencies=project.dependencies + links)
    try:
        current = compile_problem(ordered, problem.holidays)
    except DependencyCycleError:
        return replace(problem, project=staffed)
    delays: dict[str, datetime] = {}
    for round_ in range(MAX_ROUNDS):
        network = schedule_problem(current)
        late = {
            j
            for j in range(problem.size)
            if problem.actual_start_minute[j] is None
            and problem.duration[j] > 0
            and schedule.early_start_at[j] > network.early_start_at[j]
        }
        if not late:
            break
        # a task whose predecessor is itself late may only be waiting for it: delay the
        # first ones of each chain, then look again (all at once in the last round)
        first = {
            j
            for j in late
            if round_ == MAX_ROUNDS - 1
            or not any(int(current.edges.pred[k]) in late for k in current.preds[j])
        }
        delays.update({problem.ids[j]: schedule.moment(schedule.early_start_at[j]) for j in first})
        current = compile_problem(_delayed(ordered, delays), problem.holidays)
    return current


def _staffed(schedule: Schedule) -> Project:
    """The plan with every booking of the schedule as a named assignment."""
    project = schedule.problem.project
    booked = {task_id: schedule.bookings[j] for j, task_id in enumerate(schedule.problem.ids)}
    tasks = tuple(
        replace(
            task,
            assignments=tuple(Assignment(r, u) for r, u in booked[task.id]),
            needs=(),
        )
        if task.id in booked and task.needs
        else task
        for task in project.tasks
    )
    return replace(project, tasks=tasks)


def _delayed(project: Project, waiting: dict[str, datetime]) -> Project:
    tasks = tuple(
        replace(
            task,
            constraints=(
                *task.constraints,
                Constraint(ConstraintType.START_NO_EARLIER_THAN, waiting[task.id]),
            ),
        )
        if task.id in waiting
        else task
        for task in project.tasks
    )
    return replace(project, tasks=tasks)
