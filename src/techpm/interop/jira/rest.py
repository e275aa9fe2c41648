"""Pull the issues a JQL query selects from a live Jira, page by page, over its REST API.

Jira has three search endpoints in use: /rest/api/3/search (Cloud, offset paging, being
retired: it answers 410 Gone where it has been), /rest/api/2/search (Server and Data
Center), and /rest/api/3/search/jql (Cloud, paged by `nextPageToken`). The client asks the
first, falls back to the second on 404 and to the third on 410, and follows whichever
paging the answers use. The token goes only in the Authorization header, never to
another host (redirects are refused) and never into a message.
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from techpm.interop.exchange import ImportFailed, ImportResult, fail
from techpm.interop.jira.issues import plural
from techpm.interop.jira.json_reader import from_issues

OFFSET_SEARCH = "/rest/api/3/search"
SERVER_SEARCH = "/rest/api/2/search"
TOKEN_SEARCH = "/rest/api/3/search/jql"
EXPAND = "changelog,names"
CODE = "import.jira_http"
_REASONS = {
    400: "Jira refused the query",
    401: "Jira did not accept the credentials; check the token",
    403: "the account may not browse these issues or use the REST API",
    404: "no Jira search API at this address",
    410: "this Jira no longer offers the search API techpm asked for",
    429: "Jira is limiting requests; try again later",
}


def pull_jira(
    url: str,
    jql: str,
    token: str,
    *,
    email: str | None = None,
    page_size: int = 100,
    timeout: float = 30,
) -> ImportResult:
    """Every issue `jql` selects on the Jira at `url`, with changelogs, as a plan. `token`
    is sent as a Bearer token (Server and Data Center personal access tokens), or with
    `email` as Basic e-mail:token (Cloud API tokens)."""
    if not 1 <= page_size <= 5000:
        raise ValueError("page_size must be between 1 and 5000")
    client = _Client(_base_url(url), _authorization(token, email), timeout)
    found = _search(client, jql, page_size)
    unique: dict[str, Any] = {}
    for issue in found.issues:
        key = issue.get("key") if isinstance(issue, dict) else None
        unique.setdefault(str(key) if key else f"#{len(unique)}", issue)
    notes: tuple[str, ...] = ()
    repeated = len(found.issues) - len(unique)
    if repeated:
        notes = (
            f"{plural(repeated, 'issue')} came twice while paging (the data changed meanwhile): "
            "each kept once",
        )
    return from_issues(list(unique.values()), client.host, names=found.names, notes=notes)


@dataclass
class _Found:
    issues: list[Any] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)


class _Status(Exception):
    """An answer the search may recover from by asking another endpoint."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect would carry the credentials somewhere else: stop and say where."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None


def _base_url(url: str) -> urllib.parse.SplitResult:
    parts = urllib.parse.urlsplit(url.strip())
    where = Path(parts.hostname or url or "jira")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise fail(where, "", "the Jira address must start with https://", code=CODE)
    if parts.username or parts.password:
        raise fail(
            where,
            "",
            "put no credentials in the address; give the token (and e-mail) instead",
            code=CODE,
        )
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise fail(
            where,
            "",
            "refusing to send the token over plain http; use the https:// address",
            code=CODE,
        )
    return parts


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _authorization(token: str, email: str | None) -> str:
    if not token:
        raise ImportFailed("a Jira API token is needed", code=CODE)
    if email:
        pair = base64.b64encode(f"{email}:{token}".encode()).decode("ascii")
        return f"Basic {pair}"
    return f"Bearer {token}"


