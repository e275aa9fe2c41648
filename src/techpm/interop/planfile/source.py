"""Where each task, resource and calendar sits in a plan file, to point errors at it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from techpm.domain.errors import SourceLocation
from techpm.domain.validation_types import Finding
from techpm.interop.planfile.document import YamlDocument
from techpm.interop.planfile.locations import PathPart


@dataclass
class SourceMap:
    """Where each task and calendar sits in the file, to point errors at it."""

    document: YamlDocument
    tasks: dict[str, list[tuple[PathPart, ...]]] = field(default_factory=dict)
    resources: dict[str, list[tuple[PathPart, ...]]] = field(default_factory=dict)
    risks: dict[str, list[tuple[PathPart, ...]]] = field(default_factory=dict)
    stakeholders: dict[str, list[tuple[PathPart, ...]]] = field(default_factory=dict)

    def at(self, path: Sequence[PathPart], *, at_key: bool = False) -> SourceLocation:
        return self.document.at(path, at_key=at_key)

    def of_task(self, task_id: str, field_name: str | None = None) -> SourceLocation:
        base = self.tasks.get(task_id, [()])[0]
        return self.at([*base, field_name] if field_name else base)

    def of_finding(self, finding: Finding) -> SourceLocation:
        index = {
            "task": self.tasks,
            "resource": self.resources,
            "risk": self.risks,
            "stakeholder": self.stakeholders,
        }.get(finding.kind)
        if index is not None:
            paths = index.get(finding.subject, [()])
            # a duplicate is reported where it is repeated, anything else where it is first
            repeated = finding.code == f"{finding.kind}.duplicate_id"
            path: list[PathPart] = list(paths[-1 if repeated else 0])
        elif finding.kind == "raci":
            path = ["raci", finding.position or 0, finding.field or "task"]
            if finding.subfield is not None:
                path.append(int(finding.subfield))
            return self.at(path)
        elif finding.kind in ("sprint", "idea"):
            # listed in order: the position finds the entry, whatever its id
            path = [f"{finding.kind}s", finding.position or 0]
            if finding.field:
                path.append(finding.field)
            if finding.subfield is not None:
                path.append(int(finding.subfield))
            return self.at(path)
        elif finding.kind == "workflow":
            path = ["workflow", finding.field or "states"]
            if finding.position is not None:
                path.append(finding.position)
            return self.at(path)
        elif finding.kind == "goal":
            return self.at(["goals"])
        elif finding.kind == "correlation":
            path = ["correlations", finding.position or 0]
            return self.at(path)
        elif finding.kind == "calendar":
            path = ["calendars", finding.subject]
        else:
            path = ["project"]
        if finding.field:
            path.append(finding.field)
        if finding.position is not None:
            path.append(finding.position)
        if finding.subfield is not None:
            path.append(finding.subfield)
        return self.at(path)
