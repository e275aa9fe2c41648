"""Import other tools' files into a plan file, and export a plan to theirs."""

from __future__ import annotations

import importlib
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from ruamel.yaml import YAML

from techpm.domain.errors import InvalidPlanError, TechpmError
from techpm.domain.project import Project
from techpm.interop.detect import detect_format
from techpm.interop.exchange import Exporter, Importer, ImportFailed, ImportResult
from techpm.interop.planfile.document import YamlDocument, read_document
from techpm.interop.planfile.loader import load_plan_document
from techpm.interop.safe_write import write_file, writing_to
from techpm.scheduling.result import Schedule
from techpm.services.baselines import baseline_path
from techpm.services.planning import schedule_loaded, schedule_plan

# format -> (what it is, "module:function"); modules load only when their format is used
IMPORTERS: dict[str, tuple[str, str]] = {
    "mspdi": ("MS Project XML (MSPDI)", "techpm.interop.msproject.mspdi_reader:read_mspdi"),
    "mpp": ("MS Project .mpp (through MPXJ)", "techpm.interop.msproject.mpp:read_mpp"),
    "gan": ("GanttProject", "techpm.interop.ganttproject.reader:read_gan"),
    "jira-csv": ("Jira CSV export", "techpm.interop.jira.csv_reader:read_jira_csv"),
    "jira-json": ("Jira REST search result", "techpm.interop.jira.json_reader:read_jira_json"),
    "trello": ("Trello board JSON", "techpm.interop.trello:read_trello"),
    "tjp": ("TaskJuggler", "techpm.interop.taskjuggler.reader:read_tjp"),
    "csv": ("techpm task CSV", "techpm.interop.csv_tasks:read_csv"),
    "techpm-json": ("techpm JSON export", "techpm.interop.json_export:read_json"),
    "plan": ("techpm plan", ""),
}
EXPORTERS: dict[str, tuple[str, str]] = {
    "mspdi": ("MS Project XML (MSPDI)", "techpm.interop.msproject.mspdi_writer:write_mspdi"),
    "gan": ("GanttProject", "techpm.interop.ganttproject.writer:write_gan"),
    "jira-csv": ("Jira CSV for its CSV importer", "techpm.interop.jira.csv_writer:write_jira_csv"),
    "ics": ("iCalendar", "techpm.interop.ical:write_ics"),
    "csv": ("techpm task CSV", "techpm.interop.csv_tasks:write_csv"),
    "mermaid": ("Mermaid gantt", "techpm.interop.mermaid:write_mermaid"),
    "json": ("techpm JSON (plan and schedule)", "techpm.interop.json_export:write_json"),
}
# by the end of the output's name; longest first, so that .jira.csv wins over .csv
EXTENSIONS = (
    (".jira.csv", "jira-csv"),
    (".xml", "mspdi"),
    (".gan", "gan"),
    (".ics", "ics"),
    (".csv", "csv"),
    (".mmd", "mermaid"),
    (".md", "mermaid"),
    (".json", "json"),
)
TOP_ORDER = ("version", "project", "calendars", "resources", "tasks")


class ExportFailed(TechpmError):
    code = "export.failed"


@dataclass(frozen=True)
class Imported:
    result: ImportResult
    project: Project
    schedule: Schedule
    text: str  # the plan file
    matching_dates: tuple[int, int] | None  # (finish dates techpm reproduces, of how many)


def _load(dotted: str) -> Any:
    module, _, name = dotted.partition(":")
    return getattr(importlib.import_module(module), name)


def import_file(path: Path, fmt: str = "auto") -> Imported:
    """Read, convert and validate; nothing is written yet."""
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file", code="import.not_found")
    fmt = detect_format(path) if fmt == "auto" else fmt
    if fmt not in IMPORTERS:
        raise ImportFailed(
            f"unknown format {fmt!r}; one of: {', '.join(IMPORTERS)}", code="import.unknown_format"
        )
    if fmt == "plan":
        document = read_document(path)
        result = ImportResult("plan", cast(dict[str, Any], document.data))
        text = document.text
    else:
        importer = cast(Importer, _load(IMPORTERS[fmt][1]))
        result = importer(path)
        text = plan_yaml(result.document, f"Imported from {path.name} ({IMPORTERS[fmt][0]}).")
    return _validated(path, result, text)


