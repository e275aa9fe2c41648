"""Values set in a plan's text touch only the lines of the mappings they change: a property
over plans laid out the ways people write them, and the layouts handed to the round trip."""

from __future__ import annotations

import difflib
from datetime import date

import yaml_rs
from hypothesis import given, settings
from hypothesis import strategies as st

from techpm.interop.planfile.document import YamlDocument
from techpm.interop.planfile.loader import load_plan_document
from techpm.interop.planfile.text_edit import UnsupportedLayout, set_keys
from techpm.interop.planfile.writeback import updated_text

VALUES = st.fixed_dictionaries(
    {},
    optional={
        "percent_complete": st.integers(0, 100),
        "actual_start": st.dates(date(2027, 1, 1), date(2027, 12, 31)),
        "actual_cost": st.one_of(st.integers(0, 10**6), st.sampled_from([12.5, 0.25])),
        "remaining_duration": st.sampled_from(["2d", "4h", "1w"]),
    },
)


@st.composite
def task_text(draw: st.DrawFn, n: int) -> list[str]:
    """One task in one of the layouts people use, as its lines."""
    pad = " " * draw(st.integers(0, 3))
    comment = draw(st.sampled_from(["", "   # note", "  #: keep"]))
    has_pct = draw(st.booleans())
    pct = f", percent_complete:{pad} 10" if has_pct else ""
    style = draw(st.sampled_from(["flow", "block", "block-list", "two-lines"]))
    if style == "flow":
        return [f"  - {{id: t{n},{pad} name: Task {n}, duration: 2d{pct}}}{comment}"]
    lines = [f"  - id: t{n}"]
    if style == "two-lines":  # a comment would end the name: it goes on the next key
        lines += [f"    name:{pad} Task {n}", "      continued on a second line"]
    else:
        lines.append(f"    name:{pad} Task {n}{comment}")
    lines.append(f"    duration: {pad}3d")
    if has_pct:
        lines.append("    percent_complete: 10")
    if style == "block-list" and n:
        lines += ["    after:", f"      - t{n - 1}"]
    if draw(st.booleans()):
        lines.append("    # a comment below the task")
    return lines


@st.composite
def plans(draw: st.DrawFn) -> tuple[str, list[range]]:
    """A plan's text and the line range of each task."""
    lines = ["# a plan", "project: {name: P, start: 2027-01-04}", "", "tasks:"]
    spans = []
    for n in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            lines.append("")
        task = draw(task_text(n))
        spans.append(range(len(lines), len(lines) + len(task)))
        lines += task
    return "\n".join(lines) + "\n", spans


@settings(max_examples=60, deadline=None)
@given(plans(), st.data())
def test_only_the_lines_of_changed_tasks_change(
    plan: tuple[str, list[range]], data: st.DataObject
) -> None:
    text, spans = plan
    chosen = data.draw(st.sets(st.integers(0, len(spans) - 1)))
    updates = {n: data.draw(VALUES) for n in chosen}
    updates = {n: v for n, v in updates.items() if v}
    edited = set_keys(text, {("tasks", n): v for n, v in updates.items()})
    # the data: exactly the values set, everything else as it was
    expected = yaml_rs.loads(text)
    for n, values in updates.items():
        expected["tasks"][n].update(values)
    assert yaml_rs.loads(edited) == expected
    # the lines: every difference lies within (or right after) a changed task
    allowed = set()
    for n in updates:
        allowed.update(range(spans[n].start, spans[n].stop + 1))
    matcher = difflib.SequenceMatcher(a=text.split("\n"), b=edited.split("\n"), autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag != "equal":
            assert set(range(i1, max(i2, i1 + 1))) <= allowed, (tag, i1, i2, edited)


def test_an_anchored_task_is_left_to_the_round_trip() -> None:
    text = (
        "project: {name: P, start: 2027-01-04}\n"
        "tasks:\n"
        "  - &base {id: a, name: A, duration: 2d}\n"
        "  - {id: b, name: B, duration: 1d}\n"
    )
    try:
        set_keys(text, {("tasks", 0): {"percent_complete": 50}})
    except UnsupportedLayout:
        pass
    else:  # pragma: no cover
        raise AssertionError("an anchored mapping may be used elsewhere: not edited in place")
    document = YamlDocument("plan.yaml", text)
    source = load_plan_document(document).source_map
    changed = updated_text(document, source, {"a": {"percent_complete": 50}}, {})
    assert yaml_rs.loads(changed)["tasks"][0]["percent_complete"] == 50
