"""Fill skill needs with specific people before leveling.

Each need takes the qualified resources least loaded over the task's window (work already
booked there, relative to capacity); ties go to the one whose skill level exceeds the need
the least, keeping experts free for work only they can do. Tasks are served in order of
early start, critical first. Every choice keeps its reason for the report.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from techpm.scheduling.booked_work import BookedWork
from techpm.scheduling.result import AssignmentChoice, Schedule

Booking = tuple[str, float]  # (resource id, units)


def fill_needs(schedule: Schedule) -> tuple[list[tuple[Booking, ...]], list[AssignmentChoice]]:
    """Per leaf task, its named bookings plus people chosen for its needs."""
    problem = schedule.problem
    project = problem.project
    result: list[tuple[Booking, ...]] = [() for _ in range(problem.size)]
    choices: list[AssignmentChoice] = []
    start, finish = schedule.early_start_at, schedule.early_finish_at
    work = problem.timelines[0].to_work_many
    # working offsets on the project calendar: what a booking overlaps is counted there
    ws = work(np.asarray(start, dtype=np.int64)).tolist()
    wf = work(np.asarray(finish, dtype=np.int64)).tolist()
    skills = {n.skill for t in project.tasks for n in t.needs}
    people = [r.id for r in project.resources if skills & set(r.skill_levels)]
    booked = BookedWork(people, np.asarray(ws + wf, dtype=np.int64))
    for j in range(problem.size):
        task = project.task_by_id[problem.ids[j]]
        result[j] = tuple((a.resource, a.units) for a in task.assignments)
        for resource_id, units in result[j]:
            booked.book(resource_id, ws[j], wf[j], units)
    order = sorted(
        (j for j in range(problem.size) if project.task_by_id[problem.ids[j]].needs),
        key=lambda j: (start[j], not schedule.critical[j], problem.ids[j]),
    )
    for j in order:
        task = project.task_by_id[problem.ids[j]]
        taken = {resource_id for resource_id, _ in result[j]}
        for need in task.needs:
            candidates = [
                r
                for r in project.resources
                if r.skill_levels.get(need.skill, 0) >= need.level and r.id not in taken
            ]
            # working minutes already booked over the task's dates, per unit of capacity,
            # before this need books anyone
            overlaps = booked.between([r.id for r in candidates], ws[j], wf[j])
            loads = {
                r.id: overlap / max(r.capacity, 1e-9)
                for r, overlap in zip(candidates, overlaps, strict=True)
            }
            ranked = sorted(
                candidates,
                key=lambda r: (loads[r.id], r.skill_levels[need.skill] - need.level, r.id),
            )
            chosen: list[Booking] = []
            heads = need.count
            for resource in ranked:
                if heads <= 0:
                    break
                take = min(heads, max(1, int(resource.capacity)))
                chosen.append((resource.id, need.units * take))
                heads -= take
            for resource_id, units in chosen:
                booked.book(resource_id, ws[j], wf[j], units)
                taken.add(resource_id)
            result[j] = result[j] + tuple(chosen)
            shown = ", ".join(
                f"{r.id} {loads[r.id] / 60:.0f}h" for r in ranked[: max(3, len(chosen) + 1)]
            )
            choices.append(
                AssignmentChoice(
                    task_id=task.id,
                    skill=need.skill,
                    level=need.level,
                    chosen=tuple(chosen),
                    reason=f"least booked of those with {need.skill} >= {need.level} "
                    f"over the task's dates (working hours booked: {shown})",
                )
            )
    return result, choices


def with_needs_filled(schedule: Schedule) -> Schedule:
    """The schedule with people chosen for its skill needs at its own dates (the same rule as
    leveling), so that who fills a need shows and is priced in every cost figure."""
    project = schedule.problem.project
    if not any(task.needs for task in project.tasks):
        return schedule
    bookings, _ = fill_needs(schedule)
    return replace(schedule, assignments=tuple(bookings))
