"""`techpm report`: a self-contained HTML/PDF/Markdown status report whose numbers are the
ones the analysis commands print for the same plan."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.cli.output import EXIT_ERROR, EXIT_INVALID_INPUT, EXIT_USAGE

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "mobile-app-launch.yaml"
SEED, RUNS = "7", "400"


class Page(HTMLParser):
    """Every id, every reference and every `data-key` value of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[str] = []
        self.external: list[str] = []
        self.values: dict[str, str] = {}
        self._key: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        for name in ("href", "xlink:href", "src"):
            value = found.get(name)
            if value is None:
                continue
            if value.startswith("#"):
                self.refs.append(value[1:])
            elif not value.startswith("data:"):
                self.external.append(value)
        for value in found.values():
            self.refs += re.findall(r"url\(#([^)]+)\)", value or "")
        if found.get("data-key"):
            self._key, self._text = str(found["data-key"]), []

    def handle_data(self, data: str) -> None:
        if self._key is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._key is not None:
            self.values[self._key] = "".join(self._text).strip()
            self._key = None


def cli_json(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "app.yaml"
    shutil.copy(EXAMPLE, path)
    return path


@pytest.fixture(scope="module")
def html(plan: Path) -> Page:
    out = plan.with_name("status.html")
    result = runner.invoke(
        app, ["report", str(plan), "-o", str(out), "-n", RUNS, "--seed", SEED, "--no-snapshot"]
    )
    assert result.exit_code == 0, result.output
    page = Page()
    page.feed(out.read_text(encoding="utf-8"))
    return page


def test_html_is_self_contained_with_no_broken_reference(html: Page) -> None:
    assert html.external == []
    assert html.refs, "the contents and charts refer to anchors"
    assert sorted(set(html.refs) - html.ids) == []
    assert {"gantt", "s-curve", "milestones", "risks", "changes"} <= html.ids


def test_numbers_equal_the_analysis_commands(plan: Path, html: Page) -> None:
    values = html.values
    evm = cli_json("evm", str(plan))
    for key in ("spi", "cpi", "spi_t", "tcpi_bac"):
        assert values[f"evm.{key}"] == f"{evm[key]:.3f}", key
    for key in ("bac", "pv", "ev", "ac", "sv", "cv", "vac"):
        assert values[f"evm.{key}"] == f"{evm[key]:,.0f}", key
    assert values["evm.eac"] == f"{evm['eac']['cpi']:,.0f}"
    assert values["evm.forecast_finish"] == evm["forecast_finish"]

    simulation = cli_json("simulate", str(plan), "-n", RUNS, "--seed", SEED)
    assert values["finish_p80"] == simulation["finish"]["p80"]
    assert values["cost_p80"] == f"{simulation['cost']['p80']:,.0f}"
    assert values["on_time_probability"] == f"{simulation['deadlines']['go_live']:.0%}"
    for milestone, dates in simulation["milestones"].items():
        assert values[f"milestone.{milestone}.p80"] == dates["p80"], milestone

    schedule = cli_json("schedule", str(plan))
    assert values["finish"] == schedule["project"]["finish"][:10]
    rows = {t["id"]: t for t in schedule["tasks"]}
    for milestone in simulation["milestones"]:
        assert values[f"milestone.{milestone}.forecast"] == rows[milestone]["finish"][:10]

    risks = cli_json("risks", str(plan))["risks"]
    for risk in risks:
        if risk["status"] == "open":
            assert values[f"risk.{risk['id']}.score"] == f"{risk['score']} {risk['rating']}"

    workload = cli_json("workload", str(plan))["resources"]
    over = {r["resource"]: sum(w["over_allocated"] for w in r["weeks"]) for r in workload}
    hot = {k[4:-6]: int(v) for k, v in values.items() if k.startswith("hot.")}
    assert hot == {r: n for r, n in over.items() if n}
    assert hot, "the example double-books people"

    # the overall status is the worst rule, and each rule shows its measured value
    assert values["rule.spi"] == f"{evm['spi']:.3f}"
    assert values["overall"] == "red"  # SPI 0.708 is below the red limit 0.9


def test_markdown_has_the_same_figures(plan: Path, html: Page) -> None:
    out = plan.with_name("status.md")
    result = runner.invoke(
        app, ["report", str(plan), "-o", str(out), "-n", RUNS, "--seed", SEED, "--no-snapshot"]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Basket mobile app v1.0 launch")
    assert f"| SPI | {html.values['evm.spi']} |" in text
    assert f"| EV | {html.values['evm.ev']} |" in text
    assert "](data:image/svg+xml;base64," in text  # the Gantt and S-curve travel inside
    assert "**Overall: RED**" in text


def _pages(pdf: Path, tmp: Path) -> list[np.ndarray[Any, np.dtype[np.uint8]]]:
    """The pages as grey images, from poppler's pdftoppm (an independent renderer)."""
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftoppm (poppler-utils) is required under CI")
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(["pdftoppm", "-r", "40", "-gray", str(pdf), str(tmp / "page")], check=True)
    images = []
    for path in sorted(tmp.glob("page-*.pgm")):
        data = path.read_bytes()
        header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", data)
        assert header is not None
        width, height = int(header.group(1)), int(header.group(2))
        pixels = np.frombuffer(data[header.end() :], dtype=np.uint8)
        images.append(pixels.reshape(height, width))
    return images


def test_pdf_renders_with_contents_and_the_executive_edition_is_one_page(
    plan: Path, tmp_path: Path
) -> None:
    team, executive = tmp_path / "team.pdf", tmp_path / "exec.pdf"
    for out, audience in ((team, "team"), (executive, "executive")):
        args = ["report", str(plan), "-o", str(out), "--audience", audience, "-n", "200"]
        result = runner.invoke(app, [*args, "--seed", SEED, "--no-snapshot"])
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(b"%PDF-")
    (tmp_path / "t").mkdir()
    (tmp_path / "e").mkdir()
    team_pages = _pages(team, tmp_path / "t")
    assert len(team_pages) >= 3
    for image in team_pages[:3]:
        ink = (image < 200).mean()
        assert ink > 0.01, "a page is blank"
    assert len(_pages(executive, tmp_path / "e")) == 1


def test_changes_since_the_previous_report(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(SMALL)
    first = runner.invoke(app, ["report", str(plan), "-o", str(tmp_path / "1.html"), "-n", "0"])
    assert first.exit_code == 0, first.output
    assert "This is the first report" in (tmp_path / "1.html").read_text()
    snapshot = json.loads(plan.with_name("plan.report.json").read_text())
    assert snapshot["status"]["overall"] == "green"
    assert runner.invoke(app, ["baseline", str(plan), "--name", "v1"]).exit_code == 0

    # two days on: a is done, b turned out 3 days longer, c was added and a risk was raised
    plan.write_text(
        SMALL.replace("status_date: 2027-01-06", "status_date: 2027-01-08")
        .replace(
            "percent_complete: 60, actual_cost: 2000",
            "actual_finish: 2027-01-08, percent_complete: 100, actual_cost: 4000",
        )
        .replace("{id: b, name: B, duration: 4d,", "{id: b, name: B, duration: 7d,")
        .replace("tasks:\n", "tasks:\n  - {id: c, name: C, duration: 1d}\n")
        + RISK
    )
    out = tmp_path / "2.html"
    second = runner.invoke(app, ["report", str(plan), "-o", str(out), "-n", "0"])
    assert second.exit_code == 0, second.output
    page = Page()
    text = out.read_text()
    page.feed(text)
    changes = text[text.index('id="changes"') : text.index('id="decisions"')]
    assert "Slipped: b (+3.0 wd), done (+3.0 wd)" in changes
    assert "Finished: a" in changes
    assert "Added: c" in changes
    assert "Risks raised: late-vendor" in changes
    # against the baseline: 3 working days late is amber under rules of 2 and 4
    assert page.values["rule.finish_slip_days"] == "3"
    assert page.values["milestone.done.slip"] == "+3.0"
    assert page.values["overall"] == "amber"


def test_bad_output_and_bad_snapshot_are_clear_errors(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(SMALL)
    wrong = runner.invoke(app, ["report", str(plan), "-o", str(tmp_path / "status.docx")])
    assert wrong.exit_code == EXIT_USAGE
    assert "report.format" in wrong.stderr

    bad = tmp_path / "old.json"
    bad.write_text("{not json")
    result = runner.invoke(
        app, ["report", str(plan), "-o", str(tmp_path / "s.html"), "--since", str(bad)]
    )
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "report.bad_snapshot" in result.stderr
    assert "Traceback" not in result.output

    # a report that cannot be written leaves the previous one untouched
    kept = tmp_path / "kept.html"
    kept.write_text("previous report")
    kept.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        failed = runner.invoke(app, ["report", str(plan), "-o", str(kept), "-n", "0"])
    finally:
        tmp_path.chmod(0o755)
    if os.geteuid() != 0:  # root writes anywhere
        assert failed.exit_code == EXIT_ERROR
        assert kept.read_text() == "previous report"
        assert not list(tmp_path.glob(".kept.html.partial"))


SMALL = """\
project:
  name: Small
  start: 2027-01-04
  status_date: 2027-01-06
  status_rules: {finish_slip_days: {amber: 2, red: 4}}  # SPI and CPI stay 1 and above
resources:
  - {id: bob, name: Bob, rate: 800/d}
tasks:
  - {id: a, name: A, duration: 5d, assign: [{resource: bob}], actual_start: 2027-01-04,
     percent_complete: 60, actual_cost: 2000}
  - {id: b, name: B, duration: 4d, after: [a], assign: [{resource: bob}]}
  - {id: done, name: Done, milestone: true, after: [b]}
"""

RISK = """\
risks:
  - {id: late-vendor, title: Vendor late, probability: 0.2,
     impact: {schedule: [{task: b, delay: 1d}]}}
"""
