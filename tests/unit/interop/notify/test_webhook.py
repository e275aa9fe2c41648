"""Webhooks against a real local HTTP receiver: the JSON Slack and Teams accept, and retries."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from techpm.interop.notify.config import NotifyConfig, WebhookConfig
from techpm.interop.notify.delivery import deliver
from techpm.interop.notify.message import DeliveryError, Message
from techpm.interop.notify.webhook import payload, post_webhook

TOKEN = "XOXB-s3cr3t-t0ken"
MESSAGE = Message(
    subject="Cloud migration: RED",
    text="Finish slipped 2 weeks.\nDecision needed: <vendor> & budget.",
    severity="red",
    link="https://pm.example.com/reports/42",
)


@dataclass
class Receiver:
    """Answers each POST with the next queued status (200 when the queue is empty)."""

    url: str = ""
    statuses: list[int] = field(default_factory=list)
    always: int | None = None
    echo_path: bool = False
    requests: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    def answer(self) -> int:
        if self.always is not None:
            return self.always
        return self.statuses.pop(0) if self.statuses else 200


class Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def do_POST(self) -> None:
        receiver: Receiver = self.server.receiver  # type: ignore[attr-defined]
        body = self.rfile.read(int(self.headers["Content-Length"]))
        receiver.requests.append((self.path, self.headers["Content-Type"], json.loads(body)))
        status = receiver.answer()
        text = f"no_service {self.path}" if receiver.echo_path else ("ok" if status < 300 else "")
        reply = (text or "upstream exploded, try later").encode()
        self.send_response(status)
        if 300 <= status < 400:
            self.send_header("Location", "/elsewhere")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver = Receiver(url=f"http://127.0.0.1:{server.server_port}/services/T01/B02/{TOKEN}")
    server.receiver = receiver  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()
    thread.join()


def test_slack_recovers_after_two_failures(receiver: Receiver) -> None:
    receiver.statuses = [500, 500]
    waits: list[float] = []
    config = NotifyConfig(webhooks=(WebhookConfig(receiver.url),), retries=3, backoff=0.25)
    [result] = deliver(config, MESSAGE, sleep=waits.append)
    assert result.ok
    assert result.attempts == 3
    assert result.reason is None
    assert waits == [0.25, 0.5]
    path, content_type, body = receiver.requests[-1]
    assert path.endswith(TOKEN)
    assert content_type == "application/json"
    assert body["text"] == "Cloud migration: RED: Finish slipped 2 weeks."
    header, section, context = body["blocks"]
    assert header == {
        "type": "header",
        "text": {"type": "plain_text", "text": ":red_circle: Cloud migration: RED", "emoji": True},
    }
    assert section["type"] == "section"
    assert section["text"]["type"] == "mrkdwn"
    assert section["text"]["text"].endswith("&lt;vendor&gt; &amp; budget.")
    assert context["type"] == "context"
    assert context["elements"][-1]["text"] == "<https://pm.example.com/reports/42|Open the report>"


def test_always_failing_webhook_reports_the_status_without_the_token(receiver: Receiver) -> None:
    receiver.always = 500
    config = NotifyConfig(webhooks=(WebhookConfig(receiver.url, name="ops"),), retries=2)
    [result] = deliver(config, MESSAGE, sleep=lambda _: None)
    assert not result.ok
    assert result.attempts == 3
    assert result.channel == "webhook"
    assert result.reason == (
        "webhook answered 500 Internal Server Error: upstream exploded, try later"
    )
    assert result.target == f"webhook ops slack {receiver.url.split('/services')[0]}/***"
    assert TOKEN not in repr(result)


def test_teams_gets_a_message_card(receiver: Receiver) -> None:
    post_webhook(WebhookConfig(receiver.url, format="teams"), MESSAGE)
    [(_, _, card)] = receiver.requests
    assert card["@type"] == "MessageCard"
    assert card["@context"] == "http://schema.org/extensions"
    assert card["themeColor"] == "D40E0D"
    assert card["title"] == MESSAGE.subject
    assert card["summary"] == "Cloud migration: RED: Finish slipped 2 weeks."
    assert card["text"] == MESSAGE.text
    [action] = card["potentialAction"]
    assert action["@type"] == "OpenUri"
    assert action["targets"] == [{"os": "default", "uri": MESSAGE.link}]


def test_an_echoed_token_is_scrubbed(receiver: Receiver) -> None:
    receiver.always, receiver.echo_path = 404, True
    with pytest.raises(DeliveryError) as caught:
        post_webhook(WebhookConfig(receiver.url), MESSAGE)
    assert caught.value.reason == "webhook answered 404 Not Found: no_service /***"


def test_a_redirect_is_not_a_delivery(receiver: Receiver) -> None:
    receiver.always = 302
    with pytest.raises(DeliveryError) as caught:
        post_webhook(WebhookConfig(receiver.url), MESSAGE)
    assert caught.value.reason.startswith("webhook answered 302 Found")
    assert len(receiver.requests) == 1


def test_nothing_listening_reads_as_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(DeliveryError) as caught:
        post_webhook(WebhookConfig(f"http://127.0.0.1:{port}/hooks/{TOKEN}"), MESSAGE, timeout=2)
    assert caught.value.reason == f"connection refused by http://127.0.0.1:{port}/***"


def test_only_http_urls_are_posted() -> None:
    with pytest.raises(DeliveryError) as caught:
        post_webhook(WebhookConfig("file:///etc/passwd"), MESSAGE)
    assert not caught.value.retryable


def test_slack_payload_limits_and_plain_info() -> None:
    body = payload(Message(subject="x" * 400, text="   "), "slack")
    [header] = body["blocks"]
    assert len(header["text"]["text"]) == 150
    assert body["text"] == "x" * 400


def test_teams_payload_without_link_has_no_action() -> None:
    card = payload(Message(subject="Weekly status", text="All green.", severity="green"), "teams")
    assert "potentialAction" not in card
    assert card["themeColor"] == "2EB886"
