"""The plan of a stored project as a whole: read it as the plan file, replace it from one
(checked exactly as `techpm check` checks a file), import another tool's file into it, export
it in any format the CLI writes. Every write goes through `write_plan`, so it is versioned,
recorded in the history and announced as an event."""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from techpm.domain.errors import PlanFileError, TechpmError
from techpm.domain.project import Project
from techpm.interop.planfile.document import YamlDocument
from techpm.interop.planfile.dump import plan_document
from techpm.interop.planfile.loader import load_plan_document
from techpm.interop.planfile.not_a_plan import binary_advice
from techpm.persistence.reading import read_project
from techpm.persistence.rows import ProjectRow
from techpm.services.exchange import (
    EXPORTERS,
    IMPORTERS,
    Imported,
    export_plan,
    import_file,
    plan_yaml,
)
from techpm.services.history import changes_since
from techpm.services.plan_store import Actor, PlanWrite, write_plan
from techpm.services.planning import compiled_network
from techpm.services.projects import check_key, create_project
from techpm.services.versions import Expected, check_version

MAX_UPLOAD_NAME = 200
EXPORT_MEDIA = {
    "mspdi": ("application/xml", ".xml"),
    "gan": ("application/xml", ".gan"),
    "jira-csv": ("text/csv", ".jira.csv"),
    "ics": ("text/calendar", ".ics"),
    "csv": ("text/csv", ".csv"),
    "mermaid": ("text/plain", ".mmd"),
    "json": ("application/json", ".json"),
    "plan": ("application/yaml", ".yaml"),
}


class UnknownFormatError(TechpmError):
    code = "export.unknown_format"


def plan_data(session: Session, row: ProjectRow) -> dict[str, Any]:
    return plan_document(read_project(session, row))


def plan_yaml_text(session: Session, row: ProjectRow) -> str:
    return project_yaml(read_project(session, row), row)


def project_yaml(project: Project, row: ProjectRow) -> str:
    return plan_yaml(plan_document(project), f"Project {row.key} at version {row.version}.")


def plan_json_text(session: Session, row: ProjectRow) -> str:
    """The same document as the YAML: keys without a value are left out of both."""
    return json.dumps(_without_none(plan_data(session, row)), indent=2, default=str) + "\n"


def _without_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_without_none(v) for v in value]
    return value


def parse_plan(text: str, *, file: str) -> Project:
    """A plan file's text (YAML, or JSON, which YAML reads too) to a valid Project, or the
    InvalidPlanError `techpm check` would report, with lines and columns."""
    loaded = load_plan_document(YamlDocument(file, text))
    compiled_network(loaded.project, loaded.source_map)  # a loop among the links, as `check`
    return loaded.project


def plan_text(raw: bytes, *, file: str) -> str:
    """An uploaded plan's bytes as text, refused as `techpm check` refuses such a file: a binary
    file is not a plan, bytes that are not UTF-8 cannot be read, a byte-order mark is dropped."""
    advice = binary_advice(Path(file), raw[:8192])
    if advice is not None:
        raise PlanFileError(advice, code="planfile.not_a_plan")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlanFileError(f"{file}: cannot read: {exc}") from None
    return text.removeprefix("\ufeff")


def change_json(session: Session, row: ProjectRow, version: int) -> list[dict[str, Any]]:
    return [c.as_json() for c in changes_since(session, row, version)]


def check_project_version(session: Session, row: ProjectRow, expected: Expected | None) -> None:
    def current() -> dict[str, Any]:
        return {"key": row.key, "name": row.name, "version": row.version}

    def changes() -> list[dict[str, Any]]:
        return [] if expected in (None, "*") else change_json(session, row, int(expected))

    check_version(expected, row.version, what="project", current=current, changes=changes)


def replace_plan_text(
    session: Session,
    row: ProjectRow,
    text: str,
    *,
    expected: Expected | None,
    actor: Actor,
    now: datetime,
) -> PlanWrite:
    """Put the plan file `text` in place of the stored plan. Commits."""
    check_project_version(session, row, expected)
    project = parse_plan(text, file=f"{row.key}.yaml")
    written = write_plan(session, row, project, actor=actor, summary="plan replaced", now=now)
    session.commit()
    return written


