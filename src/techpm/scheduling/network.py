"""Order of the precedence network, and the cycle that prevents one."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from techpm.domain.errors import TechpmError


class DependencyCycleError(TechpmError):
    """The links loop back on themselves; `cycle` lists the task ids around the loop."""

    code = "dependency.cycle"

    def __init__(self, cycle: list[str]) -> None:
        self.cycle = cycle
        path = " -> ".join([*cycle, cycle[0]]) if cycle else "?"
        super().__init__(f"dependency cycle: {path}")


def find_cycle(n: int, successors: Sequence[Sequence[int]], indegree: Sequence[int]) -> list[int]:
    """A cycle among the nodes Kahn's algorithm could not order (iterative DFS, three colours)."""
    stuck = {i for i in range(n) if indegree[i] > 0}
    colour: dict[int, int] = {}
    for root in sorted(stuck):
        if root in colour:
            continue
        path: list[int] = [root]
        iters = [iter(successors[root])]
        colour[root] = 1
        while path:
            advanced = False
            for j in iters[-1]:
                if j not in stuck:
                    continue
                state = colour.get(j, 0)
                if state == 1:
                    return path[path.index(j) :]
                if state == 0:
                    colour[j] = 1
                    path.append(j)
                    iters.append(iter(successors[j]))
                    advanced = True
                    break
            if not advanced:
                colour[path.pop()] = 2
                iters.pop()
    return []


def topological_levels(
    n: int, pred: npt.NDArray[np.int64], succ: npt.NDArray[np.int64], names: Sequence[str]
) -> list[npt.NDArray[np.int64]]:
    """Kahn's algorithm a level at a time, vectorised: each level's predecessors are all in
    earlier levels. Raises DependencyCycleError with one cycle's path if the links loop."""
    indegree = np.bincount(succ, minlength=n).astype(np.int64)
    order = np.argsort(pred, kind="stable")
    targets = succ[order]
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(pred, minlength=n), out=offsets[1:])
    frontier = np.flatnonzero(indegree == 0)
    levels: list[npt.NDArray[np.int64]] = []
    placed = 0
    while frontier.size:
        levels.append(frontier)
        placed += frontier.size
        starts = offsets[frontier]
        counts = offsets[frontier + 1] - starts
        total = int(counts.sum())
        if total == 0:
            break
        # positions of every out-edge of the frontier in `targets`
        shift = np.repeat(starts - np.cumsum(counts) + counts, counts)
        reached = targets[np.arange(total, dtype=np.int64) + shift]
        hit, times = np.unique(reached, return_counts=True)
        indegree[hit] -= times
        frontier = hit[indegree[hit] == 0]
    if placed < n:
        successors: list[list[int]] = [[] for _ in range(n)]
        for i, j in zip(pred.tolist(), succ.tolist(), strict=True):
            successors[i].append(j)
        raise DependencyCycleError([names[i] for i in find_cycle(n, successors, indegree.tolist())])
    return levels


def cycle_among(ids: Sequence[str], links: Sequence[tuple[str, str]]) -> list[str] | None:
    """A loop among (predecessor, successor) links between named nodes, or None: for files
    that must be refused before any plan exists."""
    position = {name: n for n, name in enumerate(ids)}
    successors: list[list[int]] = [[] for _ in ids]
    left = [0] * len(ids)
    for pred, succ in links:
        successors[position[pred]].append(position[succ])
        left[position[succ]] += 1
    ready = [n for n, count in enumerate(left) if count == 0]
    while ready:
        for m in successors[ready.pop()]:
            left[m] -= 1
            if left[m] == 0:
                ready.append(m)
    if not any(left):
        return None
    return [ids[n] for n in find_cycle(len(ids), successors, left)]
