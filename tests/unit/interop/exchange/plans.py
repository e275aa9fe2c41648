"""A plan that uses most of the plan file, and the loader `techpm import` validates with."""

from __future__ import annotations

from typing import Any

from techpm.domain.project import Project

from ..documents import REPO, load, plan_text

EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))

RICH_PLAN = """\
project:
  name: "Checkout: rewrite #2"
  start: 2027-01-04
  status_date: 2027-01-08
  contingency: 1500.5
  thresholds: {cpi: {amber: 0.9, red: 0.8}}
calendars:
  standard:
    workweek: [mon, tue, wed, thu, fri]
    hours_per_day: 8
    nonworking: [2027-01-08, {from: 2027-02-15, to: 2027-02-17}]
  late: {base: standard, hours: ["10:00-14:00", "15:00-19:00"]}
resources:
  - {id: alice, name: Alice Martin, rate: 95/h, skills: {backend: 3},
     vacations: [[2027-01-20, 2027-01-22]], email: alice@example.com}
  - {id: bob, name: Bob Stone, rate: 760/d, rates: [{from: 2027-02-01, rate: 800/d}]}
  - {id: qa, name: QA pool, capacity: 3, tags: [test]}
procurement:
  - {id: gpu, name: GPU servers, vendor: Acme, quantity: 2, unit_cost: 25000, lead_time_days: 3}
risks:
  - id: vendor-late
    title: Vendor late
    owner: alice
    probability: 0.25
    impact:
      schedule: [{task: a.b/c, delay: 4d}]
      cost: {optimistic: 1000, likely: 2000, pessimistic: 5000}
    response:
      strategy: mitigate
      actions: [Weekly sync]
      cost: 800
      residual_probability: 0.1
      residual_impact:
        schedule: [{task: a.b/c, delay: {optimistic: 1d, likely: 2d, pessimistic: 3d}}]
    review_dates: [2027-01-15]
correlations: [{tasks: [api, ux], coefficient: 0.5}]
stakeholders: [{id: cpo, name: Dana Whitfield, interest: 5, influence: 4, email: dana@example.com}]
raci: [{task: design, responsible: [alice], accountable: cpo, informed: [bob]}]
decisions: ["Ship in February"]
asks: ["One more tester"]
tasks:
  - id: design
    name: "Design: phase #1; first"
    owner: alice
    children:
      - {id: api, name: API design, estimate: {optimistic: 2d, likely: 3d, pessimistic: 4d},
         assign: [{resource: alice}], percent_complete: 100, actual_start: 2027-01-04,
         actual_finish: 2027-01-06, tags: [backend, api], refs: {jira: PROJ-1}}
      - {id: ux, name: UX flows, assign: [{resource: bob, units: 0.5}], percent_complete: 40,
         estimate: {optimistic: 3d, likely: 5d, pessimistic: 8d, distribution: triangular},
         actual_start: 2027-01-04T13:00:00}
  - {id: crit, name: section review, duration: 4h, after: [api], priority: 700, owner: alice,
     notes: "Line one\\nline two, with a comma; and a semicolon"}
  - id: a.b/c
    name: Build
    effort: 10d
    assign: [{resource: alice}, {resource: qa, units: 2}]
    after: [crit, {task: ux, type: SS, lag: 2d}]
    fixed_cost: 1200.5
    accrue: start
    needs_items: [gpu]
    calendar: late
    control_account: CA-1
    issue_type: story
    points: 5
    status: In Progress
    sprint: Sprint 3
    history: [{at: 2027-01-05T10:00:00, to: In Progress, from: To Do}]
  - {id: launch, name: Launch, milestone: true, after: [{task: a.b/c, lag: 1d}],
     constraint: {type: finish_no_later_than, date: 2027-03-26}, deadline: 2027-03-31}
"""


def dump(document: dict[str, Any]) -> str:
    return plan_text(document)


def load_document(document: dict[str, Any]) -> Project:
    """What `techpm import` does with a document; raises InvalidPlanError."""
    return load(document).project
