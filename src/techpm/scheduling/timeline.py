"""Working time on one calendar as a grid of intervals, and conversions to and from it.

Times are whole minutes after the problem's epoch (midnight of its first day). The working
offset W(t) counts the working minutes before t. A working amount w maps back to two
moments when w falls on a break: `start_at` (the first moment work can resume) and
`finish_at` (the moment work stopped), so a 5d task starting Monday finishes Friday evening
rather than on the next Monday morning.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Literal

import numpy as np
import numpy.typing as npt

from techpm.domain.calendar import MINUTES_PER_DAY, Calendar, DayHours, HolidayRule
from techpm.domain.errors import TechpmError

HolidayLookup = Callable[[HolidayRule, int], Mapping[date, str]]
"""Public holidays of one rule in one year: date -> name."""

_INITIAL_DAYS = 3 * 366
_MAX_DAYS = 200 * 366


class CalendarError(TechpmError):
    code = "calendar.no_working_time"


def no_holidays(rule: HolidayRule, year: int) -> Mapping[date, str]:
    return {}


class Timeline:
    """The working intervals of one calendar from the epoch on, grown on demand."""

    def __init__(
        self, calendar: Calendar, epoch: date, holidays: HolidayLookup = no_holidays
    ) -> None:
        self.calendar = calendar
        self.epoch = epoch
        self._holidays = holidays
        self._exceptions = calendar.exception_map()
        self._holiday_cache: dict[int, dict[date, str]] = {}
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.cum: list[int] = [0]
        self.days = 0
        self._grow(_INITIAL_DAYS)

    # -- building -------------------------------------------------------------------------

    def _holidays_of(self, year: int) -> dict[date, str]:
        cached = self._holiday_cache.get(year)
        if cached is None:
            cached = {}
            for rule in self.calendar.holidays:
                for day, name in self._holidays(rule, year).items():
                    cached.setdefault(day, name)
            self._holiday_cache[year] = cached
        return cached

    def hours_on(self, day: date) -> DayHours:
        """The working intervals of one day, after exceptions and holidays."""
        if day in self._exceptions:
            return self._exceptions[day]
        if day in self._holidays_of(day.year):
            return ()
        return self.calendar.week[day.weekday()]

    def why_not_working(self, day: date) -> str:
        """A reader's reason for a day without work: a holiday's name, an exception, a weekend."""
        if day in self._exceptions and not self._exceptions[day]:
            return "non-working day"
        name = self._holidays_of(day.year).get(day)
        if name is not None and day not in self._exceptions:
            return f"holiday: {name}"
        if not self.calendar.week[day.weekday()]:
            return "weekend" if day.weekday() >= 5 else "non-working weekday"
        return "working day"

    def _grow(self, extra_days: int) -> None:
        first = self.days
        last = min(first + extra_days, _MAX_DAYS)
        if last <= first:
            raise CalendarError(
                f"calendar {self.calendar.id!r} has no working time within {_MAX_DAYS // 366} "
                "years of the project start"
            )
        total = self.cum[-1]
        for offset in range(first, last):
            day = self.epoch + timedelta(days=offset)
            base = offset * MINUTES_PER_DAY
            for start, end in self.hours_on(day):
                self.starts.append(base + start)
                self.ends.append(base + end)
                total += end - start
                self.cum.append(total)
        self.days = last
        if not self.starts and last - first >= 2 * 366:
            raise CalendarError(
                f"calendar {self.calendar.id!r} has no working time in two years from "
                f"{self.epoch.isoformat()}"
            )

    def _ensure_time(self, t: int) -> None:
        while t >= self.days * MINUTES_PER_DAY:
            self._grow(max(self.days, 366))

    def _ensure_work(self, w: int) -> None:
        while w >= self.cum[-1]:
            self._grow(max(self.days, 366))

    @property
    def total_work(self) -> int:
        return self.cum[-1]

    # -- conversions ----------------------------------------------------------------------

    def to_work(self, t: int) -> int:
        """Working minutes before moment t."""
        self._ensure_time(t)
        i = bisect_right(self.starts, t) - 1
        if i < 0:
            return 0
        return self.cum[i] + min(t - self.starts[i], self.ends[i] - self.starts[i])

    def start_at(self, w: int) -> int:
        """The first moment at which `w` working minutes have passed and work is under way."""
        if w < 0:
            return self.starts[0] + w if self.starts else w
        self._ensure_work(w)
        i = bisect_right(self.cum, w) - 1
        return self.starts[i] + (w - self.cum[i])

    def finish_at(self, w: int) -> int:
        """The moment at which the `w`-th working minute ends (a finish before a break)."""
        if w <= 0:
            return self.start_at(w)
        self._ensure_work(w)
        i = bisect_left(self.cum, w) - 1
        return self.starts[i] + (w - self.cum[i])

    def to_work_many(self, t: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """`to_work` over an array."""
        if t.size:
            self._ensure_time(int(t.max()))
        starts = np.asarray(self.starts, dtype=np.int64)
        ends = np.asarray(self.ends, dtype=np.int64)
        cum = np.asarray(self.cum[:-1], dtype=np.int64)
        i = np.searchsorted(starts, t, side="right") - 1
        safe = np.clip(i, 0, len(starts) - 1)
        inside = np.minimum(t - starts[safe], ends[safe] - starts[safe])
        return np.where(i < 0, 0, cum[safe] + inside)

    def start_at_many(self, w: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """`start_at` over an array."""
        return self._at_many(w, "right")

    def finish_at_many(self, w: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """`finish_at` over an array."""
        return np.where(w <= 0, self._at_many(w, "right"), self._at_many(w, "left"))

    def _at_many(
        self, w: npt.NDArray[np.int64], side: Literal["left", "right"]
    ) -> npt.NDArray[np.int64]:
        if w.size:
            self._ensure_work(int(w.max()))
        starts = np.asarray(self.starts, dtype=np.int64)
        cum = np.asarray(self.cum, dtype=np.int64)
        i = np.searchsorted(cum, w, side=side) - 1
        i = np.clip(i, 0, len(starts) - 1)
        return starts[i] + (w - cum[i])

    # -- dates ----------------------------------------------------------------------------

    def minute_of(self, day: date) -> int:
        """Midnight starting `day`, as minutes after the epoch."""
        return (day - self.epoch).days * MINUTES_PER_DAY

    def day_of(self, t: int) -> date:
        return self.epoch + timedelta(days=t // MINUTES_PER_DAY)
