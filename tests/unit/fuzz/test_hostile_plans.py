"""Hostile and mangled plan files: each is a clear, located error within seconds, never an
internal error, a hang or a blow-up in memory.

Two parts: named cases found by fuzzing (each with the error code it must give), and a
bounded hypothesis run that mutates the example plans the way people and fuzzers do (values
replaced, keys renamed, lines dropped or doubled, characters flipped, deep nesting) and
checks the contract on whatever comes out.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from techpm.domain.errors import InvalidPlanError, TechpmError
from techpm.services.planning import check_plan

ROOT = Path(__file__).resolve().parents[3]
BASES = sorted((ROOT / "examples").glob("*.yaml")) + sorted(
    (ROOT / "tests/scenarios").glob("*.yaml")
)
SECONDS = 20  # "within a few seconds": a generous bound for a loaded 2-core machine


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def stop(*_: object) -> None:
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def outcome(path: Path) -> TechpmError | None:
    """None for a valid plan, else the error; anything else fails the test."""
    with time_limit(SECONDS):
        try:
            check_plan(path)
        except TechpmError as error:
            return error
    return None


def assert_located(error: TechpmError) -> None:
    if isinstance(error, InvalidPlanError):
        for problem in error.problems:
            assert problem.location is not None, problem
            assert problem.location.line is not None, problem
    else:
        assert str(error), error


PLAN = "project: {name: P, start: 2027-01-04%s}\ntasks:\n  - {id: a, name: A, %s}\n"
ALIAS_BOMB = "project: {name: Bomb, start: 2027-01-04}\n" + (
    'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]\n" for n in range(1, 9))
    + "tasks:\n  - {id: a, name: A, duration: 1d}\n"
)
CASES = [
    ("duration: true", PLAN % ("", "duration: true"), "planfile.bad_value"),
    ("Arabic-Indic digits", PLAN % ("", "duration: ٣d"), "planfile.bad_duration"),
    ("infinite number", PLAN % ("", "duration: 1e400"), "planfile.bad_number"),
    ("NaN", PLAN % ("", "duration: .nan"), "planfile.bad_number"),
    ("huge integer", PLAN % ("", "duration: 99999999999999999999"), "planfile.number_too_large"),
    ("huge duration text", PLAN % ("", "duration: 99999999999d"), "planfile.bad_duration"),
    (
        "far future date",
        PLAN % ("", "duration: 1d, deadline: 9999-12-31"),
        "planfile.date_out_of_range",
    ),
    (
        "year one",
        PLAN.replace("2027-01-04", "0001-01-01") % ("", "duration: 1d"),
        "planfile.date_out_of_range",
    ),
    (
        "quoted far date",
        PLAN % (", status_date: '9000-01-01'", "duration: 1d"),
        "planfile.date_out_of_range",
    ),
    (
        "negative remaining",
        PLAN
        % (
            ", status_date: 2027-01-05",
            "duration: 3d, actual_start: 2027-01-04, remaining_duration: -2d",
        ),
        "progress.negative_remaining",
    ),
    (
        "deep flow nesting",
        PLAN % ("", "duration: 1d, tags: " + "[" * 5000 + "]" * 5000),
        "planfile.too_deep",
    ),
    (
        "unclosed deep nesting",
        PLAN % ("", "duration: 1d, tags: " + "[" * 5000),
        "planfile.too_deep",
    ),
    (
        "deep block nesting",
        "project: {name: P, start: 2027-01-04}\ntasks:\n"
        + "".join("  " * (n + 1) + "- children:\n" for n in range(120)),
        "planfile.too_deep",
    ),
    ("alias bomb", ALIAS_BOMB, "planfile.alias_bomb"),
]


@pytest.mark.parametrize(("text", "code"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_hostile_plan_is_a_located_error(tmp_path: Path, text: str, code: str) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    error = outcome(path)
    assert isinstance(error, InvalidPlanError), error
    assert code in [p.code for p in error.problems], error
    assert_located(error)


def test_a_sprint_nobody_declared_is_said(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN % ("", "duration: 1d, sprint: s9"))
    result = check_plan(path)
    [said] = [d for d in result.diagnostics if d.code == "sprint.undeclared"]
    assert "'s9'" in said.message
    assert said.subjects == ("a",)


VALUES = [
    "true",
    "null",
    "1e400",
    "-1e400",
    ".nan",
    ".inf",
    "9" * 40,
    "-5",
    "0",
    "-1d",
    "99999999d",
    "٣d",
    "2027-02-30",
    "9999-12-31",
    "0001-01-01",
    "[]",
    "{}",
    "[[[[[[]]]]]]",
    "''",
    "[a, b]",
    "{a: 1}",
    "1.5",
    "-0.0",
    "1mo",
    "5x",
    "*a",
    "&a x",
    "{task: zz, type: XX}",
    "[{task: a, lag: 1e309d}]",
    "2027-13-01",
    '"2027-01-04T25:00"',
    "[" * 300,
]
KEYS = [
    "duration",
    "after",
    "start",
    "calendar",
    "constraint",
    "effort",
    "resources",
    "estimate",
    "percent_complete",
    "actual_start",
    "actual_finish",
    "remaining_duration",
    "sprint",
    "deadline",
    "priority",
    "milestone",
    "rate",
    "units",
    "needs",
    "probability",
    "workweek",
    "hours",
    "holidays",
    "nonworking",
    "lag",
    "type",
    "children",
    "id",
    "interest",
    "duartion",
]


@st.composite
def mangled(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(BASES)).read_text(encoding="utf-8").splitlines()
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.integers(0, 6))
        line = lines[i]
        colon = line.find(": ")
        if kind == 0 and colon >= 0:
            end = min(
                (p for p in (line.find(",", colon), line.find("}", colon)) if p > 0),
                default=len(line),
            )
            lines[i] = line[: colon + 2] + draw(st.sampled_from(VALUES)) + line[end:]
        elif kind == 1 and colon >= 0:
            start = len(line[:colon]) - len(line[:colon].lstrip(" -{"))
            lines[i] = line[:start] + draw(st.sampled_from(KEYS)) + line[colon:]
        elif kind == 2 and "{" in line:
            j = line.index("{") + 1
            value = f"{draw(st.sampled_from(KEYS))}: {draw(st.sampled_from(VALUES))}, "
            lines[i] = line[:j] + value + line[j:]
        elif kind == 3:
            del lines[i]
        elif kind == 4:
            lines.insert(i, line)
        elif kind == 5 and line:
            k = draw(st.integers(0, len(line) - 1))
            lines[i] = line[:k] + draw(st.sampled_from("{}[]:,-'\"&*!|> #")) + line[k + 1 :]
        else:
            lines[i] = line + " " + "[" * draw(st.sampled_from([10, 100, 3000]))
    return "\n".join(lines) + "\n"


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=mangled())
def test_mangled_plans_are_valid_or_a_located_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    error = outcome(path)
    if error is not None:
        assert_located(error)
