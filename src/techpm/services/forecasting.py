"""Forecast a plan's backlog from the team's throughput: when N items will be done, how many
by a date, and when each milestone's items will be.

The history is the plan's own finished items (the day each entered a done state), or a CSV
of finished dates (`--history`). It runs up to the day before the forecast starts:
`--from`, else the working day after the plan's `status_date` (progress is as of the end
of that day), else the working day after the last finished item.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from techpm.domain.calendar import STANDARD_CALENDAR, resolve_calendars
from techpm.domain.errors import Diagnostic, InvalidPlanError, Problem, SourceLocation
from techpm.domain.project import Project
from techpm.flow.forecast import (
    ForecastError,
    HowManyForecast,
    MilestoneForecast,
    Progress,
    WhenForecast,
    how_many,
    milestone_targets,
    when,
    when_milestones,
)
from techpm.flow.throughput import (
    HistoryError,
    PlanHistory,
    Throughput,
    WorkingDays,
    daily_throughput,
    history_warnings,
    history_window,
    plan_history,
)
from techpm.interop.history_csv import read_history
from techpm.interop.holidays import public_holidays
from techpm.interop.planfile.loader import load_plan_file
from techpm.interop.planfile.source import SourceMap
from techpm.scheduling.timeline import Timeline
from techpm.services.planning import schedule_loaded


@dataclass(frozen=True)
class HistorySummary:
    source: str  # the history file, or the plan file when the plan's items are the history
    first: date
    last: date
    samples: int  # working days sampled
    items: int  # items finished in the window
    per_day: float
    undated: int  # finished plan items that do not say when (left out)


@dataclass(frozen=True)
class ForecastReport:
    name: str  # the project's
    start: date  # the forecast's first working day
    history: HistorySummary
    throughput: Throughput
    iterations: int
    seed: int
    open_items: int  # the plan's items not done
    split_rate: float
    when: WhenForecast | None
    how_many: HowManyForecast | None
    milestones: tuple[MilestoneForecast, ...] | None
    warnings: tuple[Diagnostic, ...] = ()  # a history too short to forecast from


def forecasts_asked(*, items: int | None, by: date | None, milestones: bool) -> int:
    """How many forecasts the options ask for, each `iterations` runs (a progress total)."""
    return int(wants_when(items, by, milestones)) + int(by is not None) + int(milestones)


def wants_when(items: int | None, by: date | None, milestones: bool) -> bool:
    """`--items`, or nothing else asked: when will the plan's open items be done."""
    return items is not None or (by is None and not milestones)


def forecast_plan(
    plan: str | Path,
    *,
    items: int | None = None,
    by: date | None = None,
    milestones: bool = False,
    iterations: int = 10_000,
    seed: int | None = None,
    history: str | Path | None = None,
    window_days: int | None = None,
    since: date | None = None,
    start: date | None = None,
    split_rate: float = 0.0,
    progress: Progress | None = None,
) -> ForecastReport:
    """Monte Carlo forecasts of a plan file's backlog from its team's daily throughput."""
    loaded = load_plan_file(plan)
    return forecast_project(
        loaded.project,
        source=str(plan),
        source_map=loaded.source_map,
        items=items,
        by=by,
        milestones=milestones,
        iterations=iterations,
        seed=seed,
        history=history,
        window_days=window_days,
        since=since,
        start=start,
        split_rate=split_rate,
        progress=progress,
    )


