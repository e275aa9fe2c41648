"""Benchmark: leveling at scale, side by side with TaskJuggler 3 (Debian package tj3).

    .venv/bin/python bench/level_scale.py N [--time-limit 2.5] [--seed 1]

Generates one random network (N tasks of 1-5 days, about 3 finish-to-start predecessors
each from the previous 100 tasks, 10 single-person resources, one per task) both as a
TaskJuggler project and as a techpm plan, runs `tj3` and `techpm schedule --level` as whole
processes in the same run, checks techpm's schedule with `techpm verify --schedule`, and
prints both times and both finishes (working days from the start).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

START = date(2027, 1, 4)
PEOPLE = 10


def generate(n: int, seed: int) -> list[tuple[int, int, list[int]]]:
    """(days, person, predecessors) per task."""
    rng = random.Random(seed)
    tasks = []
    for i in range(n):
        window = range(max(0, i - 100), i)
        preds = sorted(rng.sample(window, min(3, len(window))))
        tasks.append((rng.randint(1, 5), rng.randrange(PEOPLE), preds))
    return tasks


def techpm_plan(tasks: list[tuple[int, int, list[int]]]) -> str:
    lines = [
        f"project: {{name: Scale, start: {START.isoformat()}}}",
        "calendars:",
        "  standard: {workweek: [mon, tue, wed, thu, fri], hours: ['09:00-12:00', '13:00-18:00']}",
        "resources:",
        *(f"  - {{id: r{k}, name: Person {k}}}" for k in range(PEOPLE)),
        "tasks:",
    ]
    for i, (days, person, preds) in enumerate(tasks):
        after = f", after: [{', '.join(f't{p}' for p in preds)}]" if preds else ""
        lines.append(
            f"  - {{id: t{i}, name: Task {i}, duration: {days}d, "
            f"assign: [{{resource: r{person}}}]{after}}}"
        )
    return "\n".join(lines) + "\n"


def tjp_project(tasks: list[tuple[int, int, list[int]]]) -> str:
    lines = [
        f'project scale "Scale" {START.isoformat()} +30y {{',
        '  timezone "UTC"',
        "  dailyworkinghours 8",
        "}",
        *(f'resource r{k} "Person {k}"' for k in range(PEOPLE)),
    ]
    for i, (days, person, preds) in enumerate(tasks):
        depends = f" depends {', '.join(f't{p}' for p in preds)}" if preds else ""
        lines.append(f'task t{i} "Task {i}" {{ effort {days}d allocate r{person}{depends} }}')
    lines.append('taskreport out "tasks" { formats csv columns id, start, end }')
    return "\n".join(lines) + "\n"


def working_days(start: date, finish: date) -> int:
    days, day = 0, start
    while day <= finish:
        days += day.weekday() < 5
        day += timedelta(days=1)
    return days


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--time-limit", type=float, default=2.5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-tj3", action="store_true")
    args = parser.parse_args()
    tasks = generate(args.n, args.seed)
    techpm = Path(sys.executable).with_name("techpm")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "plan.yaml").write_text(techpm_plan(tasks))
        (folder / "plan.tjp").write_text(tjp_project(tasks))
        began = time.perf_counter()
        subprocess.run(
            [
                str(techpm),
                "schedule",
                "plan.yaml",
                "--level",
                "--time-limit",
                str(args.time_limit),
                "-f",
                "json",
                "-o",
                "out.json",
            ],
            cwd=folder,
            check=True,
        )
        ours = time.perf_counter() - began
        finish = datetime.fromisoformat(
            json.loads((folder / "out.json").read_text())["project"]["finish"]
        )
        check = subprocess.run(
            [str(techpm), "verify", "plan.yaml", "--schedule", "out.json"],
            cwd=folder,
            capture_output=True,
            text=True,
        )
        print(
            f"techpm  n={args.n} time={ours:.2f}s finish={finish:%Y-%m-%d} "
            f"({working_days(START, finish.date())} working days) "
            f"verify={'feasible' if check.returncode == 0 else 'INFEASIBLE'}",
            flush=True,
        )
        if args.no_tj3 or not shutil.which("tj3"):
            print("tj3     not run (install Debian's tj3 to compare)")
            return 0
        began = time.perf_counter()
        subprocess.run(["tj3", "--silent", "plan.tjp"], cwd=folder, check=True)
        theirs = time.perf_counter() - began
        with (folder / "tasks.csv").open() as handle:
            ends = [row["End"] for row in csv.DictReader(handle, delimiter=";")]
        tj_finish = max(datetime.strptime(e[:10], "%Y-%m-%d") for e in ends)
        ours_days = working_days(START, finish.date())
        their_days = working_days(START, tj_finish.date())
        print(
            f"tj3     n={args.n} time={theirs:.2f}s finish={tj_finish:%Y-%m-%d} "
            f"({their_days} working days); techpm/tj3 finish = "
            f"{100 * (ours_days - their_days) / their_days:+.2f}%",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
