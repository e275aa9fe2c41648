"""Throughput Monte Carlo: hand-computed cases, exact distributions, and invariants."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import poisson

from techpm.flow import forecast as engine
from techpm.flow.forecast import (
    CONFIDENCES,
    ForecastError,
    days_to_reach,
    done_percentile,
    how_many,
    milestone_targets,
    reached_percentile,
    when,
    when_milestones,
)
from techpm.flow.throughput import WorkingDays
from techpm.services.planning import schedule_plan

WEEKDAYS = WorkingDays(lambda day: day.weekday() < 5)
MON = date(2027, 1, 4)  # a Monday


def rng(seed: int = 1) -> np.random.Generator:
    return np.random.default_rng(seed)


# -- hand-computed -------------------------------------------------------------------------


def test_constant_throughput_is_certain() -> None:
    # 2 items every working day: 10 items take 10 / 2 = 5 working days in every run,
    # Monday to Friday; 5 calendar days counting the start day.
    result = when(10, [2, 2, 2], start=MON, calendar=WEEKDAYS, iterations=500, rng=rng())
    for c in CONFIDENCES:
        done = result.confidence[c]
        assert (done.days, done.on, done.calendar_days) == (5, date(2027, 1, 8), 5)
    assert result.spread.histogram == ((5, 500),)
    assert (result.spread.mean, result.spread.std) == (5.0, 0.0)
    assert result.chance_by(4) == 0.0
    assert result.chance_by(5) == 1.0
    # 11 items: 6 days, the sixth working day being the next Monday (8 calendar days)
    longer = when(11, [2], start=MON, calendar=WEEKDAYS, iterations=10, rng=rng())
    assert longer.confidence[85].on == date(2027, 1, 11)
    assert longer.confidence[85].calendar_days == 8
    # how many by Friday of the second week: 10 working days x 2 = 20 in every run
    count = how_many(date(2027, 1, 15), [2], start=MON, calendar=WEEKDAYS, iterations=50, rng=rng())
    assert count.working_days == 10
    assert count.confidence == {50: 20, 70: 20, 85: 20, 95: 20}


def test_a_weekend_start_begins_on_monday() -> None:
    result = when(2, [1], start=date(2027, 1, 9), calendar=WEEKDAYS, iterations=10, rng=rng())
    assert result.start == MON + timedelta(days=7)
    assert result.confidence[50].on == date(2027, 1, 12)  # Mon 11 and Tue 12


def test_all_or_nothing_days() -> None:
    # A day finishes 4 items with probability 1/4, else none, so 4 items are done on the
    # first day that draws a 4: P(done by day d) = 1 - 0.75^d, which is 0.25, 0.44, 0.58,
    # 0.68, 0.76, 0.82, 0.87, 0.90, 0.92, 0.944, 0.958 for d = 1 ... 11. The smallest d
    # reaching 50 %: 3; 70 %: 5; 85 %: 7; 95 %: 11. The closest share to a threshold is
    # 0.944 against 0.95 (0.006 away); with 40,000 runs an estimated share has a standard
    # error of sqrt(0.95 x 0.05 / 40000) = 0.0011, so every margin is over 5 of them.
    result = when(4, [0, 0, 0, 4], start=MON, calendar=WEEKDAYS, iterations=40_000, rng=rng())
    assert {c: d.days for c, d in result.confidence.items()} == {50: 3, 70: 5, 85: 7, 95: 11}


def test_how_many_counts_reached_or_exceeded() -> None:
    # Days finish 0 or 1 item, equally likely; over 2 working days the count is 0, 1 or 2
    # with probability 1/4, 1/2, 1/4. Reached or exceeded: 0 always, 1 in 75 %, 2 in 25 %,
    # so 50 % and 70 % confidence promise 1 item, 85 % and 95 % promise none.
    result = how_many(
        date(2027, 1, 5), [0, 1], start=MON, calendar=WEEKDAYS, iterations=20_000, rng=rng()
    )
    assert result.working_days == 2
    assert result.confidence == {50: 1, 70: 1, 85: 0, 95: 0}
    shares = {value: runs / 20_000 for value, runs in result.spread.histogram}
    assert shares == pytest.approx({0: 0.25, 1: 0.5, 2: 0.25}, abs=0.015)


def test_split_rate() -> None:
    # With 1 item a day, a run takes exactly as many days as it has items: 100 plus
    # Poisson(100 x 0.5) splits. Exact percentiles are 100 + poisson.ppf(c, 50); with 20,000
    # runs an estimated percentile is off by less than one item (its standard error is
    # about sqrt(c (1 - c) / 20000) / pmf ~ 0.05 / 0.056 < 0.1 days, and values are whole).
    result = when(
        100, [1], start=MON, calendar=WEEKDAYS, iterations=20_000, rng=rng(), split_rate=0.5
    )
    for c in CONFIDENCES:
        exact = 100 + int(poisson.ppf(c / 100, 50))
        assert abs(result.confidence[c].days - exact) <= 1, c
    assert result.spread.mean == pytest.approx(150, abs=0.3)
    plain = when(100, [1], start=MON, calendar=WEEKDAYS, iterations=100, rng=rng())
    assert plain.spread.histogram == ((100, 100),)


# -- against exact distributions ------------------------------------------------------------


def exact_days(pmf: npt.NDArray[np.float64], items: int, confidence: int) -> int:
    """The smallest d with P(the sum of d daily counts >= items) >= confidence %, the
    distribution of the sum being the d-fold convolution of the daily one."""
    total = np.array([1.0])
    for d in range(1, 10_000):
        total = np.convolve(total, pmf)
        if total[items:].sum() >= confidence / 100 - 1e-12:
            return d
    raise AssertionError("not reached")


def empirical_pmf(history: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    pmf = np.bincount(history).astype(np.float64)
    return np.asarray(pmf / pmf.sum(), dtype=np.float64)


def poisson_days(rate: float, items: int, confidence: int) -> int:
    """The true answer when every day is Poisson(rate): the sum of d days is
    Poisson(rate x d), done by day d when it is >= items."""
    d = 1
    while poisson.sf(items - 1, rate * d) < confidence / 100:
        d += 1
    return d


HISTORY = np.random.default_rng(2027).poisson(2.0, size=250)  # a year of working days


def test_monte_carlo_matches_the_exact_bootstrap_distribution() -> None:
    # The forecast resamples the 250 observed days, so its exact answer is the convolution
    # of their empirical distribution. The only error left is Monte Carlo error: the days
    # for 100 items at about 2 a day have a mean near 50 and a standard deviation near
    # sqrt(100 x 2 / 2^3) = 5; an estimated 85th percentile from 20,000 runs has a standard
    # error near sqrt(0.85 x 0.15 / 20000) / (0.23 / 5) = 0.06 days. Whole days: +-1.
    result = when(100, HISTORY, start=MON, calendar=WEEKDAYS, iterations=20_000, rng=rng(5))
    pmf = empirical_pmf(HISTORY)
    for c in CONFIDENCES:
        assert abs(result.confidence[c].days - exact_days(pmf, 100, c)) <= 1, c


def test_how_many_matches_the_exact_bootstrap_distribution() -> None:
    # 30 working days; the exact count distribution is the 30-fold convolution.
    until = WEEKDAYS.following(MON, 30)[-1]
    result = how_many(until, HISTORY, start=MON, calendar=WEEKDAYS, iterations=20_000, rng=rng(6))
    total = np.array([1.0])
    for _ in range(30):
        total = np.convolve(total, empirical_pmf(HISTORY))
    reached = np.cumsum(total[::-1])[::-1]  # reached[c] = P(count >= c)
    for c in CONFIDENCES:
        exact = int(np.flatnonzero(reached >= c / 100 - 1e-12).max())
        # the count has sd sqrt(30 x 2) = 7.7; the 15th percentile's standard error is
        # about sqrt(0.15 x 0.85 / 20000) / (0.03) = 0.08 items
        assert abs(result.confidence[c] - exact) <= 1, c


def test_a_representative_history_gives_the_true_percentiles() -> None:
    # A history whose days follow Poisson(2) in exact proportions (the quantiles at
    # (k + 0.5) / 250, shuffled): no sampling error in the history, so the forecast must
    # land within a working day of the true percentiles, those of the first day on which
    # Poisson(2 d) >= 100 (50, 53, 56, 59 working days).
    history = poisson.ppf((np.arange(250) + 0.5) / 250, 2.0).astype(np.int64)
    rng(0).shuffle(history)
    assert history.mean() == pytest.approx(2.0, abs=0.01)
    result = when(100, history, start=MON, calendar=WEEKDAYS, iterations=20_000, rng=rng(7))
    for c in CONFIDENCES:
        assert abs(result.confidence[c].days - poisson_days(2.0, 100, c)) <= 1, c


def test_a_random_history_lands_within_its_sampling_error() -> None:
    # A random 250-day history's mean is off from the true 2.0 by sqrt(2 / 250) = 0.089 at
    # one standard deviation, 4.5 %, which moves a 50-day forecast by 2.2 days: the
    # history, not the simulation, dominates the error. Tolerance: three standard
    # deviations of that, 3 x 4.5 % of the true percentile (6.7 days at P50, 8 at P95).
    result = when(100, HISTORY, start=MON, calendar=WEEKDAYS, iterations=20_000, rng=rng(8))
    for c in CONFIDENCES:
        true = poisson_days(2.0, 100, c)
        assert abs(result.confidence[c].days - true) <= 3 * 0.045 * true, c


# -- chunks, limits and errors ------------------------------------------------------------


def test_runs_that_outlast_a_chunk_get_more_days(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "CELLS", 40)  # 10 runs: chunks of 16 days at most
    targets = np.array([[5, 40, 100]] * 10, dtype=np.int64)
    days = days_to_reach(targets, np.array([1]), rng())
    assert (days == targets).all()  # one item a day: the target is the day
    assert days_to_reach(np.array([[0, 3]]), np.array([1]), rng()).tolist() == [[0, 3]]


def test_forecasts_that_never_end_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "MAX_WORKING_DAYS", 50)
    with pytest.raises(ForecastError) as error:
        when(100, [1], start=MON, calendar=WEEKDAYS, iterations=5, rng=rng())
    assert error.value.code == "forecast.too_long"


def test_bad_inputs() -> None:
    kwargs = {"start": MON, "calendar": WEEKDAYS, "iterations": 10, "rng": rng()}
    with pytest.raises(ForecastError) as error:
        when(5, [0, 0], **kwargs)  # type: ignore[arg-type]
    assert error.value.code == "history.empty_window"
    with pytest.raises(ForecastError):
        when(0, [1], **kwargs)  # type: ignore[arg-type]
    with pytest.raises(ForecastError):
        when(5, [1], split_rate=-0.1, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(ForecastError) as error:
        how_many(date(2027, 1, 3), [1], **kwargs)  # type: ignore[arg-type]
    assert error.value.code == "forecast.no_time"


# -- invariants ----------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 6), min_size=1, max_size=30).filter(any),
    st.lists(st.integers(0, 40), min_size=1, max_size=5),
    st.integers(0, 2**32 - 1),
)
def test_later_targets_are_never_reached_earlier(
    history: list[int], steps: list[int], seed: int
) -> None:
    targets = np.cumsum(np.array([steps] * 20, dtype=np.int64), axis=1)
    days = days_to_reach(targets, np.array(history), rng(seed))
    assert (np.diff(days, axis=1) >= 0).all()
    assert ((days == 0) == (targets == 0)).all()
    # no run is faster than its best possible days allow
    assert (days >= -(-targets // max(history))).all()


@given(st.lists(st.integers(0, 50), min_size=1, max_size=60), st.sampled_from(CONFIDENCES))
def test_percentile_conventions(values: list[int], confidence: int) -> None:
    runs = np.array(values, dtype=np.int64)
    n = len(values)
    done = done_percentile(runs, confidence)
    # the smallest value with at least c % of runs at or below it
    assert 100 * (runs <= done).sum() >= confidence * n
    assert all(100 * (runs <= v).sum() < confidence * n for v in set(values) if v < done)
    reached = reached_percentile(runs, confidence)
    # the largest value reached or exceeded by at least c % of runs
    assert 100 * (runs >= reached).sum() >= confidence * n
    assert all(100 * (runs >= v).sum() < confidence * n for v in set(values) if v > reached)


# -- milestones ----------------------------------------------------------------------------

MILESTONE_PLAN = """\
project: {name: M, start: 2027-01-04}
tasks:
  - id: build
    name: Build
    children:
      - {id: a, name: A, duration: 1d, status: done, percent_complete: 100}
      - {id: b, name: B, duration: 2d}
  - {id: c, name: C, duration: 3d, after: [a]}
  - {id: d, name: D, duration: 1d}
  - {id: e, name: E, duration: 20d}
  - {id: m1, name: M1, milestone: true, after: [build]}
  - {id: m2, name: M2, milestone: true, after: [m1, c], deadline: 2027-01-13}
  - {id: m3, name: M3, milestone: true, after: [d]}
  - {id: late, name: Late, milestone: true, after: [e]}
