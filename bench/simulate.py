"""Benchmark: Monte Carlo simulation speed.

    .venv/bin/python bench/simulate.py [--tasks 1000] [--iterations 10000 100000]
                                       [--release-iterations 10000] [--release-only]

Generates a plan of N tasks with about 3 finish-to-start links each (a three-point estimate
on every task, 20 risks), times `simulate` (vectorised over chunks of iterations) for each
iteration count, median of 3, and times a plain per-iteration Python loop doing the same
analysis on the same network (draws, forward and backward passes, criticality) to show
the speed-up.

Then a 48-task release plan (three teams with rates, fixed costs, procurement, six risks,
three with a response), once with every team on the US calendar and once with the QA team
on a Berlin calendar (other hours, German holidays), every link between the teams crossing
calendars: `simulate_plan` as `techpm simulate` runs it (the iterations, then again once per
response), best of 3, and the whole `techpm simulate` command, best of 3.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np

from techpm.forecasting.sampling import draw
from techpm.forecasting.simulation import simulate
from techpm.services.planning import schedule_plan
from techpm.services.simulating import simulate_plan

TECHPM = Path(sys.executable).with_name("techpm")


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


def release_plan(*, berlin: bool, seed: int = 12) -> str:
    """48 tasks in three teams of two; with `berlin`, the QA team on a Berlin calendar."""
    rng = random.Random(seed)
    where = ", calendar: berlin" if berlin else ""
    lines = [
        "project: {name: Release 4.2, start: 2027-04-05, calendar: us, currency: EUR}",
        "calendars:",
        "  us: {workweek: [mon, tue, wed, thu, fri], hours_per_day: 8, holidays: {country: US}}",
        "  berlin: {workweek: [mon, tue, wed, thu, fri], hours: ['08:00-12:00', '13:00-17:00'],"
        " holidays: {country: DE, subdiv: BE}}",
        "resources:",
        "  - {id: ana, name: Ana, rate: 95/h, skills: {backend: 3}}",
        "  - {id: ben, name: Ben, rate: 90/h, skills: {backend: 2}}",
        "  - {id: cho, name: Cho, rate: 85/h, skills: {mobile: 3}}",
        "  - {id: dev, name: Dev, rate: 80/h, skills: {mobile: 2}}",
        f"  - {{id: fay, name: Fay, rate: 700/d, skills: {{qa: 3}}{where}}}",
        f"  - {{id: gus, name: Gus, rate: 650/d, skills: {{l10n: 3}}{where}}}",
        "procurement:",
        "  - {id: devices, name: Test devices, quantity: 12, unit_cost: 400, lead_time_days: 10}",
        "  - {id: lic, name: Load-test licence, kind: license, quantity: 1, unit_cost: 3000,"
        " lead_time_days: 5}",
        "tasks:",
    ]
    teams = [
        ("backend", ["ana", "ben"], None),
        ("mobile", ["cho", "dev"], None),
        ("qa", ["fay", "gus"], "berlin" if berlin else None),
    ]
    ids: list[str] = []
    for w, (team, people, cal) in enumerate(teams):
        lines.append(f"  - id: {team}")
        lines.append(f"    name: {team.title()} work")
        if cal:
            lines.append(f"    calendar: {cal}")
        lines.append("    children:")
        for k in range(16 if w < 2 else 15):
            tid = f"{team}{k}"
            likely = rng.randint(2, 8)
            low, high = max(1, likely - 1), likely * 2
            est = f"{{optimistic: {low}d, likely: {likely}d, pessimistic: {high}d}}"
            preds: list[str] = []
            if k:
                preds.append(f"{team}{k - 1}")
            if ids and rng.random() < 0.5:
                other = rng.choice(ids[: max(1, len(ids) - 3)])
                if not other.startswith(team):
                    preds.append(other)
            extra = ""
            if rng.random() < 0.15:
                extra += f", fixed_cost: {rng.choice([500, 1200, 2500])}"
            if team == "qa" and k == 2:
                extra += ", needs_items: [devices]"
            if team == "backend" and k == 9:
                extra += ", needs_items: [lic]"
            after = f", after: [{', '.join(preds)}]" if preds else ""
            who = people[k % 2]
            lines.append(
                f"      - {{id: {tid}, name: {team} step {k}, estimate: {est}, "
                f"assign: [{{resource: {who}}}]{after}{extra}}}"
            )
            ids.append(tid)
    lines.append(
        "  - {id: release, name: Release, milestone: true, after: [backend15, mobile15, qa14]}"
    )
    lines.append("risks:")
    for r in range(6):
        task = rng.choice(ids)
        resp = ""
        if r % 2 == 0:
            resp = ", response: {strategy: mitigate, cost: 1500, residual_probability: 0.1}"
        lines.append(
            f"  - {{id: r{r}, title: Risk {r}, probability: {rng.uniform(0.1, 0.4):.2f}, "
            f"impact: {{schedule: [{{task: {task}, delay: {rng.randint(2, 6)}d}}], "
            f"cost: 2000}}{resp}}}"
        )
    return "\n".join(lines) + "\n"


def best_of(runs: int, action) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Best wall-clock and best CPU seconds (this process and its children) of `runs`."""
    walls, cpus = [], []
    for _ in range(runs):
        before = _cpu()
        began = time.perf_counter()
        action()
        walls.append(time.perf_counter() - began)
        cpus.append(_cpu() - before)
    return min(walls), min(cpus)


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def release_rows(iterations: int) -> None:
    """The release plan on one calendar and on two: in process and as a whole command."""
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        for berlin in (False, True):
            path = Path(tmp) / ("two.yaml" if berlin else "one.yaml")
            path.write_text(release_plan(berlin=berlin))
            problem = schedule_plan(path).problem
            calendars = len(set(problem.calendar_idx))
            simulate_plan(path, iterations=100, seed=1)  # warm up
            engine = best_of(3, partial(simulate_plan, path, iterations=iterations, seed=1))
            command = [str(TECHPM), "simulate", str(path), "-n", str(iterations), "--seed", "1"]
            whole = best_of(3, partial(subprocess.run, command, check=True, capture_output=True))
            figures[calendars] = (engine, whole)
            print(
                f"release calendars={calendars} tasks={problem.size} iterations={iterations} "
                f"simulate_plan={engine[0]:.3f}s (cpu {engine[1]:.3f}s) "
                f"command={whole[0]:.3f}s (cpu {whole[1]:.3f}s)",
                flush=True,
            )
    (one, one_whole), (two, two_whole) = figures[1], figures[2]
    print(
        f"two calendars / one: simulate_plan {two[0] / one[0]:.2f}x (cpu {two[1] / one[1]:.2f}x), "
        f"command {two_whole[0] / one_whole[0]:.2f}x (cpu {two_whole[1] / one_whole[1]:.2f}x)",
        flush=True,
    )


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
    parser.add_argument("--release-iterations", type=int, default=10_000)
    parser.add_argument("--release-only", action="store_true", help="Only the release plan.")
    args = parser.parse_args()
    if args.release_only:
        release_rows(args.release_iterations)
        return 0
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
    release_rows(args.release_iterations)
    return 0


if __name__ == "__main__":
    sys.exit(main())
