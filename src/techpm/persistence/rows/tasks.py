"""The WBS: tasks (parent id and position), the links between them, and who works on them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from techpm.domain.dependency import DependencyType
from techpm.domain.task import Accrual
from techpm.persistence.rows.base import (
    KEY_LENGTH,
    NAME_LENGTH,
    Base,
    EnumText,
    InProject,
    MoneyText,
)
from techpm.persistence.rows.resources import ResourceRow


class TaskRow(InProject, Base):
    """A WBS element; `position` is its place in WBS order across the whole project."""

    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("project_id", "key"),)

    key: Mapped[str] = mapped_column(String(KEY_LENGTH), nullable=False)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), nullable=False)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    milestone: Mapped[bool] = mapped_column(Boolean, nullable=False)
    calendar: Mapped[str | None] = mapped_column(String(KEY_LENGTH))
    constraints: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    deadline: Mapped[dict[str, Any] | None] = mapped_column()  # a date or an exact moment
    actual_start: Mapped[dict[str, Any] | None] = mapped_column()
    actual_finish: Mapped[dict[str, Any] | None] = mapped_column()
    percent_complete: Mapped[float] = mapped_column(Float, nullable=False)
    remaining_minutes: Mapped[int | None] = mapped_column(Integer)
    priority: Mapped[int] = mapped_column(Integer, nullable=False)
    owner: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    tags: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    notes: Mapped[str | None] = mapped_column(Text)
    effort_minutes: Mapped[int | None] = mapped_column(Integer)
    estimate: Mapped[dict[str, Any] | None] = mapped_column()
    fixed_cost: Mapped[Decimal | None] = mapped_column(MoneyText())
    accrue: Mapped[Accrual] = mapped_column(EnumText(Accrual), nullable=False)
    cost_account: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    actual_cost: Mapped[Decimal | None] = mapped_column(MoneyText())
    needs_items: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    control_account: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    refs: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    issue_type: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    points: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    sprint: Mapped[str | None] = mapped_column(String(KEY_LENGTH))
    history: Mapped[dict[str, Any]] = mapped_column(nullable=False)  # status changes
    extra: Mapped[dict[str, Any]] = mapped_column(nullable=False)

    parent: Mapped[TaskRow | None] = relationship(remote_side="TaskRow.id")


class DependencyRow(InProject, Base):
    __tablename__ = "dependencies"

    predecessor_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), index=True, nullable=False
    )
    successor_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), index=True, nullable=False
    )
    type: Mapped[DependencyType] = mapped_column(EnumText(DependencyType), nullable=False)
    lag_minutes: Mapped[int] = mapped_column(Integer, nullable=False)

    predecessor: Mapped[TaskRow] = relationship(foreign_keys=[predecessor_id])
    successor: Mapped[TaskRow] = relationship(foreign_keys=[successor_id])


class AssignmentRow(InProject, Base):
    """A named resource on a task, in that resource's units."""

    __tablename__ = "assignments"

    task_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), index=True, nullable=False
    )
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), index=True, nullable=False
    )
    units: Mapped[float] = mapped_column(Float, nullable=False)

    task: Mapped[TaskRow] = relationship()
    resource: Mapped[ResourceRow] = relationship()


class SkillNeedRow(InProject, Base):
    """People with a skill that techpm picks for the task."""

    __tablename__ = "skill_needs"

    task_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), index=True, nullable=False
    )
    skill: Mapped[str] = mapped_column(String(NAME_LENGTH), nullable=False)
    level: Mapped[int] = mapped_column(Integer, nullable=False)
    count: Mapped[int] = mapped_column(Integer, nullable=False)
    units: Mapped[float] = mapped_column(Float, nullable=False)

    task: Mapped[TaskRow] = relationship()
