"""Post a `Message` to a Slack or Microsoft Teams incoming webhook as JSON.

Slack gets Block Kit (header, mrkdwn section, context) with a plain `text` fallback for
notifications; Teams gets a legacy MessageCard, which its incoming webhooks still accept.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from techpm.interop.notify.config import WebhookConfig, WebhookFormat, redact_url
from techpm.interop.notify.message import DeliveryError, Message, Severity

SLACK_HEADER_LIMIT = 150
SLACK_SECTION_LIMIT = 3000
BODY_SHOWN = 200
SLACK_EMOJI: dict[Severity, str] = {
    "green": ":large_green_circle: ",
    "amber": ":large_orange_circle: ",
    "red": ":red_circle: ",
    "info": "",
}
TEAMS_COLOR: dict[Severity, str] = {
    "green": "2EB886",
    "amber": "F2A93B",
    "red": "D40E0D",
    "info": "0076D7",
}


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _summary(message: Message) -> str:
    first = next((line.strip() for line in message.text.splitlines() if line.strip()), "")
    return f"{message.subject}: {_cut(first, 200)}" if first else message.subject


def _slack_escape(text: str) -> str:
    """Slack reads &, < and > as markup; everything else in mrkdwn is left to the author."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack(message: Message) -> dict[str, Any]:
    header = _cut(SLACK_EMOJI[message.severity] + message.subject, SLACK_HEADER_LIMIT)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": header, "emoji": True}}
    ]
    if message.text.strip():
        text = _cut(_slack_escape(message.text), SLACK_SECTION_LIMIT)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
    context = []
    if message.severity != "info":
        context.append({"type": "mrkdwn", "text": f"*Status:* {message.severity.upper()}"})
    if message.link:
        context.append({"type": "mrkdwn", "text": f"<{message.link}|Open the report>"})
    if context:
        blocks.append({"type": "context", "elements": context})
    return {"text": _slack_escape(_summary(message)), "blocks": blocks}


def _teams(message: Message) -> dict[str, Any]:
    card: dict[str, Any] = {
        "@type": "MessageCard",
        "@context": "http://schema.org/extensions",
        "summary": _summary(message),
        "themeColor": TEAMS_COLOR[message.severity],
        "title": message.subject,
        "text": message.text,
    }
    if message.link:
        card["potentialAction"] = [
            {
                "@type": "OpenUri",
                "name": "Open the report",
                "targets": [{"os": "default", "uri": message.link}],
            }
        ]
    return card


def payload(message: Message, format: WebhookFormat) -> dict[str, Any]:
    return _teams(message) if format == "teams" else _slack(message)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirected POST turns into a GET that "succeeds" without delivering; fail instead."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _excerpt(body: bytes) -> str:
    return _cut(" ".join(body.decode("utf-8", "replace").split()), BODY_SHOWN)


def _scrub(reason: str, url: str) -> str:
    """Services sometimes echo the request path, which holds the token."""
    path = urlsplit(url).path
    return reason.replace(path, "/***") if len(path) > 1 else reason


def post_webhook(config: WebhookConfig, message: Message, timeout: float = 10.0) -> None:
    """Any 2xx answer counts as delivered; everything else raises `DeliveryError`."""
    target = redact_url(config.url)
    try:
        scheme = urlsplit(config.url).scheme
    except ValueError:
        scheme = ""
    if scheme not in ("http", "https"):
        raise DeliveryError(f"webhook URL {target} is not a valid http(s) URL", retryable=False)
    request = urllib.request.Request(
        config.url,
        data=json.dumps(payload(message, config.format)).encode("utf-8"),
        headers={"Content-Type": "application/json", "User-Agent": "techpm"},
        method="POST",
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            body = _excerpt(exc.read())
        reason = f"webhook answered {exc.code} {exc.reason}" + (f": {body}" if body else "")
        raise DeliveryError(_scrub(reason, config.url)) from None
    except urllib.error.URLError as exc:
        cause = exc.reason
        if isinstance(cause, ConnectionRefusedError):
            reason = f"connection refused by {target}"
        elif isinstance(cause, TimeoutError):
            reason = f"no answer from {target} within {timeout:g} s"
        else:
            reason = f"cannot reach {target} ({getattr(cause, 'strerror', None) or cause})"
        raise DeliveryError(_scrub(reason, config.url)) from None
    except TimeoutError:
        raise DeliveryError(f"no answer from {target} within {timeout:g} s") from None
    except (http.client.HTTPException, OSError) as exc:
        raise DeliveryError(_scrub(f"webhook {target} failed: {exc}", config.url)) from None
    except ValueError:  # a malformed URL set in code; its text may hold the token
        raise DeliveryError(f"webhook URL {target} is malformed", retryable=False) from None
