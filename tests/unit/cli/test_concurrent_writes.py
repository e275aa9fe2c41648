"""Two commands writing one file at the same time, in real processes: both changes land, or
one is refused with a clear message; never a silent loss."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml_rs

CLI = [sys.executable, "-c", "from techpm.cli.main import main; main()"]
TASKS = 400  # enough that reading, checking and writing the plan takes a while
TRIES = 3


def _plan(tasks: int = TASKS) -> str:
    lines = ["project: {name: Busy, start: 2027-01-04}", "tasks:"]
    for n in range(tasks):
        after = f", after: [t{n - 1}]" if n else ""
        lines.append(f"  - {{id: t{n}, name: Task {n}, duration: 1d{after}}}")
    return "\n".join(lines) + "\n"


def _sheet(path: Path, tasks: range, percent: int) -> None:
    rows = "".join(f"t{n},{percent}\n" for n in tasks)
    path.write_text("task,percent_complete\n" + rows)


def _percents(plan: Path) -> dict[str, int]:
    tasks = yaml_rs.loads(plan.read_text())["tasks"]
    return {t["id"]: t["percent_complete"] for t in tasks if "percent_complete" in t}


def _both(*commands: list[str], cwd: Path) -> list[subprocess.CompletedProcess[str]]:
    running = [
        subprocess.Popen(c, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for c in commands
    ]
    done = []
    for process in running:
        out, err = process.communicate(timeout=120)
        done.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return done


def test_two_progress_runs_at_once_both_land(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    first, second = range(100), range(100, 200)
    _sheet(tmp_path / "a.csv", first, 30)
    _sheet(tmp_path / "b.csv", second, 60)
    for _ in range(TRIES):
        plan.write_text(_plan())
        a, b = _both(
            [*CLI, "progress", "plan.yaml", "a.csv"],
            [*CLI, "progress", "plan.yaml", "b.csv"],
            cwd=tmp_path,
        )
        recorded = _percents(plan)
        expected = {f"t{n}": 30 for n in first} | {f"t{n}": 60 for n in second}
        refused = [r for r in (a, b) if r.returncode != 0]
        if not refused:
            assert recorded == expected  # the second waited for the first, then added to it
            continue
        # a refusal is allowed only with a clear message, and leaves the other's update whole
        assert len(refused) == 1, (a.stderr, b.stderr)
        assert "another techpm command" in refused[0].stderr or "changed" in refused[0].stderr
        kept = first if refused[0] is b else second
        assert recorded == {k: v for k, v in expected.items() if int(k[1:]) in kept}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv", "plan.yaml"]


def test_two_ideas_added_at_once_are_both_kept(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    for _ in range(2):
        plan.write_text(_plan(100))  # adding an idea reads the whole plan twice: a long window
        results = _both(
            [*CLI, "idea", "add", "plan.yaml", "--title", "Dark mode"],
            [*CLI, "idea", "add", "plan.yaml", "--title", "Saved carts"],
            cwd=tmp_path,
        )
        assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
        ideas = yaml_rs.loads(plan.read_text())["ideas"]
        assert sorted(i["title"] for i in ideas) == ["Dark mode", "Saved carts"]
