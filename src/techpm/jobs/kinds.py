"""What each kind of job computes on a plan: the same JSON document as the CLI command."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from techpm.domain.project import Project
from techpm.jobs.backend import ProgressReport
from techpm.jobs.schedule_document import schedule_json
from techpm.services.planning import schedule_plan
from techpm.services.simulating import simulate_plan, simulation_json

Compute = Callable[[Project, dict[str, Any], ProgressReport], Any]


def run_simulation(project: Project, options: dict[str, Any], report: ProgressReport) -> Any:
    """`techpm simulate --format json`: every run counted, one more pass per risk response."""
    total = [int(options["iterations"])]
    done = [0]

    def on_total(runs: int) -> None:
        total[0] = max(runs, 1)

    def progress(runs: int) -> None:
        done[0] += runs
        report(min(done[0] / total[0], 1.0))

    summary = simulate_plan(
        project,
        iterations=int(options["iterations"]),
        seed=options.get("seed"),
        level=options.get("level"),
        progress=progress,
        on_total=on_total,
    )
    return simulation_json(summary)


def run_leveling(project: Project, options: dict[str, Any], report: ProgressReport) -> Any:
    """`techpm schedule --level --format json`; the engines report no progress on the way."""
    report(0.0)
    result = schedule_plan(
        project, level=True, engine=options["engine"], time_limit=float(options["time_limit"])
    )
    return schedule_json(result)


KINDS: dict[str, Compute] = {"simulation": run_simulation, "leveling": run_leveling}
