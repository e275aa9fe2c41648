"""Backlog items as timelines: when each entered which workflow state, read off its history.

Every flow metric is a question about these timelines, so the rules live here once:

- moments are naive UTC (a timezone-aware `at` is converted), entries are taken oldest first;
- a state is matched to the workflow ignoring case, spaces, hyphens and underscores, so a
  tracker's "In Progress" is the workflow's `in progress`; states the workflow does not
  have are kept by name and count as neither started nor done;
- created is the first entry, unless that entry is a move: out of another state (`from`),
  or into a state after the workflow's first one. Then the creation is not known, and the
  item was in that other state (or the first one) before; started is the
  first entry into a started state, finished the entry into the final run of done states
  (an item reopened after that is not finished);
- with an `as_of` moment, entries at or after it are ignored: the item as it was then;
- an item without a history takes its start and finish from the plan's `actual_start` and
  `actual_finish` (a date is its midnight); a task without a status is done when it has an
  `actual_finish` or is 100 % complete.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from techpm.domain.project import Project
from techpm.domain.task import Moment, Task
from techpm.domain.workflow import Workflow
from techpm.flow.states import fold_state, utc_naive

DAY_SECONDS = 86_400.0


def end_of(day: date) -> datetime:
    """Midnight after `day`: "as of a date" means as of the end of that day."""
    return datetime.combine(day + timedelta(days=1), time())


def days_between(first: datetime, last: datetime) -> float:
    return (last - first).total_seconds() / DAY_SECONDS


class StateNames:
    """Maps a tracker's state names onto the workflow's."""

    def __init__(self, workflow: Workflow) -> None:
        self.workflow = workflow
        self._by_key = {fold_state(state): state for state in workflow.states}

    def __call__(self, raw: str) -> str:
        return self._by_key.get(fold_state(raw), raw)

    def known(self, state: str) -> bool:
        return self.workflow.knows(state)


@dataclass(frozen=True)
class ItemHistory:
    """One backlog item as of a moment; times are naive UTC, durations calendar days."""

    id: str
    name: str
    points: float | None
    sprint: str | None
    state: str | None  # the state as of the moment; None before the item existed
    entries: tuple[tuple[datetime, str], ...]  # (entered at, workflow state), oldest first
    created_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None  # None unless the item is done and its history says when
    done: bool
    active_days: float  # from started to finished (or the moment): in active states
    waiting_days: float  # ... in started states that are not active (blocked, queues)
    blocked_days: float  # ... in the workflow's blocked states (part of waiting)
    unknown_states: tuple[str, ...] = ()  # states the workflow does not have
    initial_state: str | None = None  # the state before the first entry, when it says so

    def state_at(self, moment: datetime) -> str | None:
        """The state the item was in just before `moment` (None: not created yet)."""
        position = bisect_left([at for at, _ in self.entries], moment)
        return self.entries[position - 1][1] if position else None

    @property
    def cycle_days(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return days_between(self.started_at, self.finished_at)

    @property
    def lead_days(self) -> float | None:
        if self.created_at is None or self.finished_at is None:
            return None
        return days_between(self.created_at, self.finished_at)


def _moment(moment: Moment | None, as_of: datetime | None) -> datetime | None:
    """A plan's actual date (midnight) or date-time, unless at or after `as_of`."""
    if moment is None:
        return None
    at = utc_naive(moment) if isinstance(moment, datetime) else datetime.combine(moment, time())
    return at if as_of is None or at < as_of else None


def is_backlog_item(project: Project, task: Task) -> bool:
    """Leaf tasks a tracker knows about: with a status, history, points or a sprint."""
    if task.milestone or project.is_summary(task.id):
        return False
    return bool(task.status is not None or task.history or task.points is not None or task.sprint)


def project_items(
    project: Project, workflow: Workflow | None = None, as_of: datetime | None = None
) -> tuple[ItemHistory, ...]:
    """The project's backlog items, in plan order, with its workflow (or the default)."""
    flow = workflow or project.workflow or Workflow()
    tasks = [task for task in project.tasks if is_backlog_item(project, task)]
    return item_histories(tasks, flow, as_of)


def item_histories(
    tasks: Iterable[Task], workflow: Workflow, as_of: datetime | None = None
) -> tuple[ItemHistory, ...]:
    names = StateNames(workflow)
    return tuple(item_history(task, names, as_of) for task in tasks)


