"""Actual dates as they were recorded, as moments to show.

The engines work in working offsets, where a Saturday is the same instant as the Friday
evening before it; a recorded fact must not be moved that way, or work done over a weekend
shows starting Monday and finishing the Friday before. A recorded datetime is shown exactly;
a date on a working day at that day's first (start) or last (finish) working moment; a date
without working hours at the calendar's usual start or end of a day (09:00 and 17:00 on
the standard calendar), as MS Project does with its default start and end times.

A milestone takes one side of the day for both of its dates: the evening when a finish
feeds it (done by the end of that day), else the morning, as in the planned schedule.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from techpm.domain.calendar import MINUTES_PER_DAY
from techpm.domain.task import Moment
from techpm.scheduling.timeline import Timeline

_DEFAULT_HOURS = (9 * 60, 17 * 60)


def usual_hours(tl: Timeline) -> tuple[int, int]:
    """Start and end (minutes after midnight) of the calendar's first working weekday."""
    for hours in tl.calendar.week:
        if hours:
            return hours[0][0], hours[-1][1]
    return _DEFAULT_HOURS


def shown_moment(tl: Timeline, moment: Moment, *, finish: bool) -> int:
    """Minutes after the epoch at which a recorded start (or finish) is shown."""
    if isinstance(moment, datetime):
        return (moment.date() - tl.epoch).days * MINUTES_PER_DAY + moment.hour * 60 + moment.minute
    midnight = tl.minute_of(moment)
    if tl.hours_on(moment):
        if finish:
            return tl.finish_at(tl.to_work(midnight + MINUTES_PER_DAY))
        return tl.start_at(tl.to_work(midnight))
    first, last = usual_hours(tl)
    return midnight + (last if finish else first)


def milestone_minute(moment: Moment, epoch: date, *, evening: bool) -> int:
    """The working-time instant of a milestone's recorded date: its morning or evening."""
    if isinstance(moment, datetime):
        return (moment.date() - epoch).days * MINUTES_PER_DAY + moment.hour * 60 + moment.minute
    day = moment + timedelta(days=1) if evening else moment
    return (day - epoch).days * MINUTES_PER_DAY


def recorded_moments(
    tl: Timeline,
    start: Moment | None,
    finish: Moment | None,
    *,
    milestone: bool,
    evening: bool,
) -> tuple[int | None, int | None]:
    """(start, finish) moments to show for one task's recorded dates."""
    if milestone:
        return (
            None if start is None else shown_moment(tl, start, finish=evening),
            None if finish is None else shown_moment(tl, finish, finish=evening),
        )
    return (
        None if start is None else shown_moment(tl, start, finish=False),
        None if finish is None else shown_moment(tl, finish, finish=True),
    )


def put_back(
    start: int, finish: int, recorded_start: int | None, recorded_finish: int | None
) -> tuple[int, int]:
    """One task's computed (start, finish) with what was recorded in their place."""
    if recorded_start is not None:
        start = recorded_start
    if recorded_finish is not None:
        finish = recorded_finish
    return start, max(start, finish)


def with_recorded(
    starts: Sequence[int],
    finishes: Sequence[int],
    recorded: Sequence[tuple[int, int | None, int | None]],
    *,
    only: Sequence[bool] | None = None,
) -> tuple[list[int], list[int]]:
    """The moments with each recorded (task, start, finish) put back as it was recorded.

    `only`: the tasks to change (for late dates: finished work, whose late dates are its
    early dates)."""
    out_s, out_f = list(starts), list(finishes)
    for j, start, finish in recorded:
        if only is not None and not only[j]:
            continue
        out_s[j], out_f[j] = put_back(out_s[j], out_f[j], start, finish)
    return out_s, out_f
