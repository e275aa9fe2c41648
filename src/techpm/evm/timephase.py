"""The budget over time: what each task costs on each day of the schedule.

Labour is the task's working minutes that day times its bookings' units times the rate in
force that day (a rate table can change on a date). A fixed cost is spread over the task's
working time in proportion to the minutes worked each day, or falls on its first or last
day (`accrue: start` / `end`). Money stays Decimal throughout.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from techpm.domain.resource import RateUnit
from techpm.domain.task import Accrual
from techpm.scheduling.result import Schedule

CENT = Decimal("0.01")
MINUTES_PER_DAY = 1440


@dataclass(frozen=True)
class CostEntry:
    task_id: str
    day: date
    account: str
    amount: Decimal


def _day_minutes(schedule: Schedule, j: int) -> list[tuple[date, int]]:
    """Working minutes of leaf j on each calendar day it spans."""
    problem = schedule.problem
    tl = problem.timelines[problem.calendar_idx[j]]
    start, finish = schedule.early_start_at[j], schedule.early_finish_at[j]
    if finish <= start:
        return [(tl.day_of(start), 0)]
    out = []
    midnight = (start // MINUTES_PER_DAY) * MINUTES_PER_DAY
    while midnight < finish:
        nxt = midnight + MINUTES_PER_DAY
        worked = tl.to_work(min(finish, nxt)) - tl.to_work(max(start, midnight))
        if worked > 0:
            out.append((tl.day_of(midnight), worked))
        midnight = nxt
    return out or [(tl.day_of(start), 0)]


def planned_costs(schedule: Schedule) -> list[CostEntry]:
    problem = schedule.problem
    project = problem.project
    hours_per_day = Decimal(project.units.minutes_per_day) / 60
    entries: list[CostEntry] = []
    for j, task_id in enumerate(problem.ids):
        task = project.task_by_id[task_id]
        days = _day_minutes(schedule, j)
        total = sum(minutes for _, minutes in days)
        for resource_id, units in schedule.bookings[j]:
            resource = project.resource_by_id.get(resource_id)
            if resource is None:
                continue
            for day, minutes in days:
                rate = resource.rate_on(day)
                if rate is None or not minutes:
                    continue
                hourly = rate.amount if rate.per is RateUnit.HOUR else rate.amount / hours_per_day
                amount = hourly * Decimal(str(units)) * Decimal(minutes) / 60
                entries.append(CostEntry(task_id, day, resource.cost_account, amount))
        if task.fixed_cost:
            account = task.cost_account or "fixed"
            if task.accrue is Accrual.START or total == 0:
                entries.append(CostEntry(task_id, days[0][0], account, task.fixed_cost))
            elif task.accrue is Accrual.END:
                entries.append(CostEntry(task_id, days[-1][0], account, task.fixed_cost))
            else:
                share = task.fixed_cost / Decimal(total)
                for day, minutes in days:
                    if minutes:
                        entries.append(CostEntry(task_id, day, account, share * minutes))
    for item in project.procurement:
        if item.status.value == "cancelled" or not item.cost:
            continue
        # the cost of an item counts when it arrives
        task_id = next((t.id for t in project.tasks if item.id in t.needs_items), item.id)
        arrival = project.item_ready(item)
        entries.append(CostEntry(task_id, arrival, "procurement", item.cost))
    return entries


def budget_at_completion(entries: list[CostEntry]) -> dict[str, Decimal]:
    """Per task id, its planned cost."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        totals[entry.task_id] += entry.amount
    return {k: v.quantize(CENT) for k, v in totals.items()}


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    by_account: dict[str, Decimal]
    total: Decimal
    cumulative: Decimal


def period_start(day: date, by: str) -> date:
    if by == "week":
        return day - timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    return day


def _next(start: date, by: str) -> date:
    if by == "week":
        return start + timedelta(days=7)
    if by == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=1)


def phased(entries: list[CostEntry], by: str) -> list[Period]:
    """Planned value per period (every period from the first cost to the last)."""
    if not entries:
        return []
    sums: dict[date, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for entry in entries:
        sums[period_start(entry.day, by)][entry.account] += entry.amount
    out = []
    running = Decimal(0)
    start = min(sums)
    last = max(sums)
    while start <= last:
        accounts = {k: v.quantize(CENT) for k, v in sorted(sums.get(start, {}).items())}
        total = sum(sums.get(start, {}).values(), Decimal(0))
        running += total
        end = _next(start, by) - timedelta(days=1)
        out.append(Period(start, end, accounts, total.quantize(CENT), running.quantize(CENT)))
        start = _next(start, by)
    return out
