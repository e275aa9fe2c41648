"""People, teams and equipment, and the skills they bring."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from techpm.domain.resource import ResourceKind
from techpm.persistence.rows.base import KEY_LENGTH, NAME_LENGTH, Base, EnumText, InProject


class ResourceRow(InProject, Base):
    __tablename__ = "resources"
    __table_args__ = (UniqueConstraint("project_id", "key"),)

    key: Mapped[str] = mapped_column(String(KEY_LENGTH), nullable=False)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), nullable=False)
    kind: Mapped[ResourceKind] = mapped_column(EnumText(ResourceKind), nullable=False)
    capacity: Mapped[float] = mapped_column(Float, nullable=False)
    calendar: Mapped[str | None] = mapped_column(String(KEY_LENGTH))
    vacations: Mapped[dict[str, Any]] = mapped_column(nullable=False)  # (first, last) days
    rate: Mapped[dict[str, Any] | None] = mapped_column()
    max_allocation: Mapped[float] = mapped_column(Float, nullable=False)
    email: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    tags: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    refs: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    rate_changes: Mapped[dict[str, Any]] = mapped_column(nullable=False)
    cost_account: Mapped[str] = mapped_column(String(NAME_LENGTH), nullable=False)


class ResourceSkillRow(InProject, Base):
    __tablename__ = "resource_skills"
    __table_args__ = (UniqueConstraint("resource_id", "skill"),)

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), index=True, nullable=False
    )
    skill: Mapped[str] = mapped_column(String(NAME_LENGTH), nullable=False)
    level: Mapped[int] = mapped_column(Integer, nullable=False)

    resource: Mapped[ResourceRow] = relationship()
