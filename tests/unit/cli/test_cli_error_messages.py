"""Error messages that help: the nearest known key, a key left without a value by an
unquoted comma, the bad value quoted, a file that is not a plan named for what it is, the
problems as JSON, and a closed pipe ending quietly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from techpm.cli.main import app

runner = CliRunner()
HEAD = "project: {name: P, start: 2027-01-04}\ntasks:\n"


def _check(tmp_path: Path, body: str, name: str = "plan.yaml") -> tuple[int, str, str]:
    path = tmp_path / name
    path.write_text(body)
    result = runner.invoke(app, ["check", str(path)])
    return result.exit_code, result.stdout, result.stderr


def test_an_unknown_key_suggests_the_nearest_known_one(tmp_path: Path) -> None:
    code, _, err = _check(tmp_path, HEAD + "  - id: a\n    name: A\n    duraton: 3d\n")
    assert code == 3
    assert "plan.yaml:5:5: error planfile.unknown_field [tasks[0].duraton]" in err
    assert "did you mean `duration`" in err


def test_an_unknown_key_deep_in_a_risk_suggests_from_that_model(tmp_path: Path) -> None:
    body = HEAD + (
        "  - {id: a, name: A, duration: 3d}\n"
        "risks:\n"
        "  - {id: r, title: R, probability: 0.2,\n"
        "     respons: {strategy: avoid}}\n"
    )
    code, _, err = _check(tmp_path, body)
    assert code == 3
    assert "did you mean `response`" in err
    assert ":6:6:" in err  # the key itself, on its own line


def test_a_comma_in_an_unquoted_name_is_reported_as_a_key_without_value(
    tmp_path: Path,
) -> None:
    body = HEAD + (
        "  - {id: a, name: A, duration: 3d}\n"
        "  - {id: l10n, name: Localisation (DE, FR), duration: 2d,\n"
        "     after: [a]}\n"
    )
    code, _, err = _check(tmp_path, body)
    assert code == 3
    assert "`FR)` has no value: quote the text if it contains a comma" in err
    # line 4 column 40: where `FR)` stands
    assert "plan.yaml:4:40: error planfile.key_without_value" in err
    assert "unknown field" not in err


def test_a_key_without_value_on_its_own_line(tmp_path: Path) -> None:
    body = HEAD + "  - {id: a, name: Release 1,\n     2, duration: 3d}\n"
    code, _, err = _check(tmp_path, body)
    assert code == 3
    assert "plan.yaml:4:6: error planfile.key_without_value" in err
    assert "`2` has no value" in err


def test_a_bad_date_quotes_the_value(tmp_path: Path) -> None:
    code, _, err = _check(
        tmp_path, "project: {name: P, start: 2027-02-30}\ntasks:\n  - {id: a, name: A}\n"
    )
    assert code == 3
    assert "planfile.bad_date" in err
    assert "'2027-02-30'" in err


def test_binary_files_say_what_they_are_and_what_to_run(tmp_path: Path) -> None:
    cases = {
        "plan.mpp": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "techpm import"),
        "plan.xlsx": (b"PK\x03\x04" + b"\0" * 100 + b"xl/workbook.xml", "techpm import"),
        "plan.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    }
    for name, (content, advice) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        result = runner.invoke(app, ["schedule", str(path)])
        assert result.exit_code == 3, (name, result.output)
        assert "planfile.not_a_plan" in result.stderr, result.stderr
        assert advice in result.stderr, (name, result.stderr)
        assert "Traceback" not in result.output


def test_a_schedule_output_given_as_a_plan_says_so(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(HEAD + "  - {id: a, name: A, duration: 3d}\n")
    result = runner.invoke(app, ["schedule", str(plan), "--format", "json"])
    out = tmp_path / "schedule.json"
    out.write_text(result.stdout)
    result = runner.invoke(app, ["check", str(out)])
    assert result.exit_code == 3
    assert "planfile.not_a_plan" in result.stderr
    assert "techpm schedule --format json" in result.stderr
    assert "--schedule" in result.stderr  # what to run instead: verify against its plan


def test_check_json_prints_the_problems_on_stdout(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(HEAD + "  - {id: a, name: A, duration: 3d, after: [nowhere]}\n")
    result = runner.invoke(app, ["check", str(path), "--format", "json"])
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert data["valid"] is False
    [error] = data["errors"]
    assert error["code"] == "dependency.unknown_task"
    assert error["file"] == str(path)
    assert error["line"] == 3
    assert error["field"] == "tasks[0].after[0]"
    assert {"message", "column"} <= set(error)


def test_check_json_warnings_carry_subject_and_message(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(HEAD + "  - {id: a, name: A, duration: 3d, deadline: 2027-01-05}\n")
    result = runner.invoke(app, ["check", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    [warning] = json.loads(result.stdout)["warnings"]
    assert warning["code"]
    assert warning["subjects"] == ["a"]
    assert warning["message"]


@pytest.mark.parametrize("format", ["table", "csv"])
def test_a_closed_pipe_ends_quietly(tmp_path: Path, format: str) -> None:
    # 800 rows: more output than a pipe buffers (64 KiB), so the writer meets the closed end
    rows = "".join(f"  - {{id: t{n}, name: Task {n}, duration: 1d}}\n" for n in range(800))
    path = tmp_path / "plan.yaml"
    path.write_text(HEAD + rows)
    env = {**os.environ, "COLUMNS": "120"}
    process = subprocess.Popen(
        [sys.executable, "-m", "techpm.cli.main", "schedule", str(path), "-f", format],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None
    process.stdout.readline()
    process.stdout.close()
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert err == b""
