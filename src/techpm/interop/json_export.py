"""The plan and its schedule as one JSON file, for scripts, dashboards and other tools.

Tasks are a flat list in WBS order, each with its `parent` and its computed `schedule`, so
that a consumer needs no tree walk; read back, everything but the computed parts is a plan
file again. Plan values keep the plan file's spelling (durations as "5d", ISO dates), so
the reader hands them to the plan loader unchanged. `plan_document` (the plan-file mapping
of a Project, in `interop.planfile.dump`) is shared with the other exporters.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from techpm.domain.units import DurationSyntaxError, DurationUnits, parse_duration
from techpm.interop.exchange import ImportResult, fail
from techpm.interop.planfile.dump import (
    PLAN_KEYS,
    compact_task,
    find_cycle,
    moment_text,
    nest,
    plain_number,
    plan_parts,
    task_entries,
)
from techpm.interop.planfile.model import PlanModel, TaskModel
from techpm.scheduling.result import Schedule

FORMAT = "techpm-json"
VERSION = 1
_OWN_KEYS = {"format", "version", "generator", "tasks", "schedule"}
# ---- export -----------------------------------------------------------------------------


def write_json(schedule: Schedule, path: Path) -> None:
    text = json.dumps(export_data(schedule), indent=2, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")


def export_data(schedule: Schedule) -> dict[str, Any]:
    """The whole export as plain JSON values: every task key of the plan file, always
    present, plus what the schedule computed."""
    project = schedule.problem.project
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION, "generator": _generator()}
    data.update(plan_parts(project))
    index, bookings = schedule.problem.index, schedule.bookings
    tasks = []
    for (task, entry), row in zip(task_entries(project, compact=False), schedule.rows, strict=True):
        computed: dict[str, Any] = {
            "wbs": row.wbs,
            "level": row.level,
            "summary": row.summary,
            "milestone": row.milestone,
            "start": moment_text(row.start),
            "finish": moment_text(row.finish),
            "late_start": moment_text(row.late_start),
            "late_finish": moment_text(row.late_finish),
            "duration_minutes": row.duration_minutes,
            "total_float_minutes": row.total_float_minutes,
            "free_float_minutes": row.free_float_minutes,
            "critical": row.critical,
        }
        if task.id in index:
            computed["bookings"] = [
                {"resource": r, "units": plain_number(u)} for r, u in bookings[index[task.id]]
            ]
        head = {"id": entry.pop("id"), "name": entry.pop("name"), "parent": task.parent}
        tasks.append({**head, **entry, "schedule": computed})
    data["tasks"] = tasks
    data["schedule"] = _schedule_part(schedule)
    return data


def _schedule_part(schedule: Schedule) -> dict[str, Any]:
    leveling = schedule.leveling
    return {
        "start": moment_text(schedule.start),
        "finish": moment_text(schedule.finish),
        "minutes_per_day": schedule.minutes_per_day,
        "critical_paths": schedule.critical_paths,
        "constraints": [
            {"task": c.task_id, "type": c.kind, "date": moment_text(c.on), "holds": c.holds}
            for c in schedule.constraint_checks
        ],
        "diagnostics": [
            {
                "code": d.code,
                "severity": d.severity.value,
                "message": d.message,
                "subjects": list(d.subjects),
            }
            for d in schedule.diagnostics
        ],
        "leveling": None
        if leveling is None
        else {
            **{k: v for k, v in asdict(leveling).items() if k != "choices"},
            "choices": [
                {
                    "task": c.task_id,
                    "skill": c.skill,
                    "level": c.level,
                    "chosen": [{"resource": r, "units": plain_number(u)} for r, u in c.chosen],
                    "reason": c.reason,
                }
                for c in leveling.choices
            ],
        },
    }


def _generator() -> str:
    try:
        return f"techpm {version('techpm')}"
    except PackageNotFoundError:
        return "techpm"


# ---- import -----------------------------------------------------------------------------


def read_json(path: Path) -> ImportResult:
    """The plan part of a techpm JSON export as a plan-file mapping; the computed dates come
    back as reference dates."""
    data = _load(path)
    skipped = tuple(
        f"top-level key {key!r} (not part of a techpm plan)"
        for key in data
        if key not in _OWN_KEYS and key not in PLAN_KEYS
    )
    document: dict[str, Any] = {
        key: data[key] for key in PLAN_KEYS if key in data and data[key] is not None
    }
    tasks = data.get("tasks")
    if not isinstance(tasks, list):
        raise fail(path, "tasks", "a list of tasks is required", "import.bad_json")
    entries, parents, reference = _flat_tasks(path, tasks)
    document["tasks"] = nest(entries, parents)
    _validate(path, PlanModel, document, "")
    return ImportResult(FORMAT, document, skipped, reference_dates=reference)


def _load(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise fail(path, "", f"cannot read: {exc.strerror}", "import.unreadable") from None
    except UnicodeDecodeError as exc:
        bad = f"0x{exc.object[exc.start]:02X}"
        raise fail(
            path, f"byte {exc.start}", f"not UTF-8 text ({bad})", "import.bad_encoding"
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise fail(path, where, f"not valid JSON: {exc.msg}", "import.bad_json") from None
    except RecursionError:
        raise fail(path, "", "JSON nested too deeply", "import.bad_json") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        message = f'not a techpm JSON export (no "format": "{FORMAT}")'
        raise fail(path, "format", message, "import.bad_json")
    if data.get("version") != VERSION:
        message = f"version {data.get('version')!r}; this techpm reads version {VERSION}"
        raise fail(path, "version", message, "import.unsupported_version")
    return data


def _flat_tasks(
    path: Path, tasks: list[Any]
) -> tuple[list[dict[str, Any]], list[str | None], dict[str, tuple[str, str]]]:
    entries: list[dict[str, Any]] = []
    parents: list[str | None] = []
    reference: dict[str, tuple[str, str]] = {}
    position: dict[str, int] = {}
    for n, item in enumerate(tasks):
        where = f"tasks[{n}]"
        if not isinstance(item, dict):
            raise fail(path, where, "a task is a JSON object", "import.bad_json")
        entry = {k: v for k, v in item.items() if k not in ("parent", "schedule")}
        _validate(path, TaskModel, entry, where)
        _check_durations(path, entry, where)
        task_id = entry["id"]
        if task_id in position:
            message = f"{task_id!r} is also the id of tasks[{position[task_id]}]"
            raise fail(path, f"{where}.id", message, "import.duplicate_id")
        position[task_id] = n
        parent = item.get("parent")
        if parent is not None and not isinstance(parent, str):
            raise fail(path, f"{where}.parent", "a task id or null", "import.bad_json")
        computed = item.get("schedule")
        if isinstance(computed, dict) and {"start", "finish"} <= computed.keys():
            reference[task_id] = (str(computed["start"]), str(computed["finish"]))
        entries.append(compact_task(entry))
        parents.append(parent)
    for n, parent in enumerate(parents):
        if parent is not None and parent not in position:
            raise fail(path, f"tasks[{n}].parent", f"no task {parent!r}", "import.unknown_task")
    tree = {e["id"]: [p] if p else [] for e, p in zip(entries, parents, strict=True)}
    loop = find_cycle(tree)
    if loop:
        message = "parents form a loop: " + " -> ".join(loop)
        raise fail(path, f"tasks[{position[loop[0]]}].parent", message, "import.cycle")
    links: dict[str, list[str]] = {}
    for n, entry in enumerate(entries):
        for k, link in enumerate(entry.get("after", [])):
            pred = link if isinstance(link, str) else link["task"]
            if pred not in position:
                message = f"no task {pred!r}"
                raise fail(path, f"tasks[{n}].after[{k}]", message, "import.unknown_task")
            links.setdefault(entry["id"], []).append(pred)
    loop = find_cycle(links)
    if loop:
        message = "dependencies form a cycle: " + " -> ".join(loop)
        raise fail(path, f"tasks[{position[loop[0]]}].after", message, "import.cycle")
    return entries, parents, reference


def _check_durations(path: Path, entry: dict[str, Any], where: str) -> None:
    """Durations are text to the schema; their syntax is the loader's, checked here to name
    the JSON path."""
    places: list[tuple[str, Any]] = [
        (f"{where}.{key}", entry.get(key)) for key in ("duration", "effort", "remaining_duration")
    ]
    for n, link in enumerate(entry.get("after", [])):
        if isinstance(link, dict):
            places.append((f"{where}.after[{n}].lag", link.get("lag")))
    estimate = entry.get("estimate") or {}
    for key in ("optimistic", "likely", "pessimistic"):
        places.append((f"{where}.estimate.{key}", estimate.get(key)))
    for place, value in places:
        if value is None:
            continue
        try:
            parse_duration(value, DurationUnits())
        except DurationSyntaxError as exc:
            raise fail(path, place, str(exc), "import.bad_value") from None


def _validate(path: Path, model: type[BaseModel], data: Any, where: str) -> None:
    """Check one part against the plan file's schema, naming the JSON path of a bad value."""
    try:
        model.model_validate(data)
    except ValidationError as exc:
        located = [
            (_json_path(data, error["loc"], where, error["type"] == "missing"), error)
            for error in exc.errors()
        ]
        place, error = max(located, key=lambda item: item[0].count(".") + item[0].count("["))
        message = "unknown field" if error["type"] == "extra_forbidden" else error["msg"]
        raise fail(path, place or "(top level)", message, "import.bad_value") from None


def _json_path(data: Any, loc: Sequence[int | str], prefix: str, missing: bool) -> str:
    """Pydantic's location without its union-member tags: only steps the data has."""
    text, node = prefix, data
    for n, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif not (missing and n == len(loc) - 1):
            continue
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text
