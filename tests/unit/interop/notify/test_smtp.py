"""E-mail against a real aiosmtpd server: what arrives, and how each failure reads."""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword

from techpm.interop.notify.config import NotifyConfig, SmtpConfig
from techpm.interop.notify.delivery import deliver
from techpm.interop.notify.message import Attachment, DeliveryError, Message
from techpm.interop.notify.smtp import send_mail

USER, PASSWORD = "alice", "correct-horse-42"
PDF = b"%PDF-1.7\n\x00\x01\x02 binary \xff\xfe"
MESSAGE = Message(
    subject="Status: Cloud migration is AMBER",
    text="Finish moved 3 days.\nTop risk: vendor delay.",
    html="<p>Finish moved <b>3 days</b>.</p>",
    attachments=(
        Attachment("status.pdf", PDF, "application/pdf"),
        Attachment("tasks.csv", b"id,name\na,Design\n", "text/csv"),
    ),
    severity="amber",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Recorder:
    envelopes: list[Envelope] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address.startswith("nobody@"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def received(self) -> email.message.EmailMessage:
        assert len(self.envelopes) == 1
        content = self.envelopes[0].content
        assert isinstance(content, bytes)
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(parsed, email.message.EmailMessage)
        return parsed


@dataclass
class Server:
    recorder: Recorder
    port: int
    ca_file: Path | None = None


def check_login(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    assert isinstance(auth_data, LoginPassword)
    ok = auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@contextmanager
def serving(**kwargs: Any) -> Iterator[Server]:
    recorder, port = Recorder(), free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield Server(recorder, port)
    finally:
        controller.stop()


@pytest.fixture
def plain() -> Iterator[Server]:
    with serving() as server:
        yield server


@pytest.fixture
def secure(ca: trustme.CA, tmp_path: Path) -> Iterator[Server]:
    """STARTTLS required, and AUTH only offered after it, like a real submission port."""
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    with serving(
        tls_context=server_context(ca),
        require_starttls=True,
        authenticator=check_login,
        auth_require_tls=True,
    ) as server:
        server.ca_file = ca_file
        yield server


def secure_config(server: Server, **changes: Any) -> SmtpConfig:
    settings: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": server.port,
        "username": USER,
        "password": PASSWORD,
        "sender": "techpm@example.com",
        "recipients": ("sponsor@example.com",),
        "ca_file": server.ca_file,
        "timeout": 2.0,
    }
    return SmtpConfig(**(settings | changes))


def test_plain_mail_arrives_with_text_html_and_attachments(plain: Server) -> None:
    config = SmtpConfig("127.0.0.1", plain.port, starttls=False, sender="pm@example.com")
    send_mail(config, MESSAGE, ["a@example.com", "b@example.com"])
    envelope = plain.recorder.envelopes[0]
    assert envelope.mail_from == "pm@example.com"
    assert envelope.rcpt_tos == ["a@example.com", "b@example.com"]
    mail = plain.recorder.received()
    assert mail["Subject"] == MESSAGE.subject
    assert mail["From"] == "pm@example.com"
    assert mail["To"] == "a@example.com, b@example.com"
    text, html = mail.get_body(("plain",)), mail.get_body(("html",))
    assert text is not None
    assert html is not None
    assert text.get_content().replace("\r\n", "\n").rstrip("\n") == MESSAGE.text
    assert "<b>3 days</b>" in html.get_content()
    attachments = {part.get_filename(): part for part in mail.iter_attachments()}
    assert attachments["status.pdf"].get_content_type() == "application/pdf"
    assert attachments["status.pdf"].get_payload(decode=True) == PDF
    assert attachments["tasks.csv"].get_payload(decode=True) == b"id,name\na,Design\n"


def test_starttls_and_login_with_a_trusted_private_ca(secure: Server) -> None:
    send_mail(secure_config(secure), MESSAGE, ["sponsor@example.com"])
    mail = secure.recorder.received()
    assert mail["Subject"] == MESSAGE.subject
    assert secure.recorder.envelopes[0].rcpt_tos == ["sponsor@example.com"]


def test_an_untrusted_certificate_is_refused_unless_checks_are_off(secure: Server) -> None:
    with pytest.raises(DeliveryError) as caught:
        send_mail(secure_config(secure, ca_file=None), MESSAGE, ["x@example.com"])
    assert "not trusted" in caught.value.reason
    send_mail(secure_config(secure, ca_file=None, verify=False), MESSAGE, ["x@example.com"])
    assert len(secure.recorder.envelopes) == 1


def test_login_without_starttls_is_explained(secure: Server) -> None:
    with pytest.raises(DeliveryError) as caught:
        send_mail(secure_config(secure, starttls=False), MESSAGE, ["x@example.com"])
    assert "AUTH" in caught.value.reason
    assert "STARTTLS" in caught.value.reason


def test_implicit_tls(ca: trustme.CA, tmp_path: Path) -> None:
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    with serving(ssl_context=server_context(ca)) as server:
        config = SmtpConfig(
            "127.0.0.1", server.port, ssl=True, sender="pm@example.com", ca_file=ca_file
        )
        send_mail(config, MESSAGE, ["a@x.org"])
        assert server.recorder.received()["Subject"] == MESSAGE.subject


def test_wrong_password_is_retried_with_backoff_and_never_shown(secure: Server) -> None:
    waits: list[float] = []
    config = NotifyConfig(
        smtp=secure_config(secure, password="wrong-password-77"), retries=3, backoff=0.5
    )
    [result] = deliver(config, MESSAGE, sleep=waits.append)
    assert not result.ok
    assert result.channel == "email"
    assert result.attempts == 4
    assert result.reason is not None
    assert "authentication refused (535" in result.reason
    assert waits == [0.5, 1.0, 2.0]
    for text in (result.reason, result.target, repr(result), str(config), repr(config)):
        assert "wrong-password-77" not in text
    assert secure.recorder.envelopes == []


def test_recipients_given_to_deliver_win_over_the_configured_ones(secure: Server) -> None:
    config = NotifyConfig(smtp=secure_config(secure), retries=0)
    [result] = deliver(config, MESSAGE, ["cfo@example.com"])
    assert result.ok
    assert result.attempts == 1
    assert result.target == f"smtp alice@127.0.0.1:{secure.port} (STARTTLS) to cfo@example.com"
    assert secure.recorder.envelopes[0].rcpt_tos == ["cfo@example.com"]


def test_server_down_reads_as_connection_refused() -> None:
    port = free_port()
    config = NotifyConfig(
        smtp=SmtpConfig("127.0.0.1", port, sender="pm@example.com", recipients=("a@x.org",)),
        retries=1,
        backoff=0,
    )
    [result] = deliver(config, MESSAGE, sleep=lambda _: None)
    assert not result.ok
    assert result.attempts == 2
    assert result.reason == f"connection refused by 127.0.0.1:{port}"


def test_a_partly_refused_mail_is_not_sent_twice(plain: Server) -> None:
    config = SmtpConfig("127.0.0.1", plain.port, starttls=False, sender="pm@example.com")
    with pytest.raises(DeliveryError) as caught:
        send_mail(config, MESSAGE, ["a@example.com", "nobody@example.com"])
    assert not caught.value.retryable
    assert caught.value.reason == (
        "some recipients refused: nobody@example.com (550 5.1.1 No such user)"
    )
    assert len(plain.recorder.envelopes) == 1


def test_each_recipient_has_a_mail_and_a_result_of_their_own(plain: Server) -> None:
    config = NotifyConfig(
        smtp=SmtpConfig("127.0.0.1", plain.port, starttls=False, sender="pm@example.com"),
        retries=1,
        backoff=0,
    )
    ok, refused = deliver(config, MESSAGE, ["a@example.com", "nobody@example.com"])
    assert (ok.ok, ok.attempts, ok.target.endswith(" to a@example.com")) == (True, 1, True)
    assert not refused.ok
    assert (refused.reason or "").startswith("recipients refused: nobody@example.com (550")
    assert [e.rcpt_tos for e in plain.recorder.envelopes] == [["a@example.com"]]


def test_all_recipients_refused(plain: Server) -> None:
    config = SmtpConfig("127.0.0.1", plain.port, starttls=False, sender="pm@example.com")
    with pytest.raises(DeliveryError) as caught:
        send_mail(config, MESSAGE, ["nobody@example.com"])
    assert caught.value.reason.startswith("recipients refused: nobody@example.com (550")
    assert caught.value.retryable
