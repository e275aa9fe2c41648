"""The progress of `simulate` counts every run: the main one and one per risk response."""

from __future__ import annotations

from pathlib import Path

from techpm.services.simulating import simulate_plan

PLAN = """\
project: {name: P, start: 2027-01-04}
tasks:
  - {id: a, name: A, estimate: {optimistic: 2d, likely: 3d, pessimistic: 6d}}
  - {id: b, name: B, duration: 2d, after: [a]}
risks:
  - {id: r1, title: R1, probability: 0.3, impact: {schedule: [{task: a, delay: 2d}]},
     response: {strategy: mitigate, cost: 100, residual_probability: 0.1}}
  - {id: r2, title: R2, probability: 0.2, impact: {schedule: [{task: b, delay: 1d}]},
     response: {strategy: mitigate, cost: 50, residual_probability: 0.05}}
  - {id: r3, title: R3, probability: 0.2, impact: {cost: 500}}
"""


def test_progress_counts_the_runs_for_each_response(tmp_path: Path) -> None:
    # 5,000 iterations with the responses, and 5,000 more without each of the two
    # responses (r3 has none): 15,000 runs in all, announced before the first
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    totals: list[int] = []
    steps: list[int] = []
    simulate_plan(path, iterations=5_000, seed=1, progress=steps.append, on_total=totals.append)
    assert totals == [15_000]
    assert sum(steps) == 15_000
    assert max(steps) <= 2_000  # a chunk at a time, so the bar moves
