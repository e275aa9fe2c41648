"""The plan `techpm init` writes: small, valid, and showing each feature once."""

from __future__ import annotations

from datetime import date, timedelta

STARTER = """\
# A techpm plan. Schedule it with:  techpm schedule {filename}
# Editor completion: techpm schema -o plan.schema.json, then add as the first line
#   # yaml-language-server: $schema=plan.schema.json
project:
  name: {name}
  start: {start}
  calendar: standard
  currency: USD

calendars:
  standard:
    workweek: [mon, tue, wed, thu, fri]
    hours_per_day: 8
    holidays: {{country: US}}
    nonworking: []          # company days off, e.g. [{start_plus_30}]

tasks:
  - id: discovery
    name: Discovery
    children:
      - {{id: interviews, name: Stakeholder interviews, duration: 3d, owner: pm}}
      - {{id: requirements, name: Requirements, duration: 5d, after: [interviews]}}
  - id: delivery
    name: Delivery
    children:
      - {{id: design, name: Technical design, duration: 1w, after: [requirements]}}
      - {{id: build, name: Build, duration: 3w, after: [{{task: design, type: SS, lag: 3d}}]}}
      - {{id: test, name: Test, duration: 2w, after: [{{task: build, type: FF, lag: 2d}}]}}
  - id: release
    name: Release
    milestone: true
    after: [test]
    deadline: {deadline}
"""


def starter_plan(today: date, *, name: str = "New project", filename: str = "plan.yaml") -> str:
    start = today + timedelta(days=(7 - today.weekday()) % 7 or 7)  # next Monday
    return STARTER.format(
        name=name,
        start=start.isoformat(),
        start_plus_30=(start + timedelta(days=30)).isoformat(),
        deadline=(start + timedelta(days=120)).isoformat(),
        filename=filename,
    )
