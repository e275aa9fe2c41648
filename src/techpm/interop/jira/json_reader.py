"""Read Jira REST search results: /rest/api/2 and /3 `search`, /rest/api/3/search/jql and
the agile board and sprint issue lists, with or without `expand=changelog,names`.

Custom fields have ids that differ per site (customfield_10016 ...), so story points, epic
links and target dates are found by their names in the response's `names` map, and sprint
fields by the shape of their values. Values become `Issue` records; `issues.py` makes the
plan. `json_fields.py` reads the fields, `json_history.py` the changelog, and
`json_values.py` the plain values inside them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from techpm.interop.exchange import ImportResult, fail
from techpm.interop.jira.issues import plan_from_issues
from techpm.interop.jira.json_fields import FieldReader
from techpm.interop.jira.json_history import status_history
from techpm.interop.jira.json_values import adf_text, clean_text, utc_instant
from techpm.interop.jira.records import Issue, plural

__all__ = ["FORMAT", "adf_text", "from_issues", "parse_json", "read_jira_json"]

FORMAT = "jira-json"


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


class _IssueReader(FieldReader):
    def subtask_parents(self, issues: list[Any]) -> dict[str, str]:
        """Sub-task key -> parent key, from each parent's `subtasks` list (the agile API
        leaves `parent` out of the sub-tasks themselves)."""
        parents: dict[str, str] = {}
        for raw in issues:
            if not isinstance(raw, dict) or not isinstance(raw.get("fields"), dict):
                continue
            key = clean_text(raw.get("key"))
            subtasks = raw["fields"].get("subtasks")
            if key and isinstance(subtasks, list):
                for sub in subtasks:
                    child = clean_text(sub.get("key")) if isinstance(sub, dict) else None
                    if child:
                        parents[child] = key
        return parents

    def issue(self, n: int, raw: Any, parents: dict[str, str]) -> Issue:
        where = f"$.issues[{n}]"
        if not isinstance(raw, dict):
            raise self.bad(where, "an issue must be a JSON object")
        key = clean_text(raw.get("key"))
        if key is None:
            raise self.bad(f"{where}.key", "an issue needs its key")
        at = f"{where}.fields"
        fields = self.obj(raw.get("fields"), at)
        for fid, value in fields.items():
            if fid not in self.known and value not in (None, "", [], {}):
                self.unused[self.names.get(fid, fid)] += 1
        parent = clean_text(self.obj(fields.get("parent"), f"{at}.parent").get("key"))
        epic_obj = self.obj(fields.get("epic"), f"{at}.epic")
        epic = clean_text(epic_obj.get("key")) or clean_text(epic_obj.get("id"))
        for fid in self.epic_fields:
            epic = epic or clean_text(fields.get(fid))
        blocks, blocked_by, others = self.links(fields.get("issuelinks"), f"{at}.issuelinks")
        created = utc_instant(fields.get("created"))
        status = clean_text(self.obj(fields.get("status"), f"{at}.status").get("name"))
        return Issue(
            where=where,
            key=key,
            issue_id=clean_text(raw.get("id")),
            summary=clean_text(fields.get("summary")),
            issue_type=clean_text(self.obj(fields.get("issuetype"), f"{at}.issuetype").get("name")),
            status=status,
            priority=clean_text(self.obj(fields.get("priority"), f"{at}.priority").get("name")),
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
                if (label := clean_text(value))
            ),
            components=tuple(
                name
                for c in self.items(fields.get("components"), f"{at}.components")
                if (name := clean_text(self.obj(c, f"{at}.components").get("name")))
            ),
            due=self.day(fields.get("duedate")),
            description=self.description(fields.get("description"), f"{at}.description"),
            history=status_history(self, raw, where, created, status),
            dates=tuple(
                moment.date()
                for name in ("created", "updated", "resolutiondate")
                if (moment := utc_instant(fields.get(name)))
            ),
            target=self.target(fields),
        )

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
