"""How many points a sprint can take, and which backlog items fill it.

Capacity comes from the team's time: each member's working minutes between the sprint's
first and last day on their own calendar (holidays, exceptions, vacations as days off),
times the units they can be booked at (a half-time person gives half), as person-days of
the project's working day. Points per person-day come from the last sprints (up to
`BASIS_SPRINTS`) that finished before this one and finished something:
their velocity over their person-days. Without such sprints the default is SAFe's starting
point for normalised story points, 8 points per full-time person per two-week iteration
(SAFe, "Iteration Planning"), that is 0.8 per person-day. A sprint's own `capacity` wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from techpm.domain.calendar import STANDARD_CALENDAR, resolve_calendars
from techpm.domain.project import Project
from techpm.domain.resource import Resource, ResourceKind
from techpm.domain.sprint import Sprint
from techpm.domain.task import Task
from techpm.domain.workflow import Workflow
from techpm.flow.history import StateNames
from techpm.flow.metrics import SprintVelocity
from techpm.scheduling.resource_problem import with_vacations
from techpm.scheduling.timeline import HolidayLookup, Timeline, no_holidays

DEFAULT_POINTS_PER_PERSON_DAY = 0.8
BASIS_SPRINTS = 3
_EPSILON = 1e-9

CapacitySource = Literal["stated", "velocity", "default"]


@dataclass(frozen=True)
class MemberTime:
    resource: str
    minutes: float  # working minutes in the sprint, times the units bookable
    person_days: float  # minutes over the project's working day


@dataclass(frozen=True)
class PastSprint:
    sprint: str
    points: float
    person_days: float


@dataclass(frozen=True)
class SprintCapacity:
    sprint: Sprint
    points: float
    source: CapacitySource  # stated in the plan, from past velocity, or the default rate
    person_days: float
    points_per_person_day: float | None  # None when the capacity is stated
    members: tuple[MemberTime, ...]
    basis: tuple[PastSprint, ...] = ()  # the sprints the rate comes from


def team_of(project: Project, sprint: Sprint) -> tuple[Resource, ...]:
    """The sprint's `team`, else every person and team resource (not equipment)."""
    if sprint.team:
        return tuple(project.resource_by_id[r] for r in sprint.team if r in project.resource_by_id)
    return tuple(r for r in project.resources if r.kind is not ResourceKind.EQUIPMENT)


def member_time(
    project: Project, sprint: Sprint, holidays: HolidayLookup = no_holidays
) -> tuple[MemberTime, ...]:
    specs = dict(project.calendars)
    specs.setdefault(project.info.calendar, STANDARD_CALENDAR)
    calendars = resolve_calendars(specs)
    day_minutes = project.units.minutes_per_day
    out = []
    for resource in team_of(project, sprint):
        base = calendars[resource.calendar or project.info.calendar]
        timeline = Timeline(with_vacations(base, resource), sprint.start, holidays)
        end = timeline.minute_of(sprint.finish + timedelta(days=1))
        minutes = timeline.to_work(end) * resource.bookable
        out.append(MemberTime(resource.id, minutes, minutes / day_minutes))
    return tuple(out)


def sprint_capacity(
    project: Project,
    sprint: Sprint,
    velocities: Sequence[SprintVelocity],
    holidays: HolidayLookup = no_holidays,
) -> SprintCapacity:
    """Points the sprint can take; `velocities` are the finished points of past sprints."""
    members = member_time(project, sprint, holidays)
    person_days = sum(m.person_days for m in members)
    if sprint.capacity is not None:
        return SprintCapacity(sprint, sprint.capacity, "stated", person_days, None, members)
    by_id = {s.id: s for s in project.sprints}
    past = [
        v
        for v in velocities
        if v.items > 0 and v.sprint in by_id and by_id[v.sprint].finish < sprint.start
    ]
    past.sort(key=lambda v: by_id[v.sprint].start)
    basis = tuple(
        PastSprint(
            v.sprint,
            v.points,
            sum(m.person_days for m in member_time(project, by_id[v.sprint], holidays)),
        )
        for v in past[-BASIS_SPRINTS:]
    )
    basis_days = sum(b.person_days for b in basis)
    if basis and basis_days > 0:
        rate = sum(b.points for b in basis) / basis_days
        return SprintCapacity(
            sprint, rate * person_days, "velocity", person_days, rate, members, basis
        )
    rate = DEFAULT_POINTS_PER_PERSON_DAY
    return SprintCapacity(sprint, rate * person_days, "default", person_days, rate, members)


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str
    points: float | None
    priority: int
    rank: int  # 1 = first: priority descending, then plan order
    in_sprint: bool  # already planned in this sprint
    carried_from: str | None = None  # an earlier sprint it was not finished in


@dataclass(frozen=True)
class Skipped:
    item: Candidate
    code: str  # sprint.does_not_fit, sprint.waits_for
    reason: str


