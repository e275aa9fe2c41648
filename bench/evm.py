"""Benchmark: earned value of a large plan.

    .venv/bin/python bench/evm.py [--tasks 10000]

Generates a plan of N tasks over about two years (work packages of 50, chains with a few
cross links, 10 people with day rates, a fixed cost on every tenth task, progress on the
first third), reads and schedules it once, then times earned value with weekly periods
(median of 3).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from techpm.services.earned_value import plan_evm
from techpm.services.planning import schedule_plan


def generate(n: int, seed: int = 5) -> str:
    rng = random.Random(seed)
    lines = [
        "project: {name: EVM scale, start: 2027-01-04, status_date: 2027-09-30}",
        "resources:",
        *(
            f"  - {{id: r{k}, name: Person {k}, rate: {rng.randint(500, 900)}/d}}"
            for k in range(10)
        ),
        "tasks:",
    ]
    for group in range(0, n, 50):
        lines += [f"  - id: g{group // 50}", f"    name: Package {group // 50}", "    children:"]
        for i in range(group, min(group + 50, n)):
            after = f"t{i - 1}" if i > group else (f"t{i - 50}" if i >= 50 else "")
            extra = f", after: [{after}]" if after else ""
            fixed = ", fixed_cost: 2000" if i % 10 == 0 else ""
            progress = ", percent_complete: 50, actual_cost: 400" if i < n // 3 else ""
            lines.append(
                f"      - {{id: t{i}, name: Task {i}, duration: {rng.randint(1, 3)}d, "
                f"assign: [{{resource: r{rng.randrange(10)}}}]{fixed}{progress}{extra}}}"
            )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.yaml"
        path.write_text(generate(args.tasks))
        began = time.perf_counter()
        result = schedule_plan(path)
        prepared = time.perf_counter() - began
        times = []
        for _ in range(3):
            began = time.perf_counter()
            report = plan_evm(result)
            times.append(time.perf_counter() - began)
    print(
        f"evm tasks={args.tasks} span={report.project.planned_duration:.0f} working days "
        f"weeks={len(report.periods)} time={statistics.median(times):.3f}s "
        f"(reading and scheduling the plan first: {prepared:.2f}s) "
        f"(bac={report.project.bac:,.0f} spi={report.project.spi:.3f} cpi={report.project.cpi:.3f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
