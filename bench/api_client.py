"""The client side of bench/api.py: a process apart from the servers, whose worker
threads send requests on a fixed schedule (open loop) and time them from when each was due.
It reads the servers' CPU time from /proc around each phase."""

from __future__ import annotations

import itertools
import multiprocessing
import os
import queue
import signal
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

import httpx

SCHEDULE, TASKS, BARE_GET, PATCH, PATCH_SCHEDULE = (
    "GET schedule (stored)",
    "GET tasks?limit=100",
    "GET bare (baseline)",
    "PATCH task",
    "PATCH + GET schedule",
)
READS = (SCHEDULE, TASKS, BARE_GET)


@dataclass(frozen=True)
class Load:
    """What the client process sends, and where."""

    api: str
    bare: str
    token: str
    task: str
    durations: tuple[str, ...]  # PATCH values in turn; none is the task's first duration
    rate: float
    patch_rate: float
    seconds: float
    workers: int
    warmup: int
    server_pids: tuple[int, int]  # techpm, bare: their CPU time is read per phase


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=dict)  # seconds
    errors: dict[str, list[str]] = field(default_factory=dict)
    late_s: dict[str, float] = field(default_factory=dict)  # sender behind schedule, per phase
    wait_s: dict[str, float] = field(default_factory=dict)  # longest wait for a free worker
    cpu_s: dict[str, tuple[float, float]] = field(default_factory=dict)  # per phase
    patches: int = 0
    versions_advanced: int = 0


# -- the client process ------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Driver:
    """Worker threads, each with its own connections, taking jobs due at given instants."""

    def __init__(self, load: Load, results: Results) -> None:
        self.load, self.results = load, results
        self.jobs: queue.Queue[tuple[float, str, bool] | None] = queue.Queue()
        self.wait = 0.0
        self.values = itertools.cycle(load.durations)
        self.patched = threading.Lock()
        self.threads = [threading.Thread(target=self.work) for _ in range(load.workers)]
        for thread in self.threads:
            thread.start()

    def work(self) -> None:
        headers = {"Authorization": f"Bearer {self.load.token}"}
        with (
            httpx.Client(base_url=self.load.api, headers=headers, timeout=60) as api,
            httpx.Client(timeout=60) as bare,
        ):
            while (job := self.jobs.get()) is not None:
                due, kind, counted = job
                self.wait = max(self.wait, time.perf_counter() - due)
                self.run(api, bare, due, kind, counted)
                self.jobs.task_done()
            self.jobs.task_done()

    def run(
        self, api: httpx.Client, bare: httpx.Client, due: float, kind: str, counted: bool
    ) -> None:
        try:
            if kind == SCHEDULE:
                self.check(kind, api.get("/projects/BIG/schedule"), due, counted)
            elif kind == TASKS:
                self.check(
                    kind, api.get("/projects/BIG/tasks", params={"limit": 100}), due, counted
                )
            elif kind == BARE_GET:
                self.check(kind, bare.get(self.load.bare), due, counted)
            else:
                body = {"duration": next(self.values)}
                patched = api.patch(
                    f"/projects/BIG/tasks/{self.load.task}", json=body, headers={"If-Match": "*"}
                )
                if self.check(PATCH, patched, due, counted):
                    self.check(PATCH_SCHEDULE, api.get("/projects/BIG/schedule"), due, counted)
        except httpx.HTTPError as exc:
            self.results.errors.setdefault(kind, []).append(f"{type(exc).__name__}: {exc}")

    def check(self, kind: str, answer: httpx.Response, due: float, counted: bool) -> bool:
        if not answer.is_success:
            self.results.errors.setdefault(kind, []).append(
                f"{answer.status_code} {answer.text[:200]}"
            )
            return False
        if kind == PATCH:
            with self.patched:
                self.results.patches += 1
        if counted:
            self.results.latencies.setdefault(kind, []).append(time.perf_counter() - due)
        return True

    def phase(self, name: str, kinds: tuple[str, ...], rate: float) -> None:
        """Warm up (every kind a few times, not counted), then send on schedule."""
        for kind in kinds:
            for _ in range(max(self.load.warmup, self.load.workers)):
                self.jobs.put((time.perf_counter(), kind, False))
        self.jobs.join()
        count = max(1, round(rate * self.load.seconds))
        before = tuple(cpu_seconds(pid) for pid in self.load.server_pids)
        self.wait = late = 0.0
        began = time.perf_counter()
        for i in range(count):
            due = began + i / rate
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            self.jobs.put((due, kinds[i % len(kinds)], True))
            late = max(late, time.perf_counter() - due)
        self.jobs.join()
        after = tuple(cpu_seconds(pid) for pid in self.load.server_pids)
        self.results.cpu_s[name] = (after[0] - before[0], after[1] - before[1])
        self.results.late_s[name], self.results.wait_s[name] = late, self.wait

    def stop(self) -> None:
        for _ in self.threads:
            self.jobs.put(None)
        for thread in self.threads:
            thread.join()


def project_version(load: Load) -> int:
    headers = {"Authorization": f"Bearer {load.token}"}
    answer = httpx.get(f"{load.api}/projects/BIG", headers=headers, timeout=60)
    answer.raise_for_status()
    return int(answer.json()["version"])


def drive(load: Load) -> Results:
    results = Results()
    driver = Driver(load, results)
    try:
        driver.phase("reads", READS, load.rate)
        first, before = project_version(load), results.patches
        driver.phase("writes", (PATCH,), load.patch_rate)
        results.patches -= before
        results.versions_advanced = project_version(load) - first
    finally:
        driver.stop()
    return results


def client_process(load: Load, answer: Connection) -> None:
    """Ctrl-C is the parent's to handle: it stops this process when it cleans up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    answer.send(drive(load))
    answer.close()


def run_client(load: Load) -> Results:
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=client_process, args=(load, sending))
    process.start()
    sending.close()
    try:
        try:
            results: Results = receiving.recv()
        except EOFError:
            process.join()
            raise SystemExit(f"the client process exited {process.exitcode}") from None
        process.join()
        return results
    finally:
        if process.is_alive():
            process.terminate()
            process.join()
