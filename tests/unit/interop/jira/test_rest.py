"""The REST client against a real HTTP server on 127.0.0.1 serving recorded Jira answers."""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.interop.exchange import ImportFailed
from techpm.interop.jira.rest import pull_jira
from techpm.services.planning import load_plan

from .support import RESPONSES, by_id, counts, validate

TOKEN = "ATATT3xFfGF0-s3cret-token"
JQL = "project = PAY ORDER BY Rank ASC"


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Seen:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


class FakeJira:
    """Answers by (path, startAt or nextPageToken); anything else is a 404."""

    def __init__(self) -> None:
        self.answers: dict[tuple[str, str], Answer] = {}
        self.seen: list[Seen] = []
        jira = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
                jira.seen.append(Seen(parts.path, query, dict(self.headers.items())))
                page = query.get("nextPageToken", query.get("startAt", ""))
                answer = jira.answers.get((parts.path, page), Answer(404, b""))
                time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json;charset=UTF-8")
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except OSError:
                    pass  # the client gave up waiting (the timeout test)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def serve(self, path: str, page: str, answer: str | dict[str, Any] | Answer) -> None:
        if isinstance(answer, str):
            answer = Answer(body=(RESPONSES / answer).read_bytes())
        elif isinstance(answer, dict):
            answer = Answer(body=json.dumps(answer).encode())
        self.answers[(path, page)] = answer


@pytest.fixture
def jira(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeJira]:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    fake = FakeJira()
    thread = threading.Thread(target=fake.server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()
    thread.join()


def failure(jira: FakeJira, **options: Any) -> ImportFailed:
    with pytest.raises(ImportFailed) as caught:
        pull_jira(options.pop("url", jira.url), JQL, TOKEN, **options)
    assert TOKEN not in str(caught.value)
    return caught.value


def test_pages_by_offset_until_the_total(jira: FakeJira) -> None:
    for n, start in enumerate(("0", "2", "4"), start=1):
        jira.serve("/rest/api/3/search", start, f"search-v3-page{n}.json")
    result = pull_jira(jira.url, JQL, TOKEN, page_size=2)
    assert [(s.path, s.query["startAt"]) for s in jira.seen] == [
        ("/rest/api/3/search", "0"),
        ("/rest/api/3/search", "2"),
        ("/rest/api/3/search", "4"),
    ]
    for seen in jira.seen:
        assert seen.query["jql"] == JQL
        assert seen.query["maxResults"] == "2"
        assert "changelog" in seen.query["expand"].split(",")
        assert seen.query["fields"] == "*all"
        assert seen.headers["Authorization"] == f"Bearer {TOKEN}"
        assert seen.headers["Accept"] == "application/json"
    validate(result.document)
    assert set(by_id(result.document)) == {f"PAY-{n}" for n in range(1, 7)} | {"version.1.0"}
    assert counts(result.document)["dependencies"] == 4
    assert by_id(result.document)["PAY-2"]["points"] == 5  # names merged across pages


def test_basic_auth_with_an_email(jira: FakeJira) -> None:
    jira.serve("/rest/api/3/search", "0", "search-jql-page2.json")
    pull_jira(jira.url, JQL, TOKEN, email="ann@example.com")
    expected = base64.b64encode(f"ann@example.com:{TOKEN}".encode()).decode()
    assert jira.seen[0].headers["Authorization"] == f"Basic {expected}"


def test_server_falls_back_to_api_version_2(jira: FakeJira) -> None:
    jira.serve("/jira/rest/api/2/search", "0", "search-v2-page1.json")
    jira.serve("/jira/rest/api/2/search", "3", "search-v2-page2.json")
    result = pull_jira(jira.url + "/jira/", JQL, TOKEN, page_size=3)
    assert [(s.path, s.query.get("startAt")) for s in jira.seen] == [
        ("/jira/rest/api/3/search", "0"),
        ("/jira/rest/api/2/search", "0"),
        ("/jira/rest/api/2/search", "3"),
    ]
    validate(result.document)
    assert counts(result.document)["tasks"] == 7


def test_retired_search_moves_to_token_paging(jira: FakeJira) -> None:
    gone = Answer(410, (RESPONSES / "error-410.json").read_bytes())
    jira.serve("/rest/api/3/search", "0", gone)
    jira.serve("/rest/api/3/search/jql", "", "search-jql-page1.json")
    jira.serve("/rest/api/3/search/jql", "Ch0jU3RyaW5nJlVFRlomSW50JjQ=", "search-jql-page2.json")
    result = pull_jira(jira.url, JQL, TOKEN, page_size=4)
    first, second = jira.seen[1:]
    assert first.path == second.path == "/rest/api/3/search/jql"
    assert "startAt" not in first.query
    assert "nextPageToken" not in first.query
    assert second.query["nextPageToken"] == "Ch0jU3RyaW5nJlVFRlomSW50JjQ="
    assert second.query["maxResults"] == "4"
    assert len(jira.seen) == 3
    assert counts(result.document)["tasks"] == 7


def test_token_paging_wherever_the_answer_uses_it(jira: FakeJira) -> None:
    jira.serve("/rest/api/3/search", "0", "search-jql-page1.json")
    jira.serve("/rest/api/3/search", "Ch0jU3RyaW5nJlVFRlomSW50JjQ=", "search-jql-page2.json")
    result = pull_jira(jira.url, JQL, TOKEN)
    assert len(jira.seen) == 2
    assert counts(result.document)["tasks"] == 7


def test_issues_seen_twice_while_paging_are_kept_once(jira: FakeJira) -> None:
    first = json.loads((RESPONSES / "search-v3-page1.json").read_text(encoding="utf-8"))
    second = json.loads((RESPONSES / "search-v3-page2.json").read_text(encoding="utf-8"))
    second["issues"][0] = first["issues"][1]  # an issue moved up while we paged
    second["total"] = first["total"] = 4
    jira.serve("/rest/api/3/search", "0", first)
    jira.serve("/rest/api/3/search", "2", second)
    result = pull_jira(jira.url, JQL, TOKEN, page_size=2)
    assert [t["id"] for t in result.document["tasks"]][:3] == ["PAY-1", "PAY-4", "version.1.0"]
    assert "1 issue came twice while paging (the data changed meanwhile): each kept once" in (
        result.skipped
    )


def test_a_page_token_sent_twice_stops_the_loop(jira: FakeJira) -> None:
    page = {"issues": [], "nextPageToken": "again", "isLast": False}
    jira.serve("/rest/api/3/search", "0", page)
    jira.serve("/rest/api/3/search", "again", page)
    assert "Jira sent the same page twice" in str(failure(jira))


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (
            401,
            "error-401.json",
            "401 Jira did not accept the credentials; check the token "
            "(Client must be authenticated to access this resource.)",
        ),
        (403, "<html>Forbidden</html>", "403 the account may not browse these issues"),
        (
            400,
            "error-400.json",
            "400 Jira refused the query (Error in the JQL Query: The "
            "character '%' is a reserved JQL character.",
        ),
        (503, "", "503 Jira server error"),
        (429, "", "429 Jira is limiting requests"),
    ],
)
def test_http_errors_give_status_and_reason(
    jira: FakeJira, status: int, body: str, message: str
) -> None:
    data = (RESPONSES / body).read_bytes() if body.endswith(".json") else body.encode()
    jira.serve("/rest/api/3/search", "0", Answer(status, data))
    error = failure(jira)
    assert error.code == "import.jira_http"
    assert str(error).startswith(f"127.0.0.1:{jira.url.rsplit(':', 1)[1]}: /rest/api/3/search: ")
    assert message in str(error)


