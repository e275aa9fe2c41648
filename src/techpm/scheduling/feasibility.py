"""An independent check of a dated schedule against the plan: calendars, links, and the
capacity of every resource at every moment. It reads only the plan and the dates, never the
engines' internal problem, so it can judge any schedule (ours, or one from a file)."""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from techpm.domain.errors import Diagnostic, Severity
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
    for resource_id, jobs in _users(problem, bookings).items():
        resource = problem.project.resource_by_id.get(resource_id)
        if resource is None:
            found.append(Breach("unknown_resource", (resource_id,), f"no resource {resource_id!r}"))
            continue
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
            if working and load > resource.bookable + TOLERANCE:
                names = tuple(problem.ids[k] for k, _ in working)
                when = problem.timelines[0].day_of(a)
                found.append(
                    Breach(
                        "capacity",
                        (resource_id, *names),
                        f"{resource_id} is booked {load:g} of {resource.bookable:g} on {when}: "
                        f"{', '.join(names)}",
                        at=a,
                        until=b,
                    )
                )
    return found + absences(problem, starts, finishes, bookings)


def absences(
    problem: ScheduleProblem,
    starts: Sequence[int],
    finishes: Sequence[int],
    bookings: Sequence[Sequence[Booking]],
) -> list[Breach]:
    """Work booked when the person is away: a moment the task works on its own calendar but
    the resource's calendar (with vacations) does not. One breach per task and run of days."""
    found: list[Breach] = []
    day_of = problem.timelines[0].day_of
    for resource_id, jobs in _users(problem, bookings).items():
        resource = problem.project.resource_by_id.get(resource_id)
        if resource is None:
            continue
        own = Timeline(resource_calendar(problem, resource), problem.epoch, problem.holidays)
        for j, _ in jobs:
            if problem.actual_finish_minute[j] is not None:
                continue  # done work is a record, not a booking
            task_tl = problem.timelines[problem.calendar_idx[j]]
            spans = _off_spans(task_tl, own, starts[j], finishes[j])
            for first, last, at, until in _day_runs(spans, day_of):
                span = f"{first}" if first == last else f"{first} to {last}"
                # a vacation and a lunch hour the task's calendar works through read alike
                # as dates: the hours tell them apart
                off = sum(
                    (hi - lo) - (own.to_work(hi) - own.to_work(lo))
                    for lo, hi in ((max(a, at), min(b, until)) for a, b in spans)
                    if hi > lo
                )
                found.append(
                    Breach(
                        "capacity",
                        (resource_id, problem.ids[j]),
                        f"{resource_id} is away on {span} but booked on {problem.ids[j]} "
                        f"({_hours(off)} outside {resource_id}'s working time)",
                        at=at,
                        until=until,
                    )
                )
    return found


def _hours(minutes: int) -> str:
    return f"{minutes / 60:g} h" if minutes % 60 == 0 else f"{minutes / 60:.1f} h"


def _users(
    problem: ScheduleProblem, bookings: Sequence[Sequence[Booking]]
) -> dict[str, list[tuple[int, float]]]:
    users: dict[str, list[tuple[int, float]]] = {}
    for j, booked in enumerate(bookings):
        if problem.duration[j] > 0:
            for resource_id, units in booked:
                users.setdefault(resource_id, []).append((j, units))
    return users


def _off_spans(task_tl: Timeline, own: Timeline, start: int, finish: int) -> list[tuple[int, int]]:
    """The task's working intervals in [start, finish) in which the resource does not work
    all the time."""
    if finish <= start:
        return []
    task_tl.to_work(finish)  # grows the grid far enough
    out = []
    k = bisect_right(task_tl.ends, start)
    while k < len(task_tl.starts) and task_tl.starts[k] < finish:
        a, b = max(start, task_tl.starts[k]), min(finish, task_tl.ends[k])
        if b > a and own.to_work(b) - own.to_work(a) < b - a:
            out.append((a, b))
        k += 1
    return out


def _day_runs(
    spans: list[tuple[int, int]], day_of: Callable[[int], date]
) -> list[tuple[date, date, int, int]]:
    """Spans grouped into runs of consecutive days: (first day, last day, from, until)."""
    runs: list[tuple[date, date, int, int]] = []
    for a, b in spans:
        day = day_of(a)
        if runs and (day - runs[-1][1]).days <= 1:
            runs[-1] = (runs[-1][0], day, runs[-1][2], b)
        else:
            runs.append((day, day, a, b))
    return runs


def _works(problem: ScheduleProblem, j: int, a: int, b: int) -> bool:
    tl = problem.timelines[problem.calendar_idx[j]]
    return tl.to_work(b) > tl.to_work(a)


def absence_diagnostics(schedule: Schedule) -> list[Diagnostic]:
    """A warning per task booked on someone while they are away (`resource.away`)."""
    found = absences(
        schedule.problem, schedule.early_start_at, schedule.early_finish_at, schedule.bookings
    )
    return [
        Diagnostic(
            code="resource.away",
            severity=Severity.WARNING,
            message=f"{breach.message}: an over-allocation (level with --level)",
            subjects=breach.subjects,
        )
        for breach in found
    ]
