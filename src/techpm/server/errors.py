"""Errors as RFC 9457 problem documents: the one place that turns techpm's error codes into
HTTP statuses. Every error a route can meet leaves as `application/problem+json` with the same
stable `code` the CLI prints; an unexpected one is a 500 that says nothing of the internals."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from techpm.domain.errors import InvalidPlanError, NotFoundError, PlanFileError, TechpmError
from techpm.security.login_limiter import TooManyLoginsError

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://techpm.dev/problems/"
log = logging.getLogger("techpm.server")

# code (or code prefix ending in ".") -> status; the first match wins, most specific first
STATUS_BY_CODE: tuple[tuple[str, int], ...] = (
    ("auth.invalid_credentials", 401),
    ("auth.invalid_token", 401),
    ("auth.token_revoked", 401),
    ("auth.token_expired", 401),
    ("auth.unauthenticated", 401),
    ("auth.session_expired", 401),
    ("auth.csrf", 403),
    ("auth.forbidden", 403),
    ("auth.read_only_token", 403),
    ("auth.rate_limited", 429),
    ("precondition.failed", 412),
    ("precondition.required", 428),
    ("request.too_large", 413),
    ("request.unsupported_media_type", 415),
    ("request.not_acceptable", 406),
    ("database.unavailable", 503),
    ("user.exists", 409),
    ("project.exists", 409),
    ("member.last_owner", 409),
    ("conflict.", 409),
    ("job.not_cancellable", 409),
)

TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    412: "Changed since you read it",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Invalid content",
    428: "If-Match required",
    429: "Too many requests",
    500: "Server error",
    503: "Service unavailable",
}


class ApiError(TechpmError):
    """An error the HTTP layer itself finds (a bad header, a body over the limit), or one a
    service raises with more to say: `extra` members join the problem document."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        status: int | None = None,
        errors: Sequence[Mapping[str, Any]] = (),
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.status = status
        self.errors = list(errors)
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})


def status_for(error: TechpmError) -> int:
    if isinstance(error, ApiError) and error.status is not None:
        return error.status
    if isinstance(error, InvalidPlanError):
        return 422  # a plan naming an unknown resource is a bad plan, not a missing page
    for code, status in STATUS_BY_CODE:
        if error.code == code or (code.endswith(".") and error.code.startswith(code)):
            return status
    if isinstance(error, NotFoundError) or error.code.endswith(".not_found"):
        return 404
    return 422  # anything else a user sent that techpm cannot use


def problem(
    status: int,
    code: str,
    detail: str,
    *,
    errors: Sequence[Mapping[str, Any]] = (),
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + code,
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "code": code,
        "errors": list(errors),
    }
    body.update(extra or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def problem_entries(error: TechpmError) -> list[dict[str, Any]]:
    """Each problem of a bad plan as `techpm check` finds it, with its line and column."""
    if isinstance(error, ApiError):
        return [dict(e) for e in error.errors]
    if isinstance(error, InvalidPlanError):
        entries = []
        for p in error.problems:
            where = p.location
            entries.append(
                {
                    "field": where.field if where else None,
                    "code": p.code,
                    "message": p.message,
                    "line": where.line if where else None,
                    "column": where.column if where else None,
                }
            )
        return entries
    field = getattr(error, "field", None)  # an error about one input names it
    return [{"field": field, "code": error.code, "message": error.message}]


def error_response(error: TechpmError) -> JSONResponse:
    status = status_for(error)
    headers = dict(error.headers) if isinstance(error, ApiError) else {}
    if isinstance(error, TooManyLoginsError):
        headers["Retry-After"] = str(error.retry_after_seconds)
    if status == 503:
        headers.setdefault("Retry-After", "5")
    extra = getattr(error, "extra", None)  # an ApiError's, or a stale write's current state
    detail = error.message
    if isinstance(error, InvalidPlanError):
        count = len(error.problems)
        detail = f"the plan has {count} problem{'s' if count != 1 else ''}; nothing was written"
    elif isinstance(error, PlanFileError):
        detail = error.message
    return problem(
        status, error.code, detail, errors=problem_entries(error), extra=extra, headers=headers
    )


def _field(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or str(loc[0] if loc else "")


def _validation_code(kind: str) -> str:
    if kind == "extra_forbidden":
        return "request.unknown_field"
    if kind == "missing":
        return "request.missing_field"
    if kind in ("json_invalid", "value_error.jsondecode"):
        return "request.bad_json"
    return f"request.{kind.replace('.', '_')}" if kind else "request.invalid"


async def _on_validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            # a JSON syntax error's place is a character offset, not a field: name the body
            "field": "body"
            if _validation_code(str(e.get("type", ""))) == "request.bad_json"
            else _field(e.get("loc", ())),
            "code": _validation_code(str(e.get("type", ""))),
            "message": str(e.get("msg", "invalid")),
        }
        for e in exc.errors()
    ]
    code = errors[0]["code"] if len(errors) == 1 else "request.invalid"
    if any(e["code"] == "request.bad_json" for e in errors):
        code = "request.bad_json"
    names = ", ".join(sorted({e["field"] for e in errors if e["field"]}))
    detail = f"the request is not valid ({names})" if names else "the request is not valid"
    return problem(422, code, detail, errors=errors)


async def _on_techpm(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TechpmError)
    return error_response(exc)


async def _on_http(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    code = {404: "route.not_found", 405: "route.method_not_allowed"}.get(status, f"http.{status}")
    detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(status, "error")
    return problem(status, code, detail, headers=getattr(exc, "headers", None))


async def _on_database(_request: Request, exc: Exception) -> JSONResponse:
    log.warning("database unavailable: %s", type(exc).__name__)
    return problem(
        503,
        "database.unavailable",
        "the database is not reachable; try again shortly",
        headers={"Retry-After": "5"},
    )


async def _on_bad_value(_request: Request, exc: Exception) -> JSONResponse:
    """A value the database cannot hold or look up (a NUL character, a number past its
    column's range) that no check before it caught: the caller's input, not a server fault."""
    log.warning("value refused by the database: %s", type(getattr(exc, "orig", exc)).__name__)
    return problem(
        422,
        "request.bad_value",
        "a value in the request cannot be stored (a NUL character, or a number out of range)",
    )


async def _on_unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=exc)
    return problem(500, "server.error", "the server met an unexpected error; it has been logged")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(TechpmError, _on_techpm)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(OperationalError, _on_database)
    app.add_exception_handler(InterfaceError, _on_database)
    app.add_exception_handler(DataError, _on_bad_value)
    app.add_exception_handler(Exception, _on_unexpected)
