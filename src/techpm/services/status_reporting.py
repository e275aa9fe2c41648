"""Gather a status report: the schedule, baseline, earned value, simulation, risks and load
of one plan, each computed the way its own command computes it."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np

from techpm.domain.errors import PlanFileError
from techpm.evm.baseline import snapshot, working_days_between, working_days_slipped
from techpm.forecasting.register import assess, rating
from techpm.forecasting.simulation import SimulationError, simulate
from techpm.forecasting.summary import summarize
from techpm.interop.planfile.loader import load_plan_file
from techpm.interop.safe_write import write_file
from techpm.reporting.changes import changes_since
from techpm.reporting.gantt_rows import sponsor_rows
from techpm.reporting.report_model import (
    EvmFigures,
    GanttRow,
    HotSpot,
    MilestoneLine,
    Recipient,
    RiskLine,
    SimulationFigures,
    StatusReport,
)
from techpm.reporting.status import overall_status
from techpm.scheduling.load import workload
from techpm.scheduling.result import Schedule
from techpm.services.baselines import load_baseline
from techpm.services.earned_value import plan_evm
from techpm.services.planning import schedule_loaded
from techpm.services.simulated_plan import simulation_problem
from techpm.services.simulation_costs import budget_basis


def snapshot_path(plan: Path) -> Path:
    """Where a report leaves its snapshot, for the next report's "what changed"."""
    return plan.with_name(f"{plan.stem}.report.json")


def save_snapshot(plan: Path, current: dict[str, Any]) -> Path:
    """Keep this report's snapshot for the next report's "what changed"."""
    path = snapshot_path(plan)
    write_file(path, json.dumps(current, indent=2, sort_keys=True) + "\n")
    return path


def newest_baseline(plan: Path) -> str | None:
    """The most recently taken baseline saved next to the plan, by name."""
    found: list[tuple[str, str]] = []
    for path in plan.parent.glob(f"{plan.stem}.baseline.*.json"):
        try:
            taken = str(json.loads(path.read_text(encoding="utf-8")).get("taken_at", ""))
        except (OSError, ValueError, AttributeError):
            continue
        found.append((taken, path.name[len(plan.stem) + len(".baseline.") : -len(".json")]))
    return max(found)[1] if found else None


