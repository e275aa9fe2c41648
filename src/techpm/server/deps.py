"""The dependencies every route takes: a database session, and `permit(action)` — the one check
of the permission table, which also finds the project named in the path. A caller who is not
a member of a project gets the same 404 as for a project that does not exist."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from techpm.persistence.rows import JobRow, ProjectRow
from techpm.server.auth import Caller, resolve_caller
from techpm.server.context import ServerContext, context_of
from techpm.server.errors import ApiError
from techpm.server.permissions import PERMISSIONS, Action, Role, Scope, allowed
from techpm.services.jobs import JobNotFoundError
from techpm.services.plan_store import Actor
from techpm.services.projects import ProjectNotFoundError, get_project_row, role_in


def get_session(request: Request) -> Iterator[Session]:
    with context_of(request).sessions() as session:
        yield session


def get_context(request: Request) -> ServerContext:
    return context_of(request)


SessionDep = Annotated[Session, Depends(get_session)]
ContextDep = Annotated[ServerContext, Depends(get_context)]


@dataclass(frozen=True)
class Access:
    """A caller allowed to do an action; `project` and `role` for project actions."""

    caller: Caller
    action: Action
    project: ProjectRow | None
    role: Role | None

    @property
    def actor(self) -> Actor:
        return Actor(self.caller.user.id, self.caller.user.email, "api")

    @property
    def in_project(self) -> ProjectRow:
        assert self.project is not None, "a project action always has its project"
        return self.project

    def require(self, action: Action) -> None:
        """A further action the request turned out to need (a task change beyond progress)."""
        check(self.caller, action, self.role)


def forbidden(caller: Caller, action: Action) -> ApiError:
    if PERMISSIONS[action].writes and caller.scope != "write":
        return ApiError(
            "this token is read-only; create a write token to change things",
            code="auth.read_only_token",
            status=403,
        )
    return ApiError(f"your role does not allow {action.value}", code="auth.forbidden", status=403)


def check(caller: Caller, action: Action, role: Role | None) -> None:
    if not allowed(role, action, admin=caller.user.is_admin, token_scope=caller.scope):
        raise forbidden(caller, action)


def not_found(key: str) -> ProjectNotFoundError:
    return ProjectNotFoundError(f"no project {key!r}")


MAX_JOB_ID = 2**31 - 1  # the id column's range on PostgreSQL


def _project_in_path(request: Request, session: Session) -> ProjectRow:
    """The project a path names: by its key, or through the job that belongs to it."""
    params = request.path_params
    if "key" not in params and "job_id" in params:
        text = str(params["job_id"])  # read before the route validates it: may be anything
        number = int(text) if text.isascii() and text.isdigit() and len(text) <= 10 else 0
        job = session.get(JobRow, number) if 1 <= number <= MAX_JOB_ID else None
        project = None if job is None else session.get(ProjectRow, job.project_id or 0)
        if project is None:
            raise JobNotFoundError(f"no job {params['job_id']}")
        return project
    key = str(params.get("key", ""))
    if "\x00" in key:  # names no project, and PostgreSQL refuses to look it up
        raise not_found(key)
    try:
        return get_project_row(session, key)
    except ProjectNotFoundError:
        raise not_found(key) from None


def permit(action: Action) -> Any:
    """`Annotated[Access, permit(Action.X)]` on a route: signed in, and allowed to do X."""

    def dependency(request: Request, session: SessionDep) -> Access:
        caller = resolve_caller(request, session)
        if PERMISSIONS[action].scope is not Scope.PROJECT:
            check(caller, action, None)
            return Access(caller, action, None, None)
        project = _project_in_path(request, session)
        key = project.key
        label = role_in(session, project.id, caller.user.id)
        if label is None:
            if "job_id" in request.path_params:
                raise JobNotFoundError(f"no job {request.path_params['job_id']}")
            raise not_found(key)
        role = Role.parse(label)
        check(caller, action, role)
        return Access(caller, action, project, role)

    dependency.permission = action  # type: ignore[attr-defined]  # read by the matrix test
    return Depends(dependency)


def signed_in(request: Request, session: SessionDep) -> Caller:
    """Any signed-in caller (logging out, for instance)."""
    return resolve_caller(request, session)


CallerDep = Annotated[Caller, Depends(signed_in)]
