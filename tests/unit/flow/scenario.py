"""A small backlog whose flow metrics are worked out by hand in the tests.

Workflow todo -> doing -> blocked -> review -> done; `blocked` is waiting, so the active
states are doing and review. Sprints s1 (Mon 4 Jan to Fri 15 Jan 2027), s2 (18 to 29
Jan), s3 (1 to 12 Feb). Every moment is naive UTC.

    a  3 pts s1  todo 4 Jan 09:00, doing 4 Jan 10:00, review 6 Jan 10:00, done 7 Jan 10:00
    b  5 pts s1  todo 4 Jan 09:00, doing 5 Jan 09:00, blocked 6 Jan 09:00, doing 8 Jan 09:00,
                 done 11 Jan 09:00
    c  2 pts s1  todo 5 Jan 12:00, doing 12 Jan 12:00
    d  8 pts s2  todo 4 Jan 09:00, doing 25 Jan 09:00, done 27 Jan 09:00
    e  -     s2  todo 6 Jan 09:00
    f  1 pt  --  todo 4 Jan 09:00, doing 19 Jan 15:00, done 19 Jan 18:00, doing 21 Jan 10:00
"""

from __future__ import annotations

from datetime import date, datetime

from techpm.domain.sprint import Sprint
from techpm.domain.task import StatusChange, Task
from techpm.domain.workflow import Workflow

WORKFLOW = Workflow(states=("todo", "doing", "blocked", "review", "done"), blocked=("blocked",))
SPRINTS = (
    Sprint("s1", "Sprint 1", date(2027, 1, 4), date(2027, 1, 15)),
    Sprint("s2", "Sprint 2", date(2027, 1, 18), date(2027, 1, 29)),
    Sprint("s3", "Sprint 3", date(2027, 2, 1), date(2027, 2, 12)),
)
AS_OF = date(2027, 1, 28)


def item(
    task_id: str,
    *changes: tuple[str, str],
    points: float | None = None,
    sprint: str | None = None,
    status: str | None = None,
) -> Task:
    """A task whose history is (ISO moment, state) pairs; its status is the last state."""
    history = tuple(StatusChange(datetime.fromisoformat(at), to) for at, to in changes)
    current = status if status is not None else (history[-1].to if history else None)
    return Task(
        task_id,
        task_id.upper(),
        duration_minutes=480,
        points=points,
        sprint=sprint,
        status=current,
        history=history,
    )


TASKS = (
    item(
        "a",
        ("2027-01-04T09:00", "todo"),
        ("2027-01-04T10:00", "doing"),
        ("2027-01-06T10:00", "review"),
        ("2027-01-07T10:00", "done"),
        points=3,
        sprint="s1",
    ),
    item(
        "b",
        ("2027-01-04T09:00", "todo"),
        ("2027-01-05T09:00", "doing"),
        ("2027-01-06T09:00", "blocked"),
        ("2027-01-08T09:00", "doing"),
        ("2027-01-11T09:00", "done"),
        points=5,
        sprint="s1",
    ),
    item("c", ("2027-01-05T12:00", "todo"), ("2027-01-12T12:00", "doing"), points=2, sprint="s1"),
    item(
        "d",
        ("2027-01-04T09:00", "todo"),
        ("2027-01-25T09:00", "doing"),
        ("2027-01-27T09:00", "done"),
        points=8,
        sprint="s2",
    ),
    item("e", ("2027-01-06T09:00", "todo"), sprint="s2"),
    item(
        "f",
        ("2027-01-04T09:00", "todo"),
        ("2027-01-19T15:00", "doing"),
        ("2027-01-19T18:00", "done"),
        ("2027-01-21T10:00", "doing"),
        points=1,
    ),
)
