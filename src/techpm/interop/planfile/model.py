"""The plan file's shape, as pydantic models: validation, defaults and the JSON Schema."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from techpm.interop.planfile.backlog_model import GoalModel, IdeaModel, SprintModel, WorkflowModel
from techpm.interop.planfile.levels import Level, Probability
from techpm.interop.planfile.model_types import TaskId

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _not_a_truth_value(value: object) -> object:
    """YAML reads `yes`, `true` and `on` as booleans, which pydantic would take for 1 day."""
    if isinstance(value, bool):
        raise ValueError(
            f"{str(value).lower()} is not a duration; write a number and a unit, such as 5d"
        )
    return value


DurationText = Annotated[
    str | float | int,
    BeforeValidator(_not_a_truth_value),
    Field(
        description="Working time: a number and a unit, m (minutes), h (hours), d (days), "
        "w (weeks) or mo (months), such as 4h, 5d, 2w; a bare number means days; a leading "
        "minus sign makes a lag a lead.",
        examples=["4h", "5d", "2w", "-1d"],
    ),
]
MomentValue = date | datetime
_HOURS_RE = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)\s*-\s*([01]?\d|2[0-4]):([0-5]\d)$")
ConstraintName = Literal[
    "start_no_earlier_than",
    "start_no_later_than",
    "finish_no_earlier_than",
    "finish_no_later_than",
    "must_start_on",
    "must_finish_on",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def _check_hours(spans: list[str] | None) -> list[str] | None:
    for span in spans or []:
        match = _HOURS_RE.match(span.strip())
        if not match:
            raise ValueError(f"{span!r} is not a span of hours like '09:00-17:00'")
        start = int(match[1]) * 60 + int(match[2])
        end = int(match[3]) * 60 + int(match[4])
        if not 0 <= start < end <= 24 * 60:
            raise ValueError(f"{span!r} must end after it starts, within one day")
    return spans


class HolidaysModel(_Strict):
    """Public holidays from the `holidays` package."""

    country: str = Field(description="ISO 3166-1 alpha-2 code, such as US, DE or FR.")
    region: str | None = Field(
        default=None, alias="subdiv", description="Subdivision code, such as CA or BY."
    )


class DateRange(_Strict):
    from_: date = Field(alias="from")
    to: date


class CalendarModel(_Strict):
    base: str | None = Field(default=None, description="Calendar to inherit from.")
    workweek: list[Weekday] | dict[Weekday, list[str]] | None = Field(
        default=None,
        description="Working weekdays, or weekday -> spans of hours like ['09:00-13:00'].",
    )
    hours_per_day: float | None = Field(default=None, gt=0, le=24)
    hours: list[str] | None = Field(
        default=None,
        description="Working hours of each working day, such as ['08:00-12:00', '13:00-17:00'].",
    )
    holidays: HolidaysModel | list[HolidaysModel] | None = None
    nonworking: list[date | DateRange] = Field(
        default_factory=list, description="Days off: dates or {from, to} ranges."
    )
    working: list[date | DateRange] = Field(
        default_factory=list, description="Extra working days (override weekends and holidays)."
    )

    _hours_ok = field_validator("hours")(_check_hours)

    @field_validator("workweek")
    @classmethod
    def _week_hours_ok(
        cls, value: list[str] | dict[str, list[str]] | None
    ) -> list[str] | dict[str, list[str]] | None:
        if isinstance(value, dict):
            for spans in value.values():
                _check_hours(spans)
        return value


class ThresholdModel(_Strict):
    amber: float = Field(ge=0)
    red: float = Field(ge=0)


class ProjectModel(_Strict):
    name: str = Field(min_length=1)
    priority: int = Field(
        default=500, ge=0, le=1000, description="Among projects leveled together."
    )
    contingency: float = Field(default=0, ge=0, description="Reserve for identified risks.")
    management_reserve: float = Field(default=0, ge=0, description="Reserve for the unforeseen.")
    status_date: date | None = Field(
        default=None, description="Progress is as of the end of this working day."
    )
    thresholds: dict[Literal["cpi", "spi", "spi_t", "tcpi_bac"], ThresholdModel] = Field(
        default_factory=dict, description="When an index turns amber or red."
    )
    status_rules: dict[
        Literal["finish_slip_days", "spi", "cpi", "on_time_probability", "open_high_risks"],
        ThresholdModel,
    ] = Field(default_factory=dict, description="When the status report turns amber or red.")
    prioritization: Literal["rice", "wsjf", "moscow", "value_effort"] = Field(
        default="rice", description="How `techpm ideas` ranks ideas unless told otherwise."
    )
    level: bool = Field(
        default=False,
        description="Every command works on the resource-leveled schedule (--no-level to not).",
    )
    start: date
    calendar: str = "standard"
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    description: str | None = None
    manager: str | None = None


class DependencyModel(_Strict):
    task: TaskId
    type: Literal["FS", "SS", "FF", "SF"] = "FS"
    lag: DurationText = "0d"


class ConstraintModel(_Strict):
    type: ConstraintName
    date: MomentValue


class AssignModel(_Strict):
    resource: TaskId
    units: float = Field(default=1.0, gt=0, description="In the resource's own units.")


class NeedModel(_Strict):
    skill: str = Field(min_length=1)
    level: int = Field(default=1, ge=1, le=10)
    count: int = Field(default=1, ge=1, le=1000)
    units: float = Field(default=1.0, gt=0, description="Share of each person, 1 = full time.")


class RateChangeModel(_Strict):
    from_: date = Field(alias="from")
    rate: str | float | int


class ResourceModel(_Strict):
    id: TaskId
    name: str = Field(min_length=1)
    kind: Literal["person", "team", "equipment"] | None = Field(
        default=None, description="Defaults to team when capacity is above 1, else person."
    )
    capacity: float = Field(default=1.0, gt=0, le=1_000_000)
    calendar: str | None = None
    vacations: list[tuple[date, date] | DateRange | date] = Field(
        default_factory=list, description="Days away: [from, to] pairs, {from, to} or dates."
    )
    skills: dict[str, int] = Field(default_factory=dict, description="skill -> level (1-10).")
    rate: str | float | int | None = Field(
        default=None, description="Cost per unit of work: 95/h, 760/d, or a number per hour."
    )
    max_allocation: float = Field(default=1.0, gt=0, le=1, description="Share bookable at once.")
    rates: list[RateChangeModel] = Field(
        default_factory=list, description="Rate changes: [{from: DATE, rate: 110/h}]."
    )
    cost_account: str = Field(default="labor", description="Category of the work's cost.")
    email: str | None = None
    tags: list[str] = Field(default_factory=list)
    refs: Refs = Field(default_factory=dict)

    @field_validator("skills")
    @classmethod
    def _levels(cls, value: dict[str, int]) -> dict[str, int]:
        for skill, level in value.items():
            if not 1 <= level <= 10:
                raise ValueError(f"level of {skill!r} must be between 1 and 10")
        return value


DistributionName = Literal["pert", "triangular", "uniform", "lognormal"]


class EstimateModel(_Strict):
    """A three-point estimate of working time."""

    optimistic: DurationText
    likely: DurationText
    pessimistic: DurationText
    distribution: DistributionName = "pert"


class MoneyEstimateModel(_Strict):
    """A three-point estimate of a cost."""

    optimistic: float = Field(ge=0)
    likely: float = Field(ge=0)
    pessimistic: float = Field(ge=0)
    distribution: DistributionName = "pert"


class DelayModel(_Strict):
    task: TaskId
    delay: DurationText | EstimateModel = Field(
        description="Working time added to the task when the risk occurs."
    )


class ImpactModel(_Strict):
    schedule: list[DelayModel] = Field(default_factory=list)
    cost: float | MoneyEstimateModel | None = None


class ResponseModel(_Strict):
    strategy: Literal["avoid", "mitigate", "transfer", "accept"] = "accept"
    actions: list[str] = Field(default_factory=list)
    cost: float = Field(default=0, ge=0, description="Cost of the response itself.")
    residual_probability: Probability | None = None
    residual_impact: ImpactModel | None = None


class RiskModel(_Strict):
    id: TaskId
    title: str = Field(min_length=1)
    description: str | None = None
    category: str | None = None
    owner: str | None = None
    probability: Probability
    impact: ImpactModel = Field(default_factory=ImpactModel)
    response: ResponseModel | None = None
    trigger: str | None = None
    status: Literal["open", "closed", "occurred"] = "open"
    review_dates: list[date] = Field(default_factory=list)


class RiskMatrixModel(_Strict):
    """Four ascending thresholds per axis cut it into five levels."""

    probability: list[float] = Field(default=[0.1, 0.3, 0.5, 0.7], min_length=4, max_length=4)
    schedule_days: list[float] = Field(default=[1, 5, 10, 20], min_length=4, max_length=4)
    cost: list[float] = Field(default=[1000, 10000, 50000, 100000], min_length=4, max_length=4)
    high: int = Field(default=15, ge=1, le=25)
    medium: int = Field(default=6, ge=1, le=25)


class CorrelationModel(_Strict):
    """Tasks whose estimates move together: one `coefficient` for every pair, or a `matrix`
    of rank correlations in the order of `tasks`."""

    tasks: list[TaskId] = Field(min_length=2)
    coefficient: float | None = Field(default=None, ge=-1, le=1)
    matrix: list[list[float]] | None = None


class ItemModel(_Strict):
    id: TaskId
    name: str = Field(min_length=1)
    kind: str = Field(default="equipment", description="equipment, license, cloud, service ...")
    vendor: str | None = None
    quantity: float = Field(default=1, gt=0)
    unit_cost: float = Field(default=0, ge=0)
    lead_time_days: int = Field(
        default=0, ge=0, description="Calendar days from order to delivery."
    )
    order_date: date | None = None
    needed_by: date | None = None
    received: date | None = None
    status: Literal["planned", "ordered", "received", "cancelled"] = "planned"


class StakeholderModel(_Strict):
    id: TaskId
    name: str = Field(min_length=1)
    role: str | None = None
    organisation: str | None = None
    interest: Level = Field(default=3, description="1 (low) to 5 (high), or in words.")
    influence: Level = Field(default=3, description="Power over the project, 1 to 5.")
    expectations: str | None = None
    channel: str = Field(default="email", description="email, webhook, meeting ...")
    email: str | None = Field(
        default=None,
        pattern=r"^[^@\s]+@[^@\s]+$",
        description="Where `techpm notify` mails this stakeholder's report.",
    )
    frequency: Literal["daily", "weekly", "biweekly", "monthly", "milestone"] | None = Field(
        default=None, description="Default from the power/interest quadrant."
    )
    report: Literal["executive", "team"] | None = Field(
        default=None, description="Which status report; default from the quadrant."
    )
    external: bool | None = Field(
        default=None,
        description="Outside the organisation: the executive edition and no cost data by default.",
    )
    costs: bool | None = Field(
        default=None, description="Show money in their report; default: not if external."
    )


class RaciModel(_Strict):
    """Parties are resource or stakeholder ids."""

    task: TaskId = Field(description="The deliverable: a task or WBS branch.")
    responsible: list[TaskId] = Field(default_factory=list)
    accountable: TaskId | list[TaskId] = Field(default_factory=list)
    consulted: list[TaskId] = Field(default_factory=list)
    informed: list[TaskId] = Field(default_factory=list)


class StatusChangeModel(_Strict):
    """One change of a work item's workflow state, as a tracker recorded it."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    at: datetime
    to: str = Field(min_length=1)
    from_: str | None = Field(default=None, alias="from")


