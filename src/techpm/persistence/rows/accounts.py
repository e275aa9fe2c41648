"""Accounts of the team server: users (an argon2id hash, never a password) and their personal
API tokens (a SHA-256 hash and a short hint, never the token)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from techpm.persistence.rows.base import NAME_LENGTH, Base, Versioned

EMAIL_LENGTH = 320  # RFC 5321: 64 for the local part, @, 255 for the domain


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC instant on both databases: SQLite hands back naive values, which would
    not compare with the aware `now` that expiry checks use."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("store aware datetimes only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class UserRow(Versioned, Base):
    """`email` is stored lower-cased, so that one address is one account."""

    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(EMAIL_LENGTH), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(200), nullable=False)
    is_admin: Mapped[bool] = mapped_column(Boolean, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class ApiTokenRow(Versioned, Base):
    """Found by its hash; `revoked_at` is set once and never cleared."""

    __tablename__ = "api_tokens"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
    )
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    hint: Mapped[str] = mapped_column(String(20), nullable=False)
    scope: Mapped[str] = mapped_column(String(10), nullable=False)  # read | write
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)

    user: Mapped[UserRow] = relationship()