@dataclass(frozen=True)
class SprintFill:
    chosen: tuple[Candidate, ...]
    skipped: tuple[Skipped, ...]
    unestimated: tuple[Candidate, ...]  # backlog items without points: not planned
    elsewhere: int  # open items planned in later sprints, left alone

    @property
    def points(self) -> float:
        return sum(c.points or 0.0 for c in self.chosen)

    @property
    def carried(self) -> tuple[Candidate, ...]:
        return tuple(c for c in self.chosen if c.carried_from is not None)

    @property
    def carried_points(self) -> float:
        return sum(c.points or 0.0 for c in self.carried)


def is_done(task: Task, names: StateNames) -> bool:
    """Done by its workflow state (named as the tracker does); a task without a state by
    its recorded finish."""
    if task.status is not None:
        return names(task.status) in names.workflow.done_states
    return task.actual_finish is not None or task.percent_complete >= 100


def fill_sprint(
    project: Project, sprint: Sprint, capacity: float, workflow: Workflow
) -> SprintFill:
    """Items by rank, each taken when it fits in what is left and every predecessor (also
    of its summaries) is done or taken before it. Unfinished items of earlier sprints are
    carried over first, whatever they need, and their points come off the capacity (as a
    tracker moves open issues when a sprint is closed); items already in the sprint come
    next. Passes repeat while they take something, so an item whose predecessor ranks lower
    is taken once that predecessor is."""
    names = StateNames(workflow)
    earlier = {s.id: s.start for s in project.sprints if s.start < sprint.start}
    open_items: list[Task] = []
    elsewhere = 0
    for task in project.tasks:
        if task.milestone or project.is_summary(task.id) or is_done(task, names):
            continue
        if not (task.status is not None or task.points is not None or task.sprint):
            continue  # a scheduled task, not a backlog item
        if task.sprint is not None and task.sprint != sprint.id and task.sprint not in earlier:
            elsewhere += 1
            continue
        open_items.append(task)

    def group(task: Task) -> tuple[int, object]:
        if task.sprint in earlier:
            return 0, earlier[task.sprint]
        return (1 if task.sprint == sprint.id else 2), 0

    order = sorted(
        range(len(open_items)),
        key=lambda n: (*group(open_items[n]), -open_items[n].priority, n),
    )
    ranked = [
        Candidate(
            t.id,
            t.name,
            t.points,
            t.priority,
            rank,
            t.sprint == sprint.id,
            t.sprint if t.sprint in earlier else None,
        )
        for rank, t in enumerate((open_items[n] for n in order), start=1)
    ]
    # carried over, and unestimated items already in the sprint, stay whatever they need
    carried = [
        c for c in ranked if c.carried_from is not None or (c.in_sprint and c.points is None)
    ]
    unestimated = tuple(c for c in ranked if c.points is None and c not in carried)
    pending = [c for c in ranked if c.points is not None and c not in carried]
    preds = _Predecessors(project, names)
    taken: list[Candidate] = list(carried)
    taken_ids: set[str] = {c.id for c in carried}
    left = capacity - sum(c.points or 0.0 for c in carried)
    progress = True
    while progress:
        progress = False
        for item in list(pending):
            points = item.points or 0.0
            if points <= left + _EPSILON and not preds.waiting(item.id, taken_ids):
                taken.append(item)
                taken_ids.add(item.id)
                pending.remove(item)
                left -= points
                progress = True
    skipped = []
    for item in pending:
        waits = preds.waiting(item.id, taken_ids)
        if waits:
            reason = f"waits for {', '.join(waits)} (not done, not planned in this sprint)"
            skipped.append(Skipped(item, "sprint.waits_for", reason))
        else:
            points = item.points or 0.0
            what = "1 point does not" if points == 1 else f"{_num(points)} points do not"
            reason = f"{what} fit in the {_num(max(left, 0.0))} left"
            skipped.append(Skipped(item, "sprint.does_not_fit", reason))
    taken.sort(key=lambda c: c.rank)
    return SprintFill(tuple(taken), tuple(skipped), unestimated, elsewhere)


class _Predecessors:
    """Which predecessors hold an item back: links to it and to its summaries."""

    def __init__(self, project: Project, names: StateNames) -> None:
        self.project = project
        self.names = names
        self.links: dict[str, list[str]] = {}
        for link in project.dependencies:
            self.links.setdefault(link.successor, []).append(link.predecessor)

    def waiting(self, task_id: str, taken: set[str]) -> list[str]:
        """Predecessors with a leaf neither done nor taken."""
        project = self.project
        out: list[str] = []
        for bound in (task_id, *project.ancestors(task_id)):
            for pred in self.links.get(bound, ()):
                if pred not in out and any(
                    leaf not in taken and not is_done(project.task_by_id[leaf], self.names)
                    for leaf in project.leaves_under(pred)
                ):
                    out.append(pred)
        return out


def _num(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"