def update_info(
    session: Session,
    row: ProjectRow,
    changes: dict[str, Any],
    *,
    expected: Expected | None,
    actor: Actor,
    now: datetime,
) -> PlanWrite:
    """Rename the project, or change its description, manager, start, status date or
    currency; the result is checked as a whole plan. Commits."""
    check_project_version(session, row, expected)
    project = read_project(session, row)
    renames = {"start": "start", "status_date": "status_date"}
    info = replace(project.info, **{renames.get(k, k): v for k, v in changes.items()})
    text = project_yaml(replace(project, info=info), row)
    checked = parse_plan(text, file=f"{row.key}.yaml")
    summary = "project " + ", ".join(sorted(changes)) + " changed"
    written = write_plan(
        session, row, checked, actor=actor, summary=summary, now=now, stored=project
    )
    session.commit()
    return written


def _safe_name(name: str | None, fmt: str) -> str:
    base = Path(name or "upload").name[-MAX_UPLOAD_NAME:] or "upload"
    return base if fmt == "auto" or "." in base else f"{base}.{fmt}"


def import_upload(
    session: Session,
    row: ProjectRow,
    content: bytes,
    *,
    filename: str | None,
    fmt: str,
    expected: Expected | None,
    actor: Actor,
    now: datetime,
) -> PlanWrite:
    """Another tool's file (or a plan file) in place of the project's plan, read by the same
    importers as `techpm import`. Commits."""
    if fmt != "auto" and fmt not in IMPORTERS:
        raise UnknownFormatError(
            f"format: unknown format {fmt!r}; one of: {', '.join(IMPORTERS)}",
            code="import.unknown_format",
        )
    check_project_version(session, row, expected)
    imported = uploaded_plan(content, filename=filename, fmt=fmt)
    summary = f"imported from {imported.result.format}"
    written = write_plan(session, row, imported.project, actor=actor, summary=summary, now=now)
    session.commit()
    return written


def uploaded_plan(content: bytes, *, filename: str | None, fmt: str) -> Imported:
    """An uploaded file read by the importers of `techpm import`; nothing is written."""
    if fmt != "auto" and fmt not in IMPORTERS:
        raise UnknownFormatError(
            f"format: unknown format {fmt!r}; one of: {', '.join(IMPORTERS)}",
            code="import.unknown_format",
        )
    with tempfile.TemporaryDirectory(prefix="techpm-import-") as folder:
        path = Path(folder) / _safe_name(filename, fmt)
        path.write_bytes(content)
        return import_file(path, fmt)


def project_from_upload(
    session: Session,
    *,
    key: str,
    name: str | None,
    content: bytes,
    filename: str | None,
    fmt: str,
    actor: Actor,
    now: datetime,
) -> ProjectRow:
    """A new project whose plan is an uploaded file (MS Project, Jira, GanttProject ...),
    read before anything is stored, so a file that cannot be read leaves nothing behind."""
    check_key(key)
    plan = uploaded_plan(content, filename=filename, fmt=fmt).project
    if name:
        plan = replace(plan, info=replace(plan.info, name=name))
    return create_project(session, key=key, plan=plan, actor=actor, now=now)


def export_content(session: Session, row: ProjectRow, fmt: str) -> tuple[bytes, str, str]:
    """The plan in `fmt`: (content, media type, file name)."""
    if fmt != "plan" and fmt not in EXPORTERS:
        known = ", ".join(["plan", *EXPORTERS])
        raise UnknownFormatError(f"format: unknown format {fmt!r}; one of: {known}")
    media, ending = EXPORT_MEDIA[fmt]
    name = f"{row.key.lower()}{ending}"
    text = plan_yaml_text(session, row)
    if fmt == "plan":
        return text.encode(), media, name
    with tempfile.TemporaryDirectory(prefix="techpm-export-") as folder:
        plan = Path(folder) / "plan.yaml"
        plan.write_text(text, encoding="utf-8")
        output = Path(folder) / name
        export_plan(plan, output, fmt)
        return output.read_bytes(), media, name


def starter_start(start: date | None, now: datetime) -> date:
    return start or now.date()
