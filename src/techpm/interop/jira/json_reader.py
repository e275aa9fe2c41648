"""Read Jira REST search results: /rest/api/2 and /3 `search`, /rest/api/3/search/jql and
the agile board and sprint issue lists, with or without `expand=changelog,names`.

Custom fields have ids that differ per site (customfield_10016 ...), so story points, epic
links and target dates are found by their names in the response's `names` map, and sprint
fields by the shape of their values. Values become `Issue` records; `issues.py` makes the
plan.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from techpm.interop.exchange import ImportResult, fail
from techpm.interop.jira.issues import Change, Issue, Person, plan_from_issues, plural

FORMAT = "jira-json"
STORY_POINTS = {"story points", "story point estimate"}
# fields that become part of the plan; any other field with a value is reported as skipped
CARRIED = {
    *("summary", "issuetype", "status", "priority", "project", "assignee", "description"),
    *("parent", "epic", "subtasks", "issuelinks", "fixVersions", "labels", "components"),
    *("timeoriginalestimate", "aggregatetimeoriginalestimate", "timetracking"),
    *("sprint", "closedSprints", "duedate", "created", "updated", "resolutiondate"),
}
_SERVER_SPRINT = "com.atlassian.greenhopper.service.sprint.Sprint"
_SPRINT_NAME = re.compile(r"\bname=([^,\]]*)")
_BLOCK_CONTAINERS = {"doc", "bulletList", "orderedList", "listItem", "blockquote", "panel"}


def read_jira_json(path: Path) -> ImportResult:
    """A saved search result (or a bare list of issues) as a plan."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise fail(path, "", f"cannot read: {exc.strerror}", code="import.unreadable") from None
    except UnicodeDecodeError as exc:
        raise fail(
            path,
            f"byte {exc.start}",
            "not UTF-8 text, which JSON must be",
            code="import.bad_encoding",
        ) from None
    data = parse_json(path, text)
    if isinstance(data, dict) and isinstance(data.get("issues"), list):
        return from_issues(data["issues"], str(path), names=_names(data))
    if isinstance(data, list):
        return from_issues(data, str(path))
    raise fail(
        path,
        "$",
        "not a Jira search result: expected an object with an `issues` list",
        code="import.bad_json",
    )


def parse_json(path: Path, text: str) -> Any:
    """JSON with the line and column of what is wrong."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(
            path,
            f"line {exc.lineno}, column {exc.colno}",
            f"not valid JSON: {exc.msg}",
            code="import.bad_json",
        ) from None
    except RecursionError:
        raise fail(path, "", "JSON nested too deeply", code="import.bad_json") from None


def from_issues(
    issues: list[Any],
    source: str,
    *,
    names: dict[str, str] | None = None,
    notes: tuple[str, ...] = (),
) -> ImportResult:
    """Issues in the REST shape as a plan. `source` names where they came from (a file or
    a site) in messages; `names` maps field ids to names (the `names` expansion)."""
    reader = _IssueReader(Path(source), names or {})
    parents = reader.subtask_parents(issues)
    found = [reader.issue(n, raw, parents) for n, raw in enumerate(issues)]
    return plan_from_issues(
        found,
        Path(source),
        fmt=FORMAT,
        notes=[*notes, *reader.notes()],
        releases=reader.releases,
    )


def _names(data: dict[str, Any]) -> dict[str, str]:
    names = data.get("names")
    if not isinstance(names, dict):
        return {}
    return {str(k): v for k, v in names.items() if isinstance(v, str)}


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _instant(value: Any) -> datetime | None:
    """Jira's timestamps (2020-12-03T14:05:20.974+0100) as UTC."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def _day(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _sprint_name(value: Any) -> str | None:
    if isinstance(value, dict):
        return _text(value.get("name"))
    if isinstance(value, str):
        match = _SPRINT_NAME.search(value)
        return match.group(1).strip() or None if match else value.strip() or None
    return None