"""


def test_milestone_targets(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(MILESTONE_PLAN)
    schedule = schedule_plan(path)
    targets = milestone_targets(schedule, ["b", "c", "d", "e"])
    # m3 (after d: Monday) is scheduled first, then m1 (after build, whose b ends on
    # Tuesday), m2 (after m1 and c, which ends on Thursday), late (after e's 20 days).
    # a is done, so it is nobody's item; m2 waits for m1's b and its own c.
    assert [(t.id, t.items, t.target) for t in targets] == [
        ("m3", ("d",), 1),
        ("m1", ("b",), 2),
        ("m2", ("b", "c"), 3),
        ("late", ("e",), 4),
    ]
    assert targets[2].deadline == date(2027, 1, 13)
    result = when_milestones(
        targets, [1], start=MON, calendar=WEEKDAYS, iterations=100, rng=rng(), split_rate=0.0
    )
    # one item a day from Monday: targets 1, 2, 3, 4 are reached Mon, Tue, Wed, Thu
    assert [m.confidence[95].on for m in result] == [MON + timedelta(days=k) for k in range(4)]
    assert result[2].on_time == 1.0  # Wednesday, before its deadline
    assert result[0].on_time is None


def test_a_milestone_with_nothing_left_is_reached() -> None:
    target = engine.MilestoneTarget("m", "M", (), 0, None)
    result = when_milestones([target], [1], start=MON, calendar=WEEKDAYS, iterations=10, rng=rng())
    assert result[0].confidence[50].days == 0
    assert result[0].confidence[50].on is None
