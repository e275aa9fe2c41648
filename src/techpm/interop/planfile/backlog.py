"""Plan-file models of the backlog side (workflow, sprints, ideas) into the domain."""

from __future__ import annotations

from techpm.domain.idea import Comment, Idea, IdeaStatus, Moscow, Rice, Wsjf
from techpm.domain.sprint import Sprint
from techpm.domain.workflow import Workflow
from techpm.interop.planfile.backlog_model import IdeaModel, SprintModel, WorkflowModel


def workflow(model: WorkflowModel | None) -> Workflow | None:
    if model is None:
        return None
    return Workflow(
        tuple(model.states), tuple(model.done), tuple(model.active), tuple(model.blocked)
    )


def sprint(model: SprintModel) -> Sprint:
    return Sprint(
        id=model.id,
        name=model.name or model.id,
        start=model.start,
        finish=model.finish,
        capacity=model.capacity,
        team=tuple(model.team),
        goal=model.goal,
    )


def idea(model: IdeaModel) -> Idea:
    return Idea(
        id=model.id,
        title=model.title,
        description=model.description,
        author=model.author,
        tags=tuple(model.tags),
        votes=model.votes,
        comments=tuple(Comment(c.author, c.text, c.at) for c in model.comments),
        goals=tuple(model.goals),
        rice=Rice(**model.rice.model_dump()) if model.rice else None,
        wsjf=Wsjf(**model.wsjf.model_dump()) if model.wsjf else None,
        moscow=Moscow(model.moscow) if model.moscow else None,
        value=model.value,
        effort=model.effort,
        status=IdeaStatus(model.status),
        epic=model.epic,
    )
