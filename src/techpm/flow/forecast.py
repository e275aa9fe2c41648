"""Throughput Monte Carlo: when will N items be done, and how many by a date.

Each run replays the future as a sequence of working days whose throughputs are drawn,
with replacement, from the history's per-working-day counts: a bootstrap of the team's own
days, so slow days and bursts come in the proportions they had, and no distribution is
assumed. Runs are vectorised with numpy: a (runs x days) matrix of draws, its running sum
along the days, and the first day the sum reaches the target; runs not done by the end of
the matrix get another chunk of days.

Conventions, for a confidence c (50, 70, 85, 95):

- *when*: the working day by which c % of the runs are done, i.e. the c-th percentile of
  the days (the smallest d with at least c % of runs done by the end of day d);
- *how many*: the count reached or exceeded in c % of the runs, i.e. its (100 - c)-th
  percentile, so a higher confidence promises fewer items.

Days are working days of the team's calendar, the forecast's first working day being
day 1: "5 days" means done by the end of the fifth working day.

Split rate r: work grows as it is done (a story turns out to be two). Each of the N items
left independently splits off a Poisson(r) number of extra items, which do not split
again, so a run's target is N + Poisson(N r): N (1 + r) on average.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import numpy.typing as npt

from techpm.domain.errors import TechpmError
from techpm.flow.throughput import WorkingDays
from techpm.scheduling.result import Schedule

IntArray = npt.NDArray[np.int64]
Progress = Callable[[int], None]

CONFIDENCES = (50, 70, 85, 95)
BATCH = 2_000  # runs per batch: the progress bar's step, and a bound on memory
CELLS = 2_000_000  # draws held at once, at most
MAX_WORKING_DAYS = 100 * 261  # a century: a forecast that long is not a forecast


class ForecastError(TechpmError):
    code = "forecast.invalid"


@dataclass(frozen=True)
class Spread:
    """The whole distribution of a forecast: its moments and every value's share of runs."""

    mean: float
    std: float
    min: int
    max: int
    histogram: tuple[tuple[int, int], ...]  # (value, runs) by value

    @classmethod
    def of(cls, runs: IntArray) -> Spread:
        values, counts = np.unique(runs, return_counts=True)
        return cls(
            mean=float(runs.mean()),
            std=float(runs.std()),
            min=int(runs.min()),
            max=int(runs.max()),
            histogram=tuple(zip(values.tolist(), counts.tolist(), strict=True)),
        )


@dataclass(frozen=True)
class DoneBy:
    days: int  # working days from the start (day 1); 0: nothing left to do
    on: date | None  # the last of those days (None when nothing is left)
    calendar_days: int  # calendar days from the start to `on`, both included


@dataclass(frozen=True)
class WhenForecast:
    items: int
    split_rate: float
    start: date  # the forecast's first working day
    iterations: int
    confidence: dict[int, DoneBy]
    spread: Spread  # of working days
    runs: IntArray  # working days each run took

    def chance_by(self, days: int) -> float:
        """Share of runs done within `days` working days."""
        return float((self.runs <= days).mean())


@dataclass(frozen=True)
class HowManyForecast:
    until: date
    start: date
    working_days: int  # from the start to `until`, both included
    iterations: int
    confidence: dict[int, int]  # items reached or exceeded in that share of runs
    spread: Spread  # of items
    runs: IntArray  # items each run finished


@dataclass(frozen=True)
class MilestoneTarget:
    """What a milestone waits for, counted in items."""

    id: str
    name: str
    items: tuple[str, ...]  # open items it depends on, through links and summaries
    target: int  # open items done when it is reached, milestones taken in dependency order
    deadline: date | None


@dataclass(frozen=True)
class MilestoneForecast:
    milestone: MilestoneTarget
    confidence: dict[int, DoneBy]
    on_time: float | None  # share of runs reaching it by its deadline


def when(
    items: int,
    samples: Sequence[int] | IntArray,
    *,
    start: date,
    calendar: WorkingDays,
    iterations: int,
    rng: np.random.Generator,
    split_rate: float = 0.0,
    progress: Progress | None = None,
) -> WhenForecast:
    """When `items` more items will be done, finishing as many a day as the history did."""
    if items < 1:
        raise ForecastError("nothing to forecast: the number of items must be 1 or more")
    counts = _samples(samples, iterations, split_rate)
    targets = np.full(iterations, items, dtype=np.int64)
    if split_rate:
        targets += rng.poisson(items * split_rate, size=iterations)
    runs = days_to_reach(targets[:, None], counts, rng, progress)[:, 0]
    first = calendar.on_or_after(start)
    return WhenForecast(
        items=items,
        split_rate=split_rate,
        start=first,
        iterations=iterations,
        confidence=_done_by(runs, first, calendar),
        spread=Spread.of(runs),
        runs=runs,
    )


