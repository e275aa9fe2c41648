"""Projects on the team server: create one (its creator becomes the owner), list the ones a user
belongs to, rename or delete one. Keys are Jira-like (`PAY`, `WEB2`): the short name people
type in links and commit messages."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from techpm.domain.errors import TechpmError
from techpm.domain.project import Project
from techpm.interop.planfile.document import YamlDocument
from techpm.interop.planfile.loader import load_plan_document
from techpm.persistence.mappers import add_project
from techpm.persistence.reading import ProjectNotFoundError, find_project
from techpm.persistence.rows import MembershipRow, ProjectRow, TaskRow
from techpm.services.plan_store import Actor, record_project_created

KEY_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")
ROLES = ("viewer", "member", "manager", "owner")


class ProjectKeyError(TechpmError):
    code = "project.bad_key"


class ProjectExistsError(TechpmError):
    code = "project.exists"


@dataclass(frozen=True)
class ProjectView:
    key: str
    name: str
    version: int
    role: str | None
    start: date
    description: str | None
    manager: str | None
    currency: str
    status_date: date | None
    task_count: int

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "version": self.version,
            "role": self.role,
            "start": self.start.isoformat(),
            "description": self.description,
            "manager": self.manager,
            "currency": self.currency,
            "status_date": self.status_date.isoformat() if self.status_date else None,
            "task_count": self.task_count,
        }


def check_key(key: str) -> str:
    if not KEY_PATTERN.match(key):
        raise ProjectKeyError(
            f"key: {key!r} is not a project key; use 2 to 10 capital letters and digits, "
            "starting with a letter (like PAY or WEB2)"
        )
    return key


def project_view(session: Session, row: ProjectRow, role: str | None) -> ProjectView:
    tasks = session.scalar(select(func.count()).where(TaskRow.project_id == row.id)) or 0
    return ProjectView(
        key=row.key,
        name=row.name,
        version=row.version,
        role=role,
        start=row.start_on,
        description=row.description,
        manager=row.manager,
        currency=row.currency,
        status_date=row.status_date_on,
        task_count=tasks,
    )


def role_in(session: Session, project_id: int, user_id: int) -> str | None:
    query = select(MembershipRow.role).where(
        MembershipRow.project_id == project_id, MembershipRow.user_id == user_id
    )
    return session.scalar(query)


def list_projects(session: Session, user_id: int) -> list[ProjectView]:
    """The projects `user_id` is a member of, by key."""
    query = (
        select(ProjectRow, MembershipRow.role)
        .join(MembershipRow, MembershipRow.project_id == ProjectRow.id)
        .where(MembershipRow.user_id == user_id)
        .order_by(ProjectRow.key)
    )
    return [project_view(session, row, role) for row, role in session.execute(query).all()]


def starter_plan(name: str, start: date, description: str | None = None) -> Project:
    """An empty plan, built the way a plan file would be, so it is exactly what `check` takes."""
    about = f", description: {_quoted(description)}" if description else ""
    text = f"project: {{name: {_quoted(name)}, start: {start.isoformat()}{about}}}\ntasks: []\n"
    return load_plan_document(YamlDocument("new project", text)).project


def _quoted(text: str) -> str:
    return json.dumps(text)  # a JSON string is a YAML double-quoted scalar


def create_project(
    session: Session,
    *,
    key: str,
    plan: Project,
    actor: Actor,
    now: datetime,
) -> ProjectRow:
    """Store `plan` as project `key` with `actor` as its owner. Commits."""
    check_key(key)
    if session.scalar(select(ProjectRow.id).where(ProjectRow.key == key)) is not None:
        raise ProjectExistsError(f"key: a project {key!r} already exists")
    try:
        row = add_project(session, plan, key=key)
        if actor.user_id is not None:
            session.add(MembershipRow(project_id=row.id, user_id=actor.user_id, role="owner"))
        session.flush()
        record_project_created(session, row, actor=actor, now=now)
        session.commit()
    except IntegrityError:  # created by someone else between the check and the write
        session.rollback()
        raise ProjectExistsError(f"key: a project {key!r} already exists") from None
    return row


def get_project_row(session: Session, key: str) -> ProjectRow:
    return find_project(session, key)


def delete_project(session: Session, row: ProjectRow) -> None:
    """Everything inside goes with it (the database cascades)."""
    session.delete(row)
    session.commit()


__all__ = [
    "ROLES",
    "ProjectExistsError",
    "ProjectKeyError",
    "ProjectNotFoundError",
    "ProjectView",
    "check_key",
    "create_project",
    "delete_project",
    "get_project_row",
    "list_projects",
    "project_view",
    "role_in",
    "starter_plan",
]
