"""The live event stream against a real server (uvicorn in a thread on a free port): a change
made through the API arrives as a `plan.changed` event, and a client that reconnects with
`Last-Event-ID` gets only what came after. Every read has a timeout, so no test can hang."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn

from techpm.persistence.database import session_factory
from techpm.persistence.reading import find_project
from techpm.persistence.rows import EventRow
from tests.integration.server.conftest import NOW, Team

URL = "/api/v1/projects/PAY/events"
TIMEOUT = 4.0  # seconds any one wait may take


@dataclass(frozen=True)
class Received:
    id: int
    event: str
    data: dict[str, Any]


@pytest.fixture
def server(team: Team) -> Iterator[str]:
    """The team's app served by uvicorn on a free port; stopped (within seconds) after."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        team.client.app,
        host="127.0.0.1",
        port=port,
        lifespan="off",
        log_level="warning",
        timeout_graceful_shutdown=1,
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + TIMEOUT
    while not running.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(timeout=5)
        assert not thread.is_alive(), "the server did not stop"


def read_events(response: httpx.Response, count: int) -> list[Received]:
    """The next `count` events of a stream (heartbeat comments skipped)."""
    found: list[Received] = []
    fields: dict[str, str] = {}
    deadline = time.monotonic() + TIMEOUT
    for line in response.iter_lines():
        assert time.monotonic() < deadline, f"only {len(found)} of {count} events came"
        if line.startswith(":"):
            continue
        if line:
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")
            continue
        if "id" in fields:
            found.append(Received(int(fields["id"]), fields["event"], json.loads(fields["data"])))
            if len(found) == count:
                return found
        fields = {}
    raise AssertionError(f"the stream ended after {len(found)} of {count} events")


def rename(team: Team, name: str) -> int:
    """Change the plan through the API (PUT with If-Match); the new version."""
    plan = team.client.get("/api/v1/projects/PAY/plan", headers=team.as_("manager"))
    text = re.sub(r"name: (\w+ )?Atlas", f"name: {name} Atlas", plan.text, count=1)
    assert text != plan.text
    answer = team.client.put(
        "/api/v1/projects/PAY/plan",
        content=text,
        headers={
            **team.as_("manager"),
            "If-Match": plan.headers["etag"],
            "Content-Type": "application/yaml",
        },
    )
    assert answer.status_code == 200, answer.text
    return int(answer.json()["version"])


def test_a_change_arrives_and_a_reconnect_gets_only_later_events(team: Team, server: str) -> None:
    rename(team, "Before")  # an event from before the stream: not sent to a new stream
    headers = team.as_("viewer")
    with (
        httpx.Client(base_url=server, timeout=TIMEOUT) as client,
        client.stream("GET", URL, headers=headers) as stream,
    ):
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        version = rename(team, "First")  # the stream has its starting point: headers came
        (first,) = read_events(stream, 1)
    assert first.event == "plan.changed"
    assert first.data["version"] == version

    second_version = rename(team, "Second")
    third_version = rename(team, "Third")
    resume = {**headers, "Last-Event-ID": str(first.id)}
    with (
        httpx.Client(base_url=server, timeout=TIMEOUT) as client,
        client.stream("GET", URL, headers=resume) as stream,
    ):
        later = read_events(stream, 2)
    assert [e.data["version"] for e in later] == [second_version, third_version]
    assert all(e.id > first.id for e in later)
    assert later[0].id < later[1].id

    query = f"{URL}?last_event_id={later[0].id}"
    with (
        httpx.Client(base_url=server, timeout=TIMEOUT) as client,
        client.stream("GET", query, headers=headers) as stream,
    ):
        (last,) = read_events(stream, 1)
    assert last == later[1]


def test_job_events_come_with_their_kind_and_data(team: Team, server: str) -> None:
    with (
        httpx.Client(base_url=server, timeout=TIMEOUT) as client,
        client.stream("GET", URL, headers=team.as_("viewer")) as stream,
    ):
        assert stream.status_code == 200
        with session_factory(team.engine)() as session:  # as a job's worker writes them
            project = find_project(session, "PAY")
            for kind, data in (
                ("job.progress", {"job": 7, "progress": 0.25}),
                ("job.finished", {"job": 7}),
            ):
                session.add(EventRow(project_id=project.id, at=NOW, kind=kind, data=data))
            session.commit()
        progress, finished = read_events(stream, 2)
    assert (progress.event, progress.data["progress"]) == ("job.progress", 0.25)
    assert (finished.event, finished.data["job"]) == ("job.finished", 7)
    assert progress.data["at"] == NOW.isoformat()


def test_an_open_stream_holds_no_database_connection_while_it_waits(
    team: Team, server: str
) -> None:
    with (
        httpx.Client(base_url=server, timeout=TIMEOUT) as client,
        client.stream("GET", URL, headers=team.as_("viewer")) as stream,
    ):
        assert stream.status_code == 200
        held = []
        for _ in range(8):  # a poll takes milliseconds of each half second
            time.sleep(0.15)
            held.append(team.engine.pool.checkedout())  # type: ignore[attr-defined]
    assert min(held) == 0, held


def test_a_bad_last_event_id_is_422_and_outsiders_get_404(team: Team) -> None:
    bad = team.client.get(URL, headers={**team.as_("viewer"), "Last-Event-ID": "abc"})
    assert bad.status_code == 422
    assert bad.json()["code"] == "request.bad_last_event_id"
    huge = team.client.get(f"{URL}?last_event_id={'9' * 40}", headers=team.as_("viewer"))
    assert huge.status_code == 422
    assert team.client.get(URL, headers=team.as_("outsider")).status_code == 404
    assert team.client.get(URL).status_code == 401
