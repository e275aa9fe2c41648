"""The list sections of the plan file kept as collections as they are written in YAML."""

from __future__ import annotations

from typing import ClassVar

from techpm.services.collections.base import Entry, Filters, KeyedPart


def _skills(entry: Entry) -> list[str]:
    return list(entry.get("skills") or {})


class Resources(KeyedPart):
    name = part = "resources"
    entity = "resource"
    prefix = "R"
    filters: ClassVar[Filters] = {"skill": _skills}


class Risks(KeyedPart):
    name = part = "risks"
    entity = "risk"
    prefix = "RISK-"


class Stakeholders(KeyedPart):
    name = part = "stakeholders"
    entity = "stakeholder"
    prefix = "SH-"


class Ideas(KeyedPart):
    name = part = "ideas"
    entity = "idea"
    prefix = "IDEA-"


class Sprints(KeyedPart):
    name = part = "sprints"
    entity = "sprint"
    prefix = "S"
