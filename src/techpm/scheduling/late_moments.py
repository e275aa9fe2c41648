"""Late dates as moments that keep every link, across calendars.

A late start is a working offset on the task's own calendar; read as a moment it is normally
the first working minute at that offset. When the limit comes from a successor on another
calendar, that minute can lie after the limit: the successor's late start (Thu 10:00) falls
on a day the predecessor does not work, and the predecessor's next working minute is
Saturday. Starting then would move the successor. The latest moment that keeps the link is
the end of the predecessor's previous working period (Wed 17:00), the same working offset,
so floats do not change; only the moment shown does. A milestone's late moment, likewise,
never lies after the project finish.
"""

from __future__ import annotations

import numpy as np

from techpm.scheduling.bounds import TaskBounds
from techpm.scheduling.problem import ScheduleProblem


def safe_late_moments(
    problem: ScheduleProblem,
    bounds: TaskBounds,
    late_start_w: list[int],
    late_finish_w: list[int],
    late_start_at: list[int],
    late_finish_at: list[int],
    finish_minute: int,
    *,
    vector: bool = False,
) -> None:
    """Move, in place, late moments that lie after a limit to the end of the working period
    before them (same working offset). On one calendar (`vector`) only milestones at the
    project finish can."""
    n = problem.size
    if vector:
        tl = problem.timelines[problem.calendar_idx[0]]
        for i in np.flatnonzero(np.asarray(late_start_at) > finish_minute).tolist():
            if problem.milestone[i] and late_start_w[i] == late_finish_w[i]:
                late_start_at[i] = late_finish_at[i] = tl.finish_at(late_start_w[i])
        return
    start_limit, finish_limit = _limits(problem, bounds, late_start_w, late_finish_w)
    for i in range(n):
        if problem.complete[i]:
            continue
        tl = problem.timelines[problem.calendar_idx[i]]
        point = problem.milestone[i] and late_start_w[i] == late_finish_w[i]
        if point:
            limit = min(start_limit[i], finish_limit[i], finish_minute)
            if late_start_at[i] > limit:
                late_start_at[i] = late_finish_at[i] = tl.finish_at(late_start_w[i])
            continue
        if late_start_at[i] > start_limit[i]:
            late_start_at[i] = tl.finish_at(late_start_w[i])


def _limits(
    problem: ScheduleProblem,
    bounds: TaskBounds,
    late_start_w: list[int],
    late_finish_w: list[int],
) -> tuple[list[int], list[int]]:
    """Per task, the latest moments its start and its finish may have, from the links to
    successors on other calendars (on one calendar the working offsets already say it)."""
    n = problem.size
    never = 1 << 62
    start_limit = [never] * n
    finish_limit = [never] * n
    cal = problem.calendar_idx
    edges = problem.edges
    pred = edges.pred.tolist()
    succ = edges.succ.tolist()
    from_finish = edges.from_finish.tolist()
    to_finish = edges.to_finish.tolist()
    lag = edges.lag_minutes.tolist()
    for k in range(len(pred)):
        i, j = pred[k], succ[k]
        if cal[i] == cal[j]:
            continue
        if not to_finish[k] and bounds.started[j]:
            continue  # a start that already happened no longer limits its predecessors
        other = problem.timelines[cal[j]]
        # the latest moment at which the link still lets j keep its late date
        limit = other.start_at((late_finish_w[j] if to_finish[k] else late_start_w[j]) - lag[k])
        if from_finish[k]:
            finish_limit[i] = min(finish_limit[i], limit)
        else:
            start_limit[i] = min(start_limit[i], limit)
    return start_limit, finish_limit
