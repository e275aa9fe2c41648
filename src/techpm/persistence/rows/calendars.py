"""Working calendars: the week and hours as JSON, exceptions and holiday rules as rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from techpm.persistence.rows.base import KEY_LENGTH, Base, InProject


class CalendarRow(InProject, Base):
    __tablename__ = "calendars"
    __table_args__ = (UniqueConstraint("project_id", "key"),)

    key: Mapped[str] = mapped_column(String(KEY_LENGTH), nullable=False)
    base: Mapped[str | None] = mapped_column(String(KEY_LENGTH))
    week: Mapped[dict[str, Any] | None] = mapped_column()  # seven days of intervals
    working_hours: Mapped[dict[str, Any] | None] = mapped_column()
    # None in the domain means "as the base calendar"; an empty tuple means no holidays
    holidays_inherited: Mapped[bool] = mapped_column(Boolean, nullable=False)


class CalendarExceptionRow(InProject, Base):
    """A day made non-working (a closure) or working (a weekend release)."""

    __tablename__ = "calendar_exceptions"
    __table_args__ = (UniqueConstraint("calendar_id", "day_on", "working"),)

    calendar_id: Mapped[int] = mapped_column(
        ForeignKey("calendars.id", ondelete="CASCADE"), index=True, nullable=False
    )
    day_on: Mapped[date] = mapped_column(Date, nullable=False)
    working: Mapped[bool] = mapped_column(Boolean, nullable=False)

    calendar: Mapped[CalendarRow] = relationship()


class HolidayRuleRow(InProject, Base):
    """Public holidays of a country (and region), expanded when scheduling."""

    __tablename__ = "holiday_rules"

    calendar_id: Mapped[int] = mapped_column(
        ForeignKey("calendars.id", ondelete="CASCADE"), index=True, nullable=False
    )
    country: Mapped[str] = mapped_column(String(10), nullable=False)
    subdivision: Mapped[str | None] = mapped_column(String(20))

    calendar: Mapped[CalendarRow] = relationship()
