"""Is recorded progress kept, and consistent, in a dated schedule?

Part of the independent check (feasibility.py): it reads the plan's recorded dates and the
schedule's moments, never the engines' working offsets. A schedule is not consistent when
a task finishes before it starts, when it shows an actual date other than the one recorded,
when progress is recorded after the status date, or when work not done by the status date
is shown before it. It also words `progress.out_of_sequence` for the schedule: which
predecessor's link a recorded start did not wait for.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from techpm.domain.errors import Diagnostic, Severity
from techpm.domain.task import Moment
from techpm.scheduling.problem import ScheduleProblem

Found = tuple[str, tuple[str, ...], str]
"""(kind, subjects, message) of one breach: kinds "order", "actual" and "status"."""


def check_actuals(
    problem: ScheduleProblem, starts: Sequence[int], finishes: Sequence[int]
) -> list[Found]:
    """`starts`/`finishes` are minutes after the problem's epoch, per leaf task."""
    found: list[Found] = []
    at = _Clock(problem)
    for j, task_id in enumerate(problem.ids):
        if finishes[j] < starts[j]:
            found.append(
                (
                    "order",
                    (task_id,),
                    f"{task_id} finishes before it starts ({at(finishes[j])} < {at(starts[j])})",
                )
            )
    for j, start, finish in problem.recorded:
        task_id = problem.ids[j]
        for kind, shown, recorded in (("start", starts[j], start), ("finish", finishes[j], finish)):
            if recorded is not None and shown != recorded:
                found.append(
                    (
                        "actual",
                        (task_id,),
                        f"{task_id} is shown to {kind} {at(shown)}, but its actual {kind} is "
                        f"{at(recorded)}",
                    )
                )
    found += _status(problem, starts, finishes)
    return found


def _status(
    problem: ScheduleProblem, starts: Sequence[int], finishes: Sequence[int]
) -> list[Found]:
    """Progress is what happened by the status date; what is left happens after it."""
    status = problem.project.info.status_date
    if status is None or problem.status_minute is None:
        return []
    found: list[Found] = []
    end = problem.status_minute
    tasks = problem.project.task_by_id
    for j, task_id in enumerate(problem.ids):
        task = tasks[task_id]
        for kind, moment in (("start", task.actual_start), ("finish", task.actual_finish)):
            if moment is not None and _day(moment) > status:
                found.append(
                    (
                        "actual",
                        (task_id,),
                        f"{task_id} has an actual {kind} {moment} after the status date {status}",
                    )
                )
        if problem.complete[j]:
            continue
        tl = problem.timelines[problem.calendar_idx[j]]
        left_w = tl.to_work(end)
        if task.actual_start is None and tl.to_work(starts[j]) < left_w:
            found.append(
                (
                    "status",
                    (task_id,),
                    f"{task_id} had not started by the status date {status} but is shown to "
                    f"start {_Clock(problem)(starts[j])}",
                )
            )
        elif _left(problem, j) and tl.to_work(finishes[j]) <= left_w:
            found.append(
                (
                    "status",
                    (task_id,),
                    f"{task_id} is under way with work left but is shown to finish "
                    f"{_Clock(problem)(finishes[j])}, by the status date {status}",
                )
            )
    return found


def out_of_sequence(
    problem: ScheduleProblem, j: int, start_w: Sequence[int], finish_w: Sequence[int]
) -> Diagnostic:
    """The warning for a recorded start that did not wait for its predecessors' links,
    naming each predecessor it did not wait for (working offsets on each task's calendar)."""
    task_id = problem.ids[j]
    tls = problem.timelines
    cal = problem.calendar_idx
    edges = problem.edges
    own = tls[cal[j]]
    shown = problem.recorded_at.get(j, (None, None))[0]
    missed: list[str] = []
    parts: list[str] = []
    for k in problem.preds[j]:
        edge = edges[k]
        i = edge.pred
        ref = finish_w[i] if edge.type.from_finish else start_w[i]
        if cal[i] != cal[j]:
            other = tls[cal[i]]
            ref = own.to_work(
                other.finish_at(ref) if edge.type.from_finish else other.start_at(ref)
            )
        target = finish_w[j] if edge.type.to_finish else start_w[j]
        if ref + edge.lag_minutes <= target or problem.ids[i] in missed:
            continue
        pred = problem.ids[i]
        missed.append(pred)
        moment = tls[cal[i]].finish_at(ref) if edge.type.from_finish else tls[cal[i]].start_at(ref)
        side = "finishes" if edge.type.from_finish else "starts"
        parts.append(f"{pred!r} {side} {_day_of(problem, moment)} ({edge.type.value})")
    started = _day_of(problem, shown) if shown is not None else "?"
    whom = ", ".join(parts) if parts else "its predecessors do not allow it yet"
    return Diagnostic(
        code="progress.out_of_sequence",
        severity=Severity.WARNING,
        message=f"task {task_id!r} actually started {started}, but {whom}: the recorded "
        "start is kept and the link is not met",
        subjects=(task_id, *missed),
    )


def _day_of(problem: ScheduleProblem, minute: int) -> str:
    return (problem.epoch + timedelta(days=minute // 1440)).isoformat()


class _Clock:
    """Minutes after the epoch as readable local date-times."""

    def __init__(self, problem: ScheduleProblem) -> None:
        self._epoch = datetime.combine(problem.epoch, datetime.min.time())

    def __call__(self, minute: int) -> str:
        return (self._epoch + timedelta(minutes=minute)).strftime("%Y-%m-%d %H:%M")


def _left(problem: ScheduleProblem, j: int) -> int:
    """Working minutes left on a task under way (0 when nothing says so)."""
    if not problem.remaining or problem.remaining[j] is None:
        return 0
    return problem.remaining[j] or 0


def _day(moment: Moment) -> date:
    return moment.date() if isinstance(moment, datetime) else moment
