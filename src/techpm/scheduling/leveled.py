"""Level a scheduled plan: book people, solve the leveling problem, and give the result back
as a Schedule with resource-aware dates, floats and assignments.

The engines search on a grid of project-calendar periods (resource_problem.py); their order
is then placed on the real calendars (calendar_sgs.py), beside two priority rules, and the
shortest wins. A result is called optimal only when it is proven for the real calendars: it
ends with the critical path, or the grid is exact for this plan (one calendar, people on
it, dates on the grid) and the engine proved its grid result.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from techpm.domain.errors import Diagnostic, Severity
from techpm.scheduling.assignment import fill_needs
from techpm.scheduling.bounds import NONE_HIGH, NONE_LOW, task_bounds
from techpm.scheduling.calendar_sgs import NO_TASK, CalendarSgs, Placement
from techpm.scheduling.cpm import all_moments, finish_bias
from techpm.scheduling.leveled_floats import leveled_late
from techpm.scheduling.leveling import EngineName, level
from techpm.scheduling.leveling_result import LevelingResult
from techpm.scheduling.rcpsp import RcpspProblem, makespan
from techpm.scheduling.resource_problem import LevelingInput, build_leveling_input
from techpm.scheduling.result import LevelingInfo, Schedule
from techpm.scheduling.sgs import repair_order

DECODES_PER_SECOND = 50  # placements on the real calendars a second asks, at 40 tasks


def level_schedule(
    schedule: Schedule,
    *,
    engine: EngineName = "heuristic",
    time_limit: float = 5.0,
    seed: int = 0,
    tiers: Sequence[int] | None = None,
) -> Schedule:
    """The shortest schedule found that never books any resource over its capacity.

    `tiers` (per leaf task, higher first) levels groups one after the other: a higher tier
    books the team first and keeps its dates while the next fits around it, as projects of
    different priority in a portfolio.
    """
    problem = schedule.problem
    bookings, choices = fill_needs(schedule)
    data = build_leveling_input(schedule, bookings)
    rcpsp = data.rcpsp
    sgs = CalendarSgs(schedule, bookings)
    preds = _link_preds(schedule)

    def decode(order: list[int]) -> Placement:
        return _shown(sgs, sgs.decode(repair_order(order, preds)))

    began = time.perf_counter()
    candidates: list[tuple[str, Placement]] = []
    result: LevelingResult | None = None
    tiered = tiers is not None and len(set(tiers)) > 1
    if tiers is not None and tiered:
        lifted = _lifted(rcpsp, tiers)
        result = _level_in_tiers(rcpsp, lifted, engine, time_limit, seed)
        keys = [(-lifted[j], result.starts[j]) for j in range(problem.size)]
        candidates.append((result.engine, decode(_by(rcpsp, keys))))
    else:
        early, late_at = schedule.early_start_at, schedule.late_start_at
        for name, rule in (
            ("early-start rule", list(zip(early, late_at, strict=True))),
            ("late-start rule", list(zip(late_at, early, strict=True))),
        ):
            candidates.append((name, decode(_by(rcpsp, rule))))
        # a rule that ends with the network cannot be beaten: no search needed
        if min(p.finish_minute for _, p in candidates) > schedule.finish_minute:
            result = level(rcpsp, engine=engine, time_limit=time_limit, seed=seed)
            order = _by(rcpsp, [(start,) for start in result.starts])
            candidates.insert(0, (result.engine, decode(order)))
    produced_by, placed = min(candidates, key=lambda c: c[1].finish_minute)
    if result is not None and not tiered and not _grid_is_exact(schedule, data):
        # the grid only approximates other calendars: sample orders near the best one on
        # the real calendars, for a fixed number of tries (the same result on every run)
        better = _sampled(rcpsp, decode, placed, schedule.finish_minute, time_limit, seed)
        if better.finish_minute < placed.finish_minute:
            produced_by, placed = f"{produced_by} + sampling", better
    late = leveled_late(sgs, placed)
    n = problem.size
    # work already under way keeps its recorded start: it has no float, and is no path
    critical = [
        late.total_float[j] <= 0
        and not problem.complete[j]
        and problem.actual_start_minute[j] is None
        for j in range(n)
    ]
    tl = data.timeline
    span = tl.to_work(placed.finish_minute) - data.origin_w
    # nothing beats the network, nor any person's work done one piece after the other
    bound = tl.to_work(max(schedule.finish_minute, _work_bound(sgs))) - data.origin_w
    if result is not None and not tiered and _grid_is_exact(schedule, data):
        bound = max(bound, result.lower_bound * data.period_minutes)
    g = data.period_minutes
    leveled = replace(
        schedule,
        early_start_w=placed.start_w,
        early_finish_w=placed.finish_w,
        late_start_w=late.start_w,
        late_finish_w=late.finish_w,
        early_start_at=placed.start_at,
        early_finish_at=placed.finish_at,
        late_start_at=late.start_at,
        late_finish_at=late.finish_at,
        total_float=late.total_float,
        free_float=late.free_float,
        critical=critical,
        driver=placed.driver,
        finish_minute=max(placed.finish_at, default=schedule.finish_minute),
        assignments=tuple(bookings),
        resource_links=tuple(sorted((i, j) for j, i in enumerate(placed.blocker) if i != NO_TASK)),
        leveling=LevelingInfo(
            engine=engine,
            optimal=span <= bound,
            makespan_periods=-(-span // g),
            lower_bound_periods=bound // g,
            period_minutes=g,
            seconds=time.perf_counter() - began,
            choices=tuple(choices),
            makespan_minutes=span,
            lower_bound_minutes=bound,
            produced_by=produced_by,
        ),
    )
    return replace(leveled, diagnostics=tuple(_diagnostics(schedule, leveled)))


def _sampled(
    rcpsp: RcpspProblem,
    decode: Callable[[list[int]], Placement],
    best: Placement,
    target: int,
    time_limit: float,
    seed: int,
) -> Placement:
    """Orders by the best schedule's starts, each shifted by a random amount up to a quarter
    of the schedule's length; a better schedule becomes the new centre."""
    rng = random.Random(seed)
    tries = max(2, int(time_limit * DECODES_PER_SECOND * 40 / max(40, rcpsp.size)))
    for _ in range(tries):
        if best.finish_minute <= target:
            break
        first = min(best.start_at, default=0)
        spread = max(1, (best.finish_minute - first) // 4)
        keys = [(s + rng.randrange(spread),) for s in best.start_at]
        placed = decode(_by(rcpsp, keys))
        if placed.finish_minute < best.finish_minute:
            best = placed
    return best


def _by(rcpsp: RcpspProblem, keys: Sequence[tuple[int, ...]]) -> list[int]:
    """Tasks by key, predecessors first among equal keys."""
    rank = [0] * rcpsp.size
    for position, j in enumerate(rcpsp.topological_order):
        rank[j] = position
    return sorted(range(rcpsp.size), key=lambda j: (keys[j], rank[j]))


def _link_preds(schedule: Schedule) -> list[list[tuple[int, int]]]:
    pred = schedule.problem.edges.pred.tolist()
    return [[(pred[k], 0) for k in ks] for ks in schedule.problem.preds]


def _shown(sgs: CalendarSgs, placed: Placement) -> Placement:
    """The placement with milestones on the side of the day the unleveled schedule would
    show them (the same rules), and recorded progress as recorded."""
    problem = sgs.problem
    bias = finish_bias(problem, sgs.bounds, placed.driver, placed.start_w, placed.finish_w)
    starts, finishes = all_moments(problem, placed.start_w, placed.finish_w, bias)
    for j in sgs.pinned:
        starts[j], finishes[j] = placed.start_at[j], placed.finish_at[j]
    return replace(placed, start_at=starts, finish_at=finishes)


def _work_bound(sgs: CalendarSgs) -> int:
    """The earliest moment each person could be done with their work, over the persons whose
    tasks all run on one calendar: from the earliest their first task may start, the booked
    working time divided by what they can carry at once, on that calendar."""
    problem, schedule = sgs.problem, sgs.schedule
    tasks: dict[int, list[int]] = {}
    for j, needs in enumerate(sgs.demand):
        if sgs.bounds.fixed[j] == NONE_LOW:  # imposed dates take no turn
            for k, _ in needs:
                tasks.setdefault(k, []).append(j)
    latest = 0
    for k, jobs in tasks.items():
        calendars = {problem.calendar_idx[j] for j in jobs}
        if len(calendars) != 1 or sgs.capacity[k] <= 0:
            continue
        tl = problem.timelines[calendars.pop()]
        cap = sgs.capacity[k]
        work = sum(problem.duration[j] * min(cap, dict(sgs.demand[j])[k]) for j in jobs)
        first = min(schedule.early_start_w[j] for j in jobs)
        latest = max(latest, tl.finish_at(first + math.ceil(work / cap - 1e-9)))
    return latest


def _grid_is_exact(schedule: Schedule, data: LevelingInput) -> bool:
    """The leveling grid is the plan itself: one calendar for every task and person, and
    every date the bounds impose on a period boundary, nothing under way."""
    problem = schedule.problem
    project = problem.project
    if not problem.single_calendar or problem.calendar_idx[0] != 0:
        return False
    if any(r.calendar not in (None, project.info.calendar) for r in project.resources):
        return False
    if any(m is not None for m in problem.actual_start_minute):
        return False
    g, origin = data.period_minutes, data.origin_w
    bounds = task_bounds(problem)
    values = [v for v in bounds.low + bounds.fixed if v != NONE_LOW]
    values += [v for v in bounds.high if v != NONE_HIGH]
    return all((v - origin) % g == 0 for v in values)


def _lifted(rcpsp: RcpspProblem, tiers: Sequence[int]) -> list[int]:
    """A task that a higher tier waits for is leveled with that tier."""
    lifted = list(tiers)
    for i in reversed(rcpsp.topological_order):
        for j, _ in rcpsp.succs[i]:
            lifted[i] = max(lifted[i], lifted[j])
    return lifted


def _level_in_tiers(
    rcpsp: RcpspProblem, tiers: list[int], engine: EngineName, time_limit: float, seed: int
) -> LevelingResult:
    order = sorted(set(tiers), reverse=True)
    pinned: dict[int, int] = {}
    result: LevelingResult | None = None
    for tier in order:
        fixed = [pinned.get(j, rcpsp.fixed_of(j)) for j in range(rcpsp.size)]
        demand = tuple(rcpsp.demand[j] if tiers[j] >= tier else () for j in range(rcpsp.size))
        stage = replace(rcpsp, fixed=tuple(fixed), demand=demand)
        result = level(stage, engine=engine, time_limit=time_limit / len(order), seed=seed)
        for j in range(rcpsp.size):
            if tiers[j] == tier:
                pinned[j] = result.starts[j]
    assert result is not None
    starts = tuple(pinned[j] for j in range(rcpsp.size))
    return replace(result, starts=starts, makespan=makespan(rcpsp, starts), optimal=False)


def _diagnostics(unleveled: Schedule, leveled: Schedule) -> list[Diagnostic]:
    found = [d for d in unleveled.diagnostics if d.code != "schedule.negative_float"]
    negative = [leveled.problem.ids[j] for j, f in enumerate(leveled.total_float) if f < 0]
    missed = [c for c in leveled.constraint_checks if not c.holds]
    problem = leveled.problem
    tl = problem.timelines[0]
    for check in missed:
        row = leveled.row(check.task_id)
        on_finish = check.kind in ("deadline",) or "finish" in check.kind
        moment = problem.moment_minute(row.finish if on_finish else row.start, finish=False)
        limit = problem.moment_minute(check.on, finish=on_finish)
        late = (tl.to_work(moment) - tl.to_work(limit)) / problem.minutes_per_day
        by = f" by {late:g} working day{'' if late == 1 else 's'}" if late > 0 else ""
        found.append(
            Diagnostic(
                code="leveling.constraint_missed",
                severity=Severity.WARNING,
                message=f"leveled, task {check.task_id!r} "
                f"{'finishes' if on_finish else 'starts'} "
                f"{(row.finish if on_finish else row.start):%Y-%m-%d}: its {check.kind} "
                f"{check.on} is missed{by}",
                subjects=(check.task_id,),
            )
        )
    if negative:
        found.append(
            Diagnostic(
                code="schedule.negative_float",
                severity=Severity.WARNING,
                message=f"{len(negative)} task(s) have negative float after leveling",
                subjects=tuple(negative),
            )
        )
    return found
