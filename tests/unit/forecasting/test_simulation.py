"""The simulation against analytic results; tolerances are 4 standard errors unless said."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import techpm
from techpm.domain.estimate import Distribution, ThreePoint
from techpm.forecasting.sampling import draw, draw_many
from techpm.forecasting.simulation import simulate

DAY = 480
N = 20_000


def _plan(tmp_path: Path, tasks: str, risks: str = "") -> techpm.Schedule:
    path = tmp_path / "plan.yaml"
    path.write_text(f"project: {{name: Sim, start: 2027-01-04}}\ntasks:\n{tasks}{risks}")
    return techpm.schedule(path)


def test_chain_of_uniform_tasks_sums(tmp_path: Path) -> None:
    # three uniform(4d, 8d) in a row: mean 18d, standard deviation sqrt(3 * 16/12) = 2d
    est = "{optimistic: 4d, likely: 6d, pessimistic: 8d, distribution: uniform}"
    tasks = (
        f"  - {{id: a, name: A, estimate: {est}}}\n"
        f"  - {{id: b, name: B, estimate: {est}, after: [a]}}\n"
        f"  - {{id: c, name: C, estimate: {est}, after: [b]}}\n"
    )
    result = _plan(tmp_path, tasks)
    sim = simulate(result.problem, N, np.random.default_rng(1))
    days = (sim.finish_w - sim.start_w) / DAY
    assert abs(days.mean() - 18) < 4 * 2 / math.sqrt(N)
    assert abs(days.std() - 2) < 0.05
    assert sim.critical_count.tolist() == [N, N, N]


def test_two_parallel_paths_take_the_maximum(tmp_path: Path) -> None:
    # max of two independent uniform(5d, 15d): P(max <= x) = ((x - 5) / 10)^2, so the
    # median is 5 + 10 / sqrt(2) = 12.071d and the 90th percentile 5 + 10 * sqrt(0.9)
    est = "{optimistic: 5d, likely: 10d, pessimistic: 15d, distribution: uniform}"
    tasks = f"  - {{id: a, name: A, estimate: {est}}}\n  - {{id: b, name: B, estimate: {est}}}\n"
    result = _plan(tmp_path, tasks)
    sim = simulate(result.problem, N, np.random.default_rng(2))
    days = (sim.finish_w - sim.start_w) / DAY
    assert abs(np.median(days) - (5 + 10 / math.sqrt(2))) < 0.1
    assert abs(np.percentile(days, 90) - (5 + 10 * math.sqrt(0.9))) < 0.1
    # each path is the longer one about half the time
    assert abs(sim.critical_count[0] / N - 0.5) < 4 * math.sqrt(0.25 / N)


def test_risk_event_appears_in_its_share_of_iterations(tmp_path: Path) -> None:
    tasks = "  - {id: a, name: A, duration: 10d}\n"
    risks = (
        "risks:\n  - {id: r, title: R, probability: 0.3,"
        " impact: {schedule: [{task: a, delay: 5d}], cost: 1000}}\n"
    )
    result = _plan(tmp_path, tasks, risks)
    sim = simulate(result.problem, N, np.random.default_rng(3))
    late = ((sim.finish_w - sim.start_w) / DAY > 10.5).mean()
    assert abs(late - 0.3) < 4 * math.sqrt(0.3 * 0.7 / N)
    assert set(((sim.finish_w - sim.start_w) / DAY).round(6)) == {10.0, 15.0}
    assert abs(sim.cost.mean() - 300) < 4 * 1000 * math.sqrt(0.3 * 0.7 / N)


def test_no_uncertainty_gives_the_deterministic_dates(tmp_path: Path) -> None:
    tasks = (
        "  - {id: a, name: A, duration: 5d}\n"
        "  - {id: b, name: B, duration: 3d, after: [{task: a, type: SS, lag: 2d}]}\n"
        "  - {id: m, name: M, milestone: true, after: [a, b], deadline: 2027-01-08}\n"
    )
    result = _plan(tmp_path, tasks)
    summary = techpm.simulate(result.problem.project, iterations=500, seed=1)
    assert set(summary.finish.values()) == {result.finish}
    assert summary.deadlines == {"m": 1.0}


def test_pert_mean(tmp_path: Path) -> None:
    # the PERT mean (a + 4m + b) / 6 (Malcolm, Roseboom, Clark & Fazar 1959)
    estimate = ThreePoint(2, 4, 12, Distribution.PERT)
    samples = draw(estimate, 200_000, np.random.default_rng(4))
    assert abs(samples.mean() - (2 + 16 + 12) / 6) < 0.01
    assert samples.min() >= 2
    assert samples.max() <= 12


@pytest.mark.parametrize("kind", list(Distribution))
def test_every_distribution_stays_continuous_and_in_range(kind: Distribution) -> None:
    samples = draw(ThreePoint(480, 960, 2400, kind), 10_000, np.random.default_rng(5))
    assert len(np.unique(samples)) > 9_000  # not rounded to days or minutes
    if kind is not Distribution.LOGNORMAL:
        assert samples.min() >= 480
        assert samples.max() <= 2400


def test_same_seed_same_result(tmp_path: Path) -> None:
    est = "{optimistic: 4d, likely: 6d, pessimistic: 9d}"
    result = _plan(tmp_path, f"  - {{id: a, name: A, estimate: {est}}}\n")
    one = simulate(result.problem, 3000, np.random.default_rng(9)).finish_w
    two = simulate(result.problem, 3000, np.random.default_rng(9)).finish_w
    assert np.array_equal(one, two)


@pytest.mark.parametrize("kind", list(Distribution))
def test_batched_draws_match_single_draws(kind: Distribution) -> None:
    """The batched sampler used in simulation has the same mean and spread."""
    estimates = [ThreePoint(480, 960, 2400, kind), ThreePoint(100, 100, 100, kind)]
    batch = draw_many(estimates, 50_000, np.random.default_rng(6))
    single = draw(estimates[0], 50_000, np.random.default_rng(7))
    assert abs(batch[0].mean() - single.mean()) < 4 * single.std() * math.sqrt(2 / 50_000)
    assert abs(batch[0].std() - single.std()) / single.std() < 0.03
    assert np.all(batch[1] == 100)


def test_correlated_estimates_move_together(tmp_path: Path) -> None:
    # a Gaussian copula set to rank correlation 0.8 gives Spearman's rho of about 0.8
    est = "{optimistic: 4d, likely: 6d, pessimistic: 12d}"
    tasks = f"  - {{id: a, name: A, estimate: {est}}}\n  - {{id: b, name: B, estimate: {est}}}\n"
    corr = "correlations:\n  - {tasks: [a, b], coefficient: 0.8}\n"
    result = _plan(tmp_path, tasks, corr)
    sim = simulate(result.problem, N, np.random.default_rng(8), keep_durations=True)
    durations = np.concatenate(sim.durations, axis=1)
    ranks = durations.argsort(axis=1).argsort(axis=1)
    rho = np.corrcoef(ranks)[0, 1]
    assert abs(rho - 0.8) < 0.02
    # the marginals are untouched: PERT mean (4 + 24 + 12) / 6 days
    assert abs(durations[0].mean() / DAY - 40 / 6) < 0.05


def test_impossible_correlations_are_refused_or_repaired(tmp_path: Path) -> None:
    est = "{optimistic: 4d, likely: 6d, pessimistic: 12d}"
    tasks = "".join(f"  - {{id: {t}, name: {t}, estimate: {est}}}\n" for t in "abc")
    # a and b move together, b and c move together, but a and c move apart: impossible
    corr = (
        "correlations:\n  - {tasks: [a, b, c], matrix: [[1, 0.9, -0.9], [0.9, 1, 0.9],"
        " [-0.9, 0.9, 1]]}\n"
    )
    path = tmp_path / "plan.yaml"
    path.write_text(f"project: {{name: Sim, start: 2027-01-04}}\ntasks:\n{tasks}{corr}")
    with pytest.raises(techpm.InvalidPlanError) as caught:
        techpm.load_plan(path)
    problem = caught.value.problems[0]
    assert problem.code == "correlation.not_psd"
    assert problem.location is not None
    assert problem.location.line == 7  # the group's line
    summary = techpm.simulate(path, iterations=2000, seed=1, nearest_correlation=True)
    assert summary.iterations == 2000


def test_nearest_correlation_is_valid_and_close() -> None:
    from techpm.forecasting.correlation import nearest_correlation, smallest_eigenvalue

    bad = np.array([[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]])
    fixed = nearest_correlation(bad)
    assert smallest_eigenvalue(fixed) > -1e-8
    assert np.allclose(np.diag(fixed), 1)
    assert np.allclose(fixed, fixed.T)
    assert np.abs(fixed - bad).max() < 0.9


def test_textbook_pert_example(tmp_path: Path) -> None:
    """The seven-activity example of the Wikipedia article "Program evaluation and review
    technique": expected times (o + 4m + p) / 6 of A 4.00, B 5.33, C 5.17, D 6.33, E 5.17,
    F 4.50 and G 5.17 days, and the critical path A-C-E-G of 19.51 days."""
    rows = {
        "A": (2, 4, 6, []),
        "B": (3, 5, 9, []),
        "C": (4, 5, 7, ["A"]),
        "D": (4, 6, 10, ["A"]),
        "E": (4, 5, 7, ["B", "C"]),
        "F": (3, 4, 8, ["D"]),
        "G": (3, 5, 8, ["E"]),
    }
    tasks = "".join(
        f"  - {{id: {t}, name: {t}, estimate: {{optimistic: {o}d, likely: {m}d, "
        f"pessimistic: {p}d}}, after: [{', '.join(after)}]}}\n"
        for t, (o, m, p, after) in rows.items()
    )
    result = _plan(tmp_path, tasks)
    sim = simulate(result.problem, N, np.random.default_rng(11), keep_durations=True)
    durations = np.concatenate(sim.durations, axis=1) / DAY
    means = {t: durations[result.problem.index[t]].mean() for t in rows}
    for t, (o, m, p, _) in rows.items():
        assert abs(means[t] - (o + 4 * m + p) / 6) < 0.02, t
    path = sum(means[t] for t in "ACEG")
    assert abs(path - 19.51) < 0.05
    finish = (sim.finish_w - sim.start_w) / DAY
    # the finish is the longest path, so on average a little more than A-C-E-G alone
    assert path - 0.01 < finish.mean() < path + 0.3
    critical = sim.critical_count / N
    for t in "ACEG":
        assert critical[result.problem.index[t]] > 0.85, t


def test_plans_on_several_calendars(tmp_path: Path) -> None:
    # the scenario with Alice's and a weekend crew's calendars: without uncertainty the
    # simulation gives the deterministic finish; with an estimate, its spread
    scenario = Path(__file__).resolve().parents[2] / "scenarios" / "resource_calendars.yaml"
    result = techpm.schedule(scenario)
    summary = techpm.simulate(scenario, iterations=50, seed=1)
    assert set(summary.finish.values()) == {result.finish}
    text = scenario.read_text().replace(
        "duration: 3d, calendar: alice",
        "estimate: {optimistic: 2d, likely: 3d, pessimistic: 6d}, calendar: alice",
    )
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    spread = techpm.simulate(path, iterations=300, seed=2)
    assert spread.finish["p10"] < spread.finish["p95"]
    assert spread.finish["p10"] >= result.finish.replace(day=result.finish.day - 1)
