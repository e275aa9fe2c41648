"""How many task finish dates techpm reproduces, to the day, for each MS Project sample:
techpm's schedule of the imported plan against the dates MS Project stored in the file.

    python bench/mspdi_dates.py [--show] [FOLDER]

FOLDER defaults to the shared samples next to the repository (mspdi/*.xml, and mpp/*.mpp
when MPXJ and Java are installed). --show lists the tasks that differ.
"""

from __future__ import annotations

import io
import sys
from datetime import datetime
from pathlib import Path

from ruamel.yaml import YAML

from techpm.interop.exchange import ImportFailed, ImportResult
from techpm.interop.msproject.mpp import read_mpp
from techpm.interop.msproject.mspdi_reader import read_mspdi
from techpm.interop.planfile.document import YamlDocument
from techpm.interop.planfile.loader import load_plan_document
from techpm.services.planning import schedule_plan

SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"


def plan_text(document: dict[str, object]) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue()


def compare(result: ImportResult) -> list[tuple[str, str, str, str, bool]]:
    """(task id, name, MS Project finish, techpm finish, no working time between them) for
    every task with a reference: 17:00 one day and 08:00 the next are one working moment."""
    loaded = load_plan_document(YamlDocument("imported.yaml", plan_text(result.document)))
    schedule = schedule_plan(loaded.project)
    problem = schedule.problem
    rows = {row.id: row for row in schedule.rows}
    out = []
    for task_id, (_, finish) in result.reference_dates.items():
        row = rows[task_id]
        leaf = problem.index.get(task_id)
        timeline = problem.timelines[problem.calendar_idx[leaf] if leaf is not None else 0]
        theirs = problem.moment_minute(datetime.fromisoformat(finish), finish=True)
        ours = problem.moment_minute(row.finish, finish=True)
        same = timeline.to_work(theirs) == timeline.to_work(ours)
        out.append((task_id, row.name, finish[:16], row.finish.isoformat()[:16], same))
    return out


def main(argv: list[str]) -> int:
    show = "--show" in argv
    folders = [Path(a) for a in argv if not a.startswith("--")] or [SAMPLES]
    files = sorted(
        p for folder in folders for p in [*folder.glob("mspdi/*.xml"), *folder.glob("mpp/*.mpp")]
    )
    total = matched = moments = 0
    print(f"{'file':48s} {'same day':>9s} {'same moment':>12s} {'tasks':>6s}")
    for path in files:
        try:
            result = read_mpp(path) if path.suffix == ".mpp" else read_mspdi(path)
        except ImportFailed as exc:
            print(f"{path.parent.name}/{path.name:41s} skipped: {exc.message}")
            continue
        rows = compare(result)
        same = sum(1 for r in rows if r[2][:10] == r[3][:10])
        moment = sum(1 for r in rows if r[2][:10] == r[3][:10] or r[4])
        total += len(rows)
        matched += same
        moments += moment
        name = f"{path.parent.name}/{path.name}"
        print(f"{name:48s} {same:9d} {moment:12d} {len(rows):6d}")
        if show:
            for task_id, task_name, theirs, ours, _ in rows:
                if theirs[:10] != ours[:10]:
                    print(
                        f"    {task_id:8s} {task_name[:30]:30s} MS Project {theirs}  techpm {ours}"
                    )
    share = f"{100 * matched / total:.1f}%" if total else "-"
    print(f"{'total':48s} {matched:9d} {moments:12d} {total:6d}  ({share} on the same day)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
