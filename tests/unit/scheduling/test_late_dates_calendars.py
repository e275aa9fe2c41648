"""Late dates on several calendars are moments at which starting (or finishing) still keeps
every link and the project finish; early dates are those of an independent forward pass."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from techpm.domain.calendar import CalendarSpec
from techpm.domain.dependency import Dependency, DependencyType
from techpm.domain.project import Project, ProjectInfo
from techpm.domain.task import Task
from techpm.scheduling.cpm import schedule_problem
from techpm.scheduling.problem import compile_problem
from techpm.scheduling.result import Schedule
from techpm.services.planning import schedule_plan

SCENARIOS = Path(__file__).parents[2] / "scenarios" / "leveling_calendars"
START = date(2027, 1, 4)  # a Monday
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_a_start_to_start_predecessor_starts_by_the_end_of_its_last_working_day() -> None:
    # See the plan's comment: b's late start is Thu 7 10:00 (c0); a (c1, off Thu and Fri)
    # must have started by then, i.e. by the end of Wed 6 (17:00), not Sat 9 08:00.
    result = schedule_plan(SCENARIOS / "late_ss_gap.yaml")
    assert result.row("b").late_start == datetime(2027, 1, 7, 10, 0)
    assert result.row("a").late_start == datetime(2027, 1, 6, 17, 0)
    # a 2h task that starts at the end of Wed works Sat 08:00-10:00
    assert result.row("a").late_finish == datetime(2027, 1, 9, 10, 0)
    # the float is the same working time as before: Mon 10:00 -> Wed 17:00 on c1 is
    # 7h + 9h + 9h = 25h, less the 2h a already started at (Mon 08:00): a starts at
    # Mon 08:00, so the float is Mon 08:00 -> Wed 17:00 = 27h = 6.75 days of 4h
    assert result.row("a").total_float_minutes == 27 * 60
    # b's late start moved the other way would break the link: check the whole network
    assert _late_schedule_breaks(result) == []


# -- random networks ----------------------------------------------------------------------

WEEKS = (
    (0, 1, 2, 3, 4),
    (0, 1, 2, 5),
    (1, 2, 3, 4, 5),
    (0, 2, 4, 6),
)
HOURS = (((9 * 60, 17 * 60),), ((10 * 60, 14 * 60),), ((8 * 60, 12 * 60), (13 * 60, 17 * 60)))


@st.composite
def networks(draw: st.DrawFn) -> Project:
    count = draw(st.integers(1, 3))
    calendars = {}
    for c in range(count):
        days = draw(st.sampled_from(WEEKS))
        hours = draw(st.sampled_from(HOURS))
        week = tuple(hours if d in days else () for d in range(7))
        calendars[f"c{c}"] = CalendarSpec(id=f"c{c}", week=week)
    n = draw(st.integers(2, 8))
    tasks, deps = [], []
    for j in range(n):
        hours = draw(st.sampled_from([0, 1, 2, 4, 6, 8, 12, 20]))
        tasks.append(
            Task(
                id=f"t{j}",
                name=f"T{j}",
                duration_minutes=hours * 60 or None,
                milestone=hours == 0,
                calendar=f"c{draw(st.integers(0, count - 1))}",
            )
        )
        if j:
            for i in draw(st.sets(st.integers(0, j - 1), max_size=2)):
                kind = draw(st.sampled_from(list(DependencyType)))
                lag = draw(st.sampled_from([0, 0, 60, 180, 480, -60, -120]))
                deps.append(Dependency(f"t{i}", f"t{j}", kind, lag))
    return Project(
        info=ProjectInfo(name="Net", start=START, calendar="c0"),
        calendars=calendars,
        tasks=tuple(tasks),
        dependencies=tuple(deps),
    )


@SETTINGS
@given(networks())
def test_late_dates_keep_every_link_on_any_mix_of_calendars(project: Project) -> None:
    result = schedule_problem(compile_problem(project))
    assert _late_schedule_breaks(result) == [], _describe(result)


@SETTINGS
@given(networks())
def test_starting_any_task_at_its_late_start_keeps_the_finish(project: Project) -> None:
    result = schedule_problem(compile_problem(project))
    problem = result.problem
    # without a pinned task, the independent pass gives the engine's early dates
    starts, finishes = _forward(result)
    assert starts == result.early_start_at, _describe(result)
    assert finishes == result.early_finish_at, _describe(result)
    tl = problem.timelines[0]
    end = tl.to_work(result.finish_minute)
    for x in range(problem.size):
        _, finishes = _forward(result, x, result.late_start_at[x])
        pushed = [
            problem.ids[j]
            for j in range(problem.size)
            if tl.to_work(finishes[j]) > end or finishes[j] > result.finish_minute
        ]
        assert pushed == [], f"{problem.ids[x]} pushes {pushed}\n{_describe(result)}"


@SETTINGS
@given(networks())
def test_floats_agree_with_the_late_dates(project: Project) -> None:
    result = schedule_problem(compile_problem(project))
    problem = result.problem
    for j in range(problem.size):
        tl = problem.timelines[problem.calendar_idx[j]]
        late_w = tl.to_work(result.late_start_at[j])
        assert result.total_float[j] == late_w - tl.to_work(result.early_start_at[j])
        assert 0 <= result.free_float[j] <= max(0, result.total_float[j])


def _late_schedule_breaks(result: Schedule) -> list[str]:
    """Every link between two tasks at their late dates, in moments, as verify reads them."""
    problem = result.problem
    found = []
    ls, lf = result.late_start_at, result.late_finish_at
    for k in range(len(problem.edges)):
        edge = problem.edges[k]
        tl = problem.timelines[problem.calendar_idx[edge.succ]]
        ref = lf[edge.pred] if edge.type.from_finish else ls[edge.pred]
        target = lf[edge.succ] if edge.type.to_finish else ls[edge.succ]
        if tl.to_work(ref) + edge.lag_minutes > tl.to_work(target):
            found.append(f"{problem.ids[edge.pred]} -{edge.type.value}-> {problem.ids[edge.succ]}")
    for j in range(problem.size):
        if lf[j] > result.finish_minute:
            found.append(f"{problem.ids[j]} finishes after the project")
        tl = problem.timelines[problem.calendar_idx[j]]
        if tl.to_work(lf[j]) - tl.to_work(ls[j]) != problem.duration[j]:
            found.append(f"{problem.ids[j]} late dates do not span its duration")
    return found


def _forward(
    result: Schedule, pinned: int | None = None, at: int = 0
) -> tuple[list[int], list[int]]:
    """Earliest moments, every link read from its predecessor's moments (lags on the
    successor's calendar).

    Without `pinned`, a task starts at the first working minute its links allow, as the
    engine shows it (a milestone keeps the side of the day the engine put it on: a display
    convention tested elsewhere). With `pinned` starting at the moment `at`, every other
    task starts at the earliest moment its links allow, which may be the end of a working
    period (the same working instant as the start of the next one): a late date is safe
    when no task then has to finish after the project.
    """
    problem = result.problem
    n = problem.size
    start, finish = [0] * n, [0] * n
    for j in problem.order:
        tl = problem.timelines[problem.calendar_idx[j]]
        d = problem.duration[j]
        w = tl.to_work(problem.start_minute)
        for k in problem.preds[j]:
            edge = problem.edges[k]
            ref = finish[edge.pred] if edge.type.from_finish else start[edge.pred]
            w = max(w, tl.to_work(ref) + edge.lag_minutes - (d if edge.type.to_finish else 0))
        if j == pinned:
            assert tl.to_work(at) >= w, "a late start before the early start"
            start[j] = at
        elif pinned is not None:
            start[j] = max(tl.finish_at(w), problem.start_minute)
        elif d == 0 and problem.milestone[j]:
            start[j] = result.early_start_at[j]
        else:
            start[j] = tl.start_at(w)
        finish[j] = start[j] if d == 0 else tl.finish_at(tl.to_work(start[j]) + d)
    return start, finish


def _describe(result: Schedule) -> str:
    """The network and its dates, short enough to read in a failure."""
    problem = result.problem
    lines = [
        f"{c.id}: {[(d, c.week[d]) for d in range(7) if c.week[d]]}"
        for c in (tl.calendar for tl in problem.timelines)
    ]
    at = result.moment
    for j, task_id in enumerate(problem.ids):
        cal = problem.timelines[problem.calendar_idx[j]].calendar.id
        lines.append(
            f"{task_id} {problem.duration[j]}m on {cal}"
            f" es={at(result.early_start_at[j])} ef={at(result.early_finish_at[j])}"
            f" ls={at(result.late_start_at[j])} lf={at(result.late_finish_at[j])}"
        )
    for k in range(len(problem.edges)):
        e = problem.edges[k]
        a, b = problem.ids[e.pred], problem.ids[e.succ]
        lines.append(f"{a} -{e.type.value} {e.lag_minutes}-> {b}")
    lines.append(f"finish {result.finish}")
    return "\n".join(lines)
