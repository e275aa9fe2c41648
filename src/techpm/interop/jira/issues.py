"""Jira issues to plan tasks: the one mapping the CSV and JSON readers share, so an issue
means the same plan whichever format it arrives in.

The readers only pull values out of their format into `Issue` records; everything about
how Jira's model becomes a plan (WBS from parents and epics, `after` from blocks links,
milestones from fix versions, resources from assignees, what is left behind) lives here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from techpm.interop.exchange import ImportResult, fail
from techpm.scheduling.network import find_cycle

DEFAULT_DURATION = "1d"  # what an issue without an estimate is assumed to take
MINUTES_PER_DAY = 8 * 60  # Jira's default time tracking day, and the plan's standard day
VERSION_REF = "jira_version"  # refs key marking a milestone made from a fix version
# Jira's priority names (default schemes, old and new) on techpm's 0-1000 scale
PRIORITIES = {
    **dict.fromkeys(("highest", "blocker"), 900),
    **dict.fromkeys(("high", "critical"), 700),
    **dict.fromkeys(("medium", "major"), 500),
    **dict.fromkeys(("low", "minor"), 300),
    **dict.fromkeys(("lowest", "trivial"), 100),
}
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_BAD_ID_CHARS = re.compile(r"[^A-Za-z0-9_.\-/]")


@dataclass(frozen=True)
class Person:
    ref: str  # account id (Cloud) or username (Server): what Jira knows the person by
    name: str


@dataclass(frozen=True)
class Change:
    """The issue entered status `to` at `at` (UTC)."""

    at: datetime
    to: str
    from_: str | None = None


@dataclass(frozen=True)
class Issue:
    """One issue as the readers found it; references to other issues are keys or ids."""

    where: str  # "line 7", "$.issues[3]": for messages
    key: str | None = None
    issue_id: str | None = None
    summary: str | None = None
    issue_type: str | None = None
    status: str | None = None
    priority: str | None = None
    project: str | None = None
    assignee: Person | None = None
    parent: str | None = None  # a sub-task's parent, or Cloud's `parent` of any issue
    epic: str | None = None  # Epic Link, or the agile API's epic
    blocks: tuple[str, ...] = ()  # issues this one blocks
    blocked_by: tuple[str, ...] = ()
    other_links: tuple[str, ...] = ()  # links of other kinds (relates ...), one name each
    estimate_seconds: int | None = None
    points: float | None = None
    sprints: tuple[str, ...] = ()  # oldest first; the last is the current one
    versions: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    components: tuple[str, ...] = ()
    due: date | datetime | None = None
    description: str | None = None
    history: tuple[Change, ...] = ()
    dates: tuple[date, ...] = ()  # created, updated, resolved: when the data is from
    target: tuple[str, str] | None = None  # planned start and end the file carried


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def sanitize_id(text: str) -> str:
    """A plan id (letters, digits, `_ . - /`) for a foreign id; the original goes in refs."""
    cleaned = _BAD_ID_CHARS.sub("_", text.strip())[:200]
    if not cleaned or cleaned[0] in ".-/":
        cleaned = ("_" + cleaned)[:200]
    return cleaned


def duration_text(seconds: int) -> str:
    """Jira's seconds of work as plan text: days of 8 hours when whole, else hours or minutes."""
    minutes = -(-max(seconds, 0) // 60)
    if minutes % MINUTES_PER_DAY == 0:
        return f"{minutes // MINUTES_PER_DAY}d"
    if minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"


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


class _Mapping:
    def __init__(self, issues: Sequence[Issue], path: Path, releases: dict[str, date]) -> None:
        self.issues = issues
        self.path = path
        self.releases = releases
        self.notes: list[str] = []
        self.ids = self._task_ids()
        self.lookup = self._lookup()
        self.parent = self._parents()
        self.children: list[list[int]] = [[] for _ in issues]
        for n, p in enumerate(self.parent):
            if p is not None:
                self.children[p].append(n)
        self.after = self._links()
        _check_cycles(self)

    # ids and references

    def _task_ids(self) -> list[str]:
        ids: list[str] = []
        taken: set[str] = set()
        for position, issue in enumerate(self.issues, start=1):
            ids.append(_unique(sanitize_id(issue.key) if issue.key else f"issue-{position}", taken))
        unkeyed = sum(1 for issue in self.issues if not issue.key)
        if unkeyed:
            self.notes.append(
                f"{plural(unkeyed, 'issue')} without an issue key: ids issue-N made from the row"
            )
        return ids

    def _lookup(self) -> dict[str, int]:
        """Ids before keys: Jira's CSV importer links by issue id, exports may use keys."""
        by_id: dict[str, int] = {}
        by_key: dict[str, int] = {}
        for n, issue in enumerate(self.issues):
            for value, table, what in ((issue.issue_id, by_id, "id"), (issue.key, by_key, "key")):
                if not value:
                    continue
                name = value.upper() if what == "key" else value
                if name in table:
                    first = self.issues[table[name]].where
                    raise fail(
                        self.path,
                        issue.where,
                        f"issue {what} {value} appears twice (first at {first})",
                        code="import.duplicate_issue",
                    )
                table[name] = n
        return {**by_key, **by_id}

    def resolve(self, ref: str) -> int | None:
        """An issue by id (digits) or key (any case, as Jira reads keys)."""
        ref = ref.strip()
        return self.lookup.get(ref if ref.isdigit() else ref.upper())

    def _parents(self) -> list[int | None]:
        parents: list[int | None] = []
        missing: set[str] = set()
        moved = 0
        for n, issue in enumerate(self.issues):
            found = None
            refs = [r for r in (issue.parent, issue.epic) if r]
            for ref in refs:
                found = self.resolve(ref)
                if found is not None and found != n:
                    break
                found = None
            if refs and found is None:
                moved += 1
                missing.update(refs)
            parents.append(found)
        upward = [[p] if p is not None else [] for p in parents]
        loop = find_cycle(len(parents), upward, [len(up) for up in upward])
        if loop:
            names = " -> ".join(self.label(i) for i in [*loop, loop[0]])
            raise fail(
                self.path,
                self.issues[loop[0]].where,
                f"parent and epic links loop: {names}",
                code="import.cycle",
            )
        if moved:
            self.notes.append(
                f"{plural(moved, 'issue')} naming a parent or epic that is not in the file "
                f"({_listed(sorted(missing))}): placed at the top level"
            )
        return parents

    def label(self, n: int) -> str:
        return self.issues[n].key or self.ids[n]

    def ancestors(self, n: int) -> set[int]:
        found: set[int] = set()
        up = self.parent[n]
        while up is not None:
            found.add(up)
            up = self.parent[up]
        return found

    def _links(self) -> list[list[int]]:
        """Blocks links as `after` lists: whatever blocks an issue comes before it."""
        pairs: dict[tuple[int, int], None] = {}
        missing = 0
        family: set[tuple[int, int]] = set()
        for n, issue in enumerate(self.issues):
            ends = [(n, ref, True) for ref in issue.blocks]
            ends += [(n, ref, False) for ref in issue.blocked_by]
            for me, ref, outward in ends:
                other = self.resolve(ref)
                if other is None:
                    missing += 1
                    continue
                pred, succ = (me, other) if outward else (other, me)
                if pred == succ:
                    continue
                if pred in self.ancestors(succ) or succ in self.ancestors(pred):
                    family.add((pred, succ))
                    continue
                pairs[(pred, succ)] = None
        after: list[list[int]] = [[] for _ in self.issues]
        for pred, succ in pairs:
            after[succ].append(pred)
        if missing:
            self.notes.append(f"{plural(missing, 'blocks link')} to issues not in the file dropped")
        if family:
            self.notes.append(
                f"{plural(len(family), 'blocks link')} between an issue and its own parent or "
                "epic dropped (a task cannot depend on its summary)"
            )
        others = len({name for issue in self.issues for name in issue.other_links})
        if others:
            self.notes.append(
                f"{plural(others, 'issue link')} of other kinds (relates, duplicates, clones "
                "...) not carried: only blocks links order the work"
            )
        return after

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
            rid = people[person.ref] = _unique(sanitize_id(person.ref), taken)
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
            mid = _unique("version." + sanitize_id(version).lstrip("_"), taken)
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
                f"priorities without a techpm equivalent left at 500: {_listed(unknown)}"
            )


