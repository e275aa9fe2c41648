"""`techpm import` and `techpm export`: formats by content and extension, nothing lost."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.cli.output import EXIT_ERROR, EXIT_INVALID_INPUT, EXIT_USAGE

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "firmware-board.yaml"


def test_export_by_extension_then_import_by_content(tmp_path: Path) -> None:
    exported = tmp_path / "board.txt"  # an extension that says nothing
    result = runner.invoke(app, ["export", str(EXAMPLE), "-o", str(exported), "--to", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(exported.read_text())["format"] == "techpm-json"
    plan = tmp_path / "board.yaml"
    back = runner.invoke(app, ["import", str(exported), "-o", str(plan)])
    assert back.exit_code == 0, back.output
    assert "techpm JSON export" in back.stdout
    assert "24 tasks (4 summary, 2 milestones), 24 links" in back.stdout
    again = runner.invoke(app, ["schedule", str(plan), "--format", "json"])
    original = runner.invoke(app, ["schedule", str(EXAMPLE), "--format", "json"])
    assert json.loads(again.stdout)["tasks"] == json.loads(original.stdout)["tasks"]


def test_existing_output_is_kept_without_force(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("# mine\n")
    result = runner.invoke(app, ["import", str(EXAMPLE), "-o", str(plan)])
    assert result.exit_code == EXIT_ERROR
    assert "import.output_exists" in result.stderr
    assert plan.read_text() == "# mine\n"
    forced = runner.invoke(app, ["import", str(EXAMPLE), "-o", str(plan), "--force"])
    assert forced.exit_code == 0, forced.output
    assert "firmware" in plan.read_text().lower()


def test_bad_sources_and_targets_are_clear_errors(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["import", str(tmp_path / "nope.xml"), "-o", "x.yaml"])
    assert missing.exit_code == EXIT_INVALID_INPUT
    assert "no such file" in missing.stderr
    p6 = tmp_path / "p6.xml"
    p6.write_text('<?xml version="1.0"?><APIBusinessObjects><Project/></APIBusinessObjects>')
    unsupported = runner.invoke(app, ["import", str(p6), "-o", str(tmp_path / "p.yaml")])
    assert unsupported.exit_code == EXIT_INVALID_INPUT
    assert "Primavera P6 XML" in unsupported.stderr
    assert not (tmp_path / "p.yaml").exists()
    target = tmp_path / "plan.docx"
    wrong = runner.invoke(app, ["export", str(EXAMPLE), "-o", str(target)])
    assert wrong.exit_code == EXIT_USAGE
    assert "export.unknown_format" in wrong.stderr
    assert not target.exists()
    assert "Traceback" not in missing.output + unsupported.output + wrong.output


def test_live_jira_needs_its_token(tmp_path: Path) -> None:
    args = ["import", "jira", "--url", "http://127.0.0.1:9", "--token-env", "NO_SUCH_TOKEN_VAR"]
    result = runner.invoke(app, [*args, "-o", str(tmp_path / "j.yaml")])
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "NO_SUCH_TOKEN_VAR" in result.stderr


def test_a_folder_gets_one_calendar_per_person(tmp_path: Path) -> None:
    plan = EXAMPLE.with_name("mobile-app-launch.yaml")
    result = runner.invoke(app, ["export", str(plan), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    names = {p.name for p in tmp_path.glob("*.ics")}
    assert "milestones.ics" in names
    assert {"nina.okafor.ics", "sam.reed.ics"} <= names
    text = (tmp_path / "sam.reed.ics").read_text()
    assert text.startswith("BEGIN:VCALENDAR")
    assert "BEGIN:VEVENT" in text
