"""A broken report snapshot or earned value record is named in a clear message, and does not
block the commands that can do without it."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.cli.output import EXIT_INVALID_INPUT

runner = CliRunner()

PLAN = """\
project: {name: Checkout, start: 2027-01-04, status_date: 2027-01-06}
tasks:
  - {id: a, name: A, duration: 5d, percent_complete: 40, actual_start: 2027-01-04}
  - {id: done, name: Done, milestone: true, after: [a]}
"""
BROKEN = '{"tasks": {"a": '  # cut off, as a killed writer of old left it


def _plan(tmp_path: Path) -> Path:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN)
    return plan


def test_a_broken_snapshot_does_not_stop_the_report(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    snapshot = tmp_path / "plan.report.json"
    snapshot.write_text(BROKEN)
    out = tmp_path / "status.md"
    result = runner.invoke(app, ["report", str(plan), "-o", str(out), "-n", "0", "--no-snapshot"])
    assert result.exit_code == 0, result.output
    assert f"warning report.bad_snapshot: {snapshot}: not a techpm snapshot" in result.stderr
    assert out.exists()
    assert snapshot.read_text() == BROKEN  # --no-snapshot: left as it is
    # a report that keeps its snapshot replaces the broken one, and the next one reads it
    assert runner.invoke(app, ["report", str(plan), "-o", str(out), "-n", "0"]).exit_code == 0
    again = runner.invoke(app, ["report", str(plan), "-o", str(out), "-n", "0"])
    assert again.exit_code == 0, again.output
    assert "bad_snapshot" not in again.stderr


def test_a_broken_snapshot_asked_for_is_an_error_naming_it(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    since = tmp_path / "last-week.json"
    since.write_text(BROKEN)
    out = tmp_path / "status.md"
    result = runner.invoke(app, ["report", str(plan), "-o", str(out), "--since", str(since)])
    assert result.exit_code == EXIT_INVALID_INPUT
    assert f"error report.bad_snapshot: {since}: not a techpm snapshot" in result.stderr
    assert not out.exists()


def test_a_broken_earned_value_record_is_named_and_never_overwritten(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    history = tmp_path / "plan.evm-history.json"
    history.write_text(BROKEN)
    shown = runner.invoke(app, ["evm", str(plan), "-f", "json"])
    assert shown.exit_code == 0, shown.output
    assert f"warning evm.bad_history: {history}: not an earned value record" in shown.stderr
    recorded = runner.invoke(app, ["evm", str(plan), "--record"])
    assert recorded.exit_code == EXIT_INVALID_INPUT
    assert f"error evm.bad_history: {history}" in recorded.stderr
    assert history.read_text() == BROKEN
