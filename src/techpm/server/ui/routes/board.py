"""`/projects/{key}/board`: backlog items by workflow state (JSON twin:
`GET /api/v1/projects/{key}/items`), moved between states by drag or by keyboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from techpm.server.deps import ContextDep, SessionDep
from techpm.server.permissions import Action, Role, allowed
from techpm.server.ui.access import member_project
from techpm.server.ui.templating import page
from techpm.server.ui.viewer import ViewerDep
from techpm.services.collections import COLLECTIONS
from techpm.services.collections.listing import MAX_LIMIT, ListQuery
from techpm.services.collections.service import list_entities
from techpm.services.plan_cache import current_plan
from techpm.services.projects import project_view

router = APIRouter(include_in_schema=False)
Filter = Annotated[str | None, Query(max_length=200)]


@router.get("/projects/{key}/board")
def board(
    key: str,
    request: Request,
    viewer: ViewerDep,
    session: SessionDep,
    context: ContextDep,
    assignee: Filter = None,
    sprint: Filter = None,
) -> Response:
    found = member_project(session, key, viewer)
    if found is None:
        return page(request, "not_found.html", viewer=viewer, status=404, key=key)
    row, role = found
    plan = current_plan(session, row, context.plans).project
    states = list(plan.workflow.states) if plan.workflow else []
    filters = {k: v for k, v in (("assignee", assignee), ("sprint", sprint)) if v}
    items = list_entities(
        session,
        row,
        COLLECTIONS["items"],
        ListQuery(filters, (), MAX_LIMIT),
        plans=context.plans,
        now=context.now(),
    ).items
    columns = [(state, [i for i in items if i.get("status") == state]) for state in states]
    return page(
        request,
        "board.html",
        viewer=viewer,
        project=project_view(session, row, role),
        columns=columns,
        editable=allowed(Role.parse(role), Action.ITEMS_WRITE),
        people=sorted({r.id for r in plan.resources}),
        sprints=[s.id for s in plan.sprints],
        assignee=assignee or "",
        sprint=sprint or "",
        states=states,
    )
