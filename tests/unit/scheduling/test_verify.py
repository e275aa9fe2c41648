from __future__ import annotations

from techpm.scheduling.rcpsp import RcpspProblem
from techpm.scheduling.verify import verify_schedule

# a (3 periods, 2 units) then b (2 periods, 2 units) on a resource of 3; c (2, 1 unit) free
PROBLEM = RcpspProblem(
    duration=(3, 2, 2),
    demand=(((0, 2),), ((0, 2),), ((0, 1),)),
    capacity=(3,),
    links=((0, 1, 3),),
    release=(0, 0, 1),
    fixed=(None, None, None),
    capacity_changes=(((6, 8, 1),),),
)


def kinds(starts: list[int]) -> list[str]:
    return [v.kind for v in verify_schedule(PROBLEM, starts)]


def test_feasible_schedule_passes() -> None:
    assert kinds([0, 3, 1]) == []


def test_each_breach_is_found() -> None:
    assert kinds([0, 2, 3]) == ["link", "capacity"]  # b starts in period 2, a still runs
    assert kinds([0, 3, 0]) == ["release"]
    assert kinds([0, 6, 1]) == ["capacity", "capacity"]  # capacity drops to 1 in 6..7


def test_wrong_length() -> None:
    assert kinds([0, 3]) == ["shape"]
