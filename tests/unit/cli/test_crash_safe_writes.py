"""A command that dies, or hits a full disk, at its first write never destroys the file it
was replacing, and the temporary files it leaves are cleaned: each writer is run in a real
process that is killed (SIGXFSZ) or made to fail (EFBIG) at its first byte written."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from techpm.cli.main import app

runner = CliRunner()
HARNESS = Path(__file__).with_name("crashing_cli.py")

PLAN = """\
project: {name: Checkout, start: 2027-01-04, status_date: 2027-01-08}
resources:
  - {id: ana, name: Ana, rate: 100}
tasks:
  - {id: a, name: A, duration: 5d, assign: [{resource: ana}], percent_complete: 50, actual_start: 2027-01-04, actual_cost: 1500}
  - {id: b, name: B, duration: 3d, after: [a], assign: [{resource: ana}]}
  - {id: done, name: Done, milestone: true, after: [b]}
"""  # noqa: E501


@dataclass(frozen=True)
class Writer:
    """A command, the file it replaces, and how to make that file exist beforehand."""

    target: str
    args: list[str]
    prepare: Callable[[Path], None]


def _run(folder: Path, *args: str) -> None:
    result = runner.invoke(app, [*args])
    assert result.exit_code == 0, result.output


def _old(name: str) -> Callable[[Path], None]:
    def prepare(folder: Path) -> None:
        (folder / name).write_text(f"the previous {name}\n")

    return prepare


def _baseline(folder: Path) -> None:
    _run(folder, "baseline", str(folder / "plan.yaml"), "--name", "v1")


def _snapshot(folder: Path) -> None:
    plan = folder / "plan.yaml"
    _run(folder, "report", str(plan), "-o", str(folder / "first.md"), "-n", "0")


def _history(folder: Path) -> None:
    _run(folder, "evm", str(folder / "plan.yaml"), "--record", "--status-date", "2027-01-06")


def _import_source(folder: Path) -> None:
    _run(folder, "export", str(folder / "plan.yaml"), "-o", str(folder / "source.json"))
    (folder / "imported.yaml").write_text(PLAN.replace("Checkout", "Previous"))


def _sheet(folder: Path) -> None:
    (folder / "status.csv").write_text("task,percent_complete\nb,20\n")


WRITERS = {
    "baseline --force": Writer(
        "plan.baseline.v1.json", ["baseline", "plan.yaml", "--name", "v1", "--force"], _baseline
    ),
    "import --force": Writer(
        "imported.yaml",
        ["import", "source.json", "-o", "imported.yaml", "--force"],
        _import_source,
    ),
    "report snapshot": Writer(
        "plan.report.json", ["report", "plan.yaml", "-o", "status.md", "-n", "0"], _snapshot
    ),
    "report": Writer(
        "status.md",
        ["report", "plan.yaml", "-o", "status.md", "-n", "0", "--no-snapshot"],
        _old("status.md"),
    ),
    "schedule -o": Writer(
        "out.json", ["schedule", "plan.yaml", "-f", "json", "-o", "out.json"], _old("out.json")
    ),
    "budget -o": Writer(
        "budget.json",
        ["budget", "plan.yaml", "-f", "json", "-o", "budget.json"],
        _old("budget.json"),
    ),
    "export": Writer(
        "export.json", ["export", "plan.yaml", "-o", "export.json"], _old("export.json")
    ),
    "evm --record": Writer("plan.evm-history.json", ["evm", "plan.yaml", "--record"], _history),
    "progress": Writer("plan.yaml", ["progress", "plan.yaml", "status.csv"], _sheet),
    "idea add": Writer("plan.yaml", ["idea", "add", "plan.yaml", "--title", "Dark mode"], _sheet),
}


def _leftovers(folder: Path, target: str) -> list[str]:
    """Files next to the target made for writing it (temporary files, locks)."""
    pattern = re.compile(rf"^\.{re.escape(target)}\..+")
    return sorted(p.name for p in folder.iterdir() if pattern.match(p.name))


def _crash(folder: Path, writer: Writer, mode: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(HARNESS), writer.target, mode, "--", *writer.args]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "plan.yaml").write_text(PLAN)
    return tmp_path


@pytest.mark.parametrize("name", list(WRITERS))
def test_a_writer_killed_at_its_first_write_keeps_the_old_file(folder: Path, name: str) -> None:
    writer = WRITERS[name]
    writer.prepare(folder)
    target = folder / writer.target
    before = target.read_bytes()
    crashed = _crash(folder, writer, "kill")
    assert crashed.returncode == -signal.SIGXFSZ, crashed.stderr
    assert target.read_bytes() == before  # whole, not empty nor half written
    # the next run of the same writer removes what the killed one left, then writes
    again = subprocess.run(
        [sys.executable, "-c", "from techpm.cli.main import main; main()", *writer.args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    assert _leftovers(folder, writer.target) == []


@pytest.mark.parametrize("name", list(WRITERS))
def test_a_full_disk_at_the_first_write_keeps_the_old_file(folder: Path, name: str) -> None:
    writer = WRITERS[name]
    writer.prepare(folder)
    target = folder / writer.target
    before = target.read_bytes()
    failed = _crash(folder, writer, "fail")
    assert failed.returncode != 0
    assert "Traceback" not in failed.stderr
    assert f"cannot write {target}" in failed.stderr  # names the file
    assert target.read_bytes() == before
    assert _leftovers(folder, writer.target) == []  # cleaned at once
