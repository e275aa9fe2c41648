"""Benchmark: how long `techpm` takes to start, as a whole process.

    .venv/bin/python bench/startup.py [--repeat 5]

Times `techpm --version` and `techpm check` of a generated 50-task plan (mixed links and
lags, US holidays; the generator of bench/cpm.py), each as a new process, imports included,
and prints the best of the repeats. Limits: 0.3 s and 0.8 s.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cpm import generate

TECHPM = str(Path(sys.executable).with_name("techpm"))


def best_of(command: list[str], repeat: int) -> tuple[float, float]:
    """The fastest run: (wall, CPU) seconds; CPU (user + system) is what a quiet machine
    would take when others share this one."""
    runs = []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - began
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        runs.append((wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime))
    return min(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "plan-50.yaml"
        plan.write_text(generate(50))
        for label, command, limit in (
            ("techpm --version", [TECHPM, "--version"], 0.3),
            ("techpm check (50 tasks)", [TECHPM, "check", str(plan)], 0.8),
        ):
            best, cpu = best_of(command, args.repeat)
            print(
                f"{label:<24} {best:6.3f}s cpu {cpu:6.3f}s (limit {limit:.1f}s, best of "
                f"{args.repeat}) {'OK' if best <= limit else 'OVER'}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
