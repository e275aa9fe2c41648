"""Retry policy and per-target results, with channels that fail for real (nothing listening)."""

from __future__ import annotations

import socket

from techpm.interop.notify.config import NotifyConfig, SmtpConfig, WebhookConfig
from techpm.interop.notify.delivery import DeliveryResult, deliver
from techpm.interop.notify.message import Message

MESSAGE = Message(subject="Weekly status", text="All green.", severity="green")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def smtp(recipients: tuple[str, ...] = ()) -> SmtpConfig:
    return SmtpConfig(
        "127.0.0.1", closed_port(), starttls=False, sender="pm@example.com", recipients=recipients
    )


def test_nothing_configured_sends_nothing() -> None:
    assert deliver(NotifyConfig(), MESSAGE) == []


def test_no_recipients_is_a_failed_result_without_attempts() -> None:
    mail = smtp()
    [result] = deliver(NotifyConfig(smtp=mail), MESSAGE, sleep=lambda _: None)
    assert result == DeliveryResult("email", mail.describe(), False, 0, "no recipients")
    config = NotifyConfig(smtp=smtp(recipients=("a@example.com",)))
    assert deliver(config, MESSAGE, [], sleep=lambda _: None)[0].reason == "no recipients"


def test_every_channel_gets_its_own_result_and_its_own_backoff() -> None:
    waits: list[float] = []
    port = closed_port()
    config = NotifyConfig(
        smtp=smtp(recipients=("a@example.com",)),
        webhooks=(
            WebhookConfig(f"http://127.0.0.1:{port}/hook/secret-path", name="first"),
            WebhookConfig(f"http://127.0.0.1:{port}/hook/other", "teams", "second"),
        ),
        retries=2,
        backoff=3.0,
    )
    results = deliver(config, MESSAGE, sleep=waits.append)
    assert [(r.channel, r.ok, r.attempts) for r in results] == [
        ("email", False, 3),
        ("webhook", False, 3),
        ("webhook", False, 3),
    ]
    assert [r.target.split()[1] for r in results[1:]] == ["first", "second"]
    assert all("refused" in (r.reason or "") for r in results)
    assert waits == [3.0, 6.0] * 3
    assert not any("secret-path" in repr(r) for r in results)


def test_no_retries_means_one_attempt_and_no_wait() -> None:
    waits: list[float] = []
    config = NotifyConfig(smtp=smtp(recipients=("a@example.com",)), retries=0)
    [result] = deliver(config, MESSAGE, sleep=waits.append)
    assert (result.ok, result.attempts, waits) == (False, 1, [])


def test_a_failure_that_retrying_cannot_fix_is_tried_once() -> None:
    waits: list[float] = []
    config = NotifyConfig(webhooks=(WebhookConfig("file:///etc/passwd"),), retries=5)
    [result] = deliver(config, MESSAGE, sleep=waits.append)
    assert (result.ok, result.attempts, waits) == (False, 1, [])
    assert result.reason == "webhook URL file://?/*** is not a valid http(s) URL"
