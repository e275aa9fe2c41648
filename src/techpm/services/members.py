"""Who belongs to a project and in which role. A project always keeps at least one owner, so
that someone can still manage it; who may change whom is the permission table's call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from techpm.domain.errors import NotFoundError, TechpmError
from techpm.persistence.rows import MembershipRow, ProjectRow, UserRow
from techpm.services.accounts import UserNotFoundError, normalise_email


class MemberNotFoundError(NotFoundError):
    code = "member.not_found"


class LastOwnerError(TechpmError):
    code = "member.last_owner"


@dataclass(frozen=True)
class MemberView:
    email: str
    name: str
    role: str
    version: int

    def as_json(self) -> dict[str, Any]:
        return {"email": self.email, "name": self.name, "role": self.role, "version": self.version}


def _view(row: MembershipRow) -> MemberView:
    return MemberView(row.user.email, row.user.name, row.role, row.version)


def list_members(session: Session, project: ProjectRow) -> list[MemberView]:
    query = (
        select(MembershipRow)
        .join(UserRow, UserRow.id == MembershipRow.user_id)
        .where(MembershipRow.project_id == project.id)
        .order_by(UserRow.email)
    )
    return [_view(row) for row in session.scalars(query)]


def find_membership(session: Session, project: ProjectRow, email: str) -> MembershipRow | None:
    query = (
        select(MembershipRow)
        .join(UserRow, UserRow.id == MembershipRow.user_id)
        .where(MembershipRow.project_id == project.id, UserRow.email == normalise_email(email))
    )
    return session.scalars(query).first()


def member_role(session: Session, project: ProjectRow, email: str) -> str | None:
    row = find_membership(session, project, email)
    return None if row is None else row.role


def _owners(session: Session, project: ProjectRow) -> int:
    query = select(func.count()).where(
        MembershipRow.project_id == project.id, MembershipRow.role == "owner"
    )
    return session.scalar(query) or 0


def set_member(session: Session, project: ProjectRow, email: str, role: str) -> MemberView:
    """Add `email` to the project or change their role. Commits."""
    user = session.scalars(select(UserRow).where(UserRow.email == normalise_email(email))).first()
    if user is None:
        raise UserNotFoundError(f"email: no account for {email.strip()!r}")
    row = find_membership(session, project, email)
    if row is None:
        row = MembershipRow(project_id=project.id, user_id=user.id, role=role)
        session.add(row)
    elif row.role != role:
        if row.role == "owner" and _owners(session, project) <= 1:
            raise LastOwnerError(f"role: {user.email} is the project's only owner")
        row.role = role
    session.commit()
    session.refresh(row)
    return _view(row)


def remove_member(session: Session, project: ProjectRow, email: str) -> None:
    row = find_membership(session, project, email)
    if row is None:
        raise MemberNotFoundError(f"email: {email.strip()!r} is not a member of {project.key}")
    if row.role == "owner" and _owners(session, project) <= 1:
        raise LastOwnerError(f"email: {row.user.email} is the project's only owner")
    session.delete(row)
    session.commit()
