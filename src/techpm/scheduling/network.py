"""Order of the precedence network, and the cycle that prevents one."""

from __future__ import annotations

from collections.abc import Sequence

from techpm.domain.errors import TechpmError


class DependencyCycleError(TechpmError):
    """The links loop back on themselves; `cycle` lists the task ids around the loop."""

    code = "dependency.cycle"

    def __init__(self, cycle: list[str]) -> None:
        self.cycle = cycle
        path = " -> ".join([*cycle, cycle[0]]) if cycle else "?"
        super().__init__(f"dependency cycle: {path}")


def topological_order(
    n: int, successors: Sequence[Sequence[int]], names: Sequence[str]
) -> list[int]:
    """Kahn's algorithm; raises DependencyCycleError with one cycle's path if there is none."""
    indegree = [0] * n
    for outs in successors:
        for j in outs:
            indegree[j] += 1
    stack = [i for i in range(n - 1, -1, -1) if indegree[i] == 0]
    order: list[int] = []
    while stack:
        i = stack.pop()
        order.append(i)
        for j in successors[i]:
            indegree[j] -= 1
            if indegree[j] == 0:
                stack.append(j)
    if len(order) < n:
        raise DependencyCycleError([names[i] for i in find_cycle(n, successors, indegree)])
    return order


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
