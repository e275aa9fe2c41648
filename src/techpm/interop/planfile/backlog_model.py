"""The plan file's backlog side (workflow, sprints, goals, ideas), as pydantic models."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from techpm.interop.planfile.levels import RiceConfidence, RiceImpact
from techpm.interop.planfile.model_types import TaskId


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class WorkflowModel(_Strict):
    states: list[str] = Field(
        min_length=2, description="In order: the backlog's state first, finished last."
    )
    done: list[str] = Field(default_factory=list, description="Finished (default: the last).")
    active: list[str] = Field(
        default_factory=list, description="Work under way (default: started, not blocked)."
    )
    blocked: list[str] = Field(default_factory=list, description="Waiting states.")


class SprintModel(_Strict):
    id: TaskId
    name: str | None = None
    start: date
    finish: date = Field(description="Last day of the sprint, included.")
    capacity: float | None = Field(
        default=None, ge=0, description="Story points; default from the team's availability."
    )
    team: list[TaskId] = Field(default_factory=list, description="Resource ids; default all.")
    goal: str | None = None


class GoalModel(_Strict):
    id: TaskId
    title: str = Field(min_length=1)
    description: str | None = None


class CommentModel(_Strict):
    author: str = Field(min_length=1)
    text: str = Field(min_length=1)
    at: datetime | None = None


class RiceModel(_Strict):
    reach: float = Field(ge=0)
    impact: RiceImpact = Field(description="0.25 minimal, 0.5 low, 1 medium, 2 high, 3 massive.")
    confidence: RiceConfidence = Field(description="0 to 1, 80%, or low, medium, high.")
    effort: float = Field(gt=0)


class WsjfModel(_Strict):
    business_value: float = Field(ge=0)
    time_criticality: float = Field(ge=0)
    risk_reduction: float = Field(ge=0)
    job_size: float = Field(gt=0)


class IdeaModel(_Strict):
    id: TaskId
    title: str = Field(min_length=1)
    description: str | None = None
    author: str | None = None
    tags: list[str] = Field(default_factory=list)
    votes: int = Field(default=0, ge=0)
    comments: list[CommentModel] = Field(default_factory=list)
    goals: list[TaskId] = Field(default_factory=list)
    rice: RiceModel | None = None
    wsjf: WsjfModel | None = None
    moscow: Literal["must", "should", "could", "wont"] | None = None
    value: float | None = Field(default=None, ge=0, description="For value vs effort.")
    effort: float | None = Field(default=None, gt=0, description="For value vs effort.")
    status: Literal["new", "accepted", "promoted", "rejected"] = "new"
    epic: TaskId | None = Field(default=None, description="The task it was promoted to.")
