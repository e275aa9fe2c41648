"""Benchmark: parse and schedule generated plans of N tasks (about 3 links each), and the
whole command beside the engine.

    .venv/bin/python bench/cpm.py [--sizes 10000 100000] [--repeat 5] [--command-repeat 3]

Links are of mixed types (70% FS, 15% SS, 10% FF, 5% SF) with lags and leads; one calendar
with US public holidays and company days off. Prints, in seconds: the median of the repeats
for parsing (YAML file -> validated Project) and scheduling (compile + forward/backward pass,
floats and the critical path) in this process; then the best of the command repeats for the
whole `techpm schedule PLAN --format json` (a new process: start-up, reading, validating,
scheduling and writing the JSON) and for `techpm check` of the same plan with one bad
reference (the error path, which locates the problem by line and column). Limits for the
whole command: 1.5 s at 10,000 tasks, 10 s at 100,000.
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
from pathlib import Path

TECHPM = str(Path(sys.executable).with_name("techpm"))
LIMITS = {10_000: 1.5, 100_000: 10.0}  # seconds for the whole command
TYPES = ["FS"] * 14 + ["SS"] * 3 + ["FF"] * 2 + ["SF"]


def generate(n: int, seed: int = 7) -> str:
    """A plan of n leaf tasks in work packages of 50, each linked to ~3 earlier tasks."""
    rng = random.Random(seed)
    lines = [
        "project: {name: Generated, start: 2027-01-04, calendar: standard}",
        "calendars:",
        "  standard: {workweek: [mon, tue, wed, thu, fri], hours_per_day: 8,"
        " holidays: {country: US}, nonworking: [2027-03-15, 2027-11-26]}",
        "tasks:",
    ]
    for group in range(0, n, 50):
        lines.append(f"  - id: g{group // 50}")
        lines.append(f"    name: Work package {group // 50}")
        lines.append("    children:")
        for i in range(group, min(group + 50, n)):
            links = []
            # two links inside the work package, one to any earlier task of the plan
            local = range(group, i)
            preds = rng.sample(local, min(2, len(local)))
            if i > 0:
                preds.append(rng.randrange(0, i))
            for p in sorted(set(preds)):
                kind = rng.choice(TYPES)
                lag = rng.choice([0, 0, 0, 1, 2, -1])
                if kind == "FS" and lag == 0:
                    links.append(f"t{p}")
                else:
                    links.append(f"{{task: t{p}, type: {kind}, lag: {lag}d}}")
            duration = rng.choice(["4h", "1d", "2d", "3d", "5d", "2w"])
            after = f", after: [{', '.join(links)}]" if links else ""
            lines.append(f"      - {{id: t{i}, name: Task {i}, duration: {duration}{after}}}")
    return "\n".join(lines) + "\n"


def best_of(command: list[str], repeat: int, expect: int = 0) -> tuple[float, float]:
    """The fastest of `repeat` runs of a whole process: (wall, CPU) seconds. The CPU time
    (user + system) says what the wall time would be on a machine nobody else uses."""
    runs = []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - began
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        runs.append((wall, cpu))
        if done.returncode != expect:
            raise SystemExit(f"{' '.join(command)} exited {done.returncode}, not {expect}")
    return min(runs)


def run(n: int, repeat: int, parse_repeat: int, command_repeat: int) -> float:
    # imported here: bench/startup.py borrows `generate` without the engine
    from techpm.interop.holidays import public_holidays
    from techpm.interop.planfile.loader import load_plan_file
    from techpm.scheduling.cpm import schedule_problem
    from techpm.scheduling.problem import compile_problem

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"plan-{n}.yaml"
        text = generate(n)
        path.write_text(text)
        bad = Path(tmp) / f"bad-{n}.yaml"
        bad.write_text(text.replace("after: [t3,", "after: [nosuch,", 1))
        parse_times = []
        for _ in range(parse_repeat):
            t0 = time.perf_counter()
            project = load_plan_file(path).project
            parse_times.append(time.perf_counter() - t0)
        times = []
        compile_times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            problem = compile_problem(project, public_holidays)
            t1 = time.perf_counter()
            result = schedule_problem(problem)
            _ = result.critical_paths
            t2 = time.perf_counter()
            compile_times.append(t1 - t0)
            times.append(t2 - t0)
        links = len(problem.edges)
        whole = best_of([TECHPM, "schedule", str(path), "--format", "json"], command_repeat)
        error = best_of([TECHPM, "check", str(bad)], command_repeat, expect=3)
    limit = LIMITS.get(n)
    verdict = ""
    if limit is not None:
        verdict = f" (limit {limit:g}s {'OK' if whole[0] <= limit else 'OVER'})"
    print(
        f"n={n:>7} links={links:>7} parse={statistics.median(parse_times):7.3f}s "
        f"schedule={statistics.median(times):6.3f}s "
        f"(compile {statistics.median(compile_times):.3f}s) "
        f"finish={result.finish:%Y-%m-%d}\n"
        f"          whole command: schedule --format json {whole[0]:6.2f}s (cpu {whole[1]:.2f}s)"
        f"{verdict}, check with one bad reference {error[0]:6.2f}s (cpu {error[1]:.2f}s)",
        flush=True,
    )
    return whole[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--parse-repeat", type=int, default=3)
    parser.add_argument("--command-repeat", type=int, default=3)
    args = parser.parse_args()
    wholes = {n: run(n, args.repeat, args.parse_repeat, args.command_repeat) for n in args.sizes}
    if 10_000 in wholes and 100_000 in wholes:
        print(f"whole-command growth 100k/10k = {wholes[100_000] / wholes[10_000]:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
