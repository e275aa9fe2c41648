"""`techpm evm` on the hand-computed case of tests/unit/evm/test_metrics.py, as a plan."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.cli.output import EXIT_ERROR

runner = CliRunner()

# 10 days of Bob at 100/d: BAC 1,000 planned evenly from Mon 2027-01-04 to Fri 01-15.
# Status at the end of Fri 01-08 (5 days): 40 % done, 450 spent.
PLAN = """\
project: {name: EVM, start: 2027-01-04, status_date: 2027-01-08}
resources:
  - {id: bob, name: Bob, rate: 100/d}
tasks:
  - id: build
    name: Build
    children:
      - {id: a, name: A, duration: 10d, assign: [{resource: bob}], percent_complete: 40,
         actual_start: 2027-01-04, actual_cost: 450}
"""


def test_evm_json(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    result = runner.invoke(app, ["evm", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in (
        "bac",
        "pv",
        "ev",
        "ac",
        "sv",
        "cv",
        "spi",
        "cpi",
        "eac",
        "etc",
        "vac",
        "tcpi_bac",
        "tcpi_eac",
        "es",
        "sv_t",
        "spi_t",
        "ieac_t",
        "forecast_finish",
        "periods",
        "wbs",
    ):
        assert key in data, key
    assert (data["bac"], data["pv"], data["ev"], data["ac"]) == (1000, 500, 400, 450)
    assert data["spi"] == 0.8
    assert data["eac"]["cpi"] == 1125
    assert data["es"] == 4
    assert data["spi_t"] == 0.8
    assert data["ieac_t"] == 12.5
    # 12.5 working days from Mon 2027-01-04: into Wednesday 2027-01-20
    assert data["forecast_finish"] == "2027-01-20"
    assert data["wbs"]["build"]["ev"] == 400
    assert data["periods"][0] == {"end": "2027-01-10", "pv": 500}
    assert data["periods"][-1]["pv"] == 1000


def test_status_date_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.replace(", status_date: 2027-01-08", ""))
    missing = runner.invoke(app, ["evm", str(path)])
    assert missing.exit_code == EXIT_ERROR
    assert "evm.no_status_date" in missing.stderr
    later = json.loads(
        runner.invoke(app, ["evm", str(path), "--status-date", "2027-01-11", "-f", "json"]).stdout
    )
    assert later["pv"] == 600


def test_thresholds_rate_the_indices(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    # CPI 0.889 and SPI 0.8 are red by default (below 0.9); loosen the CPI limits
    path.write_text(
        PLAN.replace(
            "status_date: 2027-01-08}",
            "status_date: 2027-01-08,\n  thresholds: {cpi: {amber: 0.9, red: 0.85}}}",
        )
    )
    result = runner.invoke(app, ["evm", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    ratings = json.loads(result.stdout)["ratings"]
    assert ratings["cpi"]["rating"] == "amber"  # 0.889: below 0.9, above 0.85
    assert ratings["spi"]["rating"] == "red"  # 0.8 against the default 0.95 / 0.9
    assert ratings["tcpi_bac"]["rating"] == "amber"  # 600 / 550 = 1.09: above 1.05, below 1.1


def test_s_curve_chart(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    folder = tmp_path / "charts"
    result = runner.invoke(app, ["evm", str(path), "--charts", str(folder)])
    assert result.exit_code == 0, result.output
    assert "<svg" in (folder / "s-curve.svg").read_text()
    assert (folder / "s-curve.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_period_by_period_record(tmp_path: Path) -> None:
    # measured at the end of week 1 (EV 400, AC 450) and of week 2 (a done: EV 1,000, AC
    # 1,050): the weekly table shows PV with what was earned and spent by each week's end
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    first = runner.invoke(app, ["evm", str(path), "--record", "-f", "json"])
    assert first.exit_code == 0, first.output
    path.write_text(
        PLAN.replace("status_date: 2027-01-08", "status_date: 2027-01-15")
        .replace("percent_complete: 40", "percent_complete: 100")
        .replace("actual_cost: 450", "actual_cost: 1050")
    )
    second = json.loads(runner.invoke(app, ["evm", str(path), "--record", "-f", "json"]).stdout)
    weeks = {p["end"]: p for p in second["periods"]}
    assert weeks["2027-01-10"] == {"end": "2027-01-10", "pv": 500, "ev": 400, "ac": 450}
    assert weeks["2027-01-17"] == {"end": "2027-01-17", "pv": 1000, "ev": 1000, "ac": 1050}
    record = json.loads((tmp_path / "plan.evm-history.json").read_text())
    assert list(record) == ["2027-01-08", "2027-01-15"]


def test_control_accounts(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(
        PLAN.replace("    name: Build\n", "    name: Build\n    control_account: CA-1\n")
    )
    data = json.loads(runner.invoke(app, ["evm", str(path), "-f", "json"]).stdout)
    assert data["control_accounts"]["CA-1"]["ev"] == 400
    assert data["control_accounts"]["CA-1"]["ac"] == 450
