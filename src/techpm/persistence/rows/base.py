"""The declarative base, the column types every row shares, and the version counter."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import JSON, ForeignKey, Integer, MetaData, String
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

if TYPE_CHECKING:
    from techpm.persistence.rows.project import ProjectRow

# constraint names that are the same on SQLite and PostgreSQL, so migrations can drop them
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

KEY_LENGTH = 200  # a task, resource or risk id of the plan file
NAME_LENGTH = 500


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class MoneyText(TypeDecorator[Decimal]):
    """Money as the exact text of its Decimal: SQLite has no decimal type, and a float
    would change the amount."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


class EnumText(TypeDecorator[Enum]):
    """A domain StrEnum stored as its value; a plain string column on every database."""

    impl = String(40)
    cache_ok = True

    def __init__(self, enum: type[Enum]) -> None:
        super().__init__()
        self.enum = enum

    def process_bind_param(self, value: Enum | None, dialect: Dialect) -> str | None:
        return None if value is None else str(self.enum(value).value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Enum | None:
        return None if value is None else self.enum(value)


class Versioned:
    """Every editable row: an integer id and a `version` that SQLAlchemy raises on each
    update and checks in its WHERE clause, so a stale write fails instead of winning."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class InProject(Versioned):
    """A row that belongs to one project and goes when the project goes."""

    @declared_attr
    def project_id(cls) -> Mapped[int]:
        return mapped_column(
            ForeignKey("projects.id", ondelete="CASCADE"), index=True, nullable=False
        )

    @declared_attr
    def project(cls) -> Mapped[ProjectRow]:
        return relationship("ProjectRow")

    position: Mapped[int] = mapped_column(Integer, nullable=False)  # order in the plan
