"""Fill skill needs with specific people before leveling.

Each need takes the qualified resources least loaded over the task's window (work already
booked there, relative to capacity); ties go to the one whose skill level exceeds the need
the least, keeping experts free for work only they can do. Tasks are served in order of
early start, critical first. Every choice keeps its reason for the report.
"""

from __future__ import annotations

from dataclasses import replace

from techpm.domain.resource import Resource
from techpm.scheduling.result import AssignmentChoice, Schedule

Booking = tuple[str, float]  # (resource id, units)


def fill_needs(schedule: Schedule) -> tuple[list[tuple[Booking, ...]], list[AssignmentChoice]]:
    """Per leaf task, its named bookings plus people chosen for its needs."""
    problem = schedule.problem
    project = problem.project
    booked: dict[str, list[tuple[int, int, float]]] = {r.id: [] for r in project.resources}
    result: list[tuple[Booking, ...]] = [() for _ in range(problem.size)]
    choices: list[AssignmentChoice] = []
    start, finish = schedule.early_start_at, schedule.early_finish_at
    work = problem.timelines[0].to_work
    for j in range(problem.size):
        task = project.task_by_id[problem.ids[j]]
        result[j] = tuple((a.resource, a.units) for a in task.assignments)
        for resource_id, units in result[j]:
            booked[resource_id].append((start[j], finish[j], units))
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

            def load(resource: Resource, j: int = j) -> float:
                """Working minutes already booked over the task's dates, per unit."""
                overlap = sum(
                    max(0, work(min(finish[j], b)) - work(max(start[j], a))) * units
                    for a, b, units in booked[resource.id]
                )
                return overlap / max(resource.capacity, 1e-9)

            loads = {r.id: load(r) for r in candidates}  # before this need books anyone
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
                booked[resource_id].append((start[j], finish[j], units))
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
