"""Bad input is refused with ImportFailed naming the file and the place, never a traceback:
unsafe XML (entity expansion, external entities), damaged files, wrong encodings, missing
references and loops."""

from __future__ import annotations

from pathlib import Path

import pytest

from techpm.interop.exchange import ImportFailed
from techpm.interop.msproject.mspdi_reader import read_mspdi

from .helpers import ms_task, mspdi, write

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Project [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Project xmlns="http://schemas.microsoft.com/project"><Name>&lol9;</Name></Project>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="http://schemas.microsoft.com/project"><Name>&secret;</Name></Project>
"""
EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE Project SYSTEM "http://attacker.example/evil.dtd">
<Project xmlns="http://schemas.microsoft.com/project"><Name>x</Name></Project>
"""


def line_of(text: str, marker: str) -> str:
    number = next(n for n, line in enumerate(text.splitlines(), start=1) if marker in line)
    return f"line {number}"


def failure(path: Path) -> ImportFailed:
    with pytest.raises(ImportFailed) as caught:
        read_mspdi(path)
    assert caught.value.message.startswith(path.name), caught.value.message
    return caught.value


def test_entity_expansion_is_refused(tmp_path: Path) -> None:
    error = failure(write(tmp_path, BILLION_LAUGHS))
    assert error.code == "import.unsafe_xml"
    assert "entity" in error.message
    assert "line 3" in error.message


@pytest.mark.parametrize("text", [EXTERNAL, EXTERNAL_DTD], ids=["entity", "dtd"])
def test_external_references_are_refused(tmp_path: Path, text: str) -> None:
    error = failure(write(tmp_path, text))
    assert error.code == "import.unsafe_xml"
    assert "root:" not in error.message  # nothing from /etc/passwd
    assert "refused" in error.message


def test_a_truncated_file_names_its_line(tmp_path: Path) -> None:
    text = mspdi(ms_task(1, "A") + ms_task(2, "B"))
    error = failure(write(tmp_path, text[: len(text) // 2]))
    assert error.code == "import.bad_xml"
    assert "line " in error.message
    assert "truncated" in error.message


def test_malformed_xml(tmp_path: Path) -> None:
    text = mspdi(ms_task(1, "A & B"))
    error = failure(write(tmp_path, text))
    assert error.code == "import.bad_xml"
    assert line_of(text, "A & B") + ", column" in error.message


def test_latin1_bytes_in_a_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin.xml"
    text = mspdi(ms_task(1, "Caf\u00e9"))
    path.write_bytes(text.encode("latin-1"))
    error = failure(path)
    assert error.code == "import.bad_encoding"
    assert "0xe9" in error.message
    assert line_of(text, "Caf") in error.message


def test_utf16_without_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "wide.xml"
    path.write_bytes(mspdi(ms_task(1, "A")).encode("utf-16-le"))
    assert failure(path).code == "import.bad_encoding"


def test_a_declared_encoding_is_honoured(tmp_path: Path) -> None:
    path = tmp_path / "declared.xml"
    text = mspdi(ms_task(1, "Caf\u00e9")).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    path.write_bytes(text.encode("latin-1"))
    assert read_mspdi(path).document["tasks"][0]["name"] == "Caf\u00e9"


def test_not_mspdi(tmp_path: Path) -> None:
    path = write(tmp_path, '<?xml version="1.0"?><APIBusinessObjects/>')
    error = failure(path)
    assert error.code == "import.not_mspdi"
    assert "<APIBusinessObjects>" in error.message


def test_a_missing_file(tmp_path: Path) -> None:
    assert failure(tmp_path / "nowhere.xml").code == "import.not_found"


def test_a_missing_predecessor_is_named(tmp_path: Path) -> None:
    link = "<PredecessorLink><PredecessorUID>99</PredecessorUID><Type>1</Type></PredecessorLink>"
    text = mspdi(ms_task(1, "A") + "\n" + ms_task(2, "B", body=link))
    error = failure(write(tmp_path, text))
    assert error.code == "import.missing_reference"
    assert "Task UID 2 ('B')" in error.message
    assert "PredecessorLink 1" in error.message
    assert "UID 99" in error.message
    assert line_of(text, "<Name>B</Name>") + "," in error.message


def test_a_missing_resource_is_named(tmp_path: Path) -> None:
    assignment = (
        "<Assignment><UID>7</UID><TaskUID>1</TaskUID><ResourceUID>5</ResourceUID></Assignment>"
    )
    error = failure(write(tmp_path, mspdi(ms_task(1, "A"), assignments=assignment)))
    assert error.code == "import.missing_reference"
    assert "Assignment UID 7" in error.message
    assert "resource UID 5" in error.message


def test_a_missing_base_calendar_is_named(tmp_path: Path) -> None:
    calendar = (
        "<Calendar><UID>4</UID><Name>Orphan</Name><IsBaseCalendar>0</IsBaseCalendar>"
        "<BaseCalendarUID>3</BaseCalendarUID></Calendar>"
    )
    error = failure(write(tmp_path, mspdi(ms_task(1, "A"), calendars=calendar)))
    assert error.code == "import.missing_reference"
    assert "Calendar UID 4 ('Orphan')" in error.message


def test_calendars_based_on_each_other(tmp_path: Path) -> None:
    calendars = "".join(
        f"<Calendar><UID>{a}</UID><Name>C{a}</Name><IsBaseCalendar>0</IsBaseCalendar>"
        f"<BaseCalendarUID>{b}</BaseCalendarUID></Calendar>"
        for a, b in ((1, 2), (2, 1))
    )
    error = failure(write(tmp_path, mspdi(ms_task(1, "A"), calendars=calendars)))
    assert error.code == "import.calendar_cycle"
    assert "UID 1 -> 2 -> 1" in error.message


def test_a_loop_of_links_is_named(tmp_path: Path) -> None:
    def after(uid: int) -> str:
        return f"<PredecessorLink><PredecessorUID>{uid}</PredecessorUID></PredecessorLink>"

    tasks = ms_task(1, "A", body=after(3)) + ms_task(2, "B", body=after(1))
    tasks += ms_task(3, "C", body=after(2)) + ms_task(4, "D", body=after(3))
    error = failure(write(tmp_path, mspdi(tasks)))
    assert error.code == "import.dependency_cycle"
    assert "UID 1 ('A') -> UID 2 ('B') -> UID 3 ('C') -> UID 1 ('A')" in error.message


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("<Duration>eight hours</Duration>", "<Duration> is 'eight hours', not a duration"),
        ("<Start>next monday</Start>", "<Start> is 'next monday', not a date"),
        ("<Priority>high</Priority>", "<Priority> is 'high', not a whole number"),
        ("<Milestone>maybe</Milestone>", "<Milestone> is 'maybe', not 0 or 1"),
    ],
)
def test_bad_values_are_named(tmp_path: Path, body: str, words: str) -> None:
    text = mspdi(f"<Task><UID>3</UID><ID>1</ID><Name>Odd</Name>{body}</Task>")
    error = failure(write(tmp_path, text))
    assert error.code == "import.bad_value"
    assert words in error.message
    assert "Task UID 3" in error.message


def test_two_tasks_with_one_uid(tmp_path: Path) -> None:
    error = failure(write(tmp_path, mspdi(ms_task(1, "A") + ms_task(1, "B"))))
    assert error.code == "import.duplicate_uid"
