"""Plan-file edits for ideas: every untouched line stays as written, whatever the layout."""

from __future__ import annotations

import difflib
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techpm.domain.errors import InvalidPlanError
from techpm.interop.planfile.document import YamlDocument
from techpm.interop.planfile.idea_edit import PlanEdit, write_plan

EXAMPLES = sorted((Path(__file__).resolve().parents[3] / "examples").glob("*.yaml"))
EPIC = {
    "id": "new-epic",
    "name": "New epic",
    "notes": "Two lines:\nthe second # not a comment",
    "refs": {"idea": "new-idea"},
    "children": [
        {"id": "new-epic-a", "name": "A", "duration": "1d"},
        {"id": "new-epic-b", "name": "B", "duration": "1d", "after": ["new-epic-a"]},
    ],
}


def _edit(text: str) -> PlanEdit:
    return PlanEdit(YamlDocument("plan.yaml", text))


def _removed(before: str, after: str) -> list[str]:
    return [d for d in difflib.ndiff(before.splitlines(), after.splitlines()) if d[0] == "-"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_keep_every_line(path: Path) -> None:
    text = path.read_text()
    edit = _edit(text)
    edit.append(("ideas",), {"id": "new-idea", "title": "New: idea # 1", "tags": ["x"]})
    edit.append(("tasks",), EPIC)
    changed = edit.text()
    assert _removed(text, changed) == []
    data = YamlDocument("x", changed).data
    assert data["ideas"][-1] == {"id": "new-idea", "title": "New: idea # 1", "tags": ["x"]}
    assert data["tasks"][-1] == EPIC


def test_values_are_replaced_in_place_and_keys_added_last() -> None:
    text = (
        "project: {name: X, start: 2027-01-04}\n"
        "ideas:\n"
        "  - id: a\n"
        "    title: A\n"
        "    status: new   # review on Friday\n"
        "    comments:\n"
        "      - {author: ann, text: 'yes'}\n"
        "\n"
        "  # the next one\n"
        "  - {id: b, title: 'b } # not a comment', status: \"new\",\n"
        "     votes: 2}   # two votes\n"
        "tasks: []\n"
    )
    edit = _edit(text)
    edit.set(("ideas", 0), {"status": "promoted", "epic": "a"})
    edit.set(("ideas", 1), {"status": "promoted", "epic": "b"})
    assert edit.text() == (
        "project: {name: X, start: 2027-01-04}\n"
        "ideas:\n"
        "  - id: a\n"
        "    title: A\n"
        "    status: promoted   # review on Friday\n"
        "    comments:\n"
        "      - {author: ann, text: 'yes'}\n"
        "    epic: a\n"
        "\n"
        "  # the next one\n"
        "  - {id: b, title: 'b } # not a comment', status: promoted,\n"
        "     votes: 2, epic: b}   # two votes\n"
        "tasks: []\n"
    )


def test_a_file_without_a_final_newline() -> None:
    edit = _edit("project: {name: X, start: 2027-01-04}\ntasks: []\nideas:\n- {id: a, title: A}")
    edit.append(("ideas",), {"id": "b", "title": "B"})
    assert edit.text().endswith("ideas:\n- {id: a, title: A}\n- {id: b, title: B}\n")


def test_layouts_beyond_splicing_go_through_the_round_trip() -> None:
    text = "# kept\nproject: {name: X, start: 2027-01-04}\ntasks: []\nideas: [{id: a, title: A}]\n"
    edit = _edit(text)
    edit.append(("ideas",), {"id": "b", "title": "B"})
    changed = edit.text()
    assert changed.startswith("# kept\n")
    assert YamlDocument("x", changed).data["ideas"] == [
        {"id": "a", "title": "A"},
        {"id": "b", "title": "B"},
    ]


def test_write_plan_validates_before_replacing(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    original = "project: {name: X, start: 2027-01-04}\ntasks: []\n"
    path.write_text(original)
    bad = original + "ideas:\n  - {id: a, title: A, votes: -1}\n"
    with pytest.raises(InvalidPlanError) as caught:
        write_plan(path, bad)
    assert path.read_text() == original
    location = caught.value.problems[0].location
    assert location is not None
    assert location.file == f"{path} (as changed)"
    assert location.line == 4
    good = original + "ideas:\n  - {id: a, title: A}\n"
    assert write_plan(path, good).project.ideas[0].id == "a"
    assert path.read_text() == good


_text = st.text(
    st.characters(exclude_categories=["Cs"]) | st.sampled_from("\n\r\t\u2028#:'\"{}[],&*!|>%@`-? "),
    min_size=1,
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(title=_text, description=_text)
def test_any_text_round_trips_by_splicing(title: str, description: str) -> None:
    text = (
        "project: {name: X, start: 2027-01-04}\ntasks: []\n"
        "ideas:\n  - id: a\n    title: A\n  - {id: b, title: B}\n\n# the end\n"
    )
    edit = _edit(text)
    edit.append(("ideas",), {"id": "c", "title": title, "description": description.strip()})
    with patch("techpm.interop.planfile.idea_edit._dumped", side_effect=AssertionError):
        changed = edit.text()  # spliced, never the round-trip fallback
    assert YamlDocument("x", changed).data["ideas"][-1] == {
        "id": "c",
        "title": title,
        "description": description.strip(),
    }
    assert changed.endswith("\n\n# the end\n")
    assert _removed(text, changed) == []
