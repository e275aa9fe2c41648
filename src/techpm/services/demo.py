"""The demo database behind `make run`: every example plan as a project, one user per role in
each, and an instance admin, so a newcomer sees every permission at work without setting up
anything. Seeded once; later starts only issue a fresh API token."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from techpm.interop.planfile.loader import load_plan_file
from techpm.persistence.rows import MembershipRow, UserRow
from techpm.security.passwords import Passwords
from techpm.services.accounts import CreatedToken, User, add_user, create_token

DEMO_DOMAIN = "demo.techpm"
DEMO_PASSWORD = "demo-password-1"
PROJECT_ROLES = ("owner", "manager", "member", "viewer")
ADMIN = "admin"
TOKEN_HOLDER = "manager"
KEY_LENGTH = 10
KEY_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")  # as services.projects checks it


@dataclass(frozen=True)
class DemoProject:
    key: str
    name: str
    file: str


def demo_email(who: str) -> str:
    return f"{who}@{DEMO_DOMAIN}"


def project_key(file_name: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """`cloud-migration.yaml` -> `CLOUD`: the first word of the name, in capitals, made unique
    with a number (`CLOUD2`) when another file got there first."""
    words = [w for w in re.split(r"[^A-Z0-9]+", Path(file_name).stem.upper()) if w]
    text = "".join(words).lstrip("0123456789")
    first = next((w for w in words if w[0].isalpha()), "")
    base = (first if len(first) >= 2 else text)[:KEY_LENGTH] or "PLAN"
    if len(base) < 2:
        base = (base + "PLAN")[:KEY_LENGTH]
    key, number = base, 1
    while key in taken:
        number += 1
        suffix = str(number)
        key = base[: KEY_LENGTH - len(suffix)] + suffix
    assert KEY_PATTERN.match(key), key
    return key


def is_seeded(session: Session) -> bool:
    """The admin is added last: a database that has it holds the whole demo."""
    found = session.scalar(select(UserRow.id).where(UserRow.email == demo_email(ADMIN)))
    return found is not None


def seed_demo(
    session: Session,
    plan_files: Sequence[Path],
    *,
    passwords: Passwords,
    password: str = DEMO_PASSWORD,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> list[DemoProject]:
    """Add the role users, one project per plan file (the owner creating it, the others
    joining with their role), then the admin. Commits as it goes."""
    # the project store is imported here: `project_key` is usable before it is installed
    from techpm.services.plan_store import Actor
    from techpm.services.projects import create_project

    users: dict[str, User] = {}
    for who in PROJECT_ROLES:
        users[who] = add_user(
            session, demo_email(who), name=f"Demo {who}", password=password, passwords=passwords
        )
    owner = Actor(users["owner"].id, users["owner"].email, "demo")
    projects: list[DemoProject] = []
    taken: set[str] = set()
    for path in sorted(plan_files):
        plan = load_plan_file(path).project
        key = project_key(path.name, taken)
        taken.add(key)
        row = create_project(session, key=key, plan=plan, actor=owner, now=now())
        for who in PROJECT_ROLES[1:]:
            session.add(MembershipRow(project_id=row.id, user_id=users[who].id, role=who))
        session.commit()
        projects.append(DemoProject(key, plan.info.name, path.name))
    add_user(
        session,
        demo_email(ADMIN),
        name="Demo admin",
        password=password,
        is_admin=True,
        passwords=passwords,
    )
    return projects


def demo_token(session: Session, *, now: Callable[[], datetime] | None = None) -> CreatedToken:
    """A write token of the manager, new on every start (only its hash is kept)."""
    clock = now or (lambda: datetime.now(UTC))
    stamp = clock().strftime("%Y-%m-%d %H:%M:%S")
    return create_token(session, demo_email(TOKEN_HOLDER), name=f"demo {stamp}", now=clock)


__all__ = [
    "DEMO_PASSWORD",
    "PROJECT_ROLES",
    "DemoProject",
    "demo_email",
    "demo_token",
    "is_seeded",
    "project_key",
    "seed_demo",
]
