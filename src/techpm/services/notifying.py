"""Send the status report, or alerts, to the people of the communication plan, and remember
what reached whom so that nothing is announced twice nor marked sent when it was not."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from techpm.domain.errors import PlanFileError
from techpm.interop.notify.config import NotifyConfig, NotifyConfigError, load_config
from techpm.interop.notify.delivery import DeliveryResult, deliver
from techpm.interop.notify.message import Attachment, Message, Severity
from techpm.interop.planfile.writeback import replace_file
from techpm.reporting.alerts import Alert, alert_state, detect_alerts
from techpm.reporting.render import summary, write_report
from techpm.reporting.report_model import StatusReport
from techpm.services.status_reporting import build_report, with_audience

MIME = {".html": "text/html", ".htm": "text/html", ".pdf": "application/pdf"}
MIME_DEFAULT = "text/markdown"


@dataclass(frozen=True)
class Notice:
    """One message to one group of recipients, and what became of it."""

    subject: str
    recipients: tuple[str, ...]
    report: Path | None
    alerts: tuple[Alert, ...]
    results: tuple[DeliveryResult, ...]

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)


def state_path(plan: Path) -> Path:
    return plan.with_name(f"{plan.stem}.notify.json")


def read_state(plan: Path) -> dict[str, Any]:
    path = state_path(plan)
    if not path.exists():
        return {"sent": {}}
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        data.setdefault("sent", {})
    except (ValueError, AttributeError) as exc:
        raise PlanFileError(
            f"{path}: not a techpm notification record ({exc})", code="notify.bad_state"
        ) from None
    return data


def _write_state(plan: Path, state: dict[str, Any]) -> None:
    replace_file(state_path(plan), json.dumps(state, indent=2, sort_keys=True) + "\n")


def notification_config(config: Path | None, env: Mapping[str, str] | None = None) -> NotifyConfig:
    settings = load_config(config, os.environ if env is None else env)
    if settings.smtp is None and not settings.webhooks:
        raise NotifyConfigError(
            "nothing to send with: give --config FILE or set TECHPM_SMTP_HOST or "
            "TECHPM_WEBHOOK_URL",
            code="notify.config",
        )
    return settings


def _groups(
    report: StatusReport, to: tuple[str, ...], settings: NotifyConfig, audience: str | None
) -> dict[str, tuple[str, ...]]:
    """Edition -> e-mail addresses: those given, else the configured ones, else each
    stakeholder of the communication plan reached by e-mail, with the edition the plan gives
    them (or the one asked for)."""
    given = to or (settings.smtp.recipients if settings.smtp else ())
    if given:
        return {audience or report.audience: given}
    groups: dict[str, list[str]] = {}
    for person in report.communication:
        if person.email and person.channel == "email":
            groups.setdefault(audience or person.audience, []).append(person.email)
    return {edition: tuple(emails) for edition, emails in groups.items()} or {
        audience or report.audience: ()
    }


def _pending(config: NotifyConfig, keys: list[str], sent: dict[str, list[str]]) -> NotifyConfig:
    """The channels that have not yet had every one of these events."""

    def missing(target: str) -> bool:
        return not all(target in sent.get(key, []) for key in keys)

    smtp = config.smtp if config.smtp is not None and missing(config.smtp.describe()) else None
    return replace(
        config, smtp=smtp, webhooks=tuple(h for h in config.webhooks if missing(h.describe()))
    )


def _severity(rating: str) -> Severity:
    return "red" if rating == "red" else "amber" if rating == "amber" else "green"


@dataclass(frozen=True)
class Sending:
    """How to send: the channels, who to (default: the communication plan), the report's
    simulation, and whether to only say what would be sent."""

    config: NotifyConfig
    to: tuple[str, ...] = ()
    iterations: int = 2000
    seed: int | None = None
    dry_run: bool = False
    sleep: Callable[[float], None] = time.sleep


def send_report(
    plan: str | Path, output: Path, how: Sending, audience: str | None = None
) -> list[Notice]:
    """Render the report (kept on disk whatever happens to the sending) and send it."""
    plan = Path(plan)
    config, dry_run = how.config, how.dry_run
    report, _ = build_report(
        plan, audience=audience or "team", iterations=how.iterations, seed=how.seed
    )
    groups = _groups(report, how.to, config, audience)
    notices = []
    for group, recipients in groups.items():
        edition = with_audience(report, group)
        path = output if len(groups) == 1 else output.with_stem(f"{output.stem}-{group}")
        write_report(edition, path)
        subject = (
            f"[{edition.verdict.overall.upper()}] {edition.project}: status "
            f"{(edition.status_date or edition.generated_at.date()).isoformat()}"
        )
        message = Message(
            subject=subject,
            text="\n".join(summary(edition)) + f"\n\nThe full report is attached ({path.name}).",
            attachments=(
                Attachment(path.name, path.read_bytes(), MIME.get(path.suffix, MIME_DEFAULT)),
            ),
            severity=_severity(edition.verdict.overall),
        )
        results = () if dry_run else tuple(deliver(config, message, recipients, sleep=how.sleep))
        notices.append(Notice(subject, recipients, path, (), results))
    if not dry_run:
        state = read_state(plan)
        for notice in notices:
            for result in notice.results:
                if result.ok:
                    state["sent"].setdefault(f"report:{notice.subject}", []).append(result.target)
        _write_state(plan, state)
    return notices


def send_alerts(plan: str | Path, how: Sending) -> list[Notice]:
    """New events since the last alerts that all went out; a target that already got an
    event is not sent it again."""
    plan = Path(plan)
    config, dry_run = how.config, how.dry_run
    report, _ = build_report(plan, iterations=how.iterations, seed=how.seed)
    state = read_state(plan)
    alerts = detect_alerts(report, state.get("compared"))
    if not alerts:
        if not dry_run:
            state["compared"] = alert_state(report)
            _write_state(plan, state)
        return []
    recipients = tuple(
        address for group in _groups(report, how.to, config, None).values() for address in group
    )
    severity = "red" if any(a.severity == "red" for a in alerts) else "amber"
    message = Message(
        subject=f"[{severity.upper()}] {report.project}: {len(alerts)} "
        f"alert{'s' if len(alerts) != 1 else ''}",
        text="\n".join(f"- {a.text}" for a in alerts),
        severity=_severity(severity),
    )
    if dry_run:
        return [Notice(message.subject, recipients, None, tuple(alerts), ())]
    sent: dict[str, list[str]] = state["sent"]
    pending = _pending(config, [a.key for a in alerts], sent)
    results = deliver(pending, message, recipients, sleep=how.sleep)
    notice = Notice(message.subject, recipients, None, tuple(alerts), tuple(results))
    for alert in alerts:
        for result in results:
            if result.ok and result.target not in sent.setdefault(alert.key, []):
                sent[alert.key].append(result.target)
    if notice.ok:
        state["compared"] = alert_state(report)  # the next run looks for news after these
    state["last_run"] = datetime.now().isoformat(timespec="seconds")
    _write_state(plan, state)
    return [notice]
