"""Jira issues to plan tasks: the one mapping the CSV and JSON readers share, so an issue
means the same plan whichever format it arrives in.

The readers only pull values out of their format into `Issue` records; everything about
how Jira's model becomes a plan (WBS from parents and epics, `after` from blocks links,
milestones from fix versions, resources from assignees, what is left behind) lives here
and in `hierarchy.py`, which works out the tree and the links; `records.py` holds the
records themselves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from techpm.interop.exchange import ImportResult, fail
from techpm.interop.jira.hierarchy import IssueGraph
from techpm.interop.jira.records import (
    DEFAULT_DURATION,
    MINUTES_PER_DAY,
    MONTH_NAMES,
    PRIORITIES,
    VERSION_REF,
    Change,
    Issue,
    Person,
    duration_text,
    listed,
    plural,
    sanitize_id,
    unique,
)

__all__ = [
    "DEFAULT_DURATION",
    "MINUTES_PER_DAY",
    "MONTH_NAMES",
    "PRIORITIES",
    "VERSION_REF",
    "Change",
    "Issue",
    "Person",
    "duration_text",
    "plan_from_issues",
    "plural",
    "sanitize_id",
]


def plan_from_issues(
    issues: Sequence[Issue],
    path: Path,
    *,
    fmt: str,
    notes: Sequence[str] = (),
    releases: dict[str, date] | None = None,
) -> ImportResult:
    """The plan-file mapping for `issues`; `notes` are the reader's own words for `skipped`,
    `releases` the release date of each fix version when the format has them."""
    if not issues:
        raise fail(path, "", "no issues in the file", code="import.empty")
    return _Mapping(issues, path, releases or {}).result(fmt, notes)


class _Mapping(IssueGraph):
    def __init__(self, issues: Sequence[Issue], path: Path, releases: dict[str, date]) -> None:
        super().__init__(issues, path)
        self.releases = releases

    # the document

    def result(self, fmt: str, notes: Sequence[str]) -> ImportResult:
        resources, people = self._resources()
        counts: Counter[str] = Counter()
        tasks = [self._task(n, people, counts) for n, p in enumerate(self.parent) if p is None]
        tasks += self._versions()
        self._count_notes(counts)
        document: dict[str, Any] = {"project": self._project()}
        if resources:
            document["resources"] = resources
        document["tasks"] = tasks
        references = {
            self.ids[n]: issue.target for n, issue in enumerate(self.issues) if issue.target
        }
        return ImportResult(
            format=fmt,
            document=document,
            skipped=(*notes, *self.notes),
            reference_dates=references,
        )

    def _project(self) -> dict[str, Any]:
        names = Counter(issue.project for issue in self.issues if issue.project)
        source = self.path.name  # a file, or the site issues were pulled from
        fallback = Path(source).stem if source.lower().endswith((".csv", ".json")) else source
        name = " + ".join(sorted(names, key=lambda k: -names[k])) or fallback or "Jira"
        seen = [day for issue in self.issues for day in issue.dates]
        # the day the data speaks from, so that open work is planned from then on
        start = max(seen) if seen else date.today()
        return {"name": name, "start": start}

    def _resources(self) -> tuple[list[dict[str, Any]], dict[str, str]]:
        resources: list[dict[str, Any]] = []
        people: dict[str, str] = {}  # Jira ref -> resource id
        taken: set[str] = set()
        for n, issue in enumerate(self.issues):
            person = issue.assignee
            if person is None or person.ref in people or not self.does_work(n):
                continue  # an epic's assignee is its owner, not a resource booked on it
            rid = people[person.ref] = unique(sanitize_id(person.ref), taken)
            resources.append(
                {"id": rid, "name": person.name or person.ref, "refs": {"jira": person.ref}}
            )
        return resources, people

    def milestone(self, n: int) -> bool:
        return not self.children[n] and "milestone" in (self.issues[n].issue_type or "").lower()

    def does_work(self, n: int) -> bool:
        """Leaf issues take time and people; epics roll up, milestones mark a moment."""
        return not self.children[n] and not self.milestone(n)

    def _task(self, n: int, people: dict[str, str], counts: Counter[str]) -> dict[str, Any]:
        issue = self.issues[n]
        summary = bool(self.children[n])
        milestone = self.milestone(n)
        task: dict[str, Any] = {"id": self.ids[n], "name": self._name(issue)}
        if issue.key:
            task["refs"] = {"jira": issue.key}
        if issue.issue_type:
            task["issue_type"] = issue.issue_type
        if milestone:
            task["milestone"] = True
        elif summary:
            counts["summary_estimate"] += bool(issue.estimate_seconds)
        elif issue.estimate_seconds is not None:
            task["duration"] = duration_text(issue.estimate_seconds)
        else:
            task["duration"] = DEFAULT_DURATION
            counts["no_estimate"] += 1
        if issue.status:
            task["status"] = issue.status
        if issue.points is not None:
            task["points"] = int(issue.points) if issue.points.is_integer() else issue.points
        if issue.sprints:
            task["sprint"] = issue.sprints[-1]
            counts["sprints"] += len(set(issue.sprints)) > 1
        priority = self._priority(issue, counts)
        if priority is not None:
            task["priority"] = priority
        tags = list(dict.fromkeys([*issue.labels, *(f"component:{c}" for c in issue.components)]))
        if tags:
            task["tags"] = tags
        if issue.due is not None:
            task["deadline"] = issue.due
        if issue.description:
            task["notes"] = issue.description
        if issue.assignee is not None:
            if not self.does_work(n):
                task["owner"] = issue.assignee.name or issue.assignee.ref
            else:
                task["assign"] = [{"resource": people[issue.assignee.ref]}]
        if issue.history:
            task["history"] = [_change(c) for c in sorted(issue.history, key=lambda c: c.at)]
        if self.after[n]:
            task["after"] = [self.ids[p] for p in self.after[n]]
        if summary:
            task["children"] = [self._task(c, people, counts) for c in self.children[n]]
        return task

    def _name(self, issue: Issue) -> str:
        return (issue.summary or "").strip() or issue.key or issue.issue_id or "(no summary)"

    def _priority(self, issue: Issue, counts: Counter[str]) -> int | None:
        if not issue.priority:
            return None
        value = PRIORITIES.get(issue.priority.strip().lower())
        if value is None:
            counts["priority:" + issue.priority.strip()] += 1
        return None if value == 500 else value  # 500 is the plan's default

    def _versions(self) -> list[dict[str, Any]]:
        """A milestone per fix version, after the issues released in it."""
        members: dict[str, list[str]] = {}
        for n, issue in enumerate(self.issues):
            for version in dict.fromkeys(issue.versions):
                members.setdefault(version, []).append(self.ids[n])
        taken = set(self.ids)
        milestones = []
        for version, ids in members.items():
            mid = unique("version." + sanitize_id(version).lstrip("_"), taken)
            milestone: dict[str, Any] = {
                "id": mid,
                "name": version,
                "milestone": True,
                "refs": {VERSION_REF: version},
                "after": ids,
            }
            if version in self.releases:
                milestone["deadline"] = self.releases[version]
            milestones.append(milestone)
        return milestones

    def _count_notes(self, counts: Counter[str]) -> None:
        if counts["no_estimate"]:
            self.notes.append(
                f"{plural(counts['no_estimate'], 'issue')} without an estimate: "
                f"{DEFAULT_DURATION} assumed"
            )
        if counts["summary_estimate"]:
            self.notes.append(
                f"{plural(counts['summary_estimate'], 'estimate')} on issues with sub-issues "
                "dropped: a summary task takes as long as its children"
            )
        if counts["sprints"]:
            self.notes.append(
                f"{plural(counts['sprints'], 'issue')} in several sprints: only the last one kept"
            )
        unknown = sorted(k.split(":", 1)[1] for k in counts if k.startswith("priority:"))
        if unknown:
            self.notes.append(
                f"priorities without a techpm equivalent left at 500: {listed(unknown)}"
            )


def _change(change: Change) -> dict[str, Any]:
    entry: dict[str, Any] = {"at": change.at, "to": change.to}
    if change.from_:
        entry["from"] = change.from_
    return entry
