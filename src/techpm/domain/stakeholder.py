"""Stakeholders: who cares about the project, how much they can sway it, and how to reach them."""

from __future__ import annotations

from dataclasses import dataclass

# interest and influence are scored 1..5 (plan files may say very low, low, medium, high or very
# high for 1 to 5); 3 and above count as high on the power/interest grid
HIGH = 3

# the communication plan's defaults per quadrant: which report, how often
ENGAGEMENT = {
    "manage closely": ("executive", "weekly"),
    "keep satisfied": ("executive", "monthly"),
    "keep informed": ("team", "weekly"),
    "monitor": ("executive", "milestone"),
}


@dataclass(frozen=True)
class Stakeholder:
    id: str
    name: str
    role: str | None = None
    organisation: str | None = None
    interest: int = 3
    influence: int = 3
    expectations: str | None = None
    channel: str = "email"  # email, webhook, meeting ...
    email: str | None = None  # where notifications mail the report
    frequency: str | None = None  # daily, weekly, biweekly, monthly, milestone
    report: str | None = None  # executive or team
    external: bool | None = None  # outside the organisation: executive edition, no costs
    costs: bool | None = None  # whether their report shows money; default: not if external

    @property
    def quadrant(self) -> str:
        """Mendelow's power/interest grid: how to engage this stakeholder."""
        power, interest = self.influence >= HIGH, self.interest >= HIGH
        if power and interest:
            return "manage closely"
        if power:
            return "keep satisfied"
        if interest:
            return "keep informed"
        return "monitor"

    @property
    def cadence(self) -> str:
        return self.frequency or ENGAGEMENT[self.quadrant][1]

    @property
    def audience(self) -> str:
        if self.report is None and self.external:
            return "executive"
        return self.report or ENGAGEMENT[self.quadrant][0]

    @property
    def shows_costs(self) -> bool:
        """Budgets and spend are internal unless the plan says this person may see them."""
        return self.costs if self.costs is not None else not self.external
