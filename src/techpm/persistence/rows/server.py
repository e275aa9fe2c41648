"""Rows the team server keeps beside the plan: who is a member of which project, the history
of every write, background jobs, computed results, the event log and browser sessions.

History, events and results are append-only records; a job row is written by the worker that
runs it and by the request that cancels it, so it carries no version counter (the two never
write the same column)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from techpm.persistence.rows.accounts import EMAIL_LENGTH, UserRow, UtcDateTime
from techpm.persistence.rows.base import KEY_LENGTH, Base, MoneyText, Versioned


class MembershipRow(Versioned, Base):
    """A user's role in one project: owner, manager, member or viewer."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("project_id", "user_id"),)

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True, nullable=False
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
    )
    role: Mapped[str] = mapped_column(String(10), nullable=False)

    user: Mapped[UserRow] = relationship()


class ChangeSetRow(Base):
    """One write: who made it, when, through what, and the project version it produced."""

    __tablename__ = "change_sets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True, nullable=False
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # the email, kept when the user goes
    actor: Mapped[str] = mapped_column(String(EMAIL_LENGTH), nullable=False)
    via: Mapped[str] = mapped_column(String(20), nullable=False)  # api | push | import | cli
    at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    project_version: Mapped[int] = mapped_column(Integer, nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False)

    changes: Mapped[list[FieldChangeRow]] = relationship(
        back_populates="change_set", order_by="FieldChangeRow.id", cascade="all, delete-orphan"
    )


class FieldChangeRow(Base):
    """One entity added or removed, or one field of it changed, inside a change set."""

    __tablename__ = "field_changes"
    __table_args__ = (Index("ix_field_changes_entity", "entity", "entity_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    change_set_id: Mapped[int] = mapped_column(
        ForeignKey("change_sets.id", ondelete="CASCADE"), index=True, nullable=False
    )
    entity: Mapped[str] = mapped_column(String(40), nullable=False)  # task, dependency, ...
    entity_key: Mapped[str] = mapped_column(String(2 * KEY_LENGTH + 8), nullable=False)
    action: Mapped[str] = mapped_column(String(10), nullable=False)  # added | changed | removed
    field: Mapped[str | None] = mapped_column(String(100))
    old: Mapped[Any] = mapped_column(JSON, nullable=True)
    new: Mapped[Any] = mapped_column(JSON, nullable=True)

    change_set: Mapped[ChangeSetRow] = relationship(back_populates="changes")


class JobRow(Base):
    """A background computation; `status` is queued, running, succeeded, failed or cancelled."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40), nullable=False)  # simulation | leveling | report
    status: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    progress: Mapped[float] = mapped_column(Float, nullable=False)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    project_version: Mapped[int | None] = mapped_column(Integer)
    result: Mapped[Any] = mapped_column(JSON, nullable=True)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ComputedResultRow(Base):
    """A schedule, leveled schedule, simulation or report, stored with the project version and
    the options it came from; `options_key` is a hash of the canonical options."""

    __tablename__ = "computed_results"
    __table_args__ = (UniqueConstraint("project_id", "kind", "options_key", "project_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True, nullable=False
    )
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    options_key: Mapped[str] = mapped_column(String(64), nullable=False)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    project_version: Mapped[int] = mapped_column(Integer, nullable=False)
    media_type: Mapped[str] = mapped_column(String(100), nullable=False)
    content: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class EventRow(Base):
    """The project's event log: its id is the server-sent event id a client resumes from."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True, nullable=False
    )
    at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)  # entity.changed, job.progress...
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)


class WebSessionRow(Base):
    """A browser session: the cookie holds the token, the row only its SHA-256 hash."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    user: Mapped[UserRow] = relationship()


class BaselineRow(Versioned, Base):
    """A named baseline: the snapshot `techpm baseline save` writes to a file, as JSON."""

    __tablename__ = "baselines"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True, nullable=False
    )
    name: Mapped[str] = mapped_column(String(64), nullable=False)
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)


class EarnedValueRecordRow(Versioned, Base):
    """EV and AC as measured at one status date (the earned value record of the CLI)."""

    __tablename__ = "earned_value_records"
    __table_args__ = (UniqueConstraint("project_id", "status_date_on"),)

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True, nullable=False
    )
    status_date_on: Mapped[date] = mapped_column(Date, nullable=False)
    earned_value: Mapped[Decimal] = mapped_column(MoneyText(), nullable=False)
    actual_cost: Mapped[Decimal] = mapped_column(MoneyText(), nullable=False)


# records written once (or, for jobs and sessions, by one writer per column): no version counter
RECORDS: tuple[type[Base], ...] = (
    ChangeSetRow,
    FieldChangeRow,
    JobRow,
    ComputedResultRow,
    EventRow,
    WebSessionRow,
)
