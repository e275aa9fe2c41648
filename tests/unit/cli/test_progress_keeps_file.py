"""`techpm progress` changes only the lines of the tasks it updates, and keeps what the file
is: a symlink, its mode, CRLF line endings, a byte-order mark; recording nothing writes
nothing."""

from __future__ import annotations

import difflib
import os
import stat
from pathlib import Path

from typer.testing import CliRunner

from techpm.cli.main import app

runner = CliRunner()

# formatted by hand: aligned values, flow mappings, a name spread over two lines, comments,
# blank lines and keys in the author's order
PLAN = """\
# Checkout release, formatted by hand
project:
  name:    Checkout       # aligned
  start:   2027-01-04

tasks:
  - {id: design, name: Design,    duration: 3d}   # flow mappings, aligned
  - {id: api,    name: API,       duration: 5d, after: [design]}
  - duration: 4d
    id: build
    name: Build the checkout
      and the payment page
    after: [api]
    # reviewed each Friday

  # the launch
  - id: launch
    name: Launch
    milestone: true
    after:
      - build
"""
SHEET = (
    "task,actual_start,actual_finish,percent_complete,actual_cost\n"
    "design,2027-01-04,2027-01-06,100,3000\n"
    "build,2027-01-12,,40,\n"
)
# by hand: design gets its values appended inside its braces (its line only); build gets
# new keys at the indent of its others, right after its last entry (above its comment);
# the project block gets the status date after its last key. Nothing else moves.
EXPECTED = """\
# Checkout release, formatted by hand
project:
  name:    Checkout       # aligned
  start:   2027-01-04
  status_date: 2027-01-13

tasks:
  - {id: design, name: Design,    duration: 3d, actual_start: 2027-01-04, \
actual_finish: 2027-01-06, percent_complete: 100, actual_cost: 3000}   # flow mappings, aligned
  - {id: api,    name: API,       duration: 5d, after: [design]}
  - duration: 4d
    id: build
    name: Build the checkout
      and the payment page
    after: [api]
    actual_start: 2027-01-12
    percent_complete: 40
    # reviewed each Friday

  # the launch
  - id: launch
    name: Launch
    milestone: true
    after:
      - build
"""


def _record(plan: Path, sheet_text: str = SHEET, *extra: str) -> str:
    sheet = plan.parent / "status.csv"
    sheet.write_text(sheet_text)
    result = runner.invoke(app, ["progress", str(plan), str(sheet), *extra])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_only_the_lines_of_updated_tasks_change(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN)
    _record(plan, SHEET, "--status-date", "2027-01-13")
    text = plan.read_text()
    assert text == EXPECTED, "".join(
        difflib.unified_diff(EXPECTED.splitlines(True), text.splitlines(True))
    )
    # the line diff: one line replaced (design), three lines inserted, nothing else
    ops = difflib.SequenceMatcher(a=PLAN.splitlines(), b=text.splitlines()).get_opcodes()
    changed = [(tag, i1, i2) for tag, i1, i2, _, _ in ops if tag != "equal"]
    assert changed == [("insert", 4, 4), ("replace", 6, 7), ("insert", 13, 13)]


def test_a_symlinked_plan_stays_a_link_and_its_target_keeps_its_mode(tmp_path: Path) -> None:
    real = tmp_path / "plans" / "checkout.yaml"
    real.parent.mkdir()
    real.write_text(PLAN)
    real.chmod(0o600)
    link = tmp_path / "plan.yaml"
    link.symlink_to(real)
    _record(link)
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert "percent_complete: 40" in real.read_text()
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert sorted(p.name for p in real.parent.iterdir()) == ["checkout.yaml"]  # no leftovers
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml", "plans", "status.csv"]


def test_crlf_line_endings_and_a_byte_order_mark_stay(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    original = b"\xef\xbb\xbf" + PLAN.replace("\n", "\r\n").encode()
    plan.write_bytes(original)
    _record(plan, SHEET, "--status-date", "2027-01-13")
    written = plan.read_bytes()
    assert written == b"\xef\xbb\xbf" + EXPECTED.replace("\n", "\r\n").encode()


def test_a_sheet_that_records_nothing_writes_nothing(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN)
    before = plan.stat()
    os.utime(plan, ns=(before.st_atime_ns, before.st_mtime_ns - 10**9))  # a second ago
    before = plan.stat()
    said = _record(plan, "task,percent_complete\ndesign,\n")
    assert said == f"{plan}: nothing new to record; the file is unchanged\n"
    after = plan.stat()
    assert (after.st_mtime_ns, after.st_ino) == (before.st_mtime_ns, before.st_ino)
    assert plan.read_text() == PLAN


def test_a_sheet_already_recorded_writes_nothing(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN)
    _record(plan, SHEET, "--status-date", "2027-01-13")
    before = plan.stat()
    said = _record(plan, SHEET, "--status-date", "2027-01-13")
    assert said == f"{plan}: nothing new to record; the file is unchanged\n"
    after = plan.stat()
    assert (after.st_mtime_ns, after.st_ino) == (before.st_mtime_ns, before.st_ino)
    assert plan.read_text() == EXPECTED
