"""Send the status report, or alerts, to the people of the communication plan, and remember
what reached whom so that nothing is announced twice nor marked sent when it was not."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from techpm.domain.errors import PlanFileError
from techpm.interop.notify.config import NotifyConfig
from techpm.interop.notify.delivery import DeliveryResult, mail_each, mail_target, post_each
from techpm.interop.notify.message import Attachment, Message, Severity
from techpm.interop.planfile.writeback import replace_file
from techpm.interop.safe_write import locked
from techpm.reporting.alerts import Alert, alert_state, detect_alerts
from techpm.reporting.editions import edition
from techpm.reporting.render import summary
from techpm.reporting.report_model import StatusReport
from techpm.services.recipients import addressees, due, finished_milestones
from techpm.services.report_files import write_report
from techpm.services.status_reporting import build_report

MIME = {".html": "text/html", ".htm": "text/html", ".pdf": "application/pdf"}
MIME_DEFAULT = "text/markdown"


@dataclass(frozen=True)
class Notice:
    """One message (one edition of the report, or the alerts, or the chat post) and what
    became of it: sent to each recipient on their own, never on one visible To: line."""

    subject: str
    recipients: tuple[str, ...]
    report: Path | None
    alerts: tuple[Alert, ...]
    results: tuple[DeliveryResult, ...]
    edition: str | None = None
    costs: bool = True
    webhooks: tuple[str, ...] = ()  # the chat targets it goes (or would go) to
    not_due: tuple[str, ...] = ()  # "who: why not now", from their cadence

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


def _given(to: tuple[str, ...], settings: NotifyConfig) -> tuple[str, ...]:
    return to or (settings.smtp.recipients if settings.smtp else ())


def _pending_hooks(
    config: NotifyConfig, keys: list[str], sent: dict[str, list[str]]
) -> NotifyConfig:
    """Only the webhooks that have not yet had every one of these events."""

    def missing(target: str) -> bool:
        return not all(target in sent.get(key, []) for key in keys)

    return replace(config, webhooks=tuple(h for h in config.webhooks if missing(h.describe())))


def _severity(rating: str) -> Severity:
    return "red" if rating == "red" else "amber" if rating == "amber" else "green"


@dataclass(frozen=True)
class Sending:
    """How to send: the channels, who to (default: the communication plan), the report's
    simulation, whether to only say what would be sent, and whether to ignore cadences."""

    config: NotifyConfig
    to: tuple[str, ...] = ()
    iterations: int = 2000
    seed: int | None = None
    dry_run: bool = False
    sleep: Callable[[float], None] = time.sleep
    force: bool = False
    today: date | None = None
    level: bool | None = None  # report on the leveled schedule (None: as the plan says)


def _subject(report: StatusReport) -> str:
    return (
        f"[{report.verdict.overall.upper()}] {report.project}: status "
        f"{(report.status_date or report.generated_at.date()).isoformat()}"
    )


def _variant_path(output: Path, edition: str, costs: bool, variants: int) -> Path:
    if variants == 1:
        return output
    return output.with_stem(f"{output.stem}-{edition}" + ("" if costs else "-external"))


def _state_lock(plan: Path, dry_run: bool) -> AbstractContextManager[object]:
    """One run at a time per plan: two at once would both send what the record lacks."""
    return nullcontext() if dry_run else locked(state_path(plan))


def send_report(
    plan: str | Path, output: Path, how: Sending, audience: str | None = None
) -> list[Notice]:
    """Send the report under the lock of the plan's notification record."""
    with _state_lock(Path(plan), how.dry_run):
        return _send_report(Path(plan), output, how, audience)


def send_alerts(plan: str | Path, how: Sending) -> list[Notice]:
    """Send the alerts under the lock of the plan's notification record."""
    with _state_lock(Path(plan), how.dry_run):
        return _send_alerts(Path(plan), how)


