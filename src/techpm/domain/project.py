"""The plan as data: a project, its calendars, its WBS and the links between tasks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from techpm.domain.calendar import CalendarSpec
from techpm.domain.dependency import Dependency
from techpm.domain.estimate import Correlation
from techpm.domain.idea import Goal, Idea
from techpm.domain.procurement import Item
from techpm.domain.raci import RaciEntry
from techpm.domain.resource import Resource
from techpm.domain.risk import Risk, RiskMatrix
from techpm.domain.sprint import Sprint
from techpm.domain.stakeholder import Stakeholder
from techpm.domain.task import Task
from techpm.domain.units import DurationUnits
from techpm.domain.workflow import Workflow


@dataclass(frozen=True)
class ProjectInfo:
    name: str
    start: date
    calendar: str = "standard"
    currency: str = "USD"
    description: str | None = None
    manager: str | None = None
    priority: int = 500  # among projects leveled together (higher goes first)
    contingency: Decimal = Decimal(0)  # reserve for identified risks, in the cost baseline
    management_reserve: Decimal = Decimal(0)  # for the unforeseen, outside the baseline
    status_date: date | None = None  # progress is as of the end of this working day
    thresholds: tuple[tuple[str, float, float], ...] = (
        ("cpi", 0.95, 0.9),
        ("spi", 0.95, 0.9),
        ("spi_t", 0.95, 0.9),
        ("tcpi_bac", 1.05, 1.1),
    )  # (index, amber, red): below amber is amber, below red is red (above, for TCPI)
    # the status report's overall RAG rules, in the same (measure, amber, red) form
    prioritization: str = "rice"  # how ideas are ranked: rice, wsjf, moscow, value_effort
    status_rules: tuple[tuple[str, float, float], ...] = (
        ("finish_slip_days", 5, 10),  # forecast finish after the baseline's, working days
        ("spi", 0.95, 0.9),
        ("cpi", 0.95, 0.9),
        ("on_time_probability", 0.8, 0.5),  # chance of meeting the committed date
        ("open_high_risks", 0, 2),  # one high risk is amber, three are red
    )
    level: bool = False  # every command works on the resource-leveled schedule


@dataclass(frozen=True)
class Project:
    """Immutable plan; tasks are in WBS order (each parent before its children)."""

    info: ProjectInfo
    calendars: dict[str, CalendarSpec]
    tasks: tuple[Task, ...]
    dependencies: tuple[Dependency, ...] = ()
    resources: tuple[Resource, ...] = ()
    risks: tuple[Risk, ...] = ()
    risk_matrix: RiskMatrix = field(default_factory=RiskMatrix)
    correlations: tuple[Correlation, ...] = ()
    procurement: tuple[Item, ...] = ()
    stakeholders: tuple[Stakeholder, ...] = ()
    raci: tuple[RaciEntry, ...] = ()
    decisions: tuple[str, ...] = ()  # for the sponsors, in the status report
    asks: tuple[str, ...] = ()
    workflow: Workflow | None = None  # states of backlog items, when the plan tracks them
    sprints: tuple[Sprint, ...] = ()
    goals: tuple[Goal, ...] = ()
    ideas: tuple[Idea, ...] = ()
    units: DurationUnits = field(default_factory=DurationUnits)
    source: str | None = None

    @cached_property
    def task_by_id(self) -> dict[str, Task]:
        return {task.id: task for task in self.tasks}

    @cached_property
    def item_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.procurement}

    def item_ready(self, item: Item) -> date:
        """When an item can be used; one not yet ordered is ordered at the status date (or
        the project start)."""
        return item.available_on(self.info.status_date or self.info.start)

    @cached_property
    def resource_by_id(self) -> dict[str, Resource]:
        return {resource.id: resource for resource in self.resources}

    @cached_property
    def children(self) -> dict[str | None, tuple[str, ...]]:
        kids: dict[str | None, list[str]] = {}
        for task in self.tasks:
            kids.setdefault(task.parent, []).append(task.id)
        return {parent: tuple(ids) for parent, ids in kids.items()}

    def is_summary(self, task_id: str) -> bool:
        return task_id in self.children

    def leaves_under(self, task_id: str) -> Iterator[str]:
        """Leaf tasks and milestones at or below `task_id`, in WBS order."""
        kids = self.children.get(task_id)
        if not kids:
            yield task_id
            return
        for kid in kids:
            yield from self.leaves_under(kid)

    def ancestors(self, task_id: str) -> Iterator[str]:
        parent = self.task_by_id[task_id].parent
        while parent is not None:
            yield parent
            parent = self.task_by_id[parent].parent

    def wbs_codes(self) -> dict[str, str]:
        """Outline numbers (1, 1.1, 1.2, 2 ...) in WBS order."""
        codes: dict[str, str] = {}

        def walk(parent: str | None, prefix: str) -> None:
            for position, kid in enumerate(self.children.get(parent, ()), start=1):
                code = f"{prefix}{position}"
                codes[kid] = code
                walk(kid, code + ".")

        walk(None, "")
        return codes
