"""HTTP details shared by the routes: ETags carry versions, `If-Match` names the one a write
was based on, and bodies are capped before anyone parses them."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from techpm.server.errors import ApiError
from techpm.services.versions import Expected


def etag(version: int) -> str:
    return f'"{version}"'


def versioned(data: Any, version: int, *, status: int = 200, **headers: str) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers={"ETag": etag(version), **headers})


def if_match(request: Request) -> Expected | None:
    """The version in `If-Match` (`"5"`, `W/"5"` or `5`), `*`, or None when absent."""
    header = request.headers.get("if-match")
    if header is None:
        return None
    text = header.strip()
    if text == "*":
        return "*"
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip()
    quoted = len(text) >= 2 and text[0] == text[-1] == '"'
    text = text[1:-1] if quoted else text
    if not text.isdigit() or len(text) > 12:
        raise ApiError(
            f"If-Match: {header!r} is not a version; send the ETag you read, or *",
            code="request.bad_if_match",
            status=400,
            errors=[{"field": "If-Match", "code": "request.bad_if_match", "message": header}],
        )
    return int(text)


def not_modified(request: Request, version: int) -> Response | None:
    """304 when the client already holds this version."""
    header = request.headers.get("if-none-match")
    if header and etag(version) in [part.strip().removeprefix("W/") for part in header.split(",")]:
        return Response(status_code=304, headers={"ETag": etag(version)})
    return None


async def body_bytes(request: Request, limit: int) -> bytes:
    """The body, refused with 413 once it passes `limit` (checked while reading, so a lying
    Content-Length or a chunked upload cannot get around it)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def too_large(limit: int) -> ApiError:
    return ApiError(
        f"the body is larger than the limit of {limit // (1024 * 1024)} MiB",
        code="request.too_large",
        status=413,
    )


JSON_TYPES = ("application/json", "application/merge-patch+json")


async def json_object(request: Request, limit: int) -> dict[str, Any]:
    """A JSON object body (read within the limit); anything else is a problem naming it."""
    media = request.headers.get("content-type", "application/json").split(";")[0].strip()
    if media.lower() not in JSON_TYPES:
        raise ApiError(
            f"Content-Type: send a JSON object as application/json, not {media}",
            code="request.unsupported_media_type",
            status=415,
        )
    raw = await body_bytes(request, limit)
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(
            f"the body is not JSON: {exc}",
            code="request.bad_json",
            status=422,
            errors=[{"field": "body", "code": "request.bad_json", "message": str(exc)}],
        ) from None
    if not isinstance(data, dict):
        raise ApiError(
            "the body must be a JSON object of the entity's keys",
            code="request.not_an_object",
            status=422,
            errors=[{"field": "body", "code": "request.not_an_object", "message": "an object"}],
        )
    return data
