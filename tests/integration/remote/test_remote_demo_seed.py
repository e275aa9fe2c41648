"""The demo database behind `make run`: every example plan as a project, each role user a
member of every project with that role, an instance admin, and a fresh write token per start."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from techpm.persistence.rows import MembershipRow, ProjectRow, UserRow
from techpm.security.login_limiter import LoginLimiter
from techpm.security.passwords import Passwords
from techpm.services.accounts import authenticate, check_token
from techpm.services.demo import (
    DEMO_PASSWORD,
    PROJECT_ROLES,
    demo_email,
    demo_token,
    is_seeded,
    project_key,
    seed_demo,
)
from tests.integration.conftest import engine, migrated, postgres_url, session

__all__ = ["engine", "migrated", "postgres_url", "session"]

EXAMPLES = sorted((Path(__file__).resolve().parents[3] / "examples").glob("*.yaml"))
CHEAP = Passwords(time_cost=1, memory_cost_kib=8, parallelism=1)

pytest.importorskip(
    "techpm.services.plan_store",
    reason="seeding creates projects through techpm.services.plan_store, not there yet",
)


def test_every_example_becomes_a_project_with_a_member_per_role(session: Session) -> None:
    assert not is_seeded(session)
    projects = seed_demo(session, EXAMPLES, passwords=CHEAP)
    assert is_seeded(session)

    expected_keys: set[str] = set()
    for path in EXAMPLES:  # the keys the file names give, computed the same way
        expected_keys.add(project_key(path.name, expected_keys))
    assert {p.key for p in projects} == expected_keys
    assert "CLOUD" in expected_keys
    stored = set(session.scalars(select(ProjectRow.key)))
    assert stored == expected_keys

    roles = {
        (key, email, role)
        for key, email, role in session.execute(
            select(ProjectRow.key, UserRow.email, MembershipRow.role)
            .join(MembershipRow, MembershipRow.project_id == ProjectRow.id)
            .join(UserRow, UserRow.id == MembershipRow.user_id)
        )
    }
    assert roles == {(k, demo_email(r), r) for k in expected_keys for r in PROJECT_ROLES}
    admin = session.scalar(select(UserRow).where(UserRow.email == demo_email("admin")))
    assert admin is not None
    assert admin.is_admin
    user = authenticate(
        session,
        demo_email("viewer"),
        DEMO_PASSWORD,
        "test",
        passwords=CHEAP,
        limiter=LoginLimiter(),
    )
    assert user.email == demo_email("viewer")


def test_each_start_gets_a_new_write_token_of_the_manager(session: Session) -> None:
    seed_demo(session, EXAMPLES[:1], passwords=CHEAP)
    first, second = demo_token(session), demo_token(session)
    assert first.token != second.token
    grant = check_token(session, second.token)
    assert grant.scope == "write"
    assert grant.user.email == demo_email("manager")
