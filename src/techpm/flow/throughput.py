"""Throughput history: how many items the team finished on each of its working days.

A forecast samples this history, so what counts as one sample matters: every working day
of the team's calendar in the window is a sample, including days on which nothing was
finished (they are real evidence of a slow day), while weekends, public holidays and
company days off are not (nobody was there to finish anything). An item finished on a
day off counts on the working day before it (else, at the window's start, the one after),
so no finished item is lost.

The calendar comes in as a predicate, built by the service from the plan's calendar, which
keeps this module free of file formats and holiday data.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import numpy.typing as npt

from techpm.domain.errors import Diagnostic, PlanFileError, Severity, TechpmError
from techpm.domain.project import Project
from techpm.domain.task import Task
from techpm.domain.workflow import Workflow
from techpm.flow.states import fold_state, utc_naive

IntArray = npt.NDArray[np.int64]
MAX_GAP_DAYS = 3660  # ten years without a working day: the calendar has none
# Below these, a bootstrap of the history mostly repeats a few days' luck: Magennis (Forecasting
# and Simulating Software Development Projects, 2011) puts the useful minimum of samples
# around ten, and two working weeks cover a full sprint and its weekly rhythm.
MIN_HISTORY_ITEMS = 10
MIN_HISTORY_DAYS = 10


class HistoryError(PlanFileError):
    """The finished-items history cannot give a forecast (none, or none in the window)."""

    code = "history.invalid"


class NoWorkingDays(TechpmError):
    code = "calendar.no_working_time"


class WorkingDays:
    """The team's working days, asked of a predicate and remembered (holiday lookups are
    not free, and a forecast asks about the same days many times)."""

    def __init__(self, is_working: Callable[[date], bool]) -> None:
        self._is_working = is_working
        self._known: dict[date, bool] = {}

    def __call__(self, day: date) -> bool:
        known = self._known.get(day)
        if known is None:
            known = self._known[day] = bool(self._is_working(day))
        return known

    def on_or_after(self, day: date) -> date:
        for offset in range(MAX_GAP_DAYS):
            candidate = day + timedelta(days=offset)
            if self(candidate):
                return candidate
        raise NoWorkingDays(f"the calendar has no working day in ten years from {day}")

    def between(self, first: date, last: date) -> list[date]:
        """Working days from `first` to `last`, both included."""
        span = (last - first).days + 1
        days = (first + timedelta(days=k) for k in range(max(span, 0)))
        return [day for day in days if self(day)]

    def count(self, first: date, last: date) -> int:
        return len(self.between(first, last))

    def following(self, start: date, count: int) -> list[date]:
        """The first `count` working days on or after `start`."""
        days: list[date] = []
        day = start
        gap = 0
        while len(days) < count:
            if self(day):
                days.append(day)
                gap = 0
            else:
                gap += 1
                if gap >= MAX_GAP_DAYS:
                    raise NoWorkingDays(f"the calendar has no working day in ten years from {day}")
            day += timedelta(days=1)
        return days


@dataclass(frozen=True)
class Throughput:
    """Items finished per working day over a window: the samples of a forecast."""

    first: date  # first day of the window
    last: date  # last day of the window, included
    days: tuple[date, ...]  # the working days sampled, in order
    counts: IntArray  # items finished on each of them

    @property
    def samples(self) -> int:
        return len(self.days)

    @property
    def items(self) -> int:
        return int(self.counts.sum())

    @property
    def per_day(self) -> float:
        return float(self.counts.mean()) if len(self.counts) else 0.0


def history_window(
    finished: Sequence[date],
    *,
    last: date,
    window_days: int | None = None,
    since: date | None = None,
) -> tuple[date, date]:
    """First and last day of the history used: the last `window_days` calendar days up to
    `last`, or from `since`, or from the first finished item (the later when both)."""
    starts = []
    if window_days is not None:
        starts.append(last - timedelta(days=window_days - 1))
    if since is not None:
        starts.append(since)
    if not starts:
        starts.append(min(finished, default=last))
    return max(starts), last


def daily_throughput(
    finished: Iterable[date],
    calendar: WorkingDays,
    *,
    first: date,
    last: date,
    source: str = "history",
) -> Throughput:
    """Count finished items per working day of [first, last]; dates outside are ignored."""
    if first > last:
        raise HistoryError(
            f"{source}: the history window would start on {first}, after the history ends "
            f"({last}, the day before the forecast starts)",
            code="history.empty_window",
        )
    days = calendar.between(first, last)
    if not days:
        raise HistoryError(
            f"{source}: no working day between {first} and {last} to sample",
            code="history.empty_window",
        )
    position = {day: k for k, day in enumerate(days)}
    counts = np.zeros(len(days), dtype=np.int64)
    for day in finished:
        if not first <= day <= last:
            continue
        k = position.get(day)
        if k is None:  # a day off: the working day before, else the first of the window
            k = max(bisect_right(days, day) - 1, 0)
        counts[k] += 1
    if not counts.any():
        raise HistoryError(
            f"{source}: no item finished between {first} and {last}: nothing to forecast "
            "from; widen --window or move --since earlier",
            code="history.empty_window",
        )
    return Throughput(first, last, tuple(days), counts)


def history_warnings(sampled: Throughput, source: str) -> list[Diagnostic]:
    """A warning when the history is too short to forecast from: fewer than
    MIN_HISTORY_ITEMS finished items, or fewer than MIN_HISTORY_DAYS working days."""
    if sampled.items >= MIN_HISTORY_ITEMS and sampled.samples >= MIN_HISTORY_DAYS:
        return []
    items = f"{sampled.items} finished item{'' if sampled.items == 1 else 's'}"
    days = f"{sampled.samples} working day{'' if sampled.samples == 1 else 's'}"
    return [
        Diagnostic(
            "forecast.short_history",
            Severity.WARNING,
            f"no usable throughput history: {items} over {days} ({sampled.first} to "
            f"{sampled.last}); a forecast needs at least {MIN_HISTORY_ITEMS} finished items "
            f"over at least {MIN_HISTORY_DAYS} working days, so these dates repeat a few days' "
            "luck: give --history with a longer record, or wait for more",
            (source,),
        )
    ]


# -- items of a plan ---------------------------------------------------------------------


def done_test(project: Project) -> Callable[[str], bool]:
    """Whether a state is finished, by the plan's workflow (or the default one, whose
    finished state is `done`), names matched ignoring case, spaces, hyphens and
    underscores."""
    workflow = project.workflow or Workflow()
    done = {fold_state(state) for state in workflow.done_states}
    return lambda state: fold_state(state) in done


def backlog_items(project: Project) -> list[Task]:
    """Leaf tasks that are not milestones: the items a team finishes one by one."""
    children = project.children
    return [t for t in project.tasks if t.id not in children and not t.milestone]


def is_done(task: Task, done: Callable[[str], bool]) -> bool:
    if task.status is not None:
        return done(task.status)
    if task.history:
        return done(task.history[-1].to)
    return task.actual_finish is not None or task.percent_complete >= 100


@dataclass(frozen=True)
class Finish:
    """When an item was finished, and which history entry (None: `actual_finish`) says so."""

    task_id: str
    on: date
    entry: int | None


def finished_on(task: Task, done: Callable[[str], bool]) -> Finish | None:
    """The day a finished item last entered a done state from one that is not; an item
    reopened since is not finished. Without a history, its `actual_finish`."""
    if not is_done(task, done):
        return None
    entered: tuple[datetime, int] | None = None
    was_done = False
    for k, change in enumerate(task.history):
        now_done = done(change.to)
        if now_done and not was_done:
            entered = (utc_naive(change.at), k)
        was_done = now_done
    if entered is not None:
        return Finish(task.id, entered[0].date(), entered[1])
    moment = task.actual_finish
    if moment is None:
        return None
    return Finish(task.id, moment.date() if isinstance(moment, datetime) else moment, None)


@dataclass(frozen=True)
class PlanHistory:
    finished: tuple[Finish, ...]  # finished items with the day they were finished
    open_items: tuple[Task, ...]  # items not finished
    undated: tuple[str, ...]  # finished items that say nothing of when (left out)


def plan_history(project: Project) -> PlanHistory:
    """The plan's finished items (with their dates) and its open items."""
    done = done_test(project)
    finished: list[Finish] = []
    open_items: list[Task] = []
    undated: list[str] = []
    for task in backlog_items(project):
        if not is_done(task, done):
            open_items.append(task)
            continue
        finish = finished_on(task, done)
        if finish is None:
            undated.append(task.id)
        else:
            finished.append(finish)
    return PlanHistory(tuple(finished), tuple(open_items), tuple(undated))
