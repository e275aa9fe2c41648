"""An independent check of a dated schedule against the plan: calendars, links, and the
capacity of every resource at every moment. It reads only the plan and the dates, never the
engines' internal problem, so it can judge any schedule (ours, or one from a file)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from techpm.scheduling.actuals_check import check_actuals
from techpm.scheduling.problem import ScheduleProblem
from techpm.scheduling.resource_problem import resource_calendar
from techpm.scheduling.result import Schedule
from techpm.scheduling.timeline import Timeline

Booking = tuple[str, float]
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Breach:
    kind: str  # "calendar", "link", "capacity", "unknown_resource"
    subjects: tuple[str, ...]
    message: str
    at: int | None = None  # minutes after the epoch where a capacity breach begins
    until: int | None = None  # and where it ends


def check_schedule(
    problem: ScheduleProblem,
    starts: Sequence[int],
    finishes: Sequence[int],
    bookings: Sequence[Sequence[Booking]],
) -> list[Breach]:
    """`starts`/`finishes` are minutes after the problem's epoch, per leaf task."""
    found: list[Breach] = []
    found += _calendars(problem, starts, finishes)
    found += _links(problem, starts, finishes)
    found += _capacity(problem, starts, finishes, bookings)
    found += [Breach(*breach) for breach in check_actuals(problem, starts, finishes)]
    return found


def check(schedule: Schedule) -> list[Breach]:
    return check_schedule(
        schedule.problem, schedule.early_start_at, schedule.early_finish_at, schedule.bookings
    )


def _calendars(
    problem: ScheduleProblem, starts: Sequence[int], finishes: Sequence[int]
) -> list[Breach]:
    found = []
    for j, task_id in enumerate(problem.ids):
        if problem.actual_start_minute[j] is not None or problem.duration[j] == 0:
            continue
        tl = problem.timelines[problem.calendar_idx[j]]
        worked = tl.to_work(finishes[j]) - tl.to_work(starts[j])
        if tl.start_at(tl.to_work(starts[j])) != starts[j]:
            found.append(Breach("calendar", (task_id,), f"{task_id} starts outside working time"))
        if worked != problem.duration[j] and problem.actual_finish_minute[j] is None:
            found.append(
                Breach(
                    "calendar",
                    (task_id,),
                    f"{task_id} spans {worked} working minutes, not its {problem.duration[j]}",
                )
            )
    return found


def _links(
    problem: ScheduleProblem, starts: Sequence[int], finishes: Sequence[int]
) -> list[Breach]:
    found = []
    for k in range(len(problem.edges)):
        edge = problem.edges[k]
        i, j = edge.pred, edge.succ
        if problem.actual_start_minute[j] is not None:
            continue  # recorded progress is a fact, not a plan
        tl = problem.timelines[problem.calendar_idx[j]]
        ref = finishes[i] if edge.type.from_finish else starts[i]
        target = finishes[j] if edge.type.to_finish else starts[j]
        if tl.to_work(ref) + edge.lag_minutes > tl.to_work(target):
            a, b = problem.ids[i], problem.ids[j]
            found.append(Breach("link", (a, b), f"{b} breaks its {edge.type.value} link from {a}"))
    return found


def _capacity(
    problem: ScheduleProblem,
    starts: Sequence[int],
    finishes: Sequence[int],
    bookings: Sequence[Sequence[Booking]],
) -> list[Breach]:
    """Sweep each resource's bookings in time; between two events the set of running tasks
    is fixed, so one sum per segment covers every moment."""
    found: list[Breach] = []
    users: dict[str, list[tuple[int, float]]] = {}
    for j, booked in enumerate(bookings):
        if problem.duration[j] > 0:
            for resource_id, units in booked:
                users.setdefault(resource_id, []).append((j, units))
    for resource_id, jobs in users.items():
        resource = problem.project.resource_by_id.get(resource_id)
        if resource is None:
            found.append(Breach("unknown_resource", (resource_id,), f"no resource {resource_id!r}"))
            continue
        own = Timeline(resource_calendar(problem, resource), problem.epoch, problem.holidays)
        events = sorted(
            [(starts[j], 1, j, u) for j, u in jobs] + [(finishes[j], 0, j, u) for j, u in jobs]
        )
        running: dict[int, float] = {}
        for (a, kind, j, u), nxt in itertools.pairwise(events):
            if kind:
                running[j] = u
            else:
                running.pop(j, None)
            b = nxt[0]
            if b <= a or not running:
                continue
            working = [(k, v) for k, v in running.items() if _works(problem, k, a, b)]
            load = sum(v for _, v in working)
            if not working:
                continue
            away = own.to_work(b) == own.to_work(a)
            if load > resource.bookable + TOLERANCE or away:
                names = tuple(problem.ids[k] for k, _ in working)
                when = problem.timelines[0].day_of(a)
                why = "is away" if away else f"is booked {load:g} of {resource.bookable:g}"
                found.append(
                    Breach(
                        "capacity",
                        (resource_id, *names),
                        f"{resource_id} {why} on {when}: {', '.join(names)}",
                        at=a,
                        until=b,
                    )
                )
    return found


def _works(problem: ScheduleProblem, j: int, a: int, b: int) -> bool:
    tl = problem.timelines[problem.calendar_idx[j]]
    return tl.to_work(b) > tl.to_work(a)
