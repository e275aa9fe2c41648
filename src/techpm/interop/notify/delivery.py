"""Send over every configured channel with retries, and say per target what happened.

A report that fails to reach Slack must still go out by e-mail, so failures become
`DeliveryResult`s instead of exceptions.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Literal

from techpm.interop.notify.config import NotifyConfig
from techpm.interop.notify.message import DeliveryError, Message
from techpm.interop.notify.smtp import send_mail
from techpm.interop.notify.webhook import post_webhook

Channel = Literal["email", "webhook"]


@dataclass(frozen=True)
class DeliveryResult:
    channel: Channel
    target: str
    ok: bool
    attempts: int
    reason: str | None = None


def _with_retries(
    channel: Channel,
    target: str,
    send: Callable[[], None],
    config: NotifyConfig,
    sleep: Callable[[float], None],
) -> DeliveryResult:
    """Waits double from `backoff`; a rejection is retried too, as servers often recover."""
    attempts = 0
    while True:
        attempts += 1
        try:
            send()
        except DeliveryError as exc:
            if not exc.retryable or attempts > config.retries:
                return DeliveryResult(channel, target, False, attempts, exc.reason)
            sleep(config.backoff * 2 ** (attempts - 1))
        else:
            return DeliveryResult(channel, target, True, attempts)


def mail_target(describe: str, address: str) -> str:
    """One mail per person, so each is its own target in the record of what was sent."""
    return f"{describe} to {address}"


def mail_each(
    config: NotifyConfig,
    message: Message | Callable[[str], Message],
    recipients: Sequence[str],
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> list[DeliveryResult]:
    """One e-mail per recipient, addressed to that person alone: nobody sees who else got
    it, and a refusal of one address does not hold back the others. `message` may be a
    function of the address, for editions that differ per person."""
    smtp = config.smtp
    if smtp is None:
        return []
    if not recipients:
        return [DeliveryResult("email", smtp.describe(), False, 0, "no recipients")]
    results = []
    for address in recipients:
        mail = message(address) if callable(message) else message
        results.append(
            _with_retries(
                "email",
                mail_target(smtp.describe(), address),
                partial(send_mail, smtp, mail, (address,)),
                config,
                sleep,
            )
        )
    return results


def post_each(
    config: NotifyConfig, message: Message, *, sleep: Callable[[float], None] = time.sleep
) -> list[DeliveryResult]:
    """One post per configured webhook."""
    return [
        _with_retries(
            "webhook", hook.describe(), partial(post_webhook, hook, message), config, sleep
        )
        for hook in config.webhooks
    ]


def deliver(
    config: NotifyConfig,
    message: Message,
    recipients: Sequence[str] | None = None,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> list[DeliveryResult]:
    """E-mail goes to `recipients` if given, else to the configured ones, one mail each;
    one result per target, in the order e-mail, then webhooks as configured."""
    smtp = config.smtp
    to = tuple(recipients) if recipients is not None else smtp.recipients if smtp else ()
    return mail_each(config, message, to, sleep=sleep) + post_each(config, message, sleep=sleep)