def item_history(task: Task, names: StateNames, as_of: datetime | None = None) -> ItemHistory:
    """The timeline of one task; `as_of` (naive UTC) drops what happened at or after it."""
    workflow = names.workflow
    changes = sorted(
        ((utc_naive(change.at), names(change.to)) for change in task.history),
        key=lambda entry: entry[0],
    )
    entries = tuple(entry for entry in changes if as_of is None or entry[0] < as_of)
    if entries:
        state: str | None = entries[-1][1]
    elif changes:
        state = None  # every change is after the moment: the item did not exist yet
    else:
        state = names(task.status) if task.status is not None else None
    done_states = workflow.done_states
    started_states = workflow.started_states
    started_at = next((at for at, s in entries if s in started_states), None)
    finished_at = None
    if entries and entries[-1][1] in done_states:
        k = len(entries) - 1
        while k > 0 and entries[k - 1][1] in done_states:
            k -= 1
        finished_at = entries[k][0]
    end = finished_at or as_of
    active = waiting = blocked = 0.0
    if started_at is not None and end is not None:
        blocked_states = frozenset(workflow.blocked)
        active_states = workflow.active_states
        for n, (at, s) in enumerate(entries):
            following = entries[n + 1][0] if n + 1 < len(entries) else end
            lo, hi = max(at, started_at), min(following, end)
            if hi <= lo or s not in started_states:
                continue
            span = days_between(lo, hi)
            if s in active_states:
                active += span
            else:
                waiting += span
                if s in blocked_states:
                    blocked += span
    done = state is not None and state in done_states
    if not changes:  # no history: what the plan recorded, if anything
        started_at = _moment(task.actual_start, as_of)
        finish = _moment(task.actual_finish, as_of)
        done = done or (
            task.status is None and (finish is not None or task.percent_complete >= 100)
        )
        finished_at = finish if done else None
    before = _state_before(task, names, entries[0][1]) if entries else None
    seen = [s for _, s in entries] + ([state] if state is not None else [])
    unknown = tuple(dict.fromkeys(s for s in seen if not names.known(s)))
    return ItemHistory(
        id=task.id,
        name=task.name,
        points=task.points,
        sprint=task.sprint,
        state=state,
        entries=entries,
        created_at=entries[0][0] if entries and before is None else None,
        started_at=started_at,
        finished_at=finished_at,
        done=done,
        active_days=active,
        waiting_days=waiting,
        blocked_days=blocked,
        unknown_states=unknown,
        initial_state=before,
    )


def _state_before(task: Task, names: StateNames, first: str) -> str | None:
    """The state an item was in before its oldest change, when that change is a move: the
    state it says it left, else the workflow's first state when it moved into a later one
    (a tracker records transitions, not the creation). None: the change is the creation."""
    oldest = min(task.history, key=lambda change: utc_naive(change.at))
    if oldest.from_:
        return names(oldest.from_)
    states = names.workflow.states
    if names.known(first) and first != states[0]:
        return states[0]
    return None


def state_runs(
    item: ItemHistory, workflow: Workflow, since: datetime
) -> list[tuple[datetime, str]]:
    """(from, state) of each stretch of an item's life, oldest first. An item whose creation
    is not known counts from `since`: in the state its first move left, or, without a
    history, in the workflow's first state until its actual start, then in the first
    started state until its actual finish, ending in its current state."""
    if item.entries:
        runs = list(item.entries)
        if item.created_at is None:
            runs.insert(0, (min(since, runs[0][0]), item.initial_state or workflow.states[0]))
        return runs
    runs = []
    if item.started_at is not None or item.finished_at is not None:
        runs.append((since, workflow.states[0]))
        if item.started_at is not None:
            runs.append((max(since, item.started_at), _first_of(workflow, workflow.started_states)))
        if item.finished_at is not None:
            runs.append((max(since, item.finished_at), _first_of(workflow, workflow.done_states)))
    elif item.state is not None:
        runs.append((since, item.state))
    if runs and item.state is not None and runs[-1][1] != item.state:
        runs[-1] = (runs[-1][0], item.state)
    return runs


def _first_of(workflow: Workflow, states: frozenset[str]) -> str:
    return next((s for s in workflow.states if s in states), workflow.states[-1])
