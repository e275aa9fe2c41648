"""Resource leveling engines behind one entry point.

`heuristic`: a genetic algorithm over activity lists decoded by the serial scheme, each
schedule improved by justification, for a number of schedules that the time limit stands
for (fast, any size; see heuristic.py).
`cpsat`: OR-Tools CP-SAT, warm-started from the heuristic, which proves optimality or
reports its lower bound; its limit is deterministic time with one worker and a fixed seed.

Neither reads the wall clock to stop, so a plan levels the same on every run and machine.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from typing import Literal

from techpm.scheduling.heuristic import budget_for, search
from techpm.scheduling.leveling_result import LevelingResult
from techpm.scheduling.rcpsp import RcpspProblem

EngineName = Literal["heuristic", "cpsat"]


def lower_bound(problem: RcpspProblem) -> int:
    """Critical path, and for each resource the work it must carry over its capacity."""
    bound = problem.critical_path_bound
    if problem.capacity_changes and any(problem.capacity_changes):
        return bound
    for k, capacity in enumerate(problem.capacity):
        if capacity <= 0:
            continue
        work = sum(
            problem.duration[j] * u
            for j in range(problem.size)
            for r, u in problem.demand[j]
            if r == k
        )
        bound = max(bound, math.ceil(work / capacity))
    return bound


def level(
    problem: RcpspProblem,
    *,
    engine: EngineName = "heuristic",
    time_limit: float = 1.0,
    seed: int = 0,
    workers: int = 1,
) -> LevelingResult:
    """Shortest feasible schedule the engine finds in a search of about `time_limit` seconds
    (a work budget, the same on every run)."""
    if engine == "cpsat":
        from techpm.scheduling.cpsat import level_cpsat

        # a short warm start: on PSPLIB j30, CP-SAT makes better use of the time
        warm = level_heuristic(
            problem, time_limit=min(0.05, time_limit / 20), rng=random.Random(seed)
        )
        return level_cpsat(problem, warm, time_limit=time_limit * 0.95, workers=workers, seed=seed)
    return level_heuristic(problem, time_limit=time_limit, rng=random.Random(seed))


def level_heuristic(
    problem: RcpspProblem,
    *,
    time_limit: float,
    rng: random.Random,
    clock: Callable[[], float] = time.perf_counter,
) -> LevelingResult:
    """The genetic search with the work budget `time_limit` stands for; `clock` only
    measures the time it took."""
    began = clock()
    bound = lower_bound(problem)
    ga = search(problem, budget=budget_for(problem, time_limit), rng=rng, bound=bound)
    return LevelingResult(
        starts=tuple(ga.best),
        makespan=int(ga.best_span),
        lower_bound=bound,
        optimal=ga.done(),
        engine="heuristic",
        schedules=ga.schedules,
        seconds=clock() - began,
    )
