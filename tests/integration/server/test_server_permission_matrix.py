"""Every route of the OpenAPI spec, for every kind of caller, against the permission table.

A route is either public or carries exactly one `permit(action)` dependency; the test then
calls it as nobody, as an outsider (member of another project only), as each role, as an
instance admin and with read-only tokens, and checks the answer the table predicts: 401
without credentials, 404 for a project the caller is not in, 403 when the role or the token
forbids, and anything but those when allowed. Writes are sent with a stale `If-Match` and
empty bodies, so an allowed call stops at 412, 422 or 404 instead of changing the project."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastapi.routing import APIRoute

from techpm.persistence.database import session_factory
from techpm.persistence.reading import find_project
from techpm.persistence.rows import JobRow
from techpm.server.app import ROUTERS
from techpm.server.permissions import PERMISSIONS, Action, Role, Scope, allowed
from tests.integration.server.conftest import NOW, Team

PUBLIC = {
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("POST", "/api/v1/auth/token"),
    ("POST", "/api/v1/auth/session"),
}
CALLERS: tuple[tuple[str | None, bool], ...] = (
    (None, False),
    ("outsider", False),
    ("viewer", False),
    ("member", False),
    ("manager", False),
    ("owner", False),
    ("admin", False),
    ("viewer", True),
    ("owner", True),
    ("admin", True),
)
ROLES = {"viewer": Role.VIEWER, "member": Role.MEMBER, "manager": Role.MANAGER, "owner": Role.OWNER}


def _dependencies(dependant: Any) -> Iterator[Any]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _dependencies(sub)


def route_actions() -> dict[tuple[str, str], Action | None]:
    """(method, path) -> the action its permit dependency checks; None for public routes."""
    found: dict[tuple[str, str], Action | None] = {}
    for route in (r for module in ROUTERS for r in module.router.routes):
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        actions = {
            call.permission
            for call in _dependencies(route.dependant)
            if hasattr(call, "permission")
        }
        path = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)  # as the spec spells it
        for method in route.methods:
            assert len(actions) <= 1, (method, path, actions)
            found[method, path] = next(iter(actions), None)
    return found


def test_every_route_in_the_spec_is_public_or_in_the_permission_table(team: Team) -> None:
    spec = team.client.get("/api/openapi.json").json()
    actions = route_actions()
    in_spec = {(method.upper(), path) for path, item in spec["paths"].items() for method in item}
    assert in_spec == set(actions), in_spec ^ set(actions)
    for where, action in actions.items():
        if where in PUBLIC:
            assert action is None, where
        else:
            assert action in PERMISSIONS, f"{where} has no permission check"


def _job_in_pay(team: Team) -> int:
    with session_factory(team.engine)() as session:
        project = find_project(session, "PAY")
        job = JobRow(
            project_id=project.id,
            user_id=None,
            kind="simulation",
            status="succeeded",
            progress=1.0,
            options={},
            project_version=project.version,
            result={},
            cancel_requested=False,
            created_at=NOW,
            finished_at=NOW,
        )
        session.add(job)
        session.commit()
        return job.id


def _path(path: str, job_id: int) -> str:
    values = {
        "key": "PAY",
        "email": "nobody@example.com",
        "job_id": str(job_id),
        "token_id": "999999",
    }
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m[1], "no-such-id"), path)


def expected(who: str | None, read: bool, action: Action) -> str:
    """What the table says: "401", "404" (not a member), "403" or "ok"."""
    rule = PERMISSIONS[action]
    if who is None:
        return "401"
    scope = "read" if read else "write"
    if rule.scope is Scope.PROJECT:
        role = ROLES.get(who)
        if role is None:
            return "404"
        return "ok" if allowed(role, action, token_scope=scope) else "403"
    return "ok" if allowed(None, action, admin=who == "admin", token_scope=scope) else "403"


def observed(status: int, code: str | None) -> str:
    if status == 401:
        return "401"
    if status == 403:
        return "403"
    if status == 404 and code in ("project.not_found", "job.not_found"):
        return "404"
    return "ok"


def test_every_route_answers_every_caller_as_the_permission_table_says(team: Team) -> None:
    job_id = _job_in_pay(team)
    mismatches = []
    for (method, path), action in sorted(route_actions().items()):
        if action is None or path.endswith("/events"):  # the stream is checked on its own
            continue
        for who, read in CALLERS:
            headers = {"If-Match": '"0"'}
            if who is not None:
                headers.update(team.as_(who, read=read))
            kwargs: dict[str, Any] = {"headers": headers}
            if method in ("POST", "PUT", "PATCH"):
                kwargs["json"] = {}
            answer = team.client.request(method, _path(path, job_id), **kwargs)
            is_json = "json" in answer.headers.get("content-type", "") and answer.content
            code = answer.json().get("code") if is_json else None
            # this app runs no job back end: a job it may start is refused with 503, not 500
            assert answer.status_code < 500 or code == "job.unavailable", (method, path, who)
            got, want = observed(answer.status_code, code), expected(who, read, action)
            if got != want:
                mismatches.append((method, path, who, read, want, answer.status_code, code))
    assert not mismatches, "\n".join(map(str, mismatches))
