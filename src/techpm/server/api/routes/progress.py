"""Progress from a status sheet: the rows of `techpm progress`'s CSV, sent as that CSV or as
JSON, recorded into the plan all or nothing."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from techpm.server.deps import Access, ContextDep, SessionDep, permit
from techpm.server.errors import ApiError
from techpm.server.http import body_bytes, if_match, versioned
from techpm.server.permissions import Action
from techpm.services.progress import COLUMNS, ProgressSheetError
from techpm.services.status_sheets import Sheet, record_sheet, sheet_from_csv, sheet_from_json

router = APIRouter(prefix="/api/v1/projects/{key}", tags=["progress"])
ROW_SCHEMA = {
    "type": "object",
    "properties": {"task": {"type": "string"}, **{c: {"type": "string"} for c in COLUMNS}},
}
BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "oneOf": [
                    {
                        "type": "object",
                        "properties": {
                            "rows": {"type": "array", "items": ROW_SCHEMA},
                            "status_date": {"type": "string", "format": "date"},
                        },
                        "required": ["rows"],
                    },
                    {"type": "array", "items": ROW_SCHEMA},
                ]
            }
        },
        "text/csv": {"schema": {"type": "string"}},
    },
}


def _bad(message: str, code: str, field: str | None = None) -> ApiError:
    errors = [{"field": field, "code": code, "message": message}] if field else []
    return ApiError(message, code=code, status=422, errors=errors)


def _json_sheet(raw: bytes) -> tuple[Sheet, date | None]:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise _bad("the body is not JSON", "request.bad_json") from None
    status_date = None
    if isinstance(data, dict):
        extra = sorted(set(data) - {"rows", "status_date"})
        if extra:
            raise _bad(f"unknown field {extra[0]!r}", "request.unknown_field", extra[0])
        if "status_date" in data and data["status_date"] is not None:
            status_date = _date(data["status_date"], "status_date")
        data = data.get("rows")
    if not isinstance(data, list):
        raise _bad("send {'rows': [...]} or a list of rows", "request.missing_field", "rows")
    return sheet_from_json(data), status_date


def _date(value: Any, field: str) -> date:
    problem = _bad(f"{field} {value!r} is not a date (YYYY-MM-DD)", "request.bad_date", field)
    if not isinstance(value, str):
        raise problem
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise problem from None


def sheet_problems(error: ProgressSheetError, sheet_lines: list[int] | None) -> ApiError:
    """Every bad row and field, by its place among the rows and, for CSV, its line."""
    entries = []
    for p in error.problems:
        entry: dict[str, Any] = {"code": p.code, "message": p.message}
        if p.row < 0:  # the CSV's header line
            entry.update(field=p.column, line=1)
        else:
            entry["field"] = f"rows[{p.row}]" + (f".{p.column}" if p.column else "")
            if sheet_lines is not None:
                entry["line"] = sheet_lines[p.row]
        entries.append(entry)
    return ApiError(error.message, code=error.code, status=422, errors=entries)


@router.post(
    "/progress",
    summary="Record a status sheet (CSV or JSON rows); one bad row and nothing is written",
    openapi_extra={"requestBody": BODY},
)
async def post_progress(
    key: str,
    request: Request,
    access: Annotated[Access, permit(Action.PROGRESS_WRITE)],
    session: SessionDep,
    context: ContextDep,
    status_date: Annotated[date | None, Query(description="the sheet's status date")] = None,
) -> JSONResponse:
    media = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if media not in ("application/json", "text/csv"):
        raise ApiError(
            f"Content-Type: send the sheet as text/csv or application/json, not {media}",
            code="request.unsupported_media_type",
            status=415,
        )
    expected = if_match(request)
    raw = await body_bytes(request, context.max_body_bytes)
    lines: list[int] | None = None
    try:
        if media == "text/csv":
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise _bad("the sheet is not UTF-8 text", "progress.not_utf8") from None
            sheet = sheet_from_csv(text)
            lines = sheet.lines
        else:
            sheet, in_body = _json_sheet(raw)
            status_date = in_body or status_date
        recorded = await run_in_threadpool(
            record_sheet,
            session,
            access.in_project,
            sheet,
            status_date=status_date,
            expected=expected,
            actor=access.actor,
            now=context.now(),
        )
    except ProgressSheetError as error:
        raise sheet_problems(error, lines) from None
    written = recorded.written
    answer = {
        "version": recorded.version,
        "updated": recorded.updated,
        "change_set": written.change_set_id if written else None,
    }
    return versioned(answer, recorded.version)
