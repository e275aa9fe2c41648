"""Benchmark: Monte Carlo simulation speed.

    .venv/bin/python bench/simulate.py [--tasks 1000] [--iterations 10000 100000]

Generates a plan of N tasks with about 3 finish-to-start links each (a three-point estimate
on every task, 20 risks), times `simulate` (vectorised over chunks of iterations) for each
iteration count, median of 3, and times a plain per-iteration Python loop doing the same
analysis on the same network (draws, forward and backward passes, criticality) to show
the speed-up.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from techpm.forecasting.sampling import draw
from techpm.forecasting.simulation import simulate
from techpm.services.planning import schedule_plan


def generate(n: int, seed: int = 3) -> str:
    rng = random.Random(seed)
    lines = ["project: {name: Simulated, start: 2027-01-04}", "tasks:"]
    for i in range(n):
        window = range(max(0, i - 50), i)
        preds = sorted(rng.sample(window, min(3, len(window))))
        likely = rng.randint(2, 10)
        est = f"{{optimistic: {likely - 1}d, likely: {likely}d, pessimistic: {likely * 2}d}}"
        after = f", after: [{', '.join(f't{p}' for p in preds)}]" if preds else ""
        lines.append(f"  - {{id: t{i}, name: Task {i}, estimate: {est}{after}}}")
    lines.append("risks:")
    for r in range(20):
        task = rng.randrange(n)
        lines.append(
            f"  - {{id: r{r}, title: Risk {r}, probability: {rng.uniform(0.05, 0.5):.2f}, "
            f"impact: {{schedule: [{{task: t{task}, delay: {rng.randint(1, 10)}d}}], cost: 1000}}}}"
        )
    return "\n".join(lines) + "\n"


def loop_baseline(problem, iterations: int, rng: np.random.Generator) -> float:  # type: ignore[no-untyped-def]
    """The same analysis as a plain loop: per iteration, draw the durations and risks, run
    the forward and backward passes task by task, and count critical tasks."""
    project = problem.project
    estimates = [project.task_by_id[t].estimate for t in problem.ids]
    links = list(zip(problem.edges.pred.tolist(), problem.edges.succ.tolist(), strict=True))
    preds = [[links[k][0] for k in ks] for ks in problem.preds]
    succs = [[links[k][1] for k in ks] for ks in problem.succs]
    risks = [
        (r.probability, problem.index[r.delays[0].task], r.delays[0].minutes) for r in project.risks
    ]
    order = problem.order
    critical = [0] * problem.size
    began = time.perf_counter()
    for _ in range(iterations):
        dur = [
            float(draw(e, 1, rng)[0]) if e else d
            for e, d in zip(estimates, problem.duration, strict=True)
        ]
        for chance, j, minutes in risks:
            if rng.random() < chance:
                dur[j] += minutes
        es = [0.0] * problem.size
        for j in order:
            es[j] = max((es[i] + dur[i] for i in preds[j]), default=0.0)
        finish = max(es[j] + dur[j] for j in order)
        ls = [0.0] * problem.size
        for i in reversed(order):
            ls[i] = min((ls[j] for j in succs[i]), default=finish) - dur[i]
            if ls[i] - es[i] <= 1e-6:
                critical[i] += 1
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--iterations", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--loop-iterations", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.yaml"
        path.write_text(generate(args.tasks))
        problem = schedule_plan(path).problem
    print(f"plan: {problem.size} tasks, {len(problem.edges)} links, 20 risks", flush=True)
    per_iteration = {}
    for iterations in args.iterations:
        times = []
        for seed in range(3):
            began = time.perf_counter()
            simulate(problem, iterations, np.random.default_rng(seed))
            times.append(time.perf_counter() - began)
        median = statistics.median(times)
        per_iteration[iterations] = median / iterations
        print(f"simulate  iterations={iterations:>7} time={median:.3f}s", flush=True)
    loop = loop_baseline(problem, args.loop_iterations, np.random.default_rng(0))
    loop_each = loop / args.loop_iterations
    fastest = min(per_iteration.values())
    print(
        f"python loop iterations={args.loop_iterations} time={loop:.3f}s "
        f"({loop_each * 10_000:.1f}s per 10,000); vectorised is {loop_each / fastest:.0f}x faster",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
