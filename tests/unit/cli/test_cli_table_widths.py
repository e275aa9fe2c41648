"""Tables at real terminal widths: the id and the name stay readable from 80 to 120
columns, dates stay whole, less important columns give way, and durations read in days."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.cli.tables import duration_text

ROOT = Path(__file__).resolve().parents[3]
MOBILE = ROOT / "examples" / "mobile-app-launch.yaml"
runner = CliRunner()


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("│")[1:-1]]


def _widest(out: str) -> int:
    """The widest line of the tables (the notes below them wrap as the terminal does)."""
    return max(len(line.rstrip()) for line in out.splitlines() if set(line) & set("┃│┏└"))


def _table(args: list[str], columns: int) -> str:
    result = runner.invoke(app, args, env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("columns", [80, 100, 120])
def test_schedule_keeps_ids_names_and_dates(columns: int) -> None:
    tasks = json.loads(_table(["schedule", str(MOBILE), "-f", "json"], 200))["tasks"]
    out = _table(["schedule", str(MOBILE)], columns)
    assert _widest(out) <= columns
    assert "…" not in out  # no cell cut short
    lines = out.splitlines()
    header = next(line for line in lines if "┃" in line)
    at = [c.strip() for c in header.split("┃")[1:-1]].index("ID")
    ids = {c[at] for c in (_cells(line) for line in lines if "│" in line)}
    for task in tasks:
        assert task["id"] in ids, (task["id"], columns)
        # a name may wrap onto more lines, but every word of it is shown
        for word in task["name"].split():
            assert word in out, (word, columns)
        assert task["start"][:10] in out
        assert task["finish"][:10] in out


def test_schedule_hides_columns_and_says_how_to_see_them() -> None:
    narrow = _table(["schedule", str(MOBILE)], 80)
    assert "--wide shows them" in narrow
    assert "┃ Resources" not in narrow
    wide = _table(["schedule", str(MOBILE), "--wide"], 80)
    assert "┃ Resources" in wide
    assert "nina.okafor, yusuf.demir" in wide
    assert "Mon 2027-03-01" in wide  # dates keep their weekday when every column is shown


@pytest.mark.parametrize(
    ("command", "ids"),
    [
        (["risks"], ["app-rejection", "stripe-sca", "android-attrition", "privacy-labels"]),
        (["stakeholders"], ["cpo", "marketing", "legal", "support", "finance"]),
    ],
)
def test_registers_keep_ids_at_80_columns(command: list[str], ids: list[str]) -> None:
    out = _table([command[0], str(MOBILE), *command[1:]], 80)
    assert _widest(out) <= 80
    assert "…" not in out
    for item in ids:
        assert re.search(rf"│ {re.escape(item)} +│", out), item


SUMMARY_PLAN = """\
project: {name: Days, start: 2027-01-04}
tasks:
  - id: build
    name: Build
    children:
      - {id: code, name: Code, duration: 5d}
      - {id: docs, name: Docs, duration: 100m, after: [code]}
  - {id: done, name: Done, milestone: true, after: [build]}
"""


def test_durations_read_in_days(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(SUMMARY_PLAN)
    out = _table(["schedule", str(path)], 120)
    rows = {
        c[1]: c
        for c in (
            [x.strip() for x in line.split("│")[1:-1]] for line in out.splitlines() if "│" in line
        )
    }
    # the summary spans 5 days of 8 hours and 100 minutes: 2,500 minutes / 480 = 5.2 days
    assert rows["build"][3] == "5.2d"
    assert rows["code"][3] == "5d"
    assert rows["docs"][3] == "1.7h"  # 100 minutes, under a day: hours
    assert rows["done"][3] == "0d"


def test_duration_text_uses_the_largest_unit_that_reads_well() -> None:
    assert duration_text(16704, 480) == "34.8d"  # 16,704 / 480 = 34.8 working days
    assert duration_text(2400, 480) == "5d"
    assert duration_text(240, 480) == "4h"
    assert duration_text(150, 480) == "2.5h"
    assert duration_text(30, 480) == "30m"
    assert duration_text(-960, 480) == "-2d"
    assert duration_text(0, 480) == "0d"


def test_a_table_of_weeks_splits_instead_of_cutting_cells() -> None:
    weeks = json.loads(_table(["workload", str(MOBILE), "-f", "json"], 200))["resources"]
    out = _table(["workload", str(MOBILE)], 80)
    assert _widest(out) <= 80
    assert "…" not in out
    assert "(continued)" in out
    for week in weeks[0]["weeks"]:
        assert f"┃ {week['week'][5:]} ┃" in out or f" {week['week'][5:]} ┃" in out
    # every resource is named in each part
    parts = out.count("(continued)") + 1
    assert out.count("│ nina.okafor ") == parts


def test_raci_shows_every_party_at_80_columns() -> None:
    out = _table(["raci", str(MOBILE)], 80)
    assert _widest(out) <= 80
    assert "…" not in out
    for party in ("chloe.martin", "cpo", "sam.reed", "lena.fischer", "finance"):
        assert f" {party} ┃" in out, party


def test_simulation_percentiles_keep_their_dates_at_80_columns() -> None:
    args = ["simulate", str(MOBILE), "-n", "200", "--seed", "4"]
    finish = json.loads(_table([*args, "-f", "json"], 200))["finish"]
    out = _table(args, 80)
    assert _widest(out) <= 80
    assert "…" not in out
    for key, day in finish.items():
        assert f" {key.upper()} ┃" in out
        assert day in out
