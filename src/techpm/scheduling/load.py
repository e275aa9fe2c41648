"""Who is booked how much, week by week, and what the skill needs ask of the team."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta

from techpm.domain.resource import Resource
from techpm.scheduling.feasibility import check
from techpm.scheduling.resource_problem import resource_calendar
from techpm.scheduling.result import Schedule
from techpm.scheduling.timeline import Timeline


@dataclass(frozen=True)
class Week:
    start: date
    booked_minutes: float
    available_minutes: float
    over: bool  # some moment of the week asks more than the capacity

    @property
    def allocation(self) -> float:
        if self.available_minutes <= 0:
            return float("inf") if self.booked_minutes > 0 else 0.0
        return self.booked_minutes / self.available_minutes


@dataclass(frozen=True)
class ResourceLoad:
    resource: Resource
    weeks: tuple[Week, ...]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks_of(schedule: Schedule) -> list[date]:
    problem = schedule.problem
    first = _monday(problem.timelines[0].day_of(min(schedule.early_start_at, default=0)))
    last = problem.timelines[0].day_of(schedule.finish_minute)
    weeks = []
    while first <= last:
        weeks.append(first)
        first += timedelta(days=7)
    return weeks


def _worked(tl: Timeline, start: int, finish: int, lo: int, hi: int) -> int:
    a, b = max(start, lo), min(finish, hi)
    return max(0, tl.to_work(b) - tl.to_work(a)) if b > a else 0


def workload(schedule: Schedule) -> list[ResourceLoad]:
    """Booked against available working minutes per resource and week."""
    problem = schedule.problem
    weeks = weeks_of(schedule)
    over_days: dict[str, set[date]] = defaultdict(set)
    for breach in check(schedule):
        if breach.kind == "capacity" and breach.at is not None and breach.until is not None:
            day = problem.timelines[0].day_of(breach.at)
            last = problem.timelines[0].day_of(breach.until - 1)
            while day <= last:  # every week the breach runs into
                over_days[breach.subjects[0]].add(_monday(day))
                day += timedelta(days=7)
            over_days[breach.subjects[0]].add(_monday(last))
    booked: dict[str, dict[date, float]] = defaultdict(lambda: defaultdict(float))
    starts = [problem.moment_minute(week, finish=False) for week in weeks]
    for j, items in enumerate(schedule.bookings):
        if not items:
            continue  # nobody is booked on it
        tl = problem.timelines[problem.calendar_idx[j]]
        s, f = schedule.early_start_at[j], schedule.early_finish_at[j]
        # only the weeks the task runs into (a task of a 20,000-task chain is in one or two)
        first = max(0, bisect_right(starts, s) - 1)
        for k in range(first, len(weeks)):
            lo, week = starts[k], weeks[k]
            if lo >= f:
                break
            minutes = _worked(tl, s, f, lo, lo + 7 * 1440)
            if minutes:
                for resource_id, units in items:
                    booked[resource_id][week] += minutes * units
    out = []
    for resource in problem.project.resources:
        own = Timeline(resource_calendar(problem, resource), problem.epoch, problem.holidays)
        rows = []
        for week in weeks:
            lo = problem.moment_minute(week, finish=False)
            available = (own.to_work(lo + 7 * 1440) - own.to_work(lo)) * resource.bookable
            rows.append(
                Week(week, booked[resource.id][week], available, week in over_days[resource.id])
            )
        out.append(ResourceLoad(resource, tuple(rows)))
    return out


@dataclass(frozen=True)
class SkillWeek:
    start: date
    demand_heads: float  # people needed on average over the week
    supply_heads: float  # qualified people free of named bookings, on average


@dataclass(frozen=True)
class SkillDemand:
    skill: str
    level: int
    qualified: tuple[str, ...]
    weeks: tuple[SkillWeek, ...]

    def shortfalls(self) -> list[tuple[date, date, int]]:
        """Runs of weeks where more heads are needed than the team has: (from, to, extra)."""
        runs: list[tuple[date, date, int]] = []
        for week in self.weeks:
            extra = week.demand_heads - week.supply_heads
            if extra > 1e-6:
                heads = int(-(-extra // 1))
                if runs and runs[-1][1] == week.start - timedelta(days=1) and runs[-1][2] == heads:
                    runs[-1] = (runs[-1][0], week.start + timedelta(days=6), heads)
                else:
                    runs.append((week.start, week.start + timedelta(days=6), heads))
        return runs


def staffing(schedule: Schedule) -> list[SkillDemand]:
    """Demand of each skill need per week at the schedule's dates, against the qualified
    people's working time not already booked by name."""
    problem = schedule.problem
    project = problem.project
    weeks = weeks_of(schedule)
    week_minutes = project.units.minutes_per_week
    demand: dict[tuple[str, int], dict[date, float]] = defaultdict(lambda: defaultdict(float))
    for j, task_id in enumerate(problem.ids):
        task = project.task_by_id[task_id]
        if not task.needs:
            continue
        tl = problem.timelines[problem.calendar_idx[j]]
        s, f = schedule.early_start_at[j], schedule.early_finish_at[j]
        for week in weeks:
            lo = problem.moment_minute(week, finish=False)
            minutes = _worked(tl, s, f, lo, lo + 7 * 1440)
            for need in task.needs:
                demand[(need.skill, need.level)][week] += minutes * need.units * need.count
    loads = {load.resource.id: load for load in workload(_named_only(schedule))}
    out = []
    for (skill, level), per_week in sorted(demand.items()):
        qualified = [r for r in project.resources if r.skill_levels.get(skill, 0) >= level]
        weeks_out = []
        for n, week in enumerate(weeks):
            free = sum(
                max(
                    0.0,
                    loads[r.id].weeks[n].available_minutes - loads[r.id].weeks[n].booked_minutes,
                )
                for r in qualified
            )
            weeks_out.append(SkillWeek(week, per_week[week] / week_minutes, free / week_minutes))
        out.append(SkillDemand(skill, level, tuple(r.id for r in qualified), tuple(weeks_out)))
    return out


def _free(week: Week) -> float:
    return max(0.0, week.available_minutes - week.booked_minutes)


def _named_only(schedule: Schedule) -> Schedule:
    """The same dates, booking only the people named on tasks."""
    return replace(schedule, assignments=())