def read_snapshot(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        data["tasks"]
    except FileNotFoundError:
        raise PlanFileError(f"no snapshot {path}", code="report.no_snapshot") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise PlanFileError(
            f"{path}: not a techpm snapshot ({exc})", code="report.bad_snapshot"
        ) from None
    return data


def _previous_snapshot(
    plan: Path, since: Path | None
) -> tuple[dict[str, Any] | None, tuple[str, ...]]:
    """The snapshot to list changes since: one asked for must be readable; the previous
    report's, when unreadable, leaves the changes out with a warning naming it (the next
    report's snapshot replaces it)."""
    if since is not None:
        return read_snapshot(since), ()
    path = snapshot_path(plan)
    if not path.exists():
        return None, ()
    try:
        return read_snapshot(path), ()
    except PlanFileError as error:
        return None, (f"{error.code}: {error.message}; changes since it are not listed",)


def build_report(
    plan: str | Path,
    *,
    audience: str = "team",
    baseline: str | None = None,
    since: Path | None = None,
    iterations: int = 2000,
    seed: int | None = None,
    now: datetime | None = None,
    level: bool | None = None,
) -> tuple[StatusReport, dict[str, Any]]:
    """The report, and the snapshot to keep for the next one. `baseline`: by name, else the
    newest saved; `since`: a snapshot file, else the one the previous report left. `level`:
    report on the leveled schedule (None: as the plan says)."""
    plan = Path(plan)
    schedule = schedule_loaded(load_plan_file(plan), level=level)
    baseline = baseline or newest_baseline(plan)
    saved = load_baseline(plan, baseline) if baseline else None
    previous, notes = _previous_snapshot(plan, since)
    return schedule_report(
        schedule,
        audience=audience,
        baseline=baseline,
        saved=saved,
        previous=previous,
        notes=notes,
        iterations=iterations,
        seed=seed,
        now=now or datetime.now().replace(microsecond=0),
    )


def schedule_report(
    schedule: Schedule,
    *,
    audience: str = "team",
    baseline: str | None = None,
    saved: dict[str, Any] | None = None,
    previous: dict[str, Any] | None = None,
    notes: tuple[str, ...] = (),
    iterations: int = 2000,
    seed: int | None = None,
    now: datetime,
) -> tuple[StatusReport, dict[str, Any]]:
    """The report on a plan's schedule, with what files (or a server's rows) give instead of
    a plan file: the baseline `saved` under the name `baseline`, and the `previous` snapshot
    to list changes since (None: no changes listed)."""
    project = schedule.problem.project
    current = snapshot(schedule, "report", now)

    slip = (
        working_days_between(schedule, saved["project"]["finish"], current["project"]["finish"])
        if saved
        else None
    )
    simulation, milestone_p80, deadline_odds = _simulate(schedule, iterations, seed)
    committed = _committed(schedule)
    on_time = deadline_odds.get(committed[0]) if committed else None
    evm = _evm(schedule, baseline, saved)
    assessed = assess(project)
    high = sum(1 for a in assessed if a.rating == "high" and a.risk.status.value == "open")
    verdict = overall_status(
        {
            "finish_slip_days": slip,
            "spi": evm.figures.spi if evm else None,
            "cpi": evm.figures.cpi if evm else None,
            "on_time_probability": on_time,
            "open_high_risks": float(high),
        },
        project.info.status_rules,
    )
    current["status"] = {
        "overall": verdict.overall,
        "measures": {m.name: m.rating for m in verdict.measures},
    }
    gantt = sponsor_rows(schedule.rows)  # a bounded chart, whatever the plan's shape
    report = StatusReport(
        project=project.info.name,
        manager=project.info.manager,
        currency=project.info.currency,
        audience=audience,
        generated_at=now,
        status_date=project.info.status_date,
        start=schedule.start,
        finish=schedule.finish,
        verdict=verdict,
        baseline=baseline,
        baseline_finish=datetime.fromisoformat(saved["project"]["finish"]) if saved else None,
        finish_slip_days=slip,
        committed=committed,
        on_time_probability=on_time,
        simulation=simulation,
        evm=evm,
        milestones=_milestones(schedule, saved, milestone_p80, deadline_odds),
        risks=tuple(
            RiskLine(
                id=a.risk.id,
                title=a.risk.title,
                owner=a.risk.owner,
                status=a.risk.status.value,
                probability=a.risk.probability,
                probability_level=a.probability_level,
                impact_level=a.impact_level,
                score=a.score,
                rating=a.rating,
                exposure_days=a.exposure_days,
                exposure_cost=a.exposure_cost,
                strategy=a.risk.response.strategy.value if a.risk.response else None,
            )
            for a in sorted(
                assessed,
                key=lambda a: (a.risk.status.value != "open", -a.score, -a.exposure_days),
            )
        ),
        risk_ratings={s: rating(project.risk_matrix, s) for s in range(1, 26)},
        hot_spots=_hot_spots(schedule),
        changes=changes_since(previous, schedule, current) if previous else None,
        since=f"{previous.get('name', 'snapshot')} of {previous.get('taken_at', '?')}"
        if previous
        else None,
        decisions=project.decisions,
        asks=project.asks,
        communication=tuple(
            Recipient(
                s.id,
                s.name,
                s.quadrant,
                s.audience,
                s.cadence,
                s.channel,
                s.email,
                shows_costs=s.shows_costs,
                external=bool(s.external),
            )
            for s in project.stakeholders
        ),
        gantt=tuple(
            GanttRow(
                row,
                (
                    datetime.fromisoformat(saved["tasks"][row.id]["start"]),
                    datetime.fromisoformat(saved["tasks"][row.id]["finish"]),
                )
                if saved and row.id in saved["tasks"]
                else None,
            )
            for row in gantt.rows
        ),
        gantt_hidden=gantt.hidden,
        critical_path=tuple(schedule.critical_paths[0]) if schedule.critical_paths else (),
        notes=notes,
    )
    return report, current


def _simulate(
    schedule: Schedule, iterations: int, seed: int | None
) -> tuple[SimulationFigures | None, dict[str, date], dict[str, float]]:
    """The same draws as `techpm simulate` with this seed, without the per-response reruns."""
    if iterations <= 0:
        return None, {}, {}
    try:
        result = simulate(
            simulation_problem(schedule),
            iterations,
            np.random.default_rng(seed),
            costs=budget_basis(schedule),  # everything the budget counts
        )
    except SimulationError:
        return None, {}, {}
    summary = summarize(schedule.problem, result, deterministic=schedule)
    figures = SimulationFigures(
        iterations=summary.iterations,
        seed=seed,
        finish={k: v.date() for k, v in summary.finish.items()},
        cost=summary.cost,
    )
    p80 = {tid: dates["p80"].date() for tid, dates in summary.milestones.items()}
    return figures, p80, summary.deadlines


def _committed(schedule: Schedule) -> tuple[str, date] | None:
    """The committed date is the latest deadline in the plan, usually the launch milestone's."""
    dated = [
        (_day(task.deadline), task.id)
        for task in schedule.problem.project.tasks
        if task.deadline is not None
    ]
    if not dated:
        return None
    day, task_id = max(dated)
    return task_id, day


def _day(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _evm(
    schedule: Schedule, baseline: str | None, saved: dict[str, Any] | None
) -> EvmFigures | None:
    if schedule.problem.project.info.status_date is None:
        return None
    report = plan_evm(schedule, baseline=baseline, saved=saved)
    return EvmFigures(
        status_date=report.status_date,
        figures=report.project,
        forecast_finish=report.forecast_finish,
        periods=[(report.start, 0.0), *report.periods],
    )


def _milestones(
    schedule: Schedule,
    saved: dict[str, Any] | None,
    p80: dict[str, date],
    odds: dict[str, float],
) -> tuple[MilestoneLine, ...]:
    project = schedule.problem.project
    lines = []
    for row in schedule.rows:
        if not row.milestone:
            continue
        task = project.task_by_id[row.id]
        then = saved["tasks"].get(row.id) if saved else None
        lines.append(
            MilestoneLine(
                id=row.id,
                name=row.name,
                baseline=datetime.fromisoformat(then["finish"]).date() if then else None,
                forecast=row.finish.date(),
                p80=p80.get(row.id),
                deadline=_day(task.deadline) if task.deadline else None,
                slip_days=working_days_slipped(schedule, then["finish"], row.finish.isoformat())
                if then
                else None,
                on_time=odds.get(row.id),
                finished=task.actual_finish is not None,
                critical=row.critical,
            )
        )
    return tuple(lines)


def _hot_spots(schedule: Schedule) -> tuple[HotSpot, ...]:
    spots = []
    for load in workload(schedule):
        over = tuple(w.start for w in load.weeks if w.over)
        if not over:
            continue
        peak = max((w.allocation for w in load.weeks if w.available_minutes > 0), default=0.0)
        spots.append(HotSpot(load.resource.id, load.resource.name, over, peak))
    return tuple(sorted(spots, key=lambda s: (-len(s.weeks_over), -s.peak)))


def with_audience(report: StatusReport, audience: str) -> StatusReport:
    return replace(report, audience=audience)
