"""Send a `Message` by e-mail with the standard library, turning every failure into a reason
a project manager can act on ("connection refused by ...", "authentication refused ...")."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from contextlib import suppress
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from techpm.interop.notify.config import SmtpConfig
from techpm.interop.notify.message import DeliveryError, Message


def build_email(config: SmtpConfig, message: Message, recipients: Sequence[str]) -> EmailMessage:
    email = EmailMessage()
    email["From"] = config.sender
    email["To"] = ", ".join(recipients)
    email["Subject"] = " ".join(message.subject.split())
    email["Date"] = formatdate(localtime=True)
    email["Message-ID"] = make_msgid(domain=config.sender.rpartition("@")[2] or None)
    email.set_content(message.text)
    if message.html is not None:
        email.add_alternative(message.html, subtype="html")
    for attachment in message.attachments:
        maintype, _, subtype = attachment.mime_type.partition("/")
        if not maintype or not subtype:
            maintype, subtype = "application", "octet-stream"
        email.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return email


def tls_context(config: SmtpConfig) -> ssl.SSLContext:
    """System CAs plus `ca_file`, so a self-signed relay can be trusted without losing the rest."""
    context = ssl.create_default_context()
    if config.ca_file is not None:
        context.load_verify_locations(cafile=str(config.ca_file))
    if not config.verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _answer(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}"


def _reason(exc: BaseException, config: SmtpConfig, stage: str) -> str:
    """The order matters: specific SMTP answers first, then TLS, then the socket errors."""
    where = f"{config.host}:{config.port}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"authentication refused ({_answer(exc.smtp_code, exc.smtp_error)})"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(
            f"{address} ({_answer(*answer)})" for address, answer in exc.recipients.items()
        )
        return f"recipients refused: {refused}"
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return f"sender {config.sender} refused ({_answer(exc.smtp_code, exc.smtp_error)})"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        if stage == "STARTTLS":
            return f"{where} does not offer STARTTLS"
        return f"{where} does not offer authentication (AUTH), which may need STARTTLS first"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"{where} closed the connection during {stage}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{where} answered {_answer(exc.smtp_code, exc.smtp_error)} during {stage}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate of {where} not trusted ({exc.verify_message})"
    if isinstance(exc, ssl.SSLError):
        return f"TLS with {where} failed during {stage} ({exc.reason or exc})"
    if isinstance(exc, ConnectionRefusedError):
        return f"connection refused by {where}"
    if isinstance(exc, TimeoutError):
        return f"no answer from {where} within {config.timeout:g} s during {stage}"
    if isinstance(exc, OSError) and stage == "reading the CA file":
        return f"cannot read CA file {config.ca_file} ({exc.strerror or exc})"
    if isinstance(exc, OSError):
        return f"cannot reach {where} ({exc.strerror or exc})"
    return f"{where}: {exc} during {stage}"


def _scrub(reason: str, config: SmtpConfig) -> str:
    """Servers may echo what they were sent; make sure the password is never repeated."""
    return reason.replace(config.password, "***") if config.password else reason


def send_mail(config: SmtpConfig, message: Message, recipients: Sequence[str]) -> None:
    """Raise `DeliveryError` for any failure; partial refusals are not retryable since the
    accepted recipients already have the mail."""
    try:
        email = build_email(config, message, recipients)
    except (ValueError, TypeError) as exc:
        raise DeliveryError(f"cannot build the e-mail: {exc}", retryable=False) from None
    stage = "reading the CA file"
    client: smtplib.SMTP | None = None
    try:
        context = tls_context(config) if config.ssl or config.starttls else None
        stage = "connecting"
        if config.ssl:
            client = smtplib.SMTP_SSL(
                config.host, config.port, timeout=config.timeout, context=context
            )
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
            if config.starttls:
                stage = "STARTTLS"
                client.starttls(context=context)
        if config.username:
            stage = "login"
            client.login(config.username, config.password or "")
        stage = "sending"
        refused = client.send_message(email, config.sender, list(recipients))
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(_scrub(_reason(exc, config, stage), config)) from None
    except (ValueError, OverflowError) as exc:  # a bad port or host name, set in code
        reason = f"cannot use {config.host}:{config.port} ({exc})"
        raise DeliveryError(_scrub(reason, config), retryable=False) from None
    finally:
        if client is not None:
            with suppress(smtplib.SMTPException, OSError):
                client.quit()
            client.close()
    if refused:
        answers = "; ".join(f"{address} ({_answer(*a)})" for address, a in refused.items())
        raise DeliveryError(f"some recipients refused: {answers}", retryable=False)
