"""Benchmark: leveling on PSPLIB single-mode instances (j30, j60).

    .venv/bin/python bench/psplib.py [--set j30|j60] [--engine cpsat|heuristic]
        [--time-limit 1.0] [--baseline cpsat] [--processes 2] [--every 1]

Each instance is read exactly (interop/psplib.py), leveled with the given engine under the
time limit on one core (one CP-SAT worker), and checked by the independent checker. Prints
the mean deviation from the optimum or best known makespan (PSPLIB tables, see
../shared/benchmarks/psplib/PROVENANCE.md), the number of instances at that makespan, the
number proven optimal, the deviation from the critical-path bound, and the mean time.
`--baseline cpsat` also runs a plain CP-SAT model (no warm start, default search, same limit)
on every instance in the same run, so the comparison holds on a noisy machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path

from ortools.sat.python import cp_model

from techpm.interop.psplib import read_psplib, read_reference
from techpm.scheduling.leveling import level
from techpm.scheduling.rcpsp import RcpspProblem, makespan
from techpm.scheduling.verify import verify_schedule

DATA = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "psplib"


@dataclass(frozen=True)
class Outcome:
    instance: str
    makespan: int
    proven: bool
    feasible: bool
    seconds: float


def raw_cpsat(problem: RcpspProblem, time_limit: float) -> tuple[list[int], bool]:
    """The textbook model: interval per activity, cumulative per resource, no help."""
    model = cp_model.CpModel()
    horizon = sum(problem.duration)
    starts = [model.new_int_var(0, horizon, f"s{j}") for j in range(problem.size)]
    for i, j, delay in problem.links:
        model.add(starts[j] >= starts[i] + delay)
    for k in range(problem.resources):
        intervals, demands = [], []
        for j in range(problem.size):
            for r, u in problem.demand[j]:
                if r == k and problem.duration[j]:
                    intervals.append(
                        model.new_fixed_size_interval_var(starts[j], problem.duration[j], "")
                    )
                    demands.append(u)
        model.add_cumulative(intervals, demands, problem.capacity[k])
    span = model.new_int_var(0, horizon, "makespan")
    for j in range(problem.size):
        model.add(span >= starts[j] + problem.duration[j])
    model.minimize(span)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    return [int(solver.value(s)) for s in starts], status == cp_model.OPTIMAL


def run_one(task: tuple[str, str, str, float]) -> Outcome:
    folder, name, engine, limit = task
    problem = read_psplib(DATA / folder / f"{name}.sm")
    began = time.perf_counter()
    if engine == "raw-cpsat":
        starts, proven = raw_cpsat(problem, limit)
    else:
        result = level(problem, engine=engine, time_limit=limit)  # type: ignore[arg-type]
        starts, proven = list(result.starts), result.optimal
    seconds = time.perf_counter() - began
    return Outcome(
        name, makespan(problem, starts), proven, not verify_schedule(problem, starts), seconds
    )


def reference(folder: str) -> dict[str, dict[str, int]]:
    return read_reference(DATA / f"{folder}_reference.tsv")


def summarize(label: str, outcomes: list[Outcome], ref: dict[str, dict[str, int]]) -> None:
    dev = [100 * (o.makespan - ref[o.instance]["ub"]) / ref[o.instance]["ub"] for o in outcomes]
    cpm = [
        100 * (o.makespan - ref[o.instance]["cpm_lb"]) / ref[o.instance]["cpm_lb"] for o in outcomes
    ]
    at_best = sum(o.makespan == ref[o.instance]["ub"] for o in outcomes)
    better = sum(o.makespan < ref[o.instance]["ub"] for o in outcomes)
    print(
        f"{label:<22} instances={len(outcomes)} feasible={sum(o.feasible for o in outcomes)} "
        f"dev_best={statistics.mean(dev):.3f}% at_best={at_best} better={better} "
        f"proven={sum(o.proven for o in outcomes)} dev_cpm={statistics.mean(cpm):.2f}% "
        f"mean_time={statistics.mean(o.seconds for o in outcomes):.3f}s",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", default="j30", choices=["j30", "j60"])
    parser.add_argument("--engine", default="cpsat", choices=["cpsat", "heuristic"])
    parser.add_argument("--time-limit", type=float, default=1.0)
    parser.add_argument("--baseline", choices=["cpsat"], default=None)
    parser.add_argument("--processes", type=int, default=2, help="instances run side by side")
    parser.add_argument("--every", type=int, default=1, help="take every n-th instance")
    args = parser.parse_args()
    ref = reference(args.set)
    names = sorted(ref, key=lambda s: tuple(int(x) for x in s[3:].split("_")))[:: args.every]
    runs = [(args.engine, f"techpm {args.engine}")]
    if args.baseline:
        runs.append(("raw-cpsat", "raw CP-SAT"))
    print(
        f"PSPLIB {args.set}: {len(names)} instances, {args.time_limit}s each, one core each, "
        f"{args.processes} at a time",
        flush=True,
    )
    with Pool(args.processes) as pool:
        for engine, label in runs:
            tasks = [(args.set, name, engine, args.time_limit) for name in names]
            outcomes = pool.map(run_one, tasks, chunksize=4)
            summarize(label, outcomes, ref)
    return 0


if __name__ == "__main__":
    sys.exit(main())