def test_no_search_api_at_all(jira: FakeJira) -> None:
    assert "/rest/api/2/search: 404 no Jira search API at this address" in str(failure(jira))


def test_an_error_on_a_later_page(jira: FakeJira) -> None:
    jira.serve("/rest/api/3/search", "0", "search-v3-page1.json")
    jira.serve("/rest/api/3/search", "2", Answer(502, b"Bad Gateway"))
    assert "502 Jira server error" in str(failure(jira, page_size=2))


def test_redirects_are_not_followed(jira: FakeJira) -> None:
    moved = Answer(302, b"", {"Location": "https://jira.elsewhere.example/rest/api/3/search"})
    jira.serve("/rest/api/3/search", "0", moved)
    error = failure(jira)
    assert "302: Jira redirects to https://jira.elsewhere.example/rest/api/3/search" in str(error)
    assert len(jira.seen) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html><body>Log in</body></html>", "the answer is not JSON: is this the address of"),
        (b'{"errorMessages": []}', "the answer is not a search result"),
        (b'{"issues": [', "the answer is not JSON"),
    ],
)
def test_answers_that_are_not_search_results(jira: FakeJira, body: bytes, message: str) -> None:
    jira.serve("/rest/api/3/search", "0", Answer(200, body))
    error = failure(jira)
    assert error.code == "import.bad_json"
    assert message in str(error)


def test_timeout(jira: FakeJira) -> None:
    jira.serve("/rest/api/3/search", "0", Answer(200, b"{}", delay=0.5))
    assert "no answer within 0.1 s" in str(failure(jira, timeout=0.1))


def test_nothing_listening() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ImportFailed, match="cannot reach the server: Connection refused") as caught:
        pull_jira(f"http://127.0.0.1:{port}", JQL, TOKEN)
    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://jira.example.com", "refusing to send the token over plain http"),
        ("https://ann:pw@jira.example.com", "put no credentials in the address"),
        ("ftp://jira.example.com", "must start with https://"),
        ("jira.example.com", "must start with https://"),
    ],
)
def test_addresses_refused_before_connecting(url: str, message: str) -> None:
    with pytest.raises(ImportFailed, match=message):
        pull_jira(url, JQL, TOKEN)


def test_a_token_is_required() -> None:
    with pytest.raises(ImportFailed, match="a Jira API token is needed"):
        pull_jira("https://jira.example.com", JQL, "")


def test_the_command_pulls_into_a_plan_file(
    jira: FakeJira, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n, start in enumerate(("0", "2", "4"), start=1):
        jira.serve("/rest/api/3/search", start, f"search-v3-page{n}.json")
    monkeypatch.setenv("PAY_JIRA_TOKEN", TOKEN)
    plan = tmp_path / "pay.yaml"
    args = ["import", "jira", "--url", jira.url, "--jql", JQL, "--token-env", "PAY_JIRA_TOKEN"]
    result = CliRunner().invoke(app, [*args, "-o", str(plan)])
    assert result.exit_code == 0, result.output
    assert "Jira REST search result" in result.stdout
    assert TOKEN not in result.output
    assert jira.seen[0].headers["Authorization"] == f"Bearer {TOKEN}"
    project = load_plan(plan)
    assert {t.id for t in project.tasks} == {f"PAY-{n}" for n in range(1, 7)} | {"version.1.0"}
