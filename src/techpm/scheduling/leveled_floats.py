"""Late dates and floats of a leveled schedule, on real calendars.

A backward pass over the links and over the order leveling gave each person's work (a task
booked on someone finishes before the next task of theirs that starts after it), so that a
task moved to its late dates alone keeps every link, the leveled finish and every booking:
it never runs into a person's next task, nor into the days they are away.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from techpm.scheduling.bounds import NONE_HIGH
from techpm.scheduling.calendar_sgs import CalendarSgs, Placement
from techpm.scheduling.cpm import all_moments, finish_bias
from techpm.scheduling.late_moments import safe_late_moments
from techpm.scheduling.timeline import Timeline


@dataclass(frozen=True)
class LeveledLate:
    start_w: list[int]
    finish_w: list[int]
    start_at: list[int]
    finish_at: list[int]
    total_float: list[int]
    free_float: list[int]


def leveled_late(sgs: CalendarSgs, placed: Placement) -> LeveledLate:
    problem, bounds = sgs.problem, sgs.bounds
    n = problem.size
    tls = problem.timelines
    cal = problem.calendar_idx
    dur = problem.duration
    edges = problem.edges
    e_succ = edges.succ.tolist()
    e_ff = edges.from_finish.tolist()
    e_tf = edges.to_finish.tolist()
    e_lag = edges.lag_minutes.tolist()
    es_w, ef_w = placed.start_w, placed.finish_w
    finish_minute = placed.finish_minute
    finish_w = [tl.to_work(finish_minute) for tl in tls]
    after = resource_order(sgs, placed)
    ls_w, lf_w, free = [0] * n, [0] * n, [0] * n
    known = [False] * n

    def late_of(i: int) -> tuple[int, int]:
        """Late start and free float of i from what is known of its successors."""
        ci = cal[i]
        tl = tls[ci]
        di = dur[i]
        if problem.actual_start_minute[i] is not None:
            return es_w[i], 0  # recorded progress is kept as it happened
        lf = finish_w[ci] if bounds.high[i] == NONE_HIGH else min(finish_w[ci], bounds.high[i])
        slack: int | None = None
        links = [
            (e_succ[k], e_tf[k], e_lag[k], e_ff[k])
            for k in problem.succs[i]
            if e_tf[k] or not bounds.started[e_succ[k]]
        ]
        links += [(j, False, 0, True) for j in after[i]]
        for j, to_finish, lag, from_finish in links:
            early = (ef_w[j] if to_finish else es_w[j]) - lag
            if cal[j] != ci:
                early = tl.to_work(tls[cal[j]].start_at(early))
            gap = early - (ef_w[i] if from_finish else es_w[i])
            slack = gap if slack is None else min(slack, gap)
            if not known[j]:
                continue
            late = (lf_w[j] if to_finish else ls_w[j]) - lag
            if cal[j] != ci:
                late = tl.to_work(tls[cal[j]].start_at(late))
            lf = min(lf, late if from_finish else late + di)
        ls = lf - di
        if ls > es_w[i]:
            ls = _before_absences(sgs, i, ls, es_w[i])
        return ls, finish_w[ci] - ef_w[i] if slack is None else slack

    # latest first; a lead can put a linked task before a booking that follows it, so
    # passes repeat until nothing moves (each pass only moves dates earlier)
    order = sorted(range(n), key=lambda j: (-placed.start_at[j], -j))
    for _ in range(n + 1):
        moved = False
        for i in order:
            ls, free[i] = late_of(i)
            if not known[i] or ls != ls_w[i]:
                moved = moved or known[i]
                ls_w[i], lf_w[i], known[i] = ls, ls + dur[i], True
        if not moved:
            break
    bias = finish_bias(problem, bounds, placed.driver, es_w, ef_w)
    ls_at, lf_at = all_moments(problem, ls_w, lf_w, bias)
    safe_late_moments(problem, bounds, ls_w, lf_w, ls_at, lf_at, finish_minute)
    for i in range(n):
        if problem.actual_start_minute[i] is not None:
            ls_at[i], lf_at[i] = placed.start_at[i], placed.finish_at[i]
    total = [ls - es for ls, es in zip(ls_w, es_w, strict=True)]
    free_float = [max(0, min(f, t)) for f, t in zip(free, total, strict=True)]
    return LeveledLate(ls_w, lf_w, ls_at, lf_at, total, free_float)


def resource_order(sgs: CalendarSgs, placed: Placement) -> list[list[int]]:
    """Per task, the tasks of the same people that start after it finishes; only those not
    already implied through another (a task after b after a needs no a -> task)."""
    after: list[set[int]] = [set() for _ in range(sgs.problem.size)]
    users: dict[int, list[int]] = {}
    for j, needs in enumerate(sgs.demand):
        for k, _ in needs:
            users.setdefault(k, []).append(j)
    s, f = placed.start_at, placed.finish_at
    for jobs in users.values():
        by_finish = sorted(jobs, key=lambda j: (f[j], j))
        finishes = [f[j] for j in by_finish]
        for j in jobs:
            latest = -(1 << 62)
            for pos in range(bisect_right(finishes, s[j]) - 1, -1, -1):
                i = by_finish[pos]
                if i == j or finishes[pos] <= latest:
                    break
                after[i].add(j)
                latest = max(latest, s[i])
    return [sorted(a) for a in after]


def _before_absences(sgs: CalendarSgs, i: int, ls: int, es: int) -> int:
    """The latest start from `ls` down to `es` at which every person the task books is at
    work whenever it works."""
    tl = sgs.problem.timelines[sgs.problem.calendar_idx[i]]
    d = sgs.problem.duration[i]
    while ls > es:
        s, f = tl.start_at(ls), tl.finish_at(ls + d)
        away = [_last_away(tl, sgs.own(k), s, f) for k, _ in sgs.demand[i]]
        found = [a for a in away if a is not None]
        if not found:
            return ls
        ls = min(ls - 1, tl.to_work(max(found)) - d)
    return es


def _last_away(task_tl: Timeline, own: Timeline, s: int, f: int) -> int | None:
    """The start of the last working interval of the task in [s, f) in which the person is
    not at work the whole time."""
    task_tl.to_work(f)
    k = bisect_right(task_tl.starts, f) - 1
    while k >= 0 and task_tl.ends[k] > s:
        a, b = max(s, task_tl.starts[k]), min(f, task_tl.ends[k])
        if b > a and own.to_work(b) - own.to_work(a) < b - a:
            return a
        k -= 1
    return None