def how_many(
    until: date,
    samples: Sequence[int] | IntArray,
    *,
    start: date,
    calendar: WorkingDays,
    iterations: int,
    rng: np.random.Generator,
    progress: Progress | None = None,
) -> HowManyForecast:
    """How many items will be done from `start` to the end of `until`.

    The sum of h draws with replacement depends only on how often each distinct daily
    count is drawn, which is multinomial(h, the counts' frequencies): drawing that is the
    same distribution as summing an (iterations x h) matrix, at a fraction of the cost.
    """
    counts = _samples(samples, iterations, 0.0)
    first = calendar.on_or_after(start)
    horizon = calendar.count(first, until)
    if horizon < 1:
        raise ForecastError(
            f"{until} is before the forecast's first working day ({first})",
            code="forecast.no_time",
        )
    values, frequency = np.unique(counts, return_counts=True)
    shares = frequency / frequency.sum()
    runs = np.empty(iterations, dtype=np.int64)
    for lo in range(0, iterations, BATCH):
        hi = min(lo + BATCH, iterations)
        runs[lo:hi] = rng.multinomial(horizon, shares, size=hi - lo) @ values
        if progress is not None:
            progress(hi - lo)
    return HowManyForecast(
        until=until,
        start=first,
        working_days=horizon,
        iterations=iterations,
        confidence={c: reached_percentile(runs, c) for c in CONFIDENCES},
        spread=Spread.of(runs),
        runs=runs,
    )


def when_milestones(
    targets: Sequence[MilestoneTarget],
    samples: Sequence[int] | IntArray,
    *,
    start: date,
    calendar: WorkingDays,
    iterations: int,
    rng: np.random.Generator,
    split_rate: float = 0.0,
    progress: Progress | None = None,
) -> list[MilestoneForecast]:
    """When each milestone's items are done, in one set of runs: within a run, a later
    milestone's target includes an earlier one's, so it is never reached before it."""
    if not targets:
        return []
    counts = _samples(samples, iterations, split_rate)
    base = np.array([t.target for t in targets], dtype=np.int64)
    steps = np.diff(base, prepend=0)
    grown = np.broadcast_to(steps, (iterations, len(steps))).copy()
    if split_rate:
        grown += rng.poisson(steps * split_rate, size=grown.shape)
    runs = days_to_reach(np.cumsum(grown, axis=1), counts, rng, progress)
    first = calendar.on_or_after(start)
    found = []
    for j, target in enumerate(targets):
        on_time = None
        if target.deadline is not None:
            allowed = calendar.count(first, target.deadline)
            on_time = float((runs[:, j] <= allowed).mean())
        found.append(MilestoneForecast(target, _done_by(runs[:, j], first, calendar), on_time))
    return found


def days_to_reach(
    targets: IntArray,
    counts: IntArray,
    rng: np.random.Generator,
    progress: Progress | None = None,
) -> IntArray:
    """Per run (row) and target (column, non-decreasing along the row), the working day on
    which the running sum of drawn daily counts first reaches the target (0 for 0)."""
    days = np.zeros(targets.shape, dtype=np.int64)
    mean = float(counts.mean())
    for lo in range(0, targets.shape[0], BATCH):
        hi = min(lo + BATCH, targets.shape[0])
        days[lo:hi] = _batch(targets[lo:hi], counts, mean, rng)
        if progress is not None:
            progress(hi - lo)
    return days


