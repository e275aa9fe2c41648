"""`techpm notify`: mail the status report, or alerts, and post them to chat webhooks."""

from __future__ import annotations

from pathlib import Path

import typer

from techpm.bootstrap.notify_settings import notification_config
from techpm.cli.output import EXIT_UNDELIVERED, reporting_errors, stderr, stdout
from techpm.cli.report import Audience
from techpm.cli.schedule import LEVEL_OPT, PLAN_ARG
from techpm.services.notifying import (
    Notice,
    Sending,
    send_alerts,
    send_report,
)


def notify(
    plan: Path = PLAN_ARG,
    config: Path | None = typer.Option(
        None, "--config", help="Settings file (TOML); TECHPM_SMTP_* and TECHPM_WEBHOOK_* too."
    ),
    alerts: bool = typer.Option(
        False,
        "--alerts",
        help="Send only news since the last alerts: slipped milestones, new high risks, "
        "measures turned red.",
    ),
    to: list[str] = typer.Option(
        [],
        "--to",
        help="Mail to this address (repeatable); default: the configured ones, "
        "else the stakeholders'.",
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Where the report is kept (default PLAN-status.html)."
    ),
    audience: Audience | None = typer.Option(
        None, "--audience", help="Edition for everyone (default: each stakeholder's own)."
    ),
    iterations: int = typer.Option(2000, "-n", "--iterations", min=0, help="Simulation runs."),
    seed: int | None = typer.Option(None, "--seed", help="Seed, for reproducible odds."),
    dry_run: bool = typer.Option(
        False,
        "--dry-run",
        help="Say what would be sent to whom, and send nothing; needs no settings.",
    ),
    force: bool = typer.Option(
        False, "--force", help="Send the report to everyone now, whatever their frequency."
    ),
    level: bool | None = LEVEL_OPT,
) -> None:
    """Send the status report, or alerts, by e-mail (SMTP) and to Slack or Teams webhooks;
    a failed send is retried with backoff, then reported with exit code 6."""
    with reporting_errors():
        settings = notification_config(config, required=not dry_run)
        how = Sending(
            settings, tuple(to), iterations, seed, dry_run=dry_run, force=force, level=level
        )
        if alerts:
            notices = send_alerts(plan, how)
        else:
            kept = output or plan.with_name(f"{plan.stem}-status.html")
            notices = send_report(plan, kept, how, audience.value if audience else None)
    if not notices:
        stdout.print("Nothing new to alert on.", markup=False)
    failed = False
    for notice in notices:
        _print(notice, dry_run)
        failed = failed or not notice.ok
    if failed:
        stderr.print(
            "error notify.undelivered: not every message was delivered; those not marked "
            "sent will be sent again next time",
            markup=False,
        )
        raise typer.Exit(EXIT_UNDELIVERED)


def _print(notice: Notice, dry_run: bool) -> None:
    stdout.print(notice.subject, markup=False)
    for alert in notice.alerts:
        stdout.print(f"  - {alert.text}", markup=False)
    if notice.report is not None:
        costs = "" if notice.costs else ", without cost figures"
        stdout.print(f"  report: {notice.report} ({notice.edition} edition{costs})", markup=False)
    if dry_run:
        if notice.recipients or not notice.webhooks:
            mailed = ", ".join(notice.recipients) or "nobody"
            stdout.print(f"  would mail, each on their own: {mailed}", markup=False)
        for hook in notice.webhooks:
            stdout.print(f"  would post: {hook}", markup=False)
    for who in notice.not_due:
        stdout.print(f"  not due: {who}", markup=False)
    if dry_run:
        stdout.print("  (dry run, nothing sent)", markup=False)
        return
    for result in notice.results:
        tries = f"{result.attempts} attempt{'s' if result.attempts != 1 else ''}"
        if result.ok:
            stdout.print(f"  sent: {result.channel} {result.target} ({tries})", markup=False)
        else:
            stderr.print(
                f"  FAILED: {result.channel} {result.target} after {tries}: {result.reason}",
                markup=False,
            )