def _unique(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3` ... if an earlier item has it."""
    candidate, suffix = base, 2
    while candidate in taken:
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    taken.add(candidate)
    return candidate


def _change(change: Change) -> dict[str, Any]:
    entry: dict[str, Any] = {"at": change.at, "to": change.to}
    if change.from_:
        entry["from"] = change.from_
    return entry


def _listed(names: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _check_cycles(mapping: _Mapping) -> None:
    """Refuse blocks links that loop, counting the WBS as the scheduler does: a link to a
    summary binds its children and a link from one waits for them (node 2n is the start of
    issue n, 2n + 1 its finish)."""
    size = len(mapping.issues)
    edges: list[list[int]] = [[] for _ in range(2 * size)]
    for n in range(size):
        if mapping.children[n]:
            for c in mapping.children[n]:
                edges[2 * n].append(2 * c)
                edges[2 * c + 1].append(2 * n + 1)
        else:
            edges[2 * n].append(2 * n + 1)
        for p in mapping.after[n]:
            edges[2 * p + 1].append(2 * n)
    indegree = [0] * (2 * size)
    for targets in edges:
        for node in targets:
            indegree[node] += 1
    loop = find_cycle(2 * size, edges, indegree)
    if loop:
        names: list[str] = []
        for node in [*loop, loop[0]]:
            name = mapping.label(node // 2)
            if not names or names[-1] != name:
                names.append(name)
        raise fail(
            mapping.path,
            mapping.issues[loop[0] // 2].where,
            "blocks links form a loop: " + " -> ".join(names),
            code="import.cycle",
        )
