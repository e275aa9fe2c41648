"""The fields of one Jira issue in REST shape, found by id or by name, checked and converted."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from techpm.interop.exchange import fail
from techpm.interop.jira.json_values import (
    adf_text,
    clean_text,
    iso_day,
    looks_like_sprints,
    sprint_name,
)
from techpm.interop.jira.records import Person

STORY_POINTS = {"story points", "story point estimate"}
# fields that become part of the plan; any other field with a value is reported as skipped
CARRIED = {
    *("summary", "issuetype", "status", "priority", "project", "assignee", "description"),
    *("parent", "epic", "subtasks", "issuelinks", "fixVersions", "labels", "components"),
    *("timeoriginalestimate", "aggregatetimeoriginalestimate", "timetracking"),
    *("sprint", "closedSprints", "duedate", "created", "updated", "resolutiondate"),
}


class FieldReader:
    """Reads fields the way the site names them, counting what it leaves out for the notes."""

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

    def project(self, fields: dict[str, Any], at: str) -> str | None:
        project = self.obj(fields.get("project"), f"{at}.project")
        return clean_text(project.get("name")) or clean_text(project.get("key"))

    def person(self, value: Any, where: str) -> Person | None:
        person = self.obj(value, where)
        name = clean_text(person.get("displayName"))
        ref = (
            clean_text(person.get("accountId"))
            or clean_text(person.get("name"))
            or clean_text(person.get("key"))
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
            names = {(clean_text(kind.get(k)) or "").lower() for k in ("name", "outward")}
            outward = clean_text(self.obj(link.get("outwardIssue"), f"{where}[{m}]").get("key"))
            inward = clean_text(self.obj(link.get("inwardIssue"), f"{where}[{m}]").get("key"))
            if "blocks" not in names:
                others.append(clean_text(link.get("id")) or f"{where}[{m}]")
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
            sprint_name(s) for s in self.items(fields.get("closedSprints"), f"{at}.closedSprints")
        ]
        for fid, value in fields.items():
            if fid in self.sprint_fields or (
                fid.startswith("customfield_") and looks_like_sprints(value)
            ):
                found += [sprint_name(s) for s in self.items(value, f"{at}.{fid}")]
        found.append(sprint_name(fields.get("sprint")))
        names = [name for name in found if name]
        # each sprint once, at its last place: the current sprint stays last
        return tuple(reversed(dict.fromkeys(reversed(names))))

    def versions(self, value: Any, where: str) -> tuple[str, ...]:
        names = []
        for m, item in enumerate(self.items(value, where)):
            version = self.obj(item, f"{where}[{m}]")
            name = clean_text(version.get("name"))
            if name:
                names.append(name)
                released = iso_day(version.get("releaseDate"))
                if released:
                    self.releases.setdefault(name, released)
        return tuple(names)

    def day(self, value: Any) -> date | None:
        found = iso_day(value)
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

    def target(self, fields: dict[str, Any]) -> tuple[str, str] | None:
        starts, ends = self.target_fields
        start = next((d for f in starts if (d := iso_day(fields.get(f)))), None)
        end = next((d for f in ends if (d := iso_day(fields.get(f)))), None)
        return (start.isoformat(), end.isoformat()) if start and end else None
