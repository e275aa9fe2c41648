"""Read PSPLIB single-mode RCPSP files (`.sm`, Kolisch & Sprecher 1996) exactly.

Jobs are numbered from 1 in the file and from 0 here; the dummy source and sink are kept
(duration 0), so activity j here is job j+1 there.
"""

from __future__ import annotations

import re
from pathlib import Path

from techpm.domain.errors import TechpmError
from techpm.scheduling.rcpsp import RcpspProblem


class PsplibError(TechpmError):
    code = "import.bad_psplib"


def read_psplib(path: str | Path) -> RcpspProblem:
    path = Path(path)
    lines = path.read_text(encoding="ascii").splitlines()

    def fail(line: int, what: str) -> PsplibError:
        return PsplibError(f"{path}:{line + 1}: {what}")

    def section(title: str) -> int:
        for n, line in enumerate(lines):
            if line.strip().startswith(title):
                return n
        raise fail(len(lines) - 1, f"no {title!r} section")

    jobs_line = next((n for n, line in enumerate(lines) if line.startswith("jobs")), None)
    if jobs_line is None:
        raise fail(0, "no 'jobs (incl. supersource/sink )' line")
    jobs = int(lines[jobs_line].split(":")[1])
    renewable_line = next((n for n, ln in enumerate(lines) if "- renewable" in ln), None)
    if renewable_line is None:
        raise fail(0, "no '- renewable' line")
    resources = int(re.findall(r"\d+", lines[renewable_line])[0])

    start = section("PRECEDENCE RELATIONS:") + 2
    links: list[tuple[int, int, int]] = []
    successors: list[list[int]] = []
    for n in range(start, start + jobs):
        fields = [int(x) for x in lines[n].split()]
        job, _modes, count, *succ = fields
        if job != len(successors) + 1 or len(succ) != count:
            raise fail(n, f"expected job {len(successors) + 1} with {count} successors")
        successors.append([s - 1 for s in succ])

    start = section("REQUESTS/DURATIONS:") + 3
    duration: list[int] = []
    demand: list[tuple[tuple[int, int], ...]] = []
    for n in range(start, start + jobs):
        fields = [int(x) for x in lines[n].split()]
        if len(fields) != 3 + resources or fields[0] != len(duration) + 1:
            raise fail(
                n, f"expected job {len(duration) + 1}, its mode, duration and {resources} requests"
            )
        duration.append(fields[2])
        demand.append(tuple((k, u) for k, u in enumerate(fields[3:]) if u))

    start = section("RESOURCEAVAILABILITIES:") + 2
    capacity = tuple(int(x) for x in lines[start].split())
    if len(capacity) != resources:
        raise fail(start, f"expected {resources} resource availabilities")

    for i, succ in enumerate(successors):
        links.extend((i, j, duration[i]) for j in succ)
    return RcpspProblem(
        duration=tuple(duration),
        demand=tuple(demand),
        capacity=capacity,
        links=tuple(links),
        names=tuple(f"job{j + 1}" for j in range(jobs)),
    )


def read_reference(path: str | Path) -> dict[str, dict[str, int]]:
    """A bounds table (instance, cpm_lb, lb, ub, optimal ...) as instance -> numbers."""
    rows = Path(path).read_text(encoding="ascii").splitlines()
    header = rows[0].split("\t")
    out = {}
    for row in rows[1:]:
        fields = dict(zip(header, row.split("\t"), strict=True))
        out[fields["instance"]] = {k: int(v) for k, v in fields.items() if v.isdigit()}
    return out