def forecast_project(
    project: Project,
    *,
    source: str,
    source_map: SourceMap | None = None,
    items: int | None = None,
    by: date | None = None,
    milestones: bool = False,
    iterations: int = 10_000,
    seed: int | None = None,
    history: str | Path | None = None,
    window_days: int | None = None,
    since: date | None = None,
    start: date | None = None,
    split_rate: float = 0.0,
    progress: Progress | None = None,
) -> ForecastReport:
    """The forecasts of a plan already read: `source` names it in messages (the plan file,
    or a stored project), `source_map` locates a bad finish date when there is a file."""
    plan = source  # the plan's name in messages; `source` becomes the history's
    calendar = working_days(project)
    last: date | None = None  # the history's last day
    if start is not None:
        last = start - timedelta(days=1)
    elif project.info.status_date is not None:
        last = project.info.status_date
    backlog = plan_history(project)
    if history is not None:
        found = read_history(history, not_after=last)
        finished = [item.on for item in found.items]
        source = str(history)
    else:
        finished = _plan_finished(source_map, backlog, last, source)
    if last is None:
        last = max(finished)
    first, last = history_window(finished, last=last, window_days=window_days, since=since)
    sampled = daily_throughput(finished, calendar, first=first, last=last, source=source)
    begin = calendar.on_or_after(start or last + timedelta(days=1))
    if seed is None:
        seed = secrets.randbelow(2**32)
    # one stream per forecast: asking for another forecast does not change this one's runs
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)]
    when_result = None
    if wants_when(items, by, milestones):
        target = items if items is not None else len(backlog.open_items)
        if target < 1:
            raise ForecastError(
                f"{plan}: every item of the plan is done: give --items N to forecast N more",
                code="forecast.nothing_left",
            )
        when_result = when(
            target,
            sampled.counts,
            rng=streams[0],
            split_rate=split_rate,
            progress=progress,
            start=begin,
            calendar=calendar,
            iterations=iterations,
        )
    how_many_result = None
    if by is not None:
        how_many_result = how_many(
            by,
            sampled.counts,
            rng=streams[1],
            progress=progress,
            start=begin,
            calendar=calendar,
            iterations=iterations,
        )
    milestone_results = None
    if milestones:
        schedule = schedule_loaded(project)
        targets = milestone_targets(schedule, (t.id for t in backlog.open_items))
        milestone_results = tuple(
            when_milestones(
                targets,
                sampled.counts,
                rng=streams[2],
                split_rate=split_rate,
                progress=progress,
                start=begin,
                calendar=calendar,
                iterations=iterations,
            )
        )
    summary = HistorySummary(
        source=source,
        first=first,
        last=last,
        samples=sampled.samples,
        items=sampled.items,
        per_day=sampled.per_day,
        undated=len(backlog.undated) if history is None else 0,
    )
    return ForecastReport(
        name=project.info.name,
        start=begin,
        history=summary,
        throughput=sampled,
        iterations=iterations,
        seed=seed,
        open_items=len(backlog.open_items),
        split_rate=split_rate,
        when=when_result,
        how_many=how_many_result,
        milestones=milestone_results,
        warnings=tuple(history_warnings(sampled, source)),
    )


def working_days(project: Project) -> WorkingDays:
    """The project calendar's working days: its work week, public holidays, days off."""
    specs = dict(project.calendars)
    specs.setdefault(project.info.calendar, STANDARD_CALENDAR)
    calendar = resolve_calendars(specs)[project.info.calendar]
    timeline = Timeline(calendar, project.info.start, public_holidays)
    return WorkingDays(lambda day: bool(timeline.hours_on(day)))


def _plan_finished(
    source_map: SourceMap | None, backlog: PlanHistory, last: date | None, name: str
) -> list[date]:
    """The days the plan's items were finished; one after the history's end is an error
    pointing at the history entry (or `actual_finish`) that says so."""
    if not backlog.finished:
        raise HistoryError(
            f"{name}: no finished items to forecast from: no task's history shows it "
            "entering a done state (nor has an actual_finish); give --history FILE",
            code="history.no_finished",
        )
    if last is not None:
        problems = [
            Problem(
                "history.future_date",
                f"task {f.task_id!r} was finished on {f.on}, after the history ends ({last}, "
                "the day before the forecast starts); set --from later, or correct it",
                _where(source_map, f.task_id, f.entry),
            )
            for f in backlog.finished
            if f.on > last
        ]
        if problems:
            raise InvalidPlanError(problems)
    return [f.on for f in backlog.finished]


def _where(source: SourceMap | None, task_id: str, entry: int | None) -> SourceLocation | None:
    if source is None:
        return None
    base = list(source.tasks.get(task_id, [()])[0])
    if entry is None:
        return source.at([*base, "actual_finish"])
    return source.at([*base, "history", entry, "at"])
