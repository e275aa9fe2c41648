"""What a status report says, gathered once and rendered as HTML, PDF or Markdown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from techpm.evm.metrics import EarnedValue
from techpm.reporting.changes import Changes
from techpm.reporting.status import StatusVerdict
from techpm.scheduling.result import TaskSchedule

AUDIENCES = ("executive", "team")


@dataclass(frozen=True)
class MilestoneLine:
    id: str
    name: str
    baseline: date | None
    forecast: date
    p80: date | None
    deadline: date | None
    slip_days: float | None  # working days after the baseline (+ = later)
    on_time: float | None  # probability of meeting its deadline
    finished: bool
    critical: bool


@dataclass(frozen=True)
class RiskLine:
    id: str
    title: str
    owner: str | None
    status: str
    probability: float
    probability_level: int
    impact_level: int
    score: int
    rating: str
    exposure_days: float
    exposure_cost: Decimal
    strategy: str | None


@dataclass(frozen=True)
class HotSpot:
    resource: str
    name: str
    weeks_over: tuple[date, ...]  # weeks in which it is booked over capacity
    peak: float  # highest weekly allocation (1.0 = fully booked)


@dataclass(frozen=True)
class Recipient:
    """A line of the communication plan."""

    id: str
    name: str
    quadrant: str
    audience: str
    cadence: str
    channel: str
    email: str | None
    shows_costs: bool = True
    external: bool = False


@dataclass(frozen=True)
class SimulationFigures:
    iterations: int
    seed: int | None
    finish: dict[str, date]  # "p10" ... "p95"
    cost: dict[str, float]


@dataclass(frozen=True)
class EvmFigures:
    status_date: date
    figures: EarnedValue
    forecast_finish: date | None
    periods: list[tuple[date, float]]  # week end -> cumulative planned value, from the start


@dataclass(frozen=True)
class GanttRow:
    row: TaskSchedule
    baseline: tuple[datetime, datetime] | None


@dataclass(frozen=True)
class StatusReport:
    project: str
    manager: str | None
    currency: str
    audience: str
    generated_at: datetime
    status_date: date | None
    start: datetime
    finish: datetime  # the current forecast
    verdict: StatusVerdict
    baseline: str | None  # the baseline compared with, by name
    baseline_finish: datetime | None
    finish_slip_days: float | None
    committed: tuple[str, date] | None  # the task whose deadline is the committed date
    on_time_probability: float | None
    simulation: SimulationFigures | None
    evm: EvmFigures | None
    milestones: tuple[MilestoneLine, ...]
    risks: tuple[RiskLine, ...]  # open ones first, by score then exposure
    risk_ratings: dict[int, str]  # score (probability level x impact level) -> rating
    hot_spots: tuple[HotSpot, ...]
    changes: Changes | None
    since: str | None  # what the changes are measured from: "<name> of <time>"
    decisions: tuple[str, ...]
    asks: tuple[str, ...]
    communication: tuple[Recipient, ...]
    gantt: tuple[GanttRow, ...]
    critical_path: tuple[str, ...]  # leaf ids of the first critical path, in order
    shows_costs: bool = True  # False: an edition for people who see no money
    notes: tuple[str, ...] = ()  # warnings for the person running it ("code: message")
    gantt_hidden: int = 0  # tasks the bounded Gantt neither draws nor rolls up in a summary

    @property
    def open_risks(self) -> tuple[RiskLine, ...]:
        return tuple(r for r in self.risks if r.status == "open")