class _Client:
    def __init__(self, base: urllib.parse.SplitResult, authorization: str, timeout: float):
        self.base = base
        self.host = base.netloc
        self.authorization = authorization
        self.timeout = timeout
        self.opener = urllib.request.build_opener(_NoRedirect())

    def get(self, path: str, params: dict[str, str | int], *, recover: bool = False) -> Any:
        """The JSON answer to GET `path`; `recover`: raise _Status on 404 and 410."""
        prefix = self.base.path.rstrip("/")
        query = urllib.parse.urlencode(params)
        url = urllib.parse.urlunsplit(
            (self.base.scheme, self.base.netloc, prefix + path, query, "")
        )
        request = urllib.request.Request(url, headers={"Accept": "application/json"})
        request.add_unredirected_header("Authorization", self.authorization)
        where = Path(self.host)
        try:
            with self.opener.open(request, timeout=self.timeout) as answer:
                body = answer.read()
        except urllib.error.HTTPError as exc:
            if recover and exc.code in (404, 410):
                raise _Status(exc.code) from None
            raise fail(where, prefix + path, _http_reason(exc), code=CODE) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                message = f"no answer within {self.timeout:g} s"
            else:
                message = f"cannot reach the server: {getattr(reason, 'strerror', None) or reason}"
            raise fail(where, "", message, code=CODE) from None
        except TimeoutError:
            raise fail(where, "", f"no answer within {self.timeout:g} s", code=CODE) from None
        except (OSError, http.client.HTTPException) as exc:
            raise fail(where, "", f"the connection broke: {exc}", code=CODE) from None
        try:
            data = json.loads(body.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise fail(
                where,
                prefix + path,
                "the answer is not JSON: is this the address of a Jira site?",
                code="import.bad_json",
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("issues"), list):
            raise fail(
                where,
                prefix + path,
                "the answer is not a search result (no `issues` list)",
                code="import.bad_json",
            )
        return data


def _http_reason(exc: urllib.error.HTTPError) -> str:
    """The status, what it means, and Jira's own words (errorMessages), kept short."""
    status = exc.code
    if 300 <= status < 400:
        target = exc.headers.get("Location", "elsewhere") if exc.headers else "elsewhere"
        return f"{status}: Jira redirects to {target}; give that address instead"
    reason = _REASONS.get(status, "Jira server error" if status >= 500 else "request failed")
    detail = ""
    try:
        data = json.loads(exc.read().decode("utf-8", "replace"))
    except (ValueError, OSError, RecursionError):
        data = None
    if isinstance(data, dict):
        messages = [m for m in data.get("errorMessages") or [] if isinstance(m, str)]
        errors = data.get("errors")
        if isinstance(errors, dict):
            messages += [str(v) for v in errors.values() if isinstance(v, str)]
        detail = "; ".join(messages)
    if len(detail) > 200:
        detail = detail[:197] + "..."
    return f"{status} {reason}" + (f" ({detail})" if detail else "")


def _search(client: _Client, jql: str, page_size: int) -> _Found:
    common: dict[str, str | int] = {
        "jql": jql,
        "maxResults": page_size,
        "expand": EXPAND,
        "fields": "*all",
    }
    path = OFFSET_SEARCH
    try:
        page = client.get(path, {**common, "startAt": 0}, recover=True)
    except _Status as status:
        path = SERVER_SEARCH if status.status == 404 else TOKEN_SEARCH
        first = {**common, "startAt": 0} if path == SERVER_SEARCH else common
        page = client.get(path, first)
    found = _Found()
    start = 0
    tokens: set[str] = set()
    while True:
        batch = page["issues"]
        found.issues += batch
        names = page.get("names")
        if isinstance(names, dict):
            found.names.update({str(k): v for k, v in names.items() if isinstance(v, str)})
        if "nextPageToken" in page or ("isLast" in page and "total" not in page):
            token = page.get("nextPageToken")
            if page.get("isLast") is True or not isinstance(token, str) or not token:
                return found
            if token in tokens:
                raise fail(Path(client.host), path, "Jira sent the same page twice", code=CODE)
            tokens.add(token)
            page = client.get(path, {**common, "nextPageToken": token})
            continue
        start += len(batch)
        total = page.get("total")
        if not batch or not isinstance(total, int) or start >= total:
            return found
        page = client.get(path, {**common, "startAt": start})
