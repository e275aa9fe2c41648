"""Who is responsible, accountable, consulted and informed for each deliverable: an entry
per deliverable (a task), and a row per party in one of the four roles."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from techpm.persistence.rows.base import NAME_LENGTH, Base, InProject
from techpm.persistence.rows.tasks import TaskRow


class RaciEntryRow(InProject, Base):
    __tablename__ = "raci_entries"

    task_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), index=True, nullable=False
    )

    task: Mapped[TaskRow] = relationship()


class RaciPartyRow(InProject, Base):
    """A person (a stakeholder or resource id) in one role; `position` keeps their order."""

    __tablename__ = "raci_parties"

    entry_id: Mapped[int] = mapped_column(
        ForeignKey("raci_entries.id", ondelete="CASCADE"), index=True, nullable=False
    )
    role: Mapped[str] = mapped_column(String(20), nullable=False)  # responsible ... informed
    party: Mapped[str] = mapped_column(String(NAME_LENGTH), nullable=False)

    entry: Mapped[RaciEntryRow] = relationship()
