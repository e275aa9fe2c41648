"""An independent check that a leveled schedule is feasible: links, releases, fixed starts and
the capacity of every resource in every period. Shares no code with the engines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from techpm.scheduling.rcpsp import RcpspProblem


@dataclass(frozen=True)
class Violation:
    kind: str  # "link", "release", "fixed", "capacity", "shape"
    message: str


def verify_schedule(problem: RcpspProblem, starts: Sequence[int]) -> list[Violation]:
    found: list[Violation] = []
    n = problem.size
    if len(starts) != n:
        return [Violation("shape", f"{len(starts)} starts for {n} activities")]
    for i, j, delay in problem.links:
        if starts[j] < starts[i] + delay:
            found.append(
                Violation(
                    "link",
                    f"activity {j} starts at {starts[j]}, before {starts[i]} + {delay} "
                    f"required by activity {i}",
                )
            )
    for j in range(n):
        if problem.release and starts[j] < problem.release[j]:
            found.append(
                Violation("release", f"activity {j} starts at {starts[j]} < {problem.release[j]}")
            )
        if problem.fixed and problem.fixed[j] is not None and starts[j] != problem.fixed[j]:
            found.append(
                Violation("fixed", f"activity {j} starts at {starts[j]}, not {problem.fixed[j]}")
            )
        if starts[j] < 0:
            found.append(Violation("release", f"activity {j} starts before period 0"))
    horizon = max((s + p for s, p in zip(starts, problem.duration, strict=True)), default=0)
    for k in range(problem.resources):
        available = [problem.capacity[k]] * horizon
        if problem.capacity_changes:
            for start, end, units in problem.capacity_changes[k]:
                for t in range(max(0, start), min(end, horizon)):
                    available[t] = units
        used = [0] * horizon
        for j in range(n):
            for resource, units in problem.demand[j]:
                if resource == k:
                    for t in range(starts[j], starts[j] + problem.duration[j]):
                        used[t] += units
        for t in range(horizon):
            if used[t] > available[t]:
                found.append(
                    Violation(
                        "capacity",
                        f"resource {k} is asked for {used[t]} units in period {t}, "
                        f"has {available[t]}",
                    )
                )
    return found
