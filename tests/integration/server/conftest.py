"""A running app on each database, with a project `PAY` (the cloud migration example) and one
user per role: owner, manager, member, viewer, an outsider (member of another project only)
and an instance admin. `team.as_(role)` gives the headers of that user's write token."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from techpm.bootstrap.settings import load_settings
from techpm.interop.planfile.loader import load_plan_file
from techpm.jobs import LocalPoolBackend
from techpm.persistence.database import session_factory
from techpm.persistence.rows import MembershipRow
from techpm.security.passwords import Passwords
from techpm.server.app import create_app
from techpm.services.accounts import add_user, create_token
from techpm.services.plan_store import Actor
from techpm.services.projects import create_project, starter_plan
from tests.integration.conftest import engine, migrated, postgres_url

__all__ = ["engine", "migrated", "postgres_url"]

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
CHEAP = Passwords(time_cost=1, memory_cost_kib=8, parallelism=1)
PASSWORD = "correct horse battery"
ROLES = ("owner", "manager", "member", "viewer")
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@dataclass
class Team:
    client: TestClient
    engine: Engine
    tokens: dict[str, str] = field(default_factory=dict)
    read_tokens: dict[str, str] = field(default_factory=dict)

    def as_(self, who: str, *, read: bool = False) -> dict[str, str]:
        token = (self.read_tokens if read else self.tokens)[who]
        return {"Authorization": f"Bearer {token}"}

    @staticmethod
    def email(who: str) -> str:
        return f"{who}@example.com"


def seed(engine: Engine) -> dict[str, tuple[str, str]]:
    """Users, the PAY project with the example plan and OTHER with the outsider in it."""
    tokens: dict[str, tuple[str, str]] = {}
    with session_factory(engine)() as session:
        users = {}
        for who in (*ROLES, "outsider", "admin"):
            users[who] = add_user(
                session,
                Team.email(who),
                name=who.title(),
                password=PASSWORD,
                is_admin=who == "admin",
                passwords=CHEAP,
            )
            write = create_token(session, Team.email(who), name="tests", scope="write")
            read = create_token(session, Team.email(who), name="tests", scope="read")
            tokens[who] = (write.token, read.token)
        plan = load_plan_file(EXAMPLES / "cloud-migration.yaml").project
        owner = Actor(users["owner"].id, users["owner"].email, "api")
        pay = create_project(session, key="PAY", plan=plan, actor=owner, now=NOW)
        for who in ("manager", "member", "viewer"):
            session.add(MembershipRow(project_id=pay.id, user_id=users[who].id, role=who))
        outsider = Actor(users["outsider"].id, users["outsider"].email, "api")
        other = starter_plan("Other", NOW.date())
        create_project(session, key="OTHER", plan=other, actor=outsider, now=NOW)
        session.commit()
    return tokens


@pytest.fixture
def team(migrated: Engine) -> Iterator[Team]:
    settings = load_settings({"TECHPM_DATA_DIR": "/nonexistent"}, dev=True)
    backend = LocalPoolBackend(migrated.url.render_as_string(hide_password=False), max_workers=1)
    app = create_app(settings, engine=migrated, jobs=backend, passwords=CHEAP, migrate=False)
    tokens = seed(migrated)
    with TestClient(app, raise_server_exceptions=False) as client:
        result = Team(client, migrated)
        for who, (write, read) in tokens.items():
            result.tokens[who], result.read_tokens[who] = write, read
        yield result
