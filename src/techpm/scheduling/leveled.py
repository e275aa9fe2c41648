"""Level a scheduled plan: book people, solve the leveling problem, and give the result back
as a Schedule with resource-aware dates, floats and assignments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from techpm.domain.errors import Diagnostic, Severity
from techpm.scheduling.assignment import fill_needs
from techpm.scheduling.bounds import task_bounds
from techpm.scheduling.cpm import finish_bias
from techpm.scheduling.leveling import EngineName, level
from techpm.scheduling.leveling_result import LevelingResult
from techpm.scheduling.rcpsp import RcpspProblem, makespan
from techpm.scheduling.resource_problem import build_leveling_input
from techpm.scheduling.result import LevelingInfo, Schedule
from techpm.scheduling.sgs import SerialSgs, repair_order


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
    if tiers is not None and len(set(tiers)) > 1:
        result = _level_in_tiers(rcpsp, _lifted(rcpsp, tiers), engine, time_limit, seed)
    else:
        result = level(rcpsp, engine=engine, time_limit=time_limit, seed=seed)
    starts = list(result.starts)
    span = makespan(rcpsp, starts)
    late = _right_justified(rcpsp, starts, span)
    g = data.period_minutes
    tl = data.timeline
    n = problem.size
    es_w0 = [data.origin_w + s * g for s in starts]
    ls_w0 = [data.origin_w + s * g for s in late]
    # a milestone sits where its driver puts it, as in the unleveled schedule
    bias = finish_bias(
        problem,
        task_bounds(problem),
        schedule.driver,
        schedule.early_start_w,
        schedule.early_finish_w,
    )
    es_at: list[int] = []
    ef_at: list[int] = []
    ls_at: list[int] = []
    lf_at: list[int] = []
    for j in range(n):
        dur = problem.duration[j]
        task_tl = problem.timelines[problem.calendar_idx[j]]
        if problem.milestone[j] and dur == 0 and problem.actual_start_minute[j] is None:
            for w0, outs in ((es_w0[j], (es_at, ef_at)), (ls_w0[j], (ls_at, lf_at))):
                moment = tl.finish_at(w0) if bias[j] else tl.start_at(w0)
                own_w = task_tl.to_work(moment)
                at = task_tl.finish_at(own_w) if bias[j] else task_tl.start_at(own_w)
                outs[0].append(at)
                outs[1].append(at)
        elif problem.actual_start_minute[j] is not None:
            # recorded progress is kept as it happened
            es_at.append(schedule.early_start_at[j])
            ef_at.append(schedule.early_finish_at[j])
            ls_at.append(schedule.early_start_at[j])
            lf_at.append(schedule.early_finish_at[j])
        else:
            # a task works on its own calendar from the first moment it can in its period
            for w0, starts_out, finishes_out in (
                (es_w0[j], es_at, ef_at),
                (ls_w0[j], ls_at, lf_at),
            ):
                begin = task_tl.to_work(tl.start_at(w0))
                starts_out.append(task_tl.start_at(begin))
                finishes_out.append(task_tl.finish_at(begin + dur))
    own = [problem.timelines[c] for c in problem.calendar_idx]
    total = [(late[j] - starts[j]) * g for j in range(n)]
    free = [min(total[j], _free_periods(rcpsp, starts, span, j) * g) for j in range(n)]
    # work already under way keeps its recorded start: it has no float, and is no path
    critical = [
        total[j] <= 0 and not problem.complete[j] and problem.actual_start_minute[j] is None
        for j in range(n)
    ]
    leveled = replace(
        schedule,
        early_start_w=[own[j].to_work(es_at[j]) for j in range(n)],
        early_finish_w=[own[j].to_work(ef_at[j]) for j in range(n)],
        late_start_w=[own[j].to_work(ls_at[j]) for j in range(n)],
        late_finish_w=[own[j].to_work(lf_at[j]) for j in range(n)],
        early_start_at=es_at,
        early_finish_at=ef_at,
        late_start_at=ls_at,
        late_finish_at=lf_at,
        total_float=total,
        free_float=[max(0, f) for f in free],
        critical=critical,
        finish_minute=max(ef_at, default=schedule.finish_minute),
        assignments=tuple(bookings),
        resource_links=_resource_links(rcpsp, starts),
        leveling=LevelingInfo(
            engine=result.engine,
            optimal=result.optimal,
            makespan_periods=span,
            lower_bound_periods=result.lower_bound,
            period_minutes=g,
            seconds=result.seconds,
            choices=tuple(choices),
        ),
    )
    return replace(leveled, diagnostics=tuple(_diagnostics(schedule, leveled)))


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


def _right_justified(rcpsp: RcpspProblem, starts: list[int], span: int) -> list[int]:
    """Latest starts that keep the leveled finish and every booking feasible."""
    sgs = SerialSgs(rcpsp)
    mirror = sgs.reversed_for(span)
    p = rcpsp.duration
    order = sorted(range(rcpsp.size), key=lambda j: -(starts[j] + p[j]))
    back = mirror.forward(repair_order(order, mirror.preds))
    late = [span - back[j] - p[j] for j in range(rcpsp.size)]
    return [max(s, t) for s, t in zip(starts, late, strict=True)]


def _resource_links(rcpsp: RcpspProblem, starts: list[int]) -> tuple[tuple[int, int], ...]:
    """Pairs where one task starts the moment another using a common resource finishes."""
    ending: dict[tuple[int, int], list[int]] = {}
    for i in range(rcpsp.size):
        for k, _ in rcpsp.demand[i]:
            ending.setdefault((k, starts[i] + rcpsp.duration[i]), []).append(i)
    links = {
        (i, j)
        for j in range(rcpsp.size)
        if rcpsp.duration[j]
        for k, _ in rcpsp.demand[j]
        for i in ending.get((k, starts[j]), ())
        if i != j and rcpsp.duration[i]
    }
    return tuple(sorted(links))


def _free_periods(rcpsp: RcpspProblem, starts: list[int], span: int, j: int) -> int:
    slack = [starts[k] - starts[j] - d for k, d in rcpsp.succs[j]]
    return min(slack) if slack else span - starts[j] - rcpsp.duration[j]


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
