"""Task CSV rows to plan-file task mappings: ids, parents, links and the checks across rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from techpm.interop.csv_tasks.cells import CellReader, safe_ids, split_items, to_day
from techpm.interop.csv_tasks.columns import COLUMNS
from techpm.interop.exchange import ImportResult, fail
from techpm.interop.planfile.dump import find_cycle, nest

Record = dict[str, str]


class RowReader(CellReader):
    """Reads rows into task mappings, naming the row and column of the first bad cell."""

    def __init__(self, path: Path, columns: list[str]) -> None:
        super().__init__(path)
        self.columns = columns
        self.unread: dict[str, int] = {}
        self.calendars: set[str] = set()

    def record(self, number: int, cells: list[str]) -> Record:
        if len(cells) > len(self.columns) and any(c.strip() for c in cells[len(self.columns) :]):
            message = f"{len(cells)} cells, the header has {len(self.columns)} columns"
            raise fail(self.path, f"row {number}", message, "import.bad_csv")
        record: Record = {}
        for name, cell in zip(self.columns, cells, strict=False):
            if name in COLUMNS:
                record[name] = cell if name == "notes" else cell.strip()
            elif name and cell.strip():
                self.unread[name] = self.unread.get(name, 0) + 1
        return record

    def result(self, records: list[tuple[int, Record]], today: date) -> ImportResult:
        ids = self._ids(records)
        by_wbs = None
        if "parent" not in self.columns and "wbs" in self.columns:
            by_wbs = {r["wbs"]: ids[r["id"]] for _, r in records if r.get("wbs")}
        entries: list[dict[str, Any]] = []
        parents: list[str | None] = []
        reference: dict[str, tuple[str, str]] = {}
        starts: list[date] = []
        dates: list[date] = []
        for number, record in records:
            self.number = number
            entry = self._task(record, ids, dates)
            entries.append(entry)
            parents.append(self._parent(record, ids, by_wbs))
            start, finish = (self._moment(record, key) for key in ("start", "finish"))
            if start is not None:
                starts.append(to_day(start))
            if start is not None and finish is not None:
                reference[entry["id"]] = (start.isoformat(), finish.isoformat())
        self._check_loops([n for n, _ in records], entries, parents)
        document = {
            "project": {
                "name": self.path.stem or "tasks",
                "start": min(starts or dates or [today]),
            },
            "calendars": {cid: {} for cid in sorted(self.calendars)},
            "resources": list(self.resources.values()),
            "tasks": nest(entries, parents),
        }
        skipped = [
            f"column {name!r} ({count} values): not a techpm task field"
            for name, count in self.unread.items()
        ]
        if self.calendars:
            names = ", ".join(sorted(self.calendars))
            skipped.append(f"the working time of calendar {names} (read as Mon-Fri 09:00-17:00)")
        return ImportResult("csv", document, tuple(skipped), reference_dates=reference)

    def _ids(self, records: list[tuple[int, Record]]) -> dict[str, str]:
        """Ids as written -> plan ids: valid ones kept, others made valid and unique."""
        written: dict[str, int] = {}
        for number, record in records:
            self.number = number
            raw = record.get("id", "")
            if not raw:
                raise self.bad("id", "empty; every task needs an id")
            if raw in written:
                message = f"{raw!r} is also the id on row {written[raw]}"
                raise self.bad("id", message, "import.duplicate_id")
            written[raw] = number
        return safe_ids(list(written))

    def _task(self, record: Record, ids: dict[str, str], dates: list[date]) -> dict[str, Any]:
        raw_id = record["id"]
        if not record.get("name"):
            raise self.bad("name", "empty; every task needs a name")
        entry: dict[str, Any] = {"id": ids[raw_id], "name": record["name"]}
        for key in ("duration", "effort", "remaining_duration"):
            if record.get(key):
                entry[key] = self._duration(key, record[key])
        if record.get("estimate"):
            entry["estimate"] = self._estimate(record["estimate"])
        if self._flag(record, "milestone"):
            entry["milestone"] = True
        after = [self._link(text, ids) for text in split_items(record.get("after"))]
        if after:
            entry["after"] = after
        constraints = [self._constraint(text) for text in split_items(record.get("constraint"))]
        dates.extend(to_day(c["date"]) for c in constraints)
        if constraints:
            entry["constraint"] = constraints[0] if len(constraints) == 1 else constraints
        for key in ("deadline", "actual_start", "actual_finish"):
            moment = self._moment(record, key)
            if moment is not None:
                entry[key] = moment
                dates.append(to_day(moment))
        self._numbers(record, entry)
        assign = [self._assignment(text) for text in split_items(record.get("assign"))]
        if assign:
            entry["assign"] = assign
        if record.get("calendar"):
            entry["calendar"] = record["calendar"]
            if record["calendar"] != "standard":
                self.calendars.add(record["calendar"])
        for key in ("owner", "notes", "cost_account", "control_account", "issue_type", "status"):
            if record.get(key, "").strip():
                entry[key] = record[key]
        if record.get("sprint"):
            entry["sprint"] = record["sprint"]
        tags = split_items(record.get("tags"))
        if tags:
            entry["tags"] = tags
        refs = self._refs(record.get("refs"))
        if ids[raw_id] != raw_id:
            refs.setdefault("csv", raw_id)
        if refs:
            entry["refs"] = refs
        return entry

    def _numbers(self, record: Record, entry: dict[str, Any]) -> None:
        percent = record.get("percent_complete", "").rstrip("%").strip()
        if percent:
            entry["percent_complete"] = self._number("percent_complete", percent, 0, 100)
        if record.get("priority"):
            value = self._number("priority", record["priority"], 0, 1000)
            if not float(value).is_integer():
                raise self.bad("priority", f"{record['priority']!r} is not a whole number")
            entry["priority"] = int(value)
        for key in ("fixed_cost", "actual_cost", "points"):
            if record.get(key):
                entry[key] = self._number(key, record[key], 0, None)
        accrue = record.get("accrue", "").lower()
        if accrue:
            if accrue not in ("prorated", "start", "end"):
                raise self.bad("accrue", f"{accrue!r}: write prorated, start or end")
            entry["accrue"] = accrue

    def _parent(
        self, record: Record, ids: dict[str, str], by_wbs: dict[str, str] | None
    ) -> str | None:
        if by_wbs is None:
            raw = record.get("parent", "")
            if raw and raw not in ids:
                raise self.bad("parent", f"no task {raw!r} in the id column", "import.unknown_task")
            return ids[raw] if raw else None
        wbs = record.get("wbs", "")  # no parent column: the outline number tells
        if "." not in wbs:
            return None
        code = wbs.rsplit(".", 1)[0]
        if code not in by_wbs:
            raise self.bad("wbs", f"no row with wbs {code!r}", "import.unknown_task")
        return by_wbs[code]

    def _check_loops(
        self, numbers: list[int], entries: list[dict[str, Any]], parents: list[str | None]
    ) -> None:
        row_of = {e["id"]: n for e, n in zip(entries, numbers, strict=True)}
        tree = {e["id"]: [p] if p else [] for e, p in zip(entries, parents, strict=True)}
        loop = find_cycle(tree)
        if loop:
            self.number = row_of[loop[0]]
            raise self.bad("parent", "parents form a loop: " + " -> ".join(loop), "import.cycle")
        links = {
            e["id"]: [a if isinstance(a, str) else a["task"] for a in e.get("after", [])]
            for e in entries
        }
        loop = find_cycle(links)
        if loop:
            self.number = row_of[loop[0]]
            rows = ", ".join(str(row_of[t]) for t in loop[:-1])
            message = f"dependencies form a cycle: {' -> '.join(loop)} (rows {rows})"
            raise self.bad("after", message, "import.cycle")
