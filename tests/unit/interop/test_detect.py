"""Formats are told apart by content, not by extension."""

from __future__ import annotations

from pathlib import Path

import pytest

from techpm.interop.detect import detect_format
from techpm.interop.exchange import ImportFailed

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
FOLDERS = {
    "mspdi": "mspdi",
    "mpp": "mpp",
    "gan": "gan",
    "jira-csv": "jira-csv",
    "jira-json": "jira-json",
    "trello": "trello",
    "tjp": "tjp",
}


def samples() -> list[Path]:
    return sorted(p for p in SAMPLES.glob("*/*") if p.parent.name in FOLDERS)


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="the shared samples are not beside the repo")
@pytest.mark.parametrize("path", samples(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_sample_is_recognised_by_its_content(path: Path, tmp_path: Path) -> None:
    # under a misleading name, so that only the content can tell
    disguised = tmp_path / "export.dat"
    disguised.write_bytes(path.read_bytes())
    assert detect_format(disguised) == FOLDERS[path.parent.name]


def test_a_plan_file_is_a_plan() -> None:
    assert detect_format(EXAMPLES / "firmware-board.yaml") == "plan"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("id,name,duration\na,Design,5d\n", "csv"),
        ("\ufeffid;name;duration\na;Design;5d\n", "csv"),
        ("Summary,Issue key,Issue id,Issue Type\nFix,P-1,1,Bug\n", "jira-csv"),
        ('{"format": "techpm-json", "version": 1, "plan": {}}', "techpm-json"),
        ('<?xml version="1.0"?>\n<!-- saved -->\n<Project><Tasks/></Project>', "mspdi"),
    ],
)
def test_content_decides(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "file.txt"
    path.write_text(content, encoding="utf-8")
    assert detect_format(path) == expected


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (
            '<?xml version="1.0"?><APIBusinessObjects xmlns="http://xmlns.oracle.com/Primavera/P6">'
            "<Project/></APIBusinessObjects>",
            "import.unsupported",
            "Primavera P6 XML",
        ),
        ("<svg xmlns='http://www.w3.org/2000/svg'/>", "import.unknown_format", "root <svg>"),
        ('{"name": "not a board"}', "import.unknown_format", "neither"),
        ("{broken", "import.bad_json", "not valid JSON"),
        ("just some words\n", "import.unknown_format", "not a format"),
        ("", "import.unknown_format", "not a format"),
    ],
)
def test_what_cannot_be_read_says_what_it_is(
    tmp_path: Path, content: str, code: str, words: str
) -> None:
    path = tmp_path / "schedule.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        detect_format(path)
    assert caught.value.code == code
    assert words in caught.value.message
    assert "schedule.xml" in caught.value.message
