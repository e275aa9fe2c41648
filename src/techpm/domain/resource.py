"""People, teams and equipment that do the work, and what tasks ask of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum


class ResourceKind(StrEnum):
    PERSON = "person"
    TEAM = "team"  # a pool of interchangeable people: capacity in heads
    EQUIPMENT = "equipment"


class RateUnit(StrEnum):
    HOUR = "h"
    DAY = "d"


@dataclass(frozen=True)
class Rate:
    """Cost of one unit of the resource for an hour or a day of work; money is never a float."""

    amount: Decimal
    per: RateUnit = RateUnit.HOUR


@dataclass(frozen=True)
class Resource:
    """`capacity` is in the resource's own units (heads for a team, 1 for a person)."""

    id: str
    name: str
    kind: ResourceKind = ResourceKind.PERSON
    capacity: float = 1.0
    calendar: str | None = None
    vacations: tuple[tuple[date, date], ...] = ()
    skills: tuple[tuple[str, int], ...] = ()
    rate: Rate | None = None
    max_allocation: float = 1.0  # share of capacity that may be booked at once
    email: str | None = None
    tags: tuple[str, ...] = ()
    refs: dict[str, str] = field(
        default_factory=dict, compare=False, hash=False
    )  # other tools' ids
    rate_changes: tuple[tuple[date, Rate], ...] = ()  # from each date on, the new rate
    cost_account: str = "labor"

    def rate_on(self, day: date) -> Rate | None:
        """The rate in force on `day`: the latest change on or before it, else `rate`."""
        current = self.rate
        for start, rate in self.rate_changes:
            if start <= day:
                current = rate
        return current

    @property
    def skill_levels(self) -> dict[str, int]:
        return dict(self.skills)

    @property
    def bookable(self) -> float:
        """Units that can be booked at once."""
        return self.capacity * self.max_allocation


@dataclass(frozen=True)
class Assignment:
    """A named resource on a task, in that resource's units (0.5 = half of Alice)."""

    resource: str
    units: float = 1.0


@dataclass(frozen=True)
class SkillNeed:
    """`count` people with `skill` at `level` or above, each at `units`, chosen by techpm."""

    skill: str
    level: int = 1
    count: int = 1
    units: float = 1.0


def effort_duration(
    effort_minutes: int, assignments: tuple[Assignment, ...], needs: tuple[SkillNeed, ...]
) -> int | None:
    """Duration of an effort-driven task: the work shared by everyone on it (30d by two
    people takes 15d). None when nobody is on the task."""
    units = sum(a.units for a in assignments) + sum(n.count * n.units for n in needs)
    if units <= 0:
        return None
    return round(effort_minutes / units)
