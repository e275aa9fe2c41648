"""Locating an element of a plan file from its indentation outline gives the same line,
column and field as the round-trip parser, without parsing the whole file round-trip."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from techpm.domain.errors import InvalidPlanError
from techpm.interop.planfile.document import YamlDocument, read_document
from techpm.interop.planfile.loader import load_plan_document
from techpm.interop.planfile.locations import PathPart, locate

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "bench"))
from cpm import generate  # noqa: E402  (the benchmark's plan generator)

FILES = [
    *sorted((ROOT / "examples").glob("*.yaml")),
    *sorted((ROOT / "tests" / "scenarios").glob("*.yaml")),
    Path(__file__).with_name("block_outline_tricky.yaml"),
]


def _paths(node: Any, prefix: tuple[PathPart, ...] = ()) -> Iterator[tuple[PathPart, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from _paths(value, (*prefix, n))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_element_is_where_the_round_trip_parser_says(path: Path) -> None:
    fast = read_document(path)
    slow = read_document(path)
    elements = list(_paths(fast.data))
    for element in random.Random(1).sample(elements, min(len(elements), 250)):
        # as is, with a field that is absent (reported at its parent), and at the key
        for probe in (list(element), [*element, "no_such_field"]):
            for at_key in (False, True):
                expected = locate(slow.tree, probe, slow.file, at_key=at_key)
                assert fast.at(probe, at_key=at_key) == expected, (probe, at_key)


def test_unusual_yaml_falls_back_to_the_round_trip_parser() -> None:
    # a merge key: the data and the round-trip tree differ, the outline must not guess
    document = read_document(Path(__file__).with_name("block_outline_tricky.yaml"))
    assert document.outline.locate(document.data, ["tasks", 0, "<<"], "f", str) is None


def test_crlf_lines_are_located_like_lf() -> None:
    text = "project: {name: X, start: 2027-01-04}\r\ntasks:\r\n  - id: a\r\n    duration: 1d\r\n"
    fast, slow = YamlDocument("p.yaml", text), YamlDocument("p.yaml", text)
    path: list[PathPart] = ["tasks", 0, "duration"]
    assert fast.at(path) == locate(slow.tree, path, "p.yaml")
    assert (fast.at(path).line, fast.at(path).column) == (4, 15)


def test_a_bad_reference_in_a_large_plan_is_located_without_a_full_reparse() -> None:
    text = generate(3_000).replace("after: [t3,", "after: [nosuch,", 1)
    line, column = next(
        (n, row.index("nosuch") + 1)
        for n, row in enumerate(text.splitlines(), 1)
        if "nosuch" in row
    )
    document = YamlDocument("big.yaml", text)
    with pytest.raises(InvalidPlanError) as caught:
        load_plan_document(document)
    (problem,) = [p for p in caught.value.problems if p.code == "dependency.unknown_task"]
    assert problem.location is not None
    # the line holding "nosuch", at the column where the bad id starts
    assert (problem.location.line, problem.location.column) == (line, column)
    assert problem.location.field == "tasks[3].children[15].after[0]"
    assert "tree" not in document.__dict__, "the whole file was parsed round-trip again"


def test_random_paths_of_a_generated_plan_match_the_round_trip_parser() -> None:
    text = generate(400)
    fast, slow = YamlDocument("g.yaml", text), YamlDocument("g.yaml", text)
    elements = list(_paths(fast.data))
    for element in random.Random(3).sample(elements, 300):
        assert fast.at(list(element)) == locate(slow.tree, list(element), "g.yaml")
    assert "tree" not in fast.__dict__