def _batch(targets: IntArray, counts: IntArray, mean: float, rng: np.random.Generator) -> IntArray:
    rows, columns = targets.shape
    days = np.zeros(targets.shape, dtype=np.int64)
    need = targets.max(axis=1)
    done = np.zeros(rows, dtype=np.int64)  # items finished by the end of the days drawn
    active = np.flatnonzero(need > 0)
    expected = float(need.max(initial=0)) / mean
    chunk = int(min(max(expected * 1.25 + 8, 16), max(CELLS // max(rows, 1), 16)))
    offset = 0
    while active.size:
        width = min(chunk, MAX_WORKING_DAYS - offset)
        if width <= 0:
            raise ForecastError(
                f"some runs take more than {MAX_WORKING_DAYS} working days (a century) at "
                f"{mean:.3g} items a day: too far to forecast",
                code="forecast.too_long",
            )
        draws = counts[rng.integers(0, counts.size, size=(active.size, width))]
        running = np.cumsum(draws, axis=1)
        running += done[active, None]
        end = running[:, -1]
        for j in range(columns):
            goal = targets[active, j]
            hit = (days[active, j] == 0) & (goal > 0) & (goal <= end)
            if hit.any():
                days[active[hit], j] = offset + (running[hit] < goal[hit, None]).sum(axis=1) + 1
        done[active] = end
        offset += width
        active = active[end < need[active]]
    return days


def done_percentile(runs: IntArray, confidence: int) -> int:
    """The smallest value with at least `confidence` % of runs at or below it."""
    ordered = np.sort(runs)
    k = -(-len(ordered) * confidence // 100) - 1
    return int(ordered[max(k, 0)])


def reached_percentile(runs: IntArray, confidence: int) -> int:
    """The largest value reached or exceeded by at least `confidence` % of runs."""
    ordered = np.sort(runs)
    return int(ordered[len(ordered) * (100 - confidence) // 100])


def _done_by(runs: IntArray, first: date, calendar: WorkingDays) -> dict[int, DoneBy]:
    picked = {c: done_percentile(runs, c) for c in CONFIDENCES}
    dates = calendar.following(first, max(picked.values()))
    out = {}
    for c, d in picked.items():
        on = dates[d - 1] if d > 0 else None
        out[c] = DoneBy(d, on, (on - first).days + 1 if on else 0)
    return out


def _samples(samples: Sequence[int] | IntArray, iterations: int, split_rate: float) -> IntArray:
    counts = np.asarray(samples, dtype=np.int64).ravel()
    if iterations < 1:
        raise ForecastError("the number of iterations must be 1 or more")
    if not split_rate >= 0:
        raise ForecastError(f"the split rate cannot be negative ({split_rate})")
    if counts.size == 0 or (counts < 0).any() or not counts.any():
        raise ForecastError(
            "the history has no finished item to forecast from", code="history.empty_window"
        )
    return counts


# -- milestones ---------------------------------------------------------------------------


def milestone_targets(schedule: Schedule, open_items: Iterable[str]) -> list[MilestoneTarget]:
    """Each milestone with the open items it depends on (its predecessors through links,
    a link to or from a summary standing for the summary's tasks, transitively), in
    dependency order, earliest scheduled first among independent ones; a milestone's
    target counts its own items and those of every milestone before it, as a team works
    towards them one after the other."""
    problem = schedule.problem
    project = problem.project
    pending = set(open_items)
    pred_edges = problem.edges.pred.tolist()
    preds = [[pred_edges[k] for k in ks] for ks in problem.preds]
    wbs = {task.id: n for n, task in enumerate(project.tasks)}
    marks = [i for i, tid in enumerate(problem.ids) if project.task_by_id[tid].milestone]
    mark_set = set(marks)
    needs: dict[int, set[str]] = {}
    before: dict[int, set[int]] = {}  # milestones each one waits for
    for m in marks:
        seen = {m}
        stack = [m]
        while stack:
            for i in preds[stack.pop()]:
                if i not in seen:
                    seen.add(i)
                    stack.append(i)
        needs[m] = {problem.ids[i] for i in seen if problem.ids[i] in pending}
        before[m] = (seen & mark_set) - {m}
    order: list[int] = []
    left = set(marks)
    while left:
        ready = [m for m in left if not before[m] & left]
        nxt = min(ready, key=lambda m: (schedule.early_finish_at[m], wbs[problem.ids[m]]))
        order.append(nxt)
        left.remove(nxt)
    taken: set[str] = set()
    found = []
    for m in order:
        task = project.task_by_id[problem.ids[m]]
        taken |= needs[m]
        deadline = task.deadline
        found.append(
            MilestoneTarget(
                id=task.id,
                name=task.name,
                items=tuple(sorted(needs[m], key=wbs.__getitem__)),
                target=len(taken),
                deadline=deadline.date() if isinstance(deadline, datetime) else deadline,
            )
        )
    return found
