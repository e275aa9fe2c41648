"""A milestone done on its planned day is on time, in `variance` and in the report."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from techpm.cli.main import app

runner = CliRunner()

# Kickoff sits at the start of Mon 4 (no predecessor); Design done at the evening of Fri 8
# (after design, 5d from Mon 4); Review done at the evening of Wed 13 (after review, 3d).
PLAN = """\
project: {name: Milestones, start: 2027-01-04}
tasks:
  - {id: kick, name: Kickoff, milestone: true}
  - {id: design, name: Design, duration: 5d, after: [kick]}
  - {id: done, name: Design done, milestone: true, after: [design]}
  - {id: review, name: Review, duration: 3d, after: [done]}
  - {id: signed, name: Review done, milestone: true, after: [review]}
"""

# Each milestone recorded on its planned day: as a date, or with a time of day (signed at
# 11:30 on Wed 13, earlier in the day than the plan's 17:00). Review finished one day late,
# on Thu 14: signed off that day, so the milestone slipped by one working day.
RECORDED = """\
project: {name: Milestones, start: 2027-01-04, status_date: 2027-01-15}
tasks:
  - {id: kick, name: Kickoff, milestone: true, actual_start: 2027-01-04,
     actual_finish: 2027-01-04}
  - {id: design, name: Design, duration: 5d, after: [kick], actual_start: 2027-01-04,
     actual_finish: 2027-01-08}
  - {id: done, name: Design done, milestone: true, after: [design], actual_start: 2027-01-08,
     actual_finish: 2027-01-08}
  - {id: review, name: Review, duration: 3d, after: [done], actual_start: 2027-01-11,
     actual_finish: 2027-01-14}
  - {id: signed, name: Review done, milestone: true, after: [review],
     actual_start: 2027-01-14T11:30, actual_finish: 2027-01-14T11:30}
"""


def _baselined(tmp_path: Path) -> Path:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN)
    saved = runner.invoke(app, ["baseline", str(plan), "--name", "v1"])
    assert saved.exit_code == 0, saved.output
    plan.write_text(RECORDED)
    return plan


def test_variance_of_milestones_done_on_the_day(tmp_path: Path) -> None:
    plan = _baselined(tmp_path)
    result = runner.invoke(app, ["variance", str(plan), "--baseline", "v1", "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.stdout)["tasks"]}
    assert rows["kick"]["finish_variance"] == 0
    assert rows["kick"]["status"] == "same"
    assert rows["done"]["finish_variance"] == 0
    assert rows["done"]["status"] == "same"
    # planned Wed 13, signed Thu 14 at 11:30: one working day late, not 0.3 or 1.3
    assert rows["signed"]["finish_variance"] == 1
    assert rows["signed"]["status"] == "slipped"
    text = runner.invoke(app, ["variance", str(plan), "--baseline", "v1"]).stdout
    assert "Slipped: review (+1d), signed (+1d)" in text


def test_report_shows_milestones_done_on_the_day_on_time(tmp_path: Path) -> None:
    plan = _baselined(tmp_path)
    out = tmp_path / "status.md"
    result = runner.invoke(
        app, ["report", str(plan), "-o", str(out), "--baseline", "v1", "-n", "0"]
    )
    assert result.exit_code == 0, result.output
    lines = {
        line.split("|")[1].strip(): [c.strip() for c in line.split("|")[1:-1]]
        for line in out.read_text().splitlines()
        if line.startswith(("| Kickoff", "| Design done", "| Review done"))
    }
    # columns: milestone, baseline, forecast, slip, ...
    assert lines["Kickoff ✓"][3] in ("0", "+0", "0d", "+0d", "—", "")
    assert lines["Design done ✓"][3] in ("0", "+0", "0d", "+0d", "—", "")
    assert lines["Review done ✓"][3].startswith("+1")