def _send_report(
    plan: Path, output: Path, how: Sending, audience: str | None = None
) -> list[Notice]:
    """Render each edition that someone is due (kept on disk whatever happens to the
    sending), mail it to each of them on their own, and post the summary to each webhook
    once."""
    plan = Path(plan)
    config, dry_run = how.config, how.dry_run
    today = how.today or date.today()
    report, _ = build_report(
        plan,
        audience=audience or "team",
        iterations=how.iterations,
        seed=how.seed,
        level=how.level,
    )
    state = read_state(plan)
    records: dict[str, Any] = state.setdefault("recipients", {})
    people = addressees(report, _given(how.to, config), audience)
    waiting = {
        p.address: None if how.force else due(p, records.get(p.address), today, report)
        for p in people
    }
    now_due = [p for p in people if waiting[p.address] is None]
    variants = sorted({(p.edition, p.costs) for p in now_due}, key=lambda v: (v[0], not v[1]))
    not_due = tuple(
        f"{p.who} <{p.address}>: {waiting[p.address]}" for p in people if waiting[p.address]
    )
    notices = []
    for edition_name, costs in variants:
        shaped = edition(report, edition_name, costs=costs)
        path = _variant_path(output, edition_name, costs, len(variants))
        write_report(shaped, path)
        message = Message(
            subject=_subject(shaped),
            text="\n".join(summary(shaped)) + f"\n\nThe full report is attached ({path.name}).",
            attachments=(
                Attachment(path.name, path.read_bytes(), MIME.get(path.suffix, MIME_DEFAULT)),
            ),
            severity=_severity(shaped.verdict.overall),
        )
        to = tuple(p.address for p in now_due if (p.edition, p.costs) == (edition_name, costs))
        results = () if dry_run else tuple(mail_each(config, message, to, sleep=how.sleep))
        notices.append(Notice(message.subject, to, path, (), results, edition_name, costs))
    if not people and config.smtp is not None:
        results = () if dry_run else tuple(mail_each(config, _plain(report), (), sleep=how.sleep))
        notices.append(Notice(_subject(report), (), None, (), results))
    chat = edition(report, audience or report.audience)
    if config.webhooks:
        post = Message(
            subject=_subject(chat),
            text="\n".join(summary(chat)),
            severity=_severity(chat.verdict.overall),
        )
        results = () if dry_run else tuple(post_each(config, post, sleep=how.sleep))
        hooks = tuple(h.describe() for h in config.webhooks)
        notices.append(Notice(post.subject, (), None, (), results, webhooks=hooks))
    if notices:
        notices[0] = replace(notices[0], not_due=not_due)
    else:
        notices.append(Notice(_subject(report), (), None, (), (), not_due=not_due))
    if not dry_run:
        _remember(state, notices, report, today)
        _write_state(plan, state)
    return notices


def _plain(report: StatusReport) -> Message:
    return Message(subject=_subject(report), text="\n".join(summary(report)))


def _remember(
    state: dict[str, Any], notices: list[Notice], report: StatusReport, today: date
) -> None:
    """What reached whom, and when each person last had a report (for their cadence)."""
    records: dict[str, Any] = state.setdefault("recipients", {})
    for notice in notices:
        for result in notice.results:
            if result.ok:
                state["sent"].setdefault(f"report:{notice.subject}", []).append(result.target)
        delivered = {r.target for r in notice.results if r.ok}
        for address in notice.recipients:
            if any(t.endswith(f" to {address}") for t in delivered):
                records[address] = {
                    "last_sent": today.isoformat(),
                    "milestones": finished_milestones(report),
                }


def _alert_message(report: StatusReport, alerts: list[Alert]) -> Message:
    severity = "red" if any(a.severity == "red" for a in alerts) else "amber"
    return Message(
        subject=f"[{severity.upper()}] {report.project}: {len(alerts)} "
        f"alert{'s' if len(alerts) != 1 else ''}",
        text="\n".join(f"- {a.text}" for a in alerts),
        severity=_severity(severity),
    )


def _send_alerts(plan: Path, how: Sending) -> list[Notice]:
    """New events since the last alerts that all went out; a target that already got an
    event is not sent it again. Alerts go to everyone on the list whatever their cadence;
    people who see no money get no cost alerts."""
    plan = Path(plan)
    config, dry_run = how.config, how.dry_run
    report, _ = build_report(plan, iterations=how.iterations, seed=how.seed, level=how.level)
    state = read_state(plan)
    alerts = detect_alerts(report, state.get("compared"))
    if not alerts:
        if not dry_run:
            state["compared"] = alert_state(report)
            _write_state(plan, state)
        return []
    people = addressees(report, _given(how.to, config), None)
    sent: dict[str, list[str]] = state["sent"]
    smtp = config.smtp
    notices: list[Notice] = []
    for costs in (True, False):
        group = [p for p in people if p.costs == costs]
        shown = [a for a in alerts if costs or not a.cost]
        if not group or not shown:
            continue
        message = _alert_message(report, shown)
        to = tuple(
            p.address
            for p in group
            if smtp is None
            or dry_run
            or not all(
                mail_target(smtp.describe(), p.address) in sent.get(a.key, []) for a in shown
            )
        )
        results = (
            () if dry_run or not to else tuple(mail_each(config, message, to, sleep=how.sleep))
        )
        notices.append(Notice(message.subject, to, None, tuple(shown), results, costs=costs))
    if config.webhooks:
        message = _alert_message(report, alerts)
        hooks = config if dry_run else _pending_hooks(config, [a.key for a in alerts], sent)
        results = () if dry_run else tuple(post_each(hooks, message, sleep=how.sleep))
        described = tuple(h.describe() for h in hooks.webhooks)
        notices.append(
            Notice(message.subject, (), None, tuple(alerts), results, webhooks=described)
        )
    if not notices:
        notices.append(Notice(_alert_message(report, alerts).subject, (), None, tuple(alerts), ()))
    if dry_run:
        return notices
    for notice in notices:
        for alert in notice.alerts:
            for result in notice.results:
                if result.ok and result.target not in sent.setdefault(alert.key, []):
                    sent[alert.key].append(result.target)
    if all(n.ok for n in notices):
        state["compared"] = alert_state(report)  # the next run looks for news after these
    state["last_run"] = datetime.now().isoformat(timespec="seconds")
    _write_state(plan, state)
    return notices
