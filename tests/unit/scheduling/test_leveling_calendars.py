"""Leveling on several calendars: with nothing competing it keeps the critical-path dates,
with contention it passes the independent feasibility check and starts nothing earlier than
the network allows, and it calls a result proven only when no verified schedule is shorter.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.domain.calendar import CalendarSpec
from techpm.domain.dependency import Dependency, DependencyType
from techpm.domain.project import Project, ProjectInfo
from techpm.domain.resource import Assignment, Resource
from techpm.domain.task import Task
from techpm.scheduling.calendar_sgs import CalendarSgs
from techpm.scheduling.cpm import schedule_problem
from techpm.scheduling.explain import explain_task
from techpm.scheduling.feasibility import check, check_schedule
from techpm.scheduling.leveled import level_schedule
from techpm.scheduling.problem import compile_problem
from techpm.scheduling.sgs import repair_order
from techpm.services.planning import schedule_plan

CHAIN = Path(__file__).parents[2] / "scenarios" / "leveling_calendars" / "chain_us_berlin.yaml"
START = date(2027, 1, 4)  # a Monday
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_a_chain_over_two_calendars_levels_to_its_critical_path_dates() -> None:
    # a (US, Ana) 5d: Mon 2027-05-03 to Fri 05-07. b (Berlin, Fay) 5d: Mon 05-10 to Fri 05-14
    # (Ascension Day, Thu 05-06, is in a's week, Whit Monday 05-17 after b). c (US, Ana) 5d:
    # Mon 05-17 to Fri 05-21. Ana's two tasks are weeks apart: nothing competes.
    unleveled = schedule_plan(CHAIN, level=False)
    leveled = schedule_plan(CHAIN, level=True)
    expected = {
        "a": (datetime(2027, 5, 3, 9), datetime(2027, 5, 7, 17)),
        "b": (datetime(2027, 5, 10, 9), datetime(2027, 5, 14, 17)),
        "c": (datetime(2027, 5, 17, 9), datetime(2027, 5, 21, 17)),
    }
    for result in (unleveled, leveled):
        assert {t: (result.row(t).start, result.row(t).finish) for t in expected} == expected
    assert check(unleveled) == []
    assert leveled.finish == unleveled.finish == datetime(2027, 5, 21, 17)
    info = leveled.leveling
    assert info is not None
    assert info.optimal  # it ends with the critical path: nothing can be shorter
    assert info.makespan_minutes == info.lower_bound_minutes == 15 * 480
    # b waits for a, not for nothing
    step = explain_task(leveled, "b").steps[0]
    assert (step.kind, step.predecessor) == ("link", "a")


def test_the_command_says_which_engine_produced_the_schedule() -> None:
    runner = CliRunner()
    for engine in ("cpsat", "heuristic"):
        out = runner.invoke(app, ["schedule", str(CHAIN), "--level", "--engine", engine])
        assert out.exit_code == 0, out.output
        assert f"({engine} asked)" in out.stdout
        data = json.loads(
            runner.invoke(
                app, ["schedule", str(CHAIN), "--level", "--engine", engine, "-f", "json"]
            ).stdout
        )
        leveling = data["project"]["leveling"]
        assert leveling["engine"] == engine
        assert leveling["produced_by"] == "early-start rule"
        assert (leveling["makespan"], leveling["lower_bound"], leveling["optimal"]) == (
            15,
            15,
            True,
        )


# -- random plans -------------------------------------------------------------------------

WEEKS = ((0, 1, 2, 3, 4), (0, 1, 2, 5), (1, 2, 3, 4, 5), (0, 1, 3, 4))
HOURS = (((9 * 60, 17 * 60),), ((10 * 60, 14 * 60),), ((8 * 60, 12 * 60), (13 * 60, 17 * 60)))


@st.composite
def plans(draw: st.DrawFn, *, contention: bool) -> Project:
    """1-3 calendars with different weeks and days off. Without contention every task has a
    person of its own on its calendar (any hours); with it, a few people on calendars with
    the same hours share the tasks of their calendar, some with vacations."""
    count = draw(st.integers(1, 3))
    calendars = {}
    for c in range(count):
        days = draw(st.sampled_from(WEEKS))
        hours = HOURS[0] if contention else draw(st.sampled_from(HOURS))
        off = draw(st.sets(st.integers(0, 30), max_size=3))
        calendars[f"c{c}"] = CalendarSpec(
            id=f"c{c}",
            week=tuple(hours if d in days else () for d in range(7)),
            nonworking=frozenset(START + timedelta(days=d) for d in off),
        )
    n = draw(st.integers(1, 8))
    people = draw(st.integers(1, 4)) if contention else n
    on = [f"c{draw(st.integers(0, count - 1))}" for _ in range(max(n, people))]
    tasks, deps, resources = [], [], []
    for k in range(people):
        away: tuple[tuple[date, date], ...] = ()
        if contention and draw(st.booleans()):
            first = START + timedelta(days=draw(st.integers(0, 20)))
            away = ((first, first + timedelta(days=draw(st.integers(0, 3)))),)
        resources.append(Resource(id=f"r{k}", name=f"R{k}", calendar=on[k], vacations=away))
    for j in range(n):
        hours = draw(st.sampled_from([0, 2, 4, 8, 16, 24]))
        if contention:
            # people work on their own calendar, two at most, from the same team
            lead = draw(st.integers(0, people - 1))
            team = [k for k in range(people) if on[k] == on[lead]]
            who = {lead} | draw(st.sets(st.sampled_from(team), max_size=1))
            calendar = on[lead]
        else:
            who, calendar = {j}, on[j]
        tasks.append(
            Task(
                id=f"t{j}",
                name=f"T{j}",
                duration_minutes=hours * 60 or None,
                milestone=hours == 0,
                calendar=calendar,
                assignments=tuple(Assignment(f"r{k}", 1.0) for k in sorted(who)) if hours else (),
            )
        )
        if j:
            for i in draw(st.sets(st.integers(0, j - 1), max_size=2)):
                kind = draw(st.sampled_from(list(DependencyType)))
                lag = draw(st.sampled_from([0, 0, 120, 480, -120]))
                deps.append(Dependency(f"t{i}", f"t{j}", kind, lag))
    return Project(
        info=ProjectInfo(name="Mixed", start=START, calendar="c0"),
        calendars=calendars,
        tasks=tuple(tasks),
        dependencies=tuple(deps),
        resources=tuple(resources),
    )


@SETTINGS
@given(plans(contention=False))
def test_without_contention_leveling_keeps_the_critical_path_dates(project: Project) -> None:
    unleveled = schedule_problem(compile_problem(project))
    assert check(unleveled) == []
    leveled = level_schedule(unleveled, engine="heuristic", time_limit=0.05)
    assert leveled.early_start_at == unleveled.early_start_at
    assert leveled.early_finish_at == unleveled.early_finish_at
    assert leveled.finish_minute == unleveled.finish_minute
    assert leveled.leveling is not None
    assert leveled.leveling.optimal


@SETTINGS
@given(plans(contention=True), st.randoms(use_true_random=False))
def test_with_contention_the_leveled_schedule_is_feasible_and_proof_is_earned(
    project: Project, rng: random.Random
) -> None:
    unleveled = schedule_problem(compile_problem(project))
    leveled = level_schedule(unleveled, engine="heuristic", time_limit=0.05)
    assert [b.message for b in check(leveled)] == []
    problem = unleveled.problem
    for j in range(problem.size):
        assert leveled.early_start_at[j] >= unleveled.early_start_at[j], problem.ids[j]
    if check(unleveled) == []:
        assert leveled.finish_minute == unleveled.finish_minute
    info = leveled.leveling
    assert info is not None
    if info.optimal:
        # no other order, placed on the calendars and passed by the check, is shorter
        sgs = CalendarSgs(unleveled, leveled.assignments)
        preds = [[(int(problem.edges.pred[k]), 0) for k in ks] for ks in problem.preds]
        for _ in range(5):
            order = list(range(problem.size))
            rng.shuffle(order)
            other = sgs.decode(repair_order(order, preds))
            breaches = check_schedule(problem, other.start_at, other.finish_at, leveled.assignments)
            if breaches == []:
                # as working time: a milestone may show on either side of a night
                tl = problem.timelines[0]
                assert tl.to_work(other.finish_minute) >= tl.to_work(leveled.finish_minute)


def test_a_release_on_two_calendars_is_not_called_proven_when_a_shorter_one_is_feasible() -> None:
    # The grid the engines search gives every Berlin task the longest span it could take
    # anywhere in the plan; its CP-SAT optimum (74 working days, Fri 2027-06-11) was called
    # "proven shortest" while this plan has feasible schedules of 62 days. Placed on the real
    # calendars, both engines find one of at most 63 days that the independent check
    # accepts, and the only bounds claimed are ones that hold: the critical path (36 days)
    # and each person's booked work after their first task may start (Qia's 38 days of QA
    # from day 16, when her first task may start at the earliest: 54 days).
    plan = CHAIN.parent / "release48.yaml"
    for engine in ("heuristic", "cpsat"):
        leveled = schedule_plan(plan, level=True, engine=engine, time_limit=1.0)  # type: ignore[arg-type]
        info = leveled.leveling
        assert info is not None
        assert check(leveled) == []
        assert leveled.finish <= datetime(2027, 5, 26, 17)
        assert info.makespan_minutes <= 63 * 480
        assert info.lower_bound_minutes == 54 * 480
        assert not info.optimal


def test_explain_says_a_leveled_task_waits_for_its_person_to_be_back(tmp_path: Path) -> None:
    # Bob is away Mon 4 to Wed 6 January; his 2-day task starts Thu 7 when he is back.
    plan = tmp_path / "away.yaml"
    plan.write_text(
        "project: {name: Away, start: 2027-01-04}\n"
        "resources:\n  - {id: bob, name: Bob, vacations: [[2027-01-04, 2027-01-06]]}\n"
        "tasks:\n  - {id: a, name: A, duration: 2d, assign: [{resource: bob}]}\n"
    )
    leveled = schedule_plan(plan, level=True)
    assert leveled.row("a").start == datetime(2027, 1, 7, 9)
    step = explain_task(leveled, "a").steps[0]
    assert step.kind == "resource"
    assert step.reason == "waits for bob to be back (away on 2027-01-06)"
