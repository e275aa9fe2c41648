"""What gets sent, independent of the channel, and the one way sending can fail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from techpm.domain.errors import TechpmError

Severity = Literal["green", "amber", "red", "info"]


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str


@dataclass(frozen=True)
class Message:
    """`text` is always sent; `html` is an optional richer e-mail body, chat uses `text`."""

    subject: str
    text: str
    html: str | None = None
    attachments: tuple[Attachment, ...] = ()
    severity: Severity = "info"
    link: str | None = None


class DeliveryError(TechpmError):
    """A send failed; `reason` is for humans and never contains a secret.

    `retryable` is False only when retrying would duplicate what already arrived
    (some recipients accepted the mail).
    """

    code = "notify.delivery"

    def __init__(self, reason: str, *, retryable: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
