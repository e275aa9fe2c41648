"""TaskJuggler files as people write them, after the TaskJuggler manual's examples: a header
with a version and dates with times and UTC offsets, macros with arguments, `include`d
resource and report files; and the errors a broken file gets, each with its file and line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from techpm.interop.exchange import ImportFailed
from techpm.interop.taskjuggler import read_tjp
from techpm.services.planning import schedule_plan

from .support import SAMPLES, by_id, needs_samples, validate

MAIN = """\
project acso "Accounting Software" "1.0" 2023-08-01-0:00-+0100 - 2024-10-31-0:00-+0100 {
  timezone "Europe/Berlin"
  currency "EUR"
  now 2023-09-01
  workinghours mon - fri 9:00 - 12:00, 13:00 - 17:00
}

macro allocate_developers [
  allocate dev1
  allocate dev2
]
# ${1} is the id, ${2} the name, ${3} the effort
macro coding [
  task ${1} "${2}" {
    effort ${3}
    ${allocate_developers}
  }
]

include "resources.tji"

task AcSo "Accounting Software" {
  task spec "Specification" {
    effort 20d
    allocate dev1
    depends !deliveries.start
  }
  task software "Software Development" {
    depends !spec
    ${coding "database" "Database coupling" "20d"}
    ${coding "gui" "Graphical User Interface" "35d"}
    task backend "Back-End Functions" {
      effort 30d
      depends !database, !gui
      allocate dev1
    }
  }
  task deliveries "Milestones" {
    task start "Project start" { milestone start ${projectstart} }
    task done "Ship it" { depends !!software }
  }
}
include "reports/overview.tji"
"""
RESOURCES = """\
resource dev "Developers" {
  resource dev1 "Paul Smith" { rate 350.0 }
  resource dev2 "Sébastien Bono"
}
leaves holiday "Christmas" 2023-12-25 - 2023-12-27
"""
REPORT = """\
taskreport overview "Overview" {
  formats html
  columns name, start, end
}
"""


def files(tmp_path: Path, **texts: str) -> Path:
    """Files by name (`__` for a folder); the first is the one imported."""
    first = None
    for name, text in texts.items():
        path = tmp_path / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        first = first or path
    assert first is not None
    return first


def manual_example(tmp_path: Path) -> Path:
    return files(
        tmp_path,
        **{"main.tjp": MAIN, "resources.tji": RESOURCES, "reports__overview.tji": REPORT},
    )


def test_macros_includes_and_a_versioned_header_with_offsets_are_read(tmp_path: Path) -> None:
    result = read_tjp(manual_example(tmp_path))
    document = result.document
    assert document["project"] == {
        "name": "Accounting Software",
        "start": date(2023, 8, 1),
        "currency": "EUR",
    }
    tasks = by_id(document)
    assert sorted(tasks) == [
        "AcSo",
        "AcSo.deliveries",
        "AcSo.deliveries.done",
        "AcSo.deliveries.start",
        "AcSo.software",
        "AcSo.software.backend",
        "AcSo.software.database",
        "AcSo.software.gui",
        "AcSo.spec",
    ]
    # the macro with arguments made two tasks, each allocating both developers
    database = tasks["AcSo.software.database"]
    assert (database["name"], database["effort"]) == ("Database coupling", "20d")
    assert database["assign"] == [{"resource": "dev1"}, {"resource": "dev2"}]
    assert tasks["AcSo.software.gui"]["effort"] == "35d"
    assert tasks["AcSo.software.backend"]["after"] == [
        "AcSo.software.database",
        "AcSo.software.gui",
    ]
    # from the included resources file: the group's members, their rate and the leave
    assert [(r["id"], r.get("rate")) for r in document["resources"]] == [
        ("dev1", "350.0/d"),
        ("dev2", None),
    ]
    # `2023-12-25 - 2023-12-27` ends at the start of the 27th
    assert document["calendars"]["standard"]["nonworking"] == [
        {"from": date(2023, 12, 25), "to": date(2023, 12, 26)}
    ]
    skipped = result.skipped
    assert "1 project attribute `timezone` (line 2)" in skipped
    assert "1 taskreport block (reports are output, not plan) (line 1 of overview.tji)" in skipped
    assert "included files read in place: resources.tji, overview.tji" in skipped
    assert "macros expanded where used: allocate_developers, coding" in skipped
    schedule = schedule_plan(validate(document))
    # the specification starts with the project on Tue 2023-08-01: 20 working days are
    # Aug 1-4 (4), 7-11 (9), 14-18 (14), 21-25 (19) and Mon 28 (20)
    spec = schedule.row("AcSo.spec")
    assert (spec.start.date(), spec.finish.date()) == (date(2023, 8, 1), date(2023, 8, 28))


def test_a_missing_include_is_an_error_at_its_line(tmp_path: Path) -> None:
    main = files(
        tmp_path, **{"main.tjp": 'project p "P" 2024-01-01 +1m {}\n\ninclude "nope.tji"\n'}
    )
    with pytest.raises(ImportFailed) as caught:
        read_tjp(main)
    assert str(caught.value).startswith("main.tjp: line 3: include 'nope.tji': no such file")
    assert caught.value.code == "import.bad_syntax"


def test_an_include_loop_is_an_error_naming_the_loop(tmp_path: Path) -> None:
    main = files(
        tmp_path,
        **{
            "main.tjp": 'project p "P" 2024-01-01 +1m {}\ninclude "a.tji"\n',
            "a.tji": '# resources\ninclude "b.tji"\n',
            "b.tji": 'include "a.tji"\n',
        },
    )
    with pytest.raises(ImportFailed) as caught:
        read_tjp(main)
    assert str(caught.value) == "b.tji: line 1: include loop: main.tjp -> a.tji -> b.tji -> a.tji"


def test_an_error_in_an_included_file_names_that_file_and_its_line(tmp_path: Path) -> None:
    main = files(
        tmp_path,
        **{
            "main.tjp": 'project p "P" 2024-01-01 +1m {}\ninclude "tasks.tji"\n',
            "tasks.tji": 'task a "A" { effort 2d }\n\ntask b "B" {\n  effort 1d\n',
        },
    )
    with pytest.raises(ImportFailed) as caught:
        read_tjp(main)
    assert str(caught.value) == "tasks.tji: line 3: a { is never closed with }"
    bad_ref = files(
        tmp_path / "two",
        **{
            "main.tjp": 'project p "P" 2024-01-01 +1m {}\ninclude "tasks.tji"\n',
            "tasks.tji": 'task a "A" {\n  effort 2d\n  allocate nobody\n}\n',
        },
    )
    with pytest.raises(ImportFailed) as caught:
        read_tjp(bad_ref)
    assert str(caught.value) == "tasks.tji: line 3: allocates 'nobody', which is not a resource"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('task a "A" {\n  effort 2d\n', "line 2: a { is never closed with }"),
        ('task a "A" { effort 2d }\n}\n', "line 3: a } without a matching {"),
        ('task a "A" { effort 2d } {\n', "line 2: a second { block right after the one of 'task'"),
        (
            '{ task a "A" { effort 2d } }\n',
            "line 2: a second { block right after the one of 'project'",
        ),
        ('task a "A" ) effort 2d (\n', "line 2: a ) without a matching ("),
        ('task a "A" {\n  effort (2d\n}\n', "line 3: a ( is never closed with )"),
        ('task a "A" { effort 2d [ }\n', "line 2: a [ outside a macro definition"),
        ('task a "A" { effort 2d }\n]\n', "line 3: a ] outside a macro definition"),
        ('macro m [ effort 2d\ntask a "A" {}\n', "line 2: the body of macro 'm' is never closed"),
        ('task a "A" { effort 2d }\ninclude\n', "line 3: include needs a file name in quotes"),
        (
            'include "x.tji" { taskprefix AcSo }\n',
            "line 2: include with a { ... } block (taskprefix, resourceprefix ...) is not "
            "supported",
        ),
    ],
)
def test_unbalanced_files_are_refused_with_their_line(
    tmp_path: Path, body: str, message: str
) -> None:
    """A brace, parenthesis or bracket too many or too few: the first two and the open
    macro were refused before, the others imported by guesswork; each is an error at its
    line."""
    path = files(tmp_path, **{"plan.tjp": 'project p "P" 2024-01-01 +3m {}\n' + body})
    with pytest.raises(ImportFailed) as caught:
        read_tjp(path)
    assert str(caught.value).startswith(f"plan.tjp: {message}")
    assert caught.value.code == "import.bad_syntax"


def test_a_statement_continued_on_the_next_line_by_an_operator(tmp_path: Path) -> None:
    path = files(
        tmp_path,
        **{
            "plan.tjp": 'project p "P" 2024-01-01\n  - 2024-03-01 {}\n'
            'task a "A" {\n  effort 2d\n}\n'
            'task b "B" {\n  depends a\n    { gaplength 1d }\n  effort 1d\n}\n'
        },
    )
    result = read_tjp(path)
    assert any(s.startswith("project end 2024-03-01") for s in result.skipped)
    assert by_id(result.document)["b"]["after"] == [{"task": "a", "lag": "1d"}]


@needs_samples
def test_every_sample_names_the_line_of_what_it_leaves_out() -> None:
    result = read_tjp(SAMPLES / "tjp" / "tutorial.tjp")
    assert "1 project attribute `timezone` (line 11)" in result.skipped
    assert (
        "4 taskreport blocks (reports are output, not plan) (lines 368, 413, 452, 463)"
        in result.skipped
    )
    assert "2 account statements (cost accounts are not modelled) (lines 59, 63)" in (
        result.skipped
    )


@pytest.mark.parametrize(
    ("target", "why"), [("/dev/zero", "not a regular file"), ("sub", "not a regular file")]
)
def test_an_include_of_a_device_or_a_folder_is_refused_not_read(
    tmp_path: Path, target: str, why: str
) -> None:
    (tmp_path / "sub").mkdir()
    main = files(
        tmp_path, **{"main.tjp": f'project p "P" 2024-01-01 +1m {{}}\ninclude "{target}"\n'}
    )
    with pytest.raises(ImportFailed) as caught:
        read_tjp(main)
    assert str(caught.value).startswith(f"main.tjp: line 2: include '{target}': {why}")


def test_a_macro_call_over_two_lines_with_a_call_in_its_arguments(tmp_path: Path) -> None:
    text = (
        'project p "P" 2024-01-01 +1m {}\n'
        "macro who [dev1]\n"
        'macro mk [\n  task ${1} "${2}" { effort 2d allocate ${3} }\n]\n'
        'resource dev1 "Dev"\n'
        '${mk "a" "Alpha"\n     "${who}"}\n'
        'task b "B" { depends a effort 1d allocate dev1 }\n'
        'task c "C" { allocate nobody }\n'
    )
    path = files(tmp_path, **{"plan.tjp": text})
    with pytest.raises(ImportFailed) as caught:
        read_tjp(path)
    # the lines after the two-line call are still counted right
    assert str(caught.value) == "plan.tjp: line 10: allocates 'nobody', which is not a resource"
    path.write_text(text.replace('task c "C" { allocate nobody }\n', ""), encoding="utf-8")
    tasks = by_id(read_tjp(path).document)
    assert (tasks["a"]["name"], tasks["a"]["assign"]) == ("Alpha", [{"resource": "dev1"}])
    assert tasks["b"]["after"] == ["a"]


def test_values_on_the_next_line_belong_to_the_statement_before(tmp_path: Path) -> None:
    """TaskJuggler reads past line breaks: times, numbers and strings that cannot start a
    statement go on with the one before."""
    path = files(
        tmp_path,
        **{
            "plan.tjp": 'project p "P" 2024-01-01 +1m {\n  workinghours mon - fri\n'
            "      9:00 - 12:00, 13:00 - 16:00\n}\n"
            'task a "A" {\n  length\n    2d\n}\n'
        },
    )
    result = read_tjp(path)
    assert result.document["calendars"]["standard"]["workweek"]["mon"] == [
        "09:00-12:00",
        "13:00-16:00",
    ]
    assert by_id(result.document)["a"]["duration"] == "2d"