def pull_from_jira(
    url: str, jql: str, token: str | None, email: str | None = None, token_env: str = "token"
) -> Imported:
    """The issues a JQL query selects on a live Jira, validated like an imported file.
    `token_env` names where the token should have come from, for the error without one."""
    if not token:
        raise ImportFailed(
            f"set the Jira API token in the environment variable {token_env}",
            code="import.no_token",
        )
    pull_jira = _load("techpm.interop.jira.rest:pull_jira")
    result = cast(ImportResult, pull_jira(url, jql, token, email=email))
    text = plan_yaml(result.document, f"Imported from {url} ({jql or 'all issues'}).")
    return _validated(Path(url.rstrip("/").rsplit("/", 1)[-1] or "jira"), result, text)


def _validated(source: Path, result: ImportResult, text: str) -> Imported:
    try:
        loaded = load_plan_document(YamlDocument(f"{source.name} (converted)", text))
    except InvalidPlanError as exc:
        shown = "; ".join(str(p) for p in exc.problems[:5])
        more = f" (and {len(exc.problems) - 5} more)" if len(exc.problems) > 5 else ""
        raise ImportFailed(
            f"{source.name}: the plan made from it is not valid: {shown}{more}",
            code="import.invalid_plan",
        ) from None
    schedule = schedule_loaded(loaded)
    return Imported(result, loaded.project, schedule, text, _matching(schedule, result))


def _matching(schedule: Schedule, result: ImportResult) -> tuple[int, int] | None:
    if not result.reference_dates:
        return None
    finishes = {row.id: row.finish.date().isoformat() for row in schedule.rows}
    compared = [
        finishes[tid] == finish[:10]
        for tid, (_, finish) in result.reference_dates.items()
        if tid in finishes
    ]
    return sum(compared), len(compared)


def write_import(imported: Imported, output: Path, *, force: bool = False) -> list[Path]:
    """The plan file, and a baseline file next to it for each baseline the source held."""
    targets = [output] + [baseline_path(output, name) for name in imported.result.baselines]
    existing = [p for p in targets if p.exists()]
    if existing and not force:
        raise ImportFailed(
            f"{existing[0]} exists; use --force to replace it", code="import.output_exists"
        )
    write_file(output, imported.text)  # a crash or a full disk leaves the old one whole
    for name, data in imported.result.baselines.items():
        write_file(
            baseline_path(output, name),
            json.dumps(data, indent=2, sort_keys=True, default=str) + "\n",
        )
    return targets


def plan_yaml(document: dict[str, Any], comment: str) -> str:
    """The plan as YAML a person can read and edit: block style, leaf mappings on one line."""
    yaml = YAML(typ="rt")
    yaml.default_flow_style = None
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    ordered = {k: document[k] for k in TOP_ORDER if k in document}
    ordered.update({k: v for k, v in document.items() if k not in ordered})
    buffer = io.StringIO()
    yaml.dump(_plain(ordered), buffer)
    return f"# {comment}\n" + buffer.getvalue()


def _plain(value: Any) -> Any:
    """Dates stay YAML dates; date-times are written the way the plan file reads them."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes" if not value.second else "seconds")
    if isinstance(value, date):
        return value
    return value


def export_format(output: Path, fmt: str = "auto") -> str:
    if fmt != "auto":
        if fmt not in EXPORTERS:
            raise ExportFailed(
                f"unknown format {fmt!r}; one of: {', '.join(EXPORTERS)}",
                code="export.unknown_format",
            )
        return fmt
    name = output.name.lower()
    for ending, found in EXTENSIONS:
        if name.endswith(ending):
            return found
    raise ExportFailed(
        f"{output.name}: no format for this extension; use one of "
        f"{', '.join(e for e, _ in EXTENSIONS)} or --to FORMAT",
        code="export.unknown_format",
    )


def export_plan(plan: Path, output: Path, fmt: str = "auto", *, level: bool | None = None) -> str:
    """`output` a folder: one iCalendar file per person, and one of the milestones."""
    if output.is_dir():
        if fmt not in ("auto", "ics"):
            raise ExportFailed(
                f"{output} is a folder: only iCalendar (ics) is written as one file per person",
                code="export.unknown_format",
            )
        calendars_for = _load("techpm.interop.ical:calendars_for")
        files = cast(dict[str, bytes], calendars_for(schedule_plan(plan, level=level)))
        for name, content in files.items():
            write_file(output / name, content)
        return "ics"
    fmt = export_format(output, fmt)
    schedule = schedule_plan(plan, level=level)
    exporter = cast(Exporter, _load(EXPORTERS[fmt][1]))
    with writing_to(output) as partial:  # a failed export never leaves half a file
        exporter(schedule, partial)
    return fmt
