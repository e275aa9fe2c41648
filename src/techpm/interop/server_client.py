"""A client of the team server's REST API, for the CLI: log in, read and replace a plan.

Errors come back from the server as RFC 9457 problem documents; they become `ServerError`s
that keep the server's stable `code`, so the CLI maps them to its usual exit codes. A server
that does not answer is `server.unavailable`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from techpm.domain.errors import TechpmError

API = "/api/v1"
YAML = "application/yaml"
TIMEOUT_SECONDS = 30.0


class ServerError(TechpmError):
    """What the server refused, with its status, the problem's `errors` and extra members
    (a stale write carries `changes`: what others changed since the version sent)."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        status: int,
        errors: list[dict[str, Any]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.status = status
        self.errors = list(errors or [])
        self.extra = dict(extra or {})


class ServerUnavailableError(TechpmError):
    code = "server.unavailable"


@dataclass(frozen=True)
class PlanText:
    """A plan file as the server sent it, and the project version it is (from the ETag)."""

    text: str
    version: int | None


@dataclass(frozen=True)
class Written:
    version: int | None
    changes: int | None = None
    body: dict[str, Any] = field(default_factory=dict)


def version_of(etag: str | None) -> int | None:
    """`"5"` (or `W/"5"`) -> 5; None when the header is missing or not a version."""
    if not etag:
        return None
    text = etag.strip().removeprefix("W/").strip('"')
    return int(text) if text.isdigit() else None


def problem_error(response: httpx.Response) -> ServerError:
    """The problem document of a refused request as a ServerError (or a plain one when the
    body is not a problem document: a proxy's HTML page, say)."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        reason = response.reason_phrase or "error"
        return ServerError(
            f"{response.request.method} {response.request.url.path}: {response.status_code} "
            f"{reason}",
            code=f"server.http_{response.status_code}",
            status=response.status_code,
        )
    known = {"type", "title", "status", "detail", "code", "errors"}
    errors = [e for e in body.get("errors") or [] if isinstance(e, dict)]
    return ServerError(
        str(body.get("detail") or body.get("title") or response.reason_phrase),
        code=str(body.get("code") or f"server.http_{response.status_code}"),
        status=response.status_code,
        errors=errors,
        extra={k: v for k, v in body.items() if k not in known},
    )


class ServerClient:
    """One server, one token. `transport` is for tests (httpx.MockTransport)."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        headers = {"User-Agent": "techpm-cli"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.Client(
            base_url=self.base_url, headers=headers, transport=transport, timeout=timeout
        )

    def __enter__(self) -> ServerClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, API + path, **kwargs)
        except httpx.TransportError as exc:
            raise ServerUnavailableError(
                f"{self.base_url}: no answer ({exc.__class__.__name__}: {exc}); "
                "is the server running (`techpm serve`) and the URL right?"
            ) from None
        if response.status_code >= 400:
            raise problem_error(response)
        return response

    def login(self, email: str, password: str) -> str:
        """A bearer token for the user, from e-mail and password."""
        body = self._send("POST", "/auth/token", json={"email": email, "password": password})
        return str(body.json()["token"])

    def me(self) -> dict[str, Any]:
        """Who the token belongs to: a cheap check that it works."""
        data = self._send("GET", "/users/me").json()
        return data if isinstance(data, dict) else {}

    def get_plan(self, key: str) -> PlanText:
        response = self._send("GET", f"/projects/{key}/plan", headers={"Accept": YAML})
        return PlanText(response.text, version_of(response.headers.get("etag")))

    def put_plan(self, key: str, text: str, *, if_match: int | str) -> Written:
        """Replace the plan; `if_match` is the version it was based on, or "*"."""
        match = "*" if if_match == "*" else f'"{if_match}"'
        response = self._send(
            "PUT",
            f"/projects/{key}/plan",
            content=text.encode("utf-8"),
            headers={"Content-Type": YAML, "If-Match": match},
        )
        try:
            body = response.json()
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        version = version_of(response.headers.get("etag"))
        if version is None and isinstance(body.get("version"), int):
            version = body["version"]
        changes = body.get("changes")
        return Written(version, changes if isinstance(changes, int) else None, body)


__all__ = [
    "PlanText",
    "ServerClient",
    "ServerError",
    "ServerUnavailableError",
    "Written",
    "problem_error",
    "version_of",
]
