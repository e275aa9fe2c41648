"""Benchmark: the status report of a 1,000-task plan, as HTML and as PDF.

    .venv/bin/python bench/report.py [--tasks 1000] [--iterations 2000]

Generates a plan of N leaf tasks in three WBS levels (10 phases of packages of 10 tasks),
10 people with day rates, progress and actual cost on the first third, three-point
estimates on every fifth task, 12 risks, 6 stakeholders and a deadline on the launch
milestone; saves a baseline of the plan before progress, then times the whole
`techpm report` command (a new process, imports included) for `.html` and `.pdf`, median
of 3. The same for a flat plan of N tasks (no WBS levels, mixed FS/SS/FF/SF links with
lags, a milestone every 100 tasks, progress on the first fifth), whose Gantt chart shows a
bounded number of rows. Limits: 3 s and 10 s.
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


def generate(n: int, seed: int = 11, progress: bool = True) -> str:
    rng = random.Random(seed)
    lines = [
        "project: {name: Report scale, start: 2027-01-04"
        + (", status_date: 2027-04-30}" if progress else "}"),
        "resources:",
        *(
            f"  - {{id: r{k}, name: Person {k}, rate: {rng.randint(500, 900)}/d}}"
            for k in range(10)
        ),
        "tasks:",
    ]
    packages = max(1, n // 10)
    per_phase = max(1, packages // 10)
    for package in range(packages):
        if package % per_phase == 0:
            phase = package // per_phase
            lines += [f"  - id: p{phase}", f"    name: Phase {phase}", "    children:"]
        lines += [
            f"      - id: w{package}",
            f"        name: Package {package}",
            "        children:",
        ]
        for i in range(package * 10, package * 10 + 10):
            after = (
                f"t{i - 1}" if i % 10 else (f"t{i - 10 - rng.randrange(3) * 10}" if i >= 30 else "")
            )
            extra = f", after: [{after}]" if after else ""
            done = ", percent_complete: 60, actual_cost: 1500" if progress and i < n // 3 else ""
            likely = rng.randint(1, 4)
            three = f"optimistic: {likely}d, likely: {likely}d, pessimistic: {likely * 2}d"
            size = f"estimate: {{{three}}}" if i % 5 == 0 else f"duration: {likely}d"
            lines.append(
                f"          - {{id: t{i}, name: Task {i}, {size}, "
                f"assign: [{{resource: r{rng.randrange(10)}}}]{done}{extra}}}"
            )
    lines += [
        "  - {id: launch, name: Launch, milestone: true, "
        f"after: [t{n - 1}, t{n - 11}], deadline: 2028-06-30}}",
        "risks:",
    ]
    for r in range(12):
        lines.append(
            f"  - {{id: k{r}, title: Risk {r}, probability: {rng.randint(5, 60) / 100}, "
            f"impact: {{schedule: [{{task: t{rng.randrange(n)}, delay: {rng.randint(1, 10)}d}}], "
            f"cost: {rng.randint(1, 50) * 1000}}}}}"
        )
    lines.append("stakeholders:")
    for s in range(6):
        lines.append(
            f"  - {{id: s{s}, name: Person {s}, interest: {1 + s % 5}, influence: {5 - s % 5}, "
            f"email: s{s}@example.com}}"
        )
    return "\n".join(lines) + "\n"


def generate_flat(n: int, seed: int = 13) -> str:
    """A flat plan of n tasks (no WBS levels) with mixed links (FS/SS/FF/SF, lags), a
    milestone every 100 tasks, people with day rates and progress on the first fifth."""
    rng = random.Random(seed)
    kinds = ["FS"] * 14 + ["SS"] * 3 + ["FF"] * 2 + ["SF"]
    lines = [
        "project: {name: Flat scale, start: 2027-01-04, status_date: 2027-03-31}",
        "resources:",
        *(f"  - {{id: r{k}, name: Person {k}, rate: {rng.randint(500, 900)}/d}}" for k in range(8)),
        "tasks:",
    ]
    for i in range(n):
        links = []
        for p in sorted({rng.randrange(max(0, i - 30), i) for _ in range(3)} if i else set()):
            kind, lag = rng.choice(kinds), rng.choice([0, 0, 1, 2, -1])
            if i < n // 5:  # work in progress started together: start-to-start links
                kind, lag = "SS", 0
            links.append(
                f"t{p}"
                if kind == "FS" and lag == 0
                else f"{{task: t{p}, type: {kind}, lag: {lag}d}}"
            )
        after = f", after: [{', '.join(links)}]" if links else ""
        done = (
            ", actual_start: 2027-01-04, percent_complete: 50, actual_cost: 800"
            if i < n // 5
            else ""
        )
        if i % 100 == 99 and i >= n // 5:
            lines.append(f"  - {{id: t{i}, name: Milestone {i}, milestone: true{after}}}")
            continue
        lines.append(
            f"  - {{id: t{i}, name: Task {i} of the flat plan, duration: {rng.randint(1, 5)}d, "
            f"assign: [{{resource: r{rng.randrange(8)}}}]{done}{after}}}"
        )
    return "\n".join(lines) + "\n"


def timed(args: list[str]) -> float:
    began = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - began


def cpu_of_children() -> float:
    """User + system seconds of the finished child processes so far (on a shared machine
    this is what the wall time would be with nobody else on it)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for shape, text in (("wbs", generate(args.tasks)), ("flat", generate_flat(args.tasks))):
            plan = Path(tmp) / f"plan-{shape}.yaml"
            plan.write_text(text)
            subprocess.run(
                [TECHPM, "baseline", str(plan), "--name", "v1"],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for suffix, limit in ((".html", 3.0), (".pdf", 10.0)):
                out = Path(tmp) / f"status-{shape}{suffix}"
                command = [
                    TECHPM,
                    "report",
                    str(plan),
                    "-o",
                    str(out),
                    "-n",
                    str(args.iterations),
                    "--seed",
                    "1",
                    "--no-snapshot",
                ]
                cpu_before = cpu_of_children()
                times = [timed(command) for _ in range(args.repeat)]
                cpu = (cpu_of_children() - cpu_before) / args.repeat
                median = statistics.median(times)
                verdict = "OK" if median <= limit else "OVER"
                print(
                    f"report {shape:<4} tasks={args.tasks} format={suffix[1:]:<4} "
                    f"iterations={args.iterations} time={median:.2f}s cpu={cpu:.2f}s "
                    f"(limit {limit:.0f}s, runs "
                    f"{', '.join(f'{t:.2f}' for t in times)}) "
                    f"size={out.stat().st_size / 1024:.0f} KiB {verdict}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
