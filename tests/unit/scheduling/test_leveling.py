"""The leveling engines: always feasible, never longer than needed with ample capacity,
and at the published optimum on PSPLIB instances they can prove."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from techpm.interop.psplib import read_psplib
from techpm.scheduling.heuristic import activity_list
from techpm.scheduling.leveling import level, lower_bound
from techpm.scheduling.rcpsp import RcpspProblem, makespan
from techpm.scheduling.sgs import SerialSgs
from techpm.scheduling.verify import verify_schedule

PSPLIB = Path(__file__).resolve().parents[4] / "shared" / "benchmarks" / "psplib" / "j30"
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def problems(draw: st.DrawFn, *, ample: bool = False) -> RcpspProblem:
    n = draw(st.integers(1, 14))
    resources = draw(st.integers(1, 3))
    capacity = tuple(draw(st.integers(1, 6)) for _ in range(resources))
    duration = tuple(draw(st.integers(0, 6)) for _ in range(n))
    demand = []
    for _ in range(n):
        used = draw(st.sets(st.integers(0, resources - 1), max_size=resources))
        demand.append(tuple((k, draw(st.integers(1, capacity[k]))) for k in sorted(used)))
    links = []
    for j in range(1, n):
        for i in draw(st.sets(st.integers(0, j - 1), max_size=2)):
            kind = draw(st.sampled_from(["FS", "SS", "FF"]))
            lag = draw(st.integers(-2, 3))
            delay = {"FS": duration[i], "SS": 0, "FF": duration[i] - duration[j]}[kind] + lag
            links.append((i, j, delay))
    changes: tuple[tuple[tuple[int, int, int], ...], ...] = ()
    if ample:
        total = [sum(u for d in demand for r, u in d if r == k) for k in range(resources)]
        capacity = tuple(max(c, t) for c, t in zip(capacity, total, strict=True))
    elif draw(st.booleans()):
        changes = tuple(
            ((draw(st.integers(0, 10)), draw(st.integers(10, 20)), capacity[k] // 2),)
            for k in range(resources)
        )
    release = tuple(draw(st.integers(0, 4)) for _ in range(n))
    fixed: list[int | None] = [None] * n
    free = [j for j in range(n) if not any(j == b for _, b, _ in links)]
    if not ample and not changes and free and draw(st.booleans()):
        # one activity with an imposed start (an actual, or a must-start-on date)
        j = draw(st.sampled_from(free))
        fixed[j] = release[j] + draw(st.integers(0, 8))
    return RcpspProblem(
        duration=duration,
        demand=tuple(demand),
        capacity=capacity,
        links=tuple(links),
        release=release,
        fixed=tuple(fixed),
        capacity_changes=changes,
    )


@FAST
@given(problems())
def test_heuristic_schedules_are_feasible(problem: RcpspProblem) -> None:
    result = level(problem, time_limit=0.02)
    assert verify_schedule(problem, result.starts) == []
    assert result.makespan == makespan(problem, result.starts)
    assert result.lower_bound <= result.makespan


@FAST
@given(problems(ample=True))
def test_ample_capacity_never_lengthens_the_critical_path(problem: RcpspProblem) -> None:
    result = level(problem, time_limit=0.02)
    assert result.makespan == problem.critical_path_bound
    assert result.optimal


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_cpsat_is_feasible_and_no_worse_than_the_heuristic(problem: RcpspProblem) -> None:
    heuristic = level(problem, time_limit=0.02)
    exact = level(problem, engine="cpsat", time_limit=0.5)
    assert verify_schedule(problem, exact.starts) == []
    assert exact.makespan <= heuristic.makespan
    assert exact.lower_bound <= exact.makespan


def test_justification_never_lengthens() -> None:
    rng = random.Random(3)
    problem = RcpspProblem(
        duration=(3, 2, 4, 1, 2),
        demand=(((0, 2),), ((0, 2),), ((0, 1),), ((0, 3),), ((0, 1),)),
        capacity=(3,),
        links=((0, 3, 3), (1, 4, 2)),
    )
    sgs = SerialSgs(problem)
    for _ in range(20):
        order = activity_list(problem, [rng.random() for _ in range(problem.size)])
        starts = sgs.forward(order)
        better = sgs.justify(starts)
        assert makespan(problem, better) <= makespan(problem, starts)
        assert verify_schedule(problem, better) == []


@pytest.mark.skipif(not PSPLIB.is_dir(), reason=f"PSPLIB instances not found at {PSPLIB}")
@pytest.mark.parametrize(("name", "optimum"), [("j301_1", 43), ("j301_2", 47), ("j3010_1", 42)])
def test_published_optimum(name: str, optimum: int) -> None:
    """Optimal makespans from j30opt.sm (Demeulemeester & Herroelen 1995)."""
    problem = read_psplib(PSPLIB / f"{name}.sm")
    result = level(problem, engine="cpsat", time_limit=2.0)
    assert result.makespan == optimum
    assert result.optimal
    assert verify_schedule(problem, result.starts) == []
    assert lower_bound(problem) <= optimum
