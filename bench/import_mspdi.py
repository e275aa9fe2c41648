"""Time `read_mspdi` on a 10,000-task MS Project XML file (target: 3 s or less).

    python bench/import_mspdi.py [TASKS]

The file is made by techpm's own MSPDI writer from a generated plan that looks like a real
one: a three-level outline (phases, work packages, activities), finish-to-start chains with
some start-to-start links and lags across packages, constraints and deadlines, 60 people on
three calendars with holidays and vacations, one or two people on most activities, and
progress on the first tenth of the work.
"""

from __future__ import annotations

import io
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from techpm.interop.msproject.mspdi_reader import read_mspdi
from techpm.interop.msproject.mspdi_writer import write_mspdi
from techpm.interop.planfile.document import YamlDocument
from techpm.interop.planfile.loader import load_plan_document
from techpm.services.planning import schedule_plan

START = date(2027, 1, 4)


def plan(tasks: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    people: list[dict[str, Any]] = [
        {"id": f"p{n}", "name": f"Person {n}", "rate": f"{60 + n % 40}/h", "calendar": cal}
        for n, cal in ((n, ("standard", "late", "part-time")[n % 3]) for n in range(60))
    ]
    for person in people[::7]:
        first = START + timedelta(days=rng.randrange(30, 300))
        person["vacations"] = [[first, first + timedelta(days=4)]]
    calendars = {
        "standard": {
            "workweek": ["mon", "tue", "wed", "thu", "fri"],
            "hours": ["08:00-12:00", "13:00-17:00"],
            "nonworking": [
                date(2027, 5, 31),
                date(2027, 7, 5),
                {"from": date(2027, 12, 24), "to": date(2028, 1, 1)},
            ],
        },
        "late": {
            "base": "standard",
            "workweek": {d: ["12:00-20:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
        },
        "part-time": {
            "base": "standard",
            "workweek": ["mon", "tue", "wed"],
            "hours": ["09:00-17:00"],
        },
    }
    phases: list[dict[str, Any]] = []
    count = 0
    previous_package: str | None = None
    n_phase = 0
    while count < tasks:
        n_phase += 1
        phase: dict[str, Any] = {"id": f"ph{n_phase}", "name": f"Phase {n_phase}", "children": []}
        count += 1
        for n_pkg in range(1, 11):
            if count >= tasks:
                break
            pkg_id = f"ph{n_phase}.{n_pkg}"
            package: dict[str, Any] = {
                "id": pkg_id,
                "name": f"Work package {n_phase}.{n_pkg}",
                "children": [],
            }
            count += 1
            prev: str | None = None
            for n_act in range(1, 20):
                if count >= tasks:
                    break
                act_id = f"{pkg_id}.{n_act}"
                activity: dict[str, Any] = {"id": act_id, "name": f"Activity {act_id}"}
                count += 1
                if n_act % 10 == 0:
                    activity["milestone"] = True
                else:
                    activity["duration"] = f"{rng.randint(1, 15)}d"
                    people_on = rng.sample(people, rng.choice((0, 1, 1, 1, 2)))
                    if people_on:
                        activity["assign"] = [
                            {"resource": p["id"], "units": rng.choice((0.5, 1))} for p in people_on
                        ]
                after: list[Any] = []
                if prev is not None:
                    after.append(
                        prev if rng.random() < 0.85 else {"task": prev, "type": "SS", "lag": "2d"}
                    )
                elif previous_package is not None and rng.random() < 0.5:
                    after.append({"task": previous_package, "lag": f"{rng.randint(0, 3)}d"})
                if after:
                    activity["after"] = after
                if rng.random() < 0.02:
                    activity["constraint"] = {
                        "type": "start_no_earlier_than",
                        "date": START + timedelta(days=rng.randrange(0, 200)),
                    }
                if rng.random() < 0.02:
                    activity["deadline"] = START + timedelta(days=rng.randrange(100, 600))
                if count < tasks // 10 and "duration" in activity:
                    activity["actual_start"] = START
                    activity["percent_complete"] = rng.choice((25, 50, 100))
                package["children"].append(activity)
                prev = act_id
            previous_package = pkg_id
            phase["children"].append(package)
        phases.append(phase)
    return {
        "project": {
            "name": "Generated programme",
            "start": START,
            "calendar": "standard",
            "status_date": START + timedelta(days=20),
        },
        "calendars": calendars,
        "resources": people,
        "tasks": phases,
    }


def make_file(tasks: int, folder: Path) -> Path:
    yaml = YAML(typ="safe", pure=True)
    buffer = io.StringIO()
    yaml.dump(plan(tasks), buffer)
    loaded = load_plan_document(YamlDocument("generated.yaml", buffer.getvalue()))
    path = folder / "generated.xml"
    write_mspdi(schedule_plan(loaded.project), path)
    return path


def main(argv: list[str]) -> int:
    tasks = int(argv[0]) if argv else 10_000
    with tempfile.TemporaryDirectory() as folder:
        made = time.perf_counter()
        path = make_file(tasks, Path(folder))
        made = time.perf_counter() - made
        size = path.stat().st_size / 1e6
        times = []
        for _ in range(3):
            start = time.perf_counter()
            result = read_mspdi(path)
            times.append(time.perf_counter() - start)
    stack = list(result.document["tasks"])
    found = 0
    while stack:
        task = stack.pop()
        found += 1
        stack.extend(task.get("children", ()))
    median = statistics.median(times)
    print(f"file: {found} tasks, {size:.1f} MB (made in {made:.1f} s)")
    print(f"read_mspdi: median {median:.2f} s of 3 ({', '.join(f'{t:.2f}' for t in times)})")
    print(f"target 3 s: {'met' if median <= 3 else 'MISSED'}")
    return 0 if median <= 3 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
