"""Jira issues as a tree and a network: parents and epics, blocks links, and the loops refused."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from techpm.interop.exchange import fail
from techpm.interop.jira.records import Issue, listed, plural, sanitize_id, unique
from techpm.scheduling.network import find_cycle


class IssueGraph:
    """Plan ids for the issues, which issue sits under which, and which comes after which."""

    def __init__(self, issues: Sequence[Issue], path: Path) -> None:
        self.issues = issues
        self.path = path
        self.notes: list[str] = []
        self.ids = self._task_ids()
        self.lookup = self._lookup()
        self.parent = self._parents()
        self.children: list[list[int]] = [[] for _ in issues]
        for n, p in enumerate(self.parent):
            if p is not None:
                self.children[p].append(n)
        self.after = self._links()
        _check_cycles(self)

    # ids and references

    def _task_ids(self) -> list[str]:
        ids: list[str] = []
        taken: set[str] = set()
        for position, issue in enumerate(self.issues, start=1):
            ids.append(unique(sanitize_id(issue.key) if issue.key else f"issue-{position}", taken))
        unkeyed = sum(1 for issue in self.issues if not issue.key)
        if unkeyed:
            self.notes.append(
                f"{plural(unkeyed, 'issue')} without an issue key: ids issue-N made from the row"
            )
        return ids

    def _lookup(self) -> dict[str, int]:
        """Ids before keys: Jira's CSV importer links by issue id, exports may use keys."""
        by_id: dict[str, int] = {}
        by_key: dict[str, int] = {}
        for n, issue in enumerate(self.issues):
            for value, table, what in ((issue.issue_id, by_id, "id"), (issue.key, by_key, "key")):
                if not value:
                    continue
                name = value.upper() if what == "key" else value
                if name in table:
                    first = self.issues[table[name]].where
                    raise fail(
                        self.path,
                        issue.where,
                        f"issue {what} {value} appears twice (first at {first})",
                        code="import.duplicate_issue",
                    )
                table[name] = n
        return {**by_key, **by_id}

    def resolve(self, ref: str) -> int | None:
        """An issue by id (digits) or key (any case, as Jira reads keys)."""
        ref = ref.strip()
        return self.lookup.get(ref if ref.isdigit() else ref.upper())

    def _parents(self) -> list[int | None]:
        parents: list[int | None] = []
        missing: set[str] = set()
        moved = 0
        for n, issue in enumerate(self.issues):
            found = None
            refs = [r for r in (issue.parent, issue.epic) if r]
            for ref in refs:
                found = self.resolve(ref)
                if found is not None and found != n:
                    break
                found = None
            if refs and found is None:
                moved += 1
                missing.update(refs)
            parents.append(found)
        upward = [[p] if p is not None else [] for p in parents]
        loop = find_cycle(len(parents), upward, [len(up) for up in upward])
        if loop:
            names = " -> ".join(self.label(i) for i in [*loop, loop[0]])
            raise fail(
                self.path,
                self.issues[loop[0]].where,
                f"parent and epic links loop: {names}",
                code="import.cycle",
            )
        if moved:
            self.notes.append(
                f"{plural(moved, 'issue')} naming a parent or epic that is not in the file "
                f"({listed(sorted(missing))}): placed at the top level"
            )
        return parents

    def label(self, n: int) -> str:
        return self.issues[n].key or self.ids[n]

    def ancestors(self, n: int) -> set[int]:
        found: set[int] = set()
        up = self.parent[n]
        while up is not None:
            found.add(up)
            up = self.parent[up]
        return found

    def _links(self) -> list[list[int]]:
        """Blocks links as `after` lists: whatever blocks an issue comes before it."""
        pairs: dict[tuple[int, int], None] = {}
        missing = 0
        family: set[tuple[int, int]] = set()
        for n, issue in enumerate(self.issues):
            ends = [(n, ref, True) for ref in issue.blocks]
            ends += [(n, ref, False) for ref in issue.blocked_by]
            for me, ref, outward in ends:
                other = self.resolve(ref)
                if other is None:
                    missing += 1
                    continue
                pred, succ = (me, other) if outward else (other, me)
                if pred == succ:
                    continue
                if pred in self.ancestors(succ) or succ in self.ancestors(pred):
                    family.add((pred, succ))
                    continue
                pairs[(pred, succ)] = None
        after: list[list[int]] = [[] for _ in self.issues]
        for pred, succ in pairs:
            after[succ].append(pred)
        if missing:
            self.notes.append(f"{plural(missing, 'blocks link')} to issues not in the file dropped")
        if family:
            self.notes.append(
                f"{plural(len(family), 'blocks link')} between an issue and its own parent or "
                "epic dropped (a task cannot depend on its summary)"
            )
        others = len({name for issue in self.issues for name in issue.other_links})
        if others:
            self.notes.append(
                f"{plural(others, 'issue link')} of other kinds (relates, duplicates, clones "
                "...) not carried: only blocks links order the work"
            )
        return after


def _check_cycles(graph: IssueGraph) -> None:
    """Refuse blocks links that loop, counting the WBS as the scheduler does: a link to a
    summary binds its children and a link from one waits for them (node 2n is the start of
    issue n, 2n + 1 its finish)."""
    size = len(graph.issues)
    edges: list[list[int]] = [[] for _ in range(2 * size)]
    for n in range(size):
        if graph.children[n]:
            for c in graph.children[n]:
                edges[2 * n].append(2 * c)
                edges[2 * c + 1].append(2 * n + 1)
        else:
            edges[2 * n].append(2 * n + 1)
        for p in graph.after[n]:
            edges[2 * p + 1].append(2 * n)
    indegree = [0] * (2 * size)
    for targets in edges:
        for node in targets:
            indegree[node] += 1
    loop = find_cycle(2 * size, edges, indegree)
    if loop:
        names: list[str] = []
        for node in [*loop, loop[0]]:
            name = graph.label(node // 2)
            if not names or names[-1] != name:
                names.append(name)
        raise fail(
            graph.path,
            graph.issues[loop[0] // 2].where,
            "blocks links form a loop: " + " -> ".join(names),
            code="import.cycle",
        )
