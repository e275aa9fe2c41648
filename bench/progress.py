"""Benchmark: `techpm progress` recording a status sheet into a big plan, as a whole process,
beside a plain `techpm schedule` of the same plan.

    .venv/bin/python bench/progress.py [--tasks 20000] [--updates 2000] [--repeat 3]

The plan has work packages of 50 tasks in the layouts people write (one-line flow mappings
and block mappings with comments, about 3 mixed links each); the sheet sets actual start,
percent complete and actual cost on `--updates` tasks spread over the plan. Prints the
median wall time and the peak memory (resident set, from the child's rusage) of each
command, and checks that only the lines of the updated tasks changed.
"""

from __future__ import annotations

import argparse
import difflib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TYPES = ["FS"] * 14 + ["SS"] * 3 + ["FF"] * 2 + ["SF"]
CLI = [sys.executable, "-c", "from techpm.cli.main import main; main()"]


def generate(n: int, seed: int = 7) -> str:
    """n leaf tasks in work packages of 50; every other task as a block mapping."""
    rng = random.Random(seed)
    lines = [
        "# generated for the progress benchmark",
        "project: {name: Generated, start: 2027-01-04, calendar: standard}",
        "calendars:",
        "  standard: {workweek: [mon, tue, wed, thu, fri], hours_per_day: 8,"
        " holidays: {country: US}}",
        "tasks:",
    ]
    for group in range(0, n, 50):
        lines += [f"  - id: g{group // 50}", f"    name: Work package {group // 50}"]
        lines.append("    children:")
        for i in range(group, min(group + 50, n)):
            local = range(group, i)
            preds = set(rng.sample(local, min(2, len(local))))
            if i > 0:
                preds.add(rng.randrange(0, i))
            links = []
            for p in sorted(preds):
                kind, lag = rng.choice(TYPES), rng.choice([0, 0, 0, 1, 2, -1])
                links.append(
                    f"t{p}"
                    if kind == "FS" and not lag
                    else f"{{task: t{p}, type: {kind}, lag: {lag}d}}"
                )
            after = f"[{', '.join(links)}]"
            duration = rng.choice(["4h", "1d", "2d", "3d", "5d", "2w"])
            if i % 2:
                lines.append(
                    f"      - {{id: t{i},  name: Task {i},  duration: {duration}, after: {after}}}"
                )
            else:
                lines += [
                    f"      - id: t{i}",
                    f"        name:     Task {i}   # aligned",
                    f"        duration: {duration}",
                    f"        after:    {after}" if links else "        # no predecessor",
                ]
    return "\n".join(lines) + "\n"


def sheet(n: int, updates: int, seed: int = 11) -> str:
    rng = random.Random(seed)
    rows = [
        f"t{i},2027-01-04,{rng.randint(1, 99)},{rng.randint(100, 9000)}"
        for i in sorted(rng.sample(range(n), updates))
    ]
    return "task,actual_start,percent_complete,actual_cost\n" + "\n".join(rows) + "\n"


def timed(args: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak resident megabytes of one run of the CLI (the
    machine may be shared: CPU time is the steadier figure)."""
    start = time.perf_counter()
    quiet = subprocess.DEVNULL
    child = subprocess.Popen([*CLI, *args], cwd=cwd, stdout=quiet, stderr=quiet)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{args[0]} failed with {child.returncode}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # kB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--updates", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    text = generate(args.tasks)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plan, status = folder / "plan.yaml", folder / "status.csv"
        status.write_text(sheet(args.tasks, args.updates))
        plan.write_text(text)
        schedule = [
            timed(["schedule", "plan.yaml", "-f", "json"], folder) for _ in range(args.repeat)
        ]
        progress = []
        for _ in range(args.repeat):
            plan.write_text(text)
            progress.append(timed(["progress", "plan.yaml", "status.csv"], folder))
        changed = plan.read_text()
    diff = list(difflib.unified_diff(text.splitlines(), changed.splitlines(), n=0, lineterm=""))
    removed = sum(1 for line in diff if line.startswith("-") and not line.startswith("---"))
    added = sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))
    print(f"plan: {args.tasks} tasks, {len(text.splitlines())} lines; sheet: {args.updates} tasks")
    for name, runs in (("schedule -f json", schedule), ("progress", progress)):
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        peak = max(r[2] for r in runs)
        print(f"{name:<17} {wall:6.2f} s wall  {cpu:6.2f} s CPU  peak {peak:5.0f} MB")
    ratio = statistics.median(r[1] for r in progress) / statistics.median(r[1] for r in schedule)
    print(f"progress / schedule (CPU) = {ratio:.1f}x; lines removed {removed}, added {added}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
