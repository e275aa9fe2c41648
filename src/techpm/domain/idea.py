"""Ideas before they become work: who proposed them, how the team rates them, and which
epic they became."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Moscow(StrEnum):
    MUST = "must"
    SHOULD = "should"
    COULD = "could"
    WONT = "wont"


class IdeaStatus(StrEnum):
    NEW = "new"
    ACCEPTED = "accepted"
    PROMOTED = "promoted"  # turned into an epic of the plan
    REJECTED = "rejected"


@dataclass(frozen=True)
class Comment:
    author: str
    text: str
    at: datetime | None = None


@dataclass(frozen=True)
class Rice:
    """Reach (people per period) x impact (0.25 .. 3) x confidence (0..1) / effort."""

    reach: float
    impact: float
    confidence: float
    effort: float  # person-months, or any unit used the same way across ideas


@dataclass(frozen=True)
class Wsjf:
    """SAFe's weighted shortest job first: cost of delay over job size."""

    business_value: float
    time_criticality: float
    risk_reduction: float  # risk reduction and/or opportunity enablement
    job_size: float


@dataclass(frozen=True)
class Goal:
    id: str
    title: str
    description: str | None = None


@dataclass(frozen=True)
class Idea:
    id: str
    title: str
    description: str | None = None
    author: str | None = None
    tags: tuple[str, ...] = ()
    votes: int = 0
    comments: tuple[Comment, ...] = ()
    goals: tuple[str, ...] = ()  # goal ids
    rice: Rice | None = None
    wsjf: Wsjf | None = None
    moscow: Moscow | None = None
    value: float | None = None  # for value-vs-effort
    effort: float | None = None
    status: IdeaStatus = IdeaStatus.NEW
    epic: str | None = None  # the task it became
