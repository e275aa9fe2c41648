"""The project row (its settings, one column each) and the per-kind rows of the plan's
smaller parts, which keep their content as JSON for now."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from techpm.persistence.rows.base import (
    KEY_LENGTH,
    NAME_LENGTH,
    Base,
    InProject,
    MoneyText,
    Versioned,
)


class ProjectRow(Versioned, Base):
    """One plan. `version` moves on every change to the project or anything in it."""

    __tablename__ = "projects"

    key: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), nullable=False)
    start_on: Mapped[date] = mapped_column(Date, nullable=False)
    calendar: Mapped[str] = mapped_column(String(KEY_LENGTH), nullable=False)
    currency: Mapped[str] = mapped_column(String(10), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    manager: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    priority: Mapped[int] = mapped_column(Integer, nullable=False)
    contingency: Mapped[Decimal] = mapped_column(MoneyText(), nullable=False)
    management_reserve: Mapped[Decimal] = mapped_column(MoneyText(), nullable=False)
    status_date_on: Mapped[date | None] = mapped_column(Date)
    thresholds: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    prioritization: Mapped[str] = mapped_column(String(40), nullable=False)
    status_rules: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    level: Mapped[bool] = mapped_column(Boolean, nullable=False)
    risk_matrix: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    minutes_per_day: Mapped[int] = mapped_column(Integer, nullable=False)
    days_per_week: Mapped[int] = mapped_column(Integer, nullable=False)
    days_per_month: Mapped[int] = mapped_column(Integer, nullable=False)
    decisions: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    asks: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    workflow: Mapped[dict[str, Any] | None] = mapped_column()
    source: Mapped[str | None] = mapped_column(Text)


class PlanPartRow(InProject, Base):
    """An idea, goal, sprint, procured item or correlation group: `kind` says
    which, `data` holds the domain value (tagged JSON). Each is its own versioned row, so
    edits to one never overwrite another."""

    __tablename__ = "plan_parts"
    __table_args__ = (UniqueConstraint("project_id", "kind", "position"),)

    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(nullable=False)