def _looks_like_sprints(value: Any) -> bool:
    """Cloud: [{id, name, state, boardId ...}]; Server: ["...sprint.Sprint@1f[id=1,...]"]."""
    if not isinstance(value, list) or not value:
        return False
    return all(
        (isinstance(v, dict) and {"name", "state"} <= v.keys() and "boardId" in v)
        or (isinstance(v, str) and v.startswith(_SERVER_SPRINT))
        for v in value
    )


def adf_text(node: Any) -> str:
    """Plain text of an Atlassian Document Format description (API version 3)."""
    if isinstance(node, list):
        return "".join(adf_text(child) for child in node)
    if not isinstance(node, dict):
        return ""
    kind = node.get("type")
    if kind == "text":
        return str(node.get("text") or "")
    if kind == "hardBreak":
        return "\n"
    children = node.get("content")
    parts = [adf_text(c) for c in children] if isinstance(children, list) else []
    if kind in _BLOCK_CONTAINERS:
        return "\n".join(p for p in parts if p)
    if kind == "mention":
        return str((node.get("attrs") or {}).get("text") or "")
    return "".join(parts)


class _IssueReader:
    def __init__(self, path: Path, names: dict[str, str]) -> None:
        self.path = path
        self.names = names
        by_name: dict[str, list[str]] = {}
        for fid, name in names.items():
            by_name.setdefault(name.strip().lower(), []).append(fid)
        self.point_fields = [f for n in sorted(STORY_POINTS) for f in by_name.get(n, [])]
        self.epic_fields = by_name.get("epic link", [])
        self.sprint_fields = by_name.get("sprint", [])
        self.target_fields = (by_name.get("target start", []), by_name.get("target end", []))
        self.known = (
            CARRIED
            | set(self.point_fields)
            | set(self.epic_fields)
            | set(self.sprint_fields)
            | {f for fields in self.target_fields for f in fields}
        )
        self.releases: dict[str, date] = {}
        self.unused: Counter[str] = Counter()
        self.cut_changelogs = 0
        self.bad_dates = 0

    def bad(self, where: str, message: str) -> Exception:
        return fail(self.path, where, message, code="import.bad_json")

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.bad(where, f"expected an object, found {type(value).__name__}")
        return value

    def items(self, value: Any, where: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.bad(where, f"expected a list, found {type(value).__name__}")
        return value

    def subtask_parents(self, issues: list[Any]) -> dict[str, str]:
        """Sub-task key -> parent key, from each parent's `subtasks` list (the agile API
        leaves `parent` out of the sub-tasks themselves)."""
        parents: dict[str, str] = {}
        for raw in issues:
            if not isinstance(raw, dict) or not isinstance(raw.get("fields"), dict):
                continue
            key = _text(raw.get("key"))
            subtasks = raw["fields"].get("subtasks")
            if key and isinstance(subtasks, list):
                for sub in subtasks:
                    child = _text(sub.get("key")) if isinstance(sub, dict) else None
                    if child:
                        parents[child] = key
        return parents

    def issue(self, n: int, raw: Any, parents: dict[str, str]) -> Issue:
        where = f"$.issues[{n}]"
        if not isinstance(raw, dict):
            raise self.bad(where, "an issue must be a JSON object")
        key = _text(raw.get("key"))
        if key is None:
            raise self.bad(f"{where}.key", "an issue needs its key")
        at = f"{where}.fields"
        fields = self.obj(raw.get("fields"), at)
        for fid, value in fields.items():
            if fid not in self.known and value not in (None, "", [], {}):
                self.unused[self.names.get(fid, fid)] += 1
        parent = _text(self.obj(fields.get("parent"), f"{at}.parent").get("key"))
        epic_obj = self.obj(fields.get("epic"), f"{at}.epic")
        epic = _text(epic_obj.get("key")) or _text(epic_obj.get("id"))
        for fid in self.epic_fields:
            epic = epic or _text(fields.get(fid))
        blocks, blocked_by, others = self.links(fields.get("issuelinks"), f"{at}.issuelinks")
        created = _instant(fields.get("created"))
        status = _text(self.obj(fields.get("status"), f"{at}.status").get("name"))
        return Issue(
            where=where,
            key=key,
            issue_id=_text(raw.get("id")),
            summary=_text(fields.get("summary")),
            issue_type=_text(self.obj(fields.get("issuetype"), f"{at}.issuetype").get("name")),
            status=status,
            priority=_text(self.obj(fields.get("priority"), f"{at}.priority").get("name")),
            project=self.project(fields, at),
            assignee=self.person(fields.get("assignee"), f"{at}.assignee"),
            parent=parent or parents.get(key),
            epic=epic,
            blocks=blocks,
            blocked_by=blocked_by,
            other_links=others,
            estimate_seconds=self.seconds(fields, at),
            points=self.points(fields, at),
            sprints=self.sprints(fields, at),
            versions=self.versions(fields.get("fixVersions"), f"{at}.fixVersions"),
            labels=tuple(
                label
                for value in self.items(fields.get("labels"), f"{at}.labels")
                if (label := _text(value))
            ),
            components=tuple(
                name
                for c in self.items(fields.get("components"), f"{at}.components")
                if (name := _text(self.obj(c, f"{at}.components").get("name")))
            ),
            due=self.day(fields.get("duedate")),
            description=self.description(fields.get("description"), f"{at}.description"),
            history=self.history(raw, where, created, status),
            dates=tuple(
                moment.date()
                for name in ("created", "updated", "resolutiondate")
                if (moment := _instant(fields.get(name)))
            ),
            target=self.target(fields),
        )

    def project(self, fields: dict[str, Any], at: str) -> str | None:
        project = self.obj(fields.get("project"), f"{at}.project")
        return _text(project.get("name")) or _text(project.get("key"))

    def person(self, value: Any, where: str) -> Person | None:
        person = self.obj(value, where)
        name = _text(person.get("displayName"))
        ref = (
            _text(person.get("accountId"))
            or _text(person.get("name"))
            or _text(person.get("key"))
            or name
        )
        return Person(ref, name or ref) if ref else None

    def links(
        self, value: Any, where: str
    ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """(blocks, blocked by, other links by id: each shows on both of its issues)."""
        blocks: list[str] = []
        blocked_by: list[str] = []
        others: list[str] = []
        for m, item in enumerate(self.items(value, where)):
            link = self.obj(item, f"{where}[{m}]")
            kind = self.obj(link.get("type"), f"{where}[{m}].type")
            names = {(_text(kind.get(k)) or "").lower() for k in ("name", "outward")}
            outward = _text(self.obj(link.get("outwardIssue"), f"{where}[{m}]").get("key"))
            inward = _text(self.obj(link.get("inwardIssue"), f"{where}[{m}]").get("key"))
            if "blocks" not in names:
                others.append(_text(link.get("id")) or f"{where}[{m}]")
            elif outward:
                blocks.append(outward)  # this issue blocks the outward one
            elif inward:
                blocked_by.append(inward)
        return tuple(blocks), tuple(blocked_by), tuple(others)

    def number(self, value: Any, where: str, what: str) -> float | None:
        if value is None or value == "":
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                pass
        raise self.bad(where, f"{value!r} is not {what}")

    def seconds(self, fields: dict[str, Any], at: str) -> int | None:
        value = self.number(
            fields.get("timeoriginalestimate"), f"{at}.timeoriginalestimate", "a number of seconds"
        )
        if value is None:
            tracking = self.obj(fields.get("timetracking"), f"{at}.timetracking")
            value = self.number(
                tracking.get("originalEstimateSeconds"),
                f"{at}.timetracking.originalEstimateSeconds",
                "a number of seconds",
            )
        return None if value is None else round(value)

    def points(self, fields: dict[str, Any], at: str) -> float | None:
        for fid in self.point_fields:
            value = self.number(fields.get(fid), f"{at}.{fid}", "a number of story points")
            if value is not None:
                if value < 0:
                    raise self.bad(f"{at}.{fid}", "story points cannot be negative")
                return value
        return None

    def sprints(self, fields: dict[str, Any], at: str) -> tuple[str, ...]:
        found = [
            _sprint_name(s) for s in self.items(fields.get("closedSprints"), f"{at}.closedSprints")
        ]
        for fid, value in fields.items():
            if fid in self.sprint_fields or (
                fid.startswith("customfield_") and _looks_like_sprints(value)
            ):
                found += [_sprint_name(s) for s in self.items(value, f"{at}.{fid}")]
        found.append(_sprint_name(fields.get("sprint")))
        names = [name for name in found if name]
        # each sprint once, at its last place: the current sprint stays last
        return tuple(reversed(dict.fromkeys(reversed(names))))

    def versions(self, value: Any, where: str) -> tuple[str, ...]:
        names = []
        for m, item in enumerate(self.items(value, where)):
            version = self.obj(item, f"{where}[{m}]")
            name = _text(version.get("name"))
            if name:
                names.append(name)
                released = _day(version.get("releaseDate"))
                if released:
                    self.releases.setdefault(name, released)
        return tuple(names)

    def day(self, value: Any) -> date | None:
        found = _day(value)
        if value not in (None, "") and found is None:
            self.bad_dates += 1
        return found

    def description(self, value: Any, where: str) -> str | None:
        if isinstance(value, str):
            return value.replace("\r\n", "\n").strip() or None
        try:
            return adf_text(value).strip() or None
        except RecursionError:
            raise self.bad(where, "description nested too deeply") from None

    def history(
        self, raw: dict[str, Any], where: str, created: datetime | None, status: str | None
    ) -> tuple[Change, ...]:
        """Status changes from the changelog, and the status the issue was created in."""
        if "changelog" not in raw:
            return ()
        log = self.obj(raw.get("changelog"), f"{where}.changelog")
        histories = self.items(log.get("histories"), f"{where}.changelog.histories")
        total = log.get("total")
        if isinstance(total, int) and total > len(histories):
            self.cut_changelogs += 1
        changes = []
        for m, entry in enumerate(histories):
            at = f"{where}.changelog.histories[{m}]"
            record = self.obj(entry, at)
            moment = _instant(record.get("created"))
            for k, item in enumerate(self.items(record.get("items"), f"{at}.items")):
                change = self.obj(item, f"{at}.items[{k}]")
                if "status" not in (change.get("field"), change.get("fieldId")):
                    continue
                to = _text(change.get("toString"))
                if moment is None:
                    self.bad_dates += 1
                elif to:
                    changes.append(Change(moment, to, _text(change.get("fromString"))))
        changes.sort(key=lambda c: c.at)
        first = changes[0].from_ if changes else status
        if created is not None and first and (not changes or changes[0].at >= created):
            changes.insert(0, Change(created, first))
        return tuple(changes)

    def target(self, fields: dict[str, Any]) -> tuple[str, str] | None:
        starts, ends = self.target_fields
        start = next((d for f in starts if (d := _day(fields.get(f)))), None)
        end = next((d for f in ends if (d := _day(fields.get(f)))), None)
        return (start.isoformat(), end.isoformat()) if start and end else None

    def notes(self) -> list[str]:
        found = []
        if self.unused:
            shown = [name for name, _ in self.unused.most_common()]
            found.append(
                f"fields not carried: {', '.join(shown[:12])}"
                + (f" and {len(shown) - 12} more" if len(shown) > 12 else "")
            )
        if self.cut_changelogs:
            found.append(
                f"the changelog of {plural(self.cut_changelogs, 'issue')} was cut short by Jira: "
                "the history holds only the changes the response included"
            )
        if self.bad_dates:
            found.append(
                f"{plural(self.bad_dates, 'date')} in a form techpm does not read left out"
            )
        return found
