"""The optimizing leveling engine: OR-Tools CP-SAT, warm-started from the heuristic.

Starts are integer variables within their critical-path windows under the heuristic's
makespan; each resource is a cumulative constraint (spans of reduced capacity become fixed
blocking intervals); the makespan is minimised. The solver either proves the result
optimal or reports the best lower bound it found.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from techpm.scheduling.leveling_result import LevelingResult
from techpm.scheduling.rcpsp import RcpspProblem, makespan, tardiness
from techpm.scheduling.sgs import SerialSgs

# CP-SAT's deterministic time per wall second, measured on one shared core (2.4 units took
# 5.2 s on a 1,000-task plan): the limit is work, so a run takes about the seconds asked
DETERMINISTIC_PER_SECOND = 0.45


def level_cpsat(
    problem: RcpspProblem,
    warm: LevelingResult,
    *,
    time_limit: float,
    workers: int = 1,
    seed: int = 0,
) -> LevelingResult:
    began = time.perf_counter()
    if warm.optimal or time_limit <= 0:
        return warm
    horizon = warm.makespan
    n = problem.size
    es = problem.earliest_starts
    ls = problem.tails(horizon, with_due=False)
    model = cp_model.CpModel()
    starts = []
    for j in range(n):
        fixed = problem.fixed_of(j)
        low, high = (fixed, fixed) if fixed is not None else (es[j], max(es[j], ls[j]))
        starts.append(model.new_int_var(low, high, f"s{j}"))
    for i, j, delay in problem.links:
        model.add(starts[j] >= starts[i] + delay)
    for k in range(problem.resources):
        intervals = []
        demands = []
        for j in range(n):
            for resource, units in problem.demand[j]:
                if resource == k and units and problem.duration[j]:
                    intervals.append(
                        model.new_fixed_size_interval_var(starts[j], problem.duration[j], f"i{j}")
                    )
                    demands.append(units)
        peak = max([problem.capacity[k]] + [u for *_, u in _changes(problem, k)])
        for start, end, units in _changes(problem, k):
            if units < peak and end > start:
                intervals.append(model.new_fixed_size_interval_var(start, end - start, "off"))
                demands.append(peak - units)
        if problem.capacity[k] < peak:
            intervals.append(model.new_fixed_size_interval_var(0, horizon, "base"))
            demands.append(peak - problem.capacity[k])
        if intervals:
            model.add_cumulative(intervals, demands, peak)
    span = model.new_int_var(warm.lower_bound, horizon, "makespan")
    for j in range(n):
        model.add(span >= starts[j] + problem.duration[j])
    late = []
    for j, due in enumerate(problem.due):
        if due is not None:
            worst = max(0, horizon - due)
            tardy = model.new_int_var(0, worst, f"late{j}")
            model.add(tardy >= starts[j] + problem.duration[j] - due)
            late.append((tardy, worst))
    if late:
        # the makespan first; among the shortest schedules, the fewest periods past due dates
        weight = sum(worst for _, worst in late) + 1
        model.minimize(span * weight + sum(tardy for tardy, _ in late))
    else:
        model.minimize(span)
    for j in range(n):
        model.add_hint(starts[j], warm.starts[j])

    solver = cp_model.CpSolver()
    # deterministic time and a fixed seed: the same result on every run; wall time only
    # guards against a machine many times slower
    solver.parameters.max_deterministic_time = max(0.01, DETERMINISTIC_PER_SECOND * time_limit)
    solver.parameters.max_time_in_seconds = max(1.0, 20 * time_limit)
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers
    solver.parameters.interleave_search = workers > 1
    # restarts with varied heuristics: measured best on PSPLIB j30 with one worker
    solver.parameters.search_branching = cp_model.PORTFOLIO_WITH_QUICK_RESTART_SEARCH
    status = solver.solve(model)
    best = warm
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        found = _left_justified(problem, [int(solver.value(s)) for s in starts])
        if (makespan(problem, found), tardiness(problem, found)) <= (
            warm.makespan,
            tardiness(problem, warm.starts),
        ):
            best = LevelingResult(
                starts=found,
                makespan=makespan(problem, found),
                lower_bound=warm.lower_bound,
                optimal=False,
                engine="cpsat",
                schedules=warm.schedules,
                seconds=0.0,
            )
    # the engine whose schedule is returned: the warm start when CP-SAT found none better
    bound = warm.lower_bound
    if not late:
        bound = max(bound, int(solver.best_objective_bound))
    if status == cp_model.OPTIMAL:
        bound = max(bound, best.makespan)
    return LevelingResult(
        starts=best.starts,
        makespan=best.makespan,
        lower_bound=bound,
        optimal=status == cp_model.OPTIMAL or (best.makespan <= bound and not late),
        engine=best.engine,
        schedules=best.schedules,
        seconds=warm.seconds + time.perf_counter() - began,
    )


def _changes(problem: RcpspProblem, k: int) -> tuple[tuple[int, int, int], ...]:
    return problem.capacity_changes[k] if problem.capacity_changes else ()


def _left_justified(problem: RcpspProblem, starts: list[int]) -> tuple[int, ...]:
    """The solver only minimises the finish, so tasks off the critical path may sit later
    than needed; the serial scheme in the solver's order starts each as early as the others
    allow, which never moves anything later (Sprecher, Kolisch & Drexl 1995)."""
    sgs = SerialSgs(problem)
    shifted = sgs.forward(sgs.feasible(sgs.list_of(starts)))
    if all(a <= b for a, b in zip(shifted, starts, strict=True)):
        return tuple(shifted)
    return tuple(starts)
