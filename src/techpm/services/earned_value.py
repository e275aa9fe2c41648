"""Earned value of a plan as of its status date, against a baseline or the plan itself."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from techpm.domain.errors import TechpmError
from techpm.domain.project import Project
from techpm.evm.earned_schedule import for_branch
from techpm.evm.metrics import EarnedValue, TaskStatus, earned_value, planned_at
from techpm.evm.timephase import budget_at_completion, planned_costs
from techpm.scheduling.result import Schedule
from techpm.services.baselines import load_baseline
from techpm.services.planning import LevelEngine, schedule_plan


class StatusDateMissing(TechpmError):
    code = "evm.no_status_date"


@dataclass(frozen=True)
class EvmReport:
    status_date: date
    start: date
    baseline: str | None
    project: EarnedValue
    forecast_finish: date | None
    periods: list[tuple[date, float]]  # week end -> cumulative planned value
    wbs: dict[str, EarnedValue]
    accounts: dict[str, EarnedValue]  # per control account
    thresholds: tuple[tuple[str, float, float], ...]


def plan_evm(
    plan: str | Path | Schedule,
    *,
    status_date: date | None = None,
    baseline: str | None = None,
    saved: dict[str, Any] | None = None,
    level: bool | None = None,
    engine: LevelEngine = "auto",
    time_limit: float = 5.0,
) -> EvmReport:
    """`plan`: a plan file, or a schedule already computed; `saved`: the baseline named
    `baseline` when the caller has read it already (needed with a schedule). `level`: on
    the leveled schedule (None: as the plan says; a schedule given keeps its own)."""
    result = (
        plan
        if isinstance(plan, Schedule)
        else schedule_plan(plan, level=level, engine=engine, time_limit=time_limit)
    )
    project = result.problem.project
    status = status_date or project.info.status_date
    if status is None:
        raise StatusDateMissing(
            "no status date: set `status_date` on the project or pass --status-date"
        )
    problem = result.problem
    tl = problem.timelines[0]
    per_day = problem.minutes_per_day
    origin = tl.to_work(problem.start_minute)
    current = budget_at_completion(planned_costs(result))
    spans: dict[str, tuple[float, float, Decimal]] = {}
    if baseline is not None:
        if saved is None:
            if isinstance(plan, Schedule):
                raise TechpmError("a baseline is read next to a plan file", code="evm.no_plan_file")
            saved = load_baseline(Path(plan), baseline)
        rows = saved["tasks"]
        for task_id in problem.ids:
            row = rows.get(task_id)
            if row is None:
                continue
            begin = (tl.to_work(_minute(result, row["start"])) - origin) / per_day
            end = (tl.to_work(_minute(result, row["finish"])) - origin) / per_day
            spans[task_id] = (begin, end, Decimal(row["cost"]))
    else:
        # no baseline named: the plan as planned, before any progress, is the baseline
        planned = schedule_plan(
            _as_planned(project),
            level=result.leveling is not None,
            engine=engine,
            time_limit=time_limit,
        )
        planned_cost = budget_at_completion(planned_costs(planned))
        for j, task_id in enumerate(planned.problem.ids):
            begin = (tl.to_work(planned.early_start_at[j]) - origin) / per_day
            end = (tl.to_work(planned.early_finish_at[j]) - origin) / per_day
            spans[task_id] = (begin, end, planned_cost.get(task_id, Decimal(0)))
    horizon = max((f for _, f, _ in spans.values()), default=0.0)
    days = np.arange(int(np.ceil(horizon)) + 1, dtype=np.float64)
    at = (tl.to_work(problem.moment_minute(status, finish=True)) - origin) / per_day

    def figures(leaves: list[str]) -> tuple[EarnedValue, list[float]]:
        curve = np.zeros_like(days)
        statuses = []
        for task_id in leaves:
            if task_id not in spans:
                continue
            start, finish, cost = spans[task_id]
            share = (
                np.clip((days - start) / (finish - start), 0, 1)
                if finish > start
                else ((days >= start).astype(np.float64))
            )
            curve += float(cost) * share
            task = project.task_by_id[task_id]
            done = 100.0 if task.actual_finish is not None else task.percent_complete
            remaining = current.get(task_id, Decimal(0)) * Decimal(str(1 - done / 100))
            statuses.append(
                TaskStatus(task_id, cost, done, task.actual_cost or Decimal(0), remaining)
            )
        planned = curve.tolist()
        value = earned_value(planned, statuses, at)
        # time measures on this group's own curve (see evm/earned_schedule.py)
        return for_branch(value, planned, _finished_at(result, leaves, origin)), planned

    overall, curve = figures(list(problem.ids))
    forecast = None
    if overall.ieac_t is not None:
        minute = tl.finish_at(round(origin + overall.ieac_t * per_day))
        forecast = problem.epoch + timedelta(days=minute // 1440)
    # cumulative planned value at the end of each week (Sunday), to the planned finish
    weeks = []
    sunday = problem.project.info.start + timedelta(days=6 - problem.project.info.start.weekday())
    while True:
        index = (tl.to_work(problem.moment_minute(sunday, finish=True)) - origin) / per_day
        weeks.append((sunday, planned_at(curve, index)))
        if index >= len(curve) - 1:
            break
        sunday += timedelta(days=7)
    return EvmReport(
        status_date=status,
        start=project.info.start,
        baseline=baseline,
        project=overall,
        forecast_finish=forecast,
        periods=weeks,
        wbs={
            top: figures(list(project.leaves_under(top)))[0]
            for top in project.children.get(None, ())
        },
        thresholds=project.info.thresholds,
        accounts={
            account: figures(leaves)[0] for account, leaves in _control_accounts(project).items()
        },
    )


def _finished_at(result: Schedule, leaves: list[str], origin: int) -> float | None:
    """When the last of a finished branch's tasks finished, in working days from the start
    on the project calendar; None while any of them is not done."""
    problem = result.problem
    index = [problem.index[t] for t in leaves if t in problem.index]
    if not index or not all(problem.complete[j] for j in index):
        return None
    tl = problem.timelines[0]
    last = max(tl.to_work(result.early_finish_at[j]) for j in index)
    return (last - origin) / problem.minutes_per_day


def _control_accounts(project: Project) -> dict[str, list[str]]:
    """Leaf tasks per control account, a task taking its nearest summary's when it has none."""
    accounts: dict[str, list[str]] = {}
    for task in project.tasks:
        if project.is_summary(task.id):
            continue
        account = task.control_account
        for ancestor in project.ancestors(task.id):
            if account is not None:
                break
            account = project.task_by_id[ancestor].control_account
        if account is not None:
            accounts.setdefault(account, []).append(task.id)
    return accounts


def _as_planned(project: Project) -> Project:
    """The plan without its progress: no actuals, nothing done, no status date."""
    tasks = tuple(
        replace(
            t,
            actual_start=None,
            actual_finish=None,
            percent_complete=0.0,
            remaining_minutes=None,
            actual_cost=None,
        )
        for t in project.tasks
    )
    return replace(project, tasks=tasks, info=replace(project.info, status_date=None))


def _minute(result: Schedule, iso: str) -> int:
    return result.problem.moment_minute(datetime.fromisoformat(iso), finish=False)
