"""The fast leveling engine: a genetic algorithm over activity lists with justification.

Individuals are precedence-feasible activity lists decoded by the serial scheme; every child
is improved by forward-backward justification and replaced by the list of its improved
schedule (Hartmann 1998 for the operators, Valls, Ballestin & Quintanilla 2005/2008 for
justification in the loop). Starts from priority rules (latest start, latest finish) so
that even a tiny budget gives a good schedule. The budget is a number of schedules, never
the wall clock: the same problem and seed give the same result on any machine.
"""

from __future__ import annotations

import heapq
import math
import random
import time
from collections.abc import Callable, Sequence

from techpm.scheduling.rcpsp import RcpspProblem, makespan, tardiness
from techpm.scheduling.sgs import SerialSgs

Clock = Callable[[], float]
POPULATION = 8
SCHEDULES_PER_SECOND = 12_000
REFERENCE_SIZE = 40


class GeneticSearch:
    def __init__(self, problem: RcpspProblem, rng: random.Random, bound: int) -> None:
        self.problem = problem
        self.rng = rng
        self.bound = bound
        self.sgs = SerialSgs(problem)
        self.n = problem.size
        self.tails = problem.tails(problem.critical_path_bound)
        self.priority = problem.priority or (0,) * self.n
        self.related = [
            {i for i, _ in problem.preds[j]} | {k for k, _ in problem.succs[j]}
            for j in range(self.n)
        ]
        self.schedules = 0
        self.best: list[int] = []
        self.best_span = math.inf
        self.best_late = math.inf
        self.population: list[tuple[int, list[int]]] = []

    def evaluate(self, order: Sequence[int], rounds: int = 1) -> tuple[int, list[int]]:
        """Decode, justify, and return the makespan and the list of the improved schedule."""
        # lists taken from schedules may put a successor first when a link has a lead
        feasible = self.sgs.feasible(list(order))
        starts = self.sgs.justify(self.sgs.forward(feasible), rounds)
        self.schedules += 3
        span = makespan(self.problem, starts)
        if self.problem.due:
            # a schedule that breaks no deadline is kept whatever justification does to them
            plain = self.sgs.forward(feasible)
            if makespan(self.problem, plain) == span and tardiness(self.problem, plain) < tardiness(
                self.problem, starts
            ):
                starts = plain
            late = tardiness(self.problem, starts)
            if span < self.best_span or (span == self.best_span and late < self.best_late):
                self.best, self.best_span, self.best_late = starts, span, late
        elif span < self.best_span:
            self.best, self.best_span = starts, span
        return span, self.sgs.list_of(starts)

    def done(self) -> bool:
        """Nothing left to gain: the makespan is at its bound and no deadline is missed."""
        return self.best_span <= self.bound and (not self.problem.due or self.best_late == 0)

    def seed(self, budget: int) -> None:
        n = self.n
        rules = [
            [self.tails[j] - self.priority[j] * 1e-6 for j in range(n)],
            [self.tails[j] + self.problem.duration[j] - self.priority[j] * 1e-6 for j in range(n)],
        ]
        spread = max(2, self.problem.critical_path_bound // 4)
        while len(self.population) < POPULATION and not self.done():
            if rules:
                keys = rules.pop(0)
            else:
                if self.schedules >= budget:
                    break
                keys = [self.tails[j] + self.rng.random() * spread for j in range(n)]
            self.population.append(self.evaluate(activity_list(self.problem, keys)))

    def evolve(self, budget: int) -> None:
        stale = 0
        while not self.done() and self.schedules < budget and len(self.population) > 1:
            mother = self._tournament()
            father = self._tournament()
            child = self._crossover(mother[1], father[1])
            self._mutate(child)
            before = self.best_span
            span, order = self.evaluate(child)
            stale = 0 if self.best_span < before else stale + 1
            worst = max(range(len(self.population)), key=lambda x: self.population[x][0])
            if span <= self.population[worst][0] and all(
                order != other for _, other in self.population
            ):
                self.population[worst] = (span, order)
            if stale > 6 * POPULATION:
                self._restart()
                stale = 0

    def _restart(self) -> None:
        """The population has converged: keep its best and sample the rest anew."""
        self.population.sort(key=lambda item: item[0])
        keep = self.population[: POPULATION // 4]
        spread = max(2, self.problem.critical_path_bound // (3 if self.rng.random() < 0.5 else 1))
        fresh = []
        for _ in range(POPULATION - len(keep)):
            keys = [self.tails[j] + self.rng.random() * spread for j in range(self.n)]
            fresh.append(self.evaluate(activity_list(self.problem, keys)))
        self.population = keep + fresh

    def _tournament(self) -> tuple[int, list[int]]:
        a, b = self.rng.sample(self.population, 2)
        return a if a[0] <= b[0] else b

    def _crossover(self, mother: list[int], father: list[int]) -> list[int]:
        """Two-point crossover: head of the mother, middle from the father, tail from the
        mother, each in its parent's order (keeps precedence feasibility)."""
        n = self.n
        q1, q2 = sorted(self.rng.sample(range(n + 1), 2))
        taken = set(mother[:q1])
        child = mother[:q1]
        for j in father:
            if len(child) >= q2:
                break
            if j not in taken:
                taken.add(j)
                child.append(j)
        child.extend(j for j in mother if j not in taken)
        return child

    def _mutate(self, order: list[int]) -> None:
        """Move one activity to a random place between its predecessors and successors."""
        n = self.n
        if n < 3 or self.rng.random() < 0.5:
            return
        pos = self.rng.randrange(n)
        j = order[pos]
        related = self.related[j]
        low = pos
        while low > 0 and order[low - 1] not in related:
            low -= 1
        high = pos
        while high < n - 1 and order[high + 1] not in related:
            high += 1
        target = self.rng.randint(low, high)
        del order[pos]
        order.insert(target, j)


def activity_list(problem: RcpspProblem, keys: Sequence[float]) -> list[int]:
    """Smallest key first among activities whose predecessors are listed."""
    waiting = [len(p) for p in problem.preds]
    ready = [(keys[j], j) for j in range(problem.size) if not waiting[j]]
    heapq.heapify(ready)
    out: list[int] = []
    succs = problem.succs
    while ready:
        _, i = heapq.heappop(ready)
        out.append(i)
        for j, _ in succs[i]:
            waiting[j] -= 1
            if not waiting[j]:
                heapq.heappush(ready, (keys[j], j))
    return out


def search(problem: RcpspProblem, *, budget: int, rng: random.Random, bound: int) -> GeneticSearch:
    """Search until `budget` schedules are generated (or nothing is left to gain)."""
    ga = GeneticSearch(problem, rng, bound)
    ga.seed(budget)
    ga.evolve(budget)
    return ga


def budget_for(problem: RcpspProblem, seconds: float) -> int:
    """Schedules the search may generate for about `seconds` on a modest machine: the serial
    scheme costs about one period check per activity, measured at some 12,000 schedules a
    second on a 40-activity plan on one quiet core."""
    per_second = SCHEDULES_PER_SECOND * REFERENCE_SIZE / max(REFERENCE_SIZE, problem.size)
    return max(1, int(seconds * per_second))


def default_clock() -> float:
    return time.perf_counter()
