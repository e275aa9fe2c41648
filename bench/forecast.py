"""Benchmark: throughput Monte Carlo speed.

    .venv/bin/python bench/forecast.py [--iterations 10000] [--items 100 1000] [--repeat 5]

Builds a one-year daily history (finished dates drawn from Poisson(2) per working day, Monday
to Friday), turns it into per-working-day samples, and times `when` (for each backlog size)
and `how_many` (to a date a quarter ahead), median of `--repeat` runs each. Target: well
under a second for 10,000 iterations.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial

import numpy as np

from techpm.flow.forecast import HowManyForecast, WhenForecast, how_many, when
from techpm.flow.throughput import WorkingDays, daily_throughput

START = date(2027, 1, 4)


def history(rng: np.random.Generator) -> list[date]:
    first = START - timedelta(days=365)
    finished: list[date] = []
    for k in range(365):
        day = first + timedelta(days=k)
        if day.weekday() < 5:
            finished += [day] * int(rng.poisson(2.0))
    return finished


def timed(job: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        job()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--items", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    calendar = WorkingDays(lambda day: day.weekday() < 5)
    finished = history(np.random.default_rng(1))
    began = time.perf_counter()
    sampled = daily_throughput(
        finished, calendar, first=START - timedelta(days=365), last=START - timedelta(days=1)
    )
    binning = time.perf_counter() - began
    print(
        f"history: {sampled.items} items over {sampled.samples} working days "
        f"({sampled.per_day:.2f} a day), counted in {binning * 1000:.1f} ms",
        flush=True,
    )

    def forecast_when(items: int) -> WhenForecast:
        return when(
            items,
            sampled.counts,
            start=START,
            calendar=WorkingDays(lambda day: day.weekday() < 5),  # cold, as a command runs
            iterations=args.iterations,
            rng=np.random.default_rng(0),
        )

    def forecast_how_many(until: date) -> HowManyForecast:
        return how_many(
            until,
            sampled.counts,
            start=START,
            calendar=WorkingDays(lambda day: day.weekday() < 5),
            iterations=args.iterations,
            rng=np.random.default_rng(0),
        )

    for items in args.items:
        seconds = timed(partial(forecast_when, items), args.repeat)
        result = forecast_when(items)
        print(
            f"when      items={items:>5} iterations={args.iterations} time={seconds:.3f}s "
            f"(P85 {result.confidence[85].days} working days)",
            flush=True,
        )
    until = START + timedelta(days=91)
    seconds = timed(partial(forecast_how_many, until), args.repeat)
    count = forecast_how_many(until)
    print(
        f"how_many  by={until} ({count.working_days} working days) "
        f"iterations={args.iterations} time={seconds:.3f}s (P85 {count.confidence[85]} items)",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