Refs = Annotated[
    dict[str, str | int],
    Field(description="Ids of the same item in other tools: msproject, jira, gantt, trello ..."),
]


class TaskModel(_Strict):
    id: TaskId
    name: str = Field(min_length=1)
    duration: DurationText | None = None
    milestone: bool = False
    after: list[TaskId | DependencyModel] = Field(
        default_factory=list,
        description="Predecessors: ids (finish-to-start) or {task, type, lag}.",
    )
    constraint: ConstraintModel | list[ConstraintModel] | None = None
    deadline: MomentValue | None = None
    calendar: str | None = None
    actual_start: MomentValue | None = None
    actual_finish: MomentValue | None = None
    percent_complete: float = Field(default=0, ge=0, le=100)
    remaining_duration: DurationText | None = Field(
        default=None, description="Work left as of the status date (instead of percent)."
    )
    priority: int = Field(default=500, ge=0, le=1000)
    owner: str | None = None
    tags: list[str] = Field(default_factory=list)
    notes: str | None = None
    assign: list[AssignModel] = Field(
        default_factory=list, description="Named resources with units."
    )
    needs: list[NeedModel] = Field(
        default_factory=list, description="Skills to fill with people automatically."
    )
    effort: DurationText | None = Field(
        default=None, description="Work for effort-driven tasks: 30d by two people takes 15d."
    )
    estimate: EstimateModel | None = Field(
        default=None, description="Three-point estimate; `duration` defaults to `likely`."
    )
    fixed_cost: float | None = Field(default=None, ge=0, description="Cost independent of work.")
    accrue: Literal["prorated", "start", "end"] = "prorated"
    cost_account: str | None = Field(default=None, description="Category of the fixed cost.")
    actual_cost: float | None = Field(default=None, ge=0, description="Spent so far.")
    needs_items: list[TaskId] = Field(
        default_factory=list, description="Procured items the task cannot start without."
    )
    control_account: str | None = Field(
        default=None, description="EVM control account (children inherit it)."
    )
    refs: Refs = Field(default_factory=dict)
    issue_type: str | None = Field(default=None, description="epic, story, bug ... (trackers)")
    points: float | None = Field(default=None, ge=0, description="Story points.")
    status: str | None = Field(default=None, description="Workflow state in a tracker.")
    sprint: str | None = None
    history: list[StatusChangeModel] = Field(
        default_factory=list, description="Workflow state changes, oldest first."
    )
    children: list[TaskModel] | None = None


