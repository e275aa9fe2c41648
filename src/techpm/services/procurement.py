"""What must be ordered by when to keep the schedule, and what is already late."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from techpm.domain.procurement import Item, ItemStatus
from techpm.services.planning import load_plan, schedule_plan


@dataclass(frozen=True)
class ItemPlan:
    item: Item
    tasks: tuple[str, ...]  # tasks that need it
    needed_by: date | None  # when the first of them could start without waiting for it
    order_by: date | None  # needed_by minus the lead time
    expected: date  # when it is (or will be) there
    late_to_order: bool  # not ordered and the order-by date has passed
    delays_plan: bool  # it arrives after it is needed: the tasks wait for it
    cost: Decimal


def plan_procurement(plan: str | Path, *, today: date) -> list[ItemPlan]:
    project = load_plan(plan)
    # the plan as if every item were there on time: when each task could start
    ungated = replace(project, tasks=tuple(replace(t, needs_items=()) for t in project.tasks))
    free = schedule_plan(ungated)
    starts = {row.id: row.start.date() for row in free.rows}
    reference = project.info.status_date or today
    out = []
    for item in project.procurement:
        tasks = tuple(t.id for t in project.tasks if item.id in t.needs_items)
        candidates = [starts[t] for t in tasks]
        if item.needed_by is not None:
            candidates.append(item.needed_by)
        needed = min(candidates) if candidates else None
        order_by = needed - timedelta(days=item.lead_time_days) if needed else None
        expected = item.available_on(max(reference, project.info.start))
        open_order = item.status in (ItemStatus.PLANNED,) and item.order_date is None
        out.append(
            ItemPlan(
                item=item,
                tasks=tasks,
                needed_by=needed,
                order_by=order_by,
                expected=expected,
                late_to_order=bool(open_order and order_by and order_by < reference),
                delays_plan=bool(
                    needed and expected > needed and item.status != ItemStatus.CANCELLED
                ),
                cost=item.cost,
            )
        )
    out.sort(key=lambda p: (p.order_by or date.max, p.item.id))
    return out
