"""`techpm risks`: exposure and the matrix, computed by hand."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from techpm.cli.main import app

runner = CliRunner()

PLAN = """\
project: {name: Checkout rewrite, start: 2027-01-04}
tasks:
  - {id: design, name: Design, estimate: {optimistic: 3d, likely: 5d, pessimistic: 12d}}
  - {id: integrate, name: Integrate payments, duration: 10d, after: [design]}
risks:
  - {id: vendor-late, title: Payment vendor API late, owner: alice, probability: 0.25,
     impact: {schedule: [{task: integrate, delay: 4d}], cost: 5000},
     response: {strategy: mitigate, actions: [Weekly vendor sync], cost: 800,
                residual_probability: 0.1}}
  - {id: pci, title: PCI audit finds gaps, probability: 0.6,
     impact: {schedule: [{task: integrate,
                          delay: {optimistic: 5d, likely: 10d, pessimistic: 20d}}],
              cost: 60000}}
  - {id: key-person, title: Lead leaves, probability: 0.05, impact: {cost: 2000}, status: closed}
"""


def test_register_by_exposure(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    result = runner.invoke(app, ["risks", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rows = {r["id"]: r for r in data["risks"]}
    assert [r["id"] for r in data["risks"]] == ["pci", "vendor-late", "key-person"]
    pci = rows["pci"]
    # PERT mean of (5, 10, 20) days = (5 + 4*10 + 20) / 6 = 10.833 days
    assert pci["delay_days"] == 10.833
    assert pci["exposure_days"] == 6.5  # 0.6 x 10.833
    assert pci["exposure_cost"] == "36000.00"
    # p 0.6 -> level 4 (>= 0.5); 10.8 days -> 4 (>= 10); 60,000 -> 4 (>= 50,000): 16, high
    assert (pci["probability_level"], pci["impact_level"], pci["score"]) == (4, 4, 16)
    assert pci["rating"] == "high"
    vendor = rows["vendor-late"]
    assert vendor["exposure_days"] == 1
    assert vendor["exposure_cost"] == "1250.00"
    assert vendor["score"] == 4
    assert vendor["rating"] == "low"
    assert vendor["residual_exposure_days"] == 0.4  # residual probability 0.1 x 4 days
    assert data["matrix"]["4,4"] == ["pci"]
    assert data["matrix"]["2,2"] == ["vendor-late"]
    assert all("key-person" not in ids for ids in data["matrix"].values())  # closed


def test_estimate_gives_the_deterministic_duration(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    tasks = {
        t["id"]: t
        for t in json.loads(runner.invoke(app, ["schedule", str(path), "-f", "json"]).stdout)[
            "tasks"
        ]
    }
    assert tasks["design"]["duration"] == 5  # the likely value
