"""The risk register and the stakeholders."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Float, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from techpm.domain.risk import RiskStatus
from techpm.persistence.rows.base import KEY_LENGTH, NAME_LENGTH, Base, EnumText, InProject


class RiskRow(InProject, Base):
    __tablename__ = "risks"
    __table_args__ = (UniqueConstraint("project_id", "key"),)

    key: Mapped[str] = mapped_column(String(KEY_LENGTH), nullable=False)
    title: Mapped[str] = mapped_column(String(NAME_LENGTH), nullable=False)
    probability: Mapped[float] = mapped_column(Float, nullable=False)
    delays: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    cost: Mapped[dict[str, Any] | None] = mapped_column()  # an amount or a three-point range
    description: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    owner: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    response: Mapped[dict[str, Any] | None] = mapped_column()
    trigger: Mapped[str | None] = mapped_column(Text)
    status: Mapped[RiskStatus] = mapped_column(EnumText(RiskStatus), nullable=False)
    review_dates: Mapped[dict[str, Any]] = mapped_column(nullable=False)


class StakeholderRow(InProject, Base):
    __tablename__ = "stakeholders"
    __table_args__ = (UniqueConstraint("project_id", "key"),)

    key: Mapped[str] = mapped_column(String(KEY_LENGTH), nullable=False)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), nullable=False)
    role: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    organisation: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    interest: Mapped[int] = mapped_column(Integer, nullable=False)
    influence: Mapped[int] = mapped_column(Integer, nullable=False)
    expectations: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(NAME_LENGTH), nullable=False)
    email: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    frequency: Mapped[str | None] = mapped_column(String(40))
    report: Mapped[str | None] = mapped_column(String(40))
    external: Mapped[bool | None] = mapped_column(Boolean)
    costs: Mapped[bool | None] = mapped_column(Boolean)