class PlanModel(_Strict):
    """A techpm plan file."""

    model_config = ConfigDict(
        extra="forbid",
        title="techpm plan",
        json_schema_extra={"$id": "https://techpm.dev/schema/plan.json"},
    )

    version: int = Field(default=1, ge=1, le=1, description="Plan file format version.")
    project: ProjectModel
    calendars: dict[str, CalendarModel] = Field(default_factory=dict)
    resources: list[ResourceModel] = Field(default_factory=list)
    tasks: list[TaskModel] = Field(description="The WBS; may be empty (e.g. a resource pool).")
    risks: list[RiskModel] = Field(default_factory=list)
    risk_matrix: RiskMatrixModel | None = None
    correlations: list[CorrelationModel] = Field(default_factory=list)
    procurement: list[ItemModel] = Field(default_factory=list)
    stakeholders: list[StakeholderModel] = Field(default_factory=list)
    raci: list[RaciModel] = Field(default_factory=list)
    decisions: list[str] = Field(
        default_factory=list, description="Decisions the sponsors must take (status report)."
    )
    asks: list[str] = Field(
        default_factory=list, description="What the team asks of its sponsors (status report)."
    )
    workflow: WorkflowModel | None = Field(
        default=None, description="Workflow states of backlog items (tasks with `status`)."
    )
    sprints: list[SprintModel] = Field(default_factory=list)
    goals: list[GoalModel] = Field(default_factory=list)
    ideas: list[IdeaModel] = Field(default_factory=list)


class TeamModel(_Strict):
    """A resource file shared by several plans (`techpm schedule a.yaml b.yaml --resources`)."""

    model_config = ConfigDict(extra="forbid", title="techpm resource file")

    calendars: dict[str, CalendarModel] = Field(default_factory=dict)
    resources: list[ResourceModel] = Field(min_length=1)
