"""Benchmark: latency of the team server's API on a 1,000-task project, beside a bare
FastAPI app that answers a body of the same size (what HTTP and JSON alone cost here).

    .venv/bin/python bench/api.py [--tasks 1000] [--rate 50] [--seconds 10]
        [--database sqlite|postgresql] [--patch-rate 2] [--workers 4]

Starts `techpm serve --dev` on a fresh database (a SQLite file, or a PostgreSQL schema
dropped at the end), puts the generated plan of bench/cpm.py into project BIG, starts
bench/api_bare.py beside it, then drives both from a client process: worker threads with
one keep-alive connection each to each server, fed on a fixed schedule (open loop: a
request's latency counts from when it was due, so waiting for a free worker counts too).

Two phases of --seconds each. Reads, at --rate requests/s in turn: the stored schedule, the
first page of 100 tasks, the bare route. Writes, at --patch-rate/s: a PATCH of the duration
of the task with the most successors (a new value each time), then at once the schedule,
which is computed again. A write costs far more than a read, so it has its own rate: at the
read rate it would only measure a growing queue. Prints p50/p95/p99 per kind with the
targets (stored schedule p99 <= 50 ms, PATCH + schedule p50 and p99 <= 150 ms), and the
server's CPU time per request. Any answer that is not 2xx is an error: exit code 1.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import NoReturn

import httpx

from api_client import (
    BARE_GET,
    PATCH,
    PATCH_SCHEDULE,
    READS,
    SCHEDULE,
    TASKS,
    Load,
    Results,
    run_client,
)
from cpm import generate

TECHPM = str(Path(sys.executable).with_name("techpm"))
BARE = str(Path(__file__).with_name("api_bare.py"))
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
EMAIL = "bench@example.com"
PASSWORD = "correct horse battery"
START_SECONDS = 60.0
STORED_P99_MS = 50.0
WRITE_MS = 150.0
# -- the servers and the database --------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def database(kind: str, folder: Path, postgres: str) -> Iterator[str]:
    """A fresh SQLite file, or a fresh PostgreSQL schema dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    from sqlalchemy import text

    from techpm.persistence.database import make_engine

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = make_engine(postgres)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{postgres}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def server(command: list[str], ready: str, log: Path, env: dict[str, str]) -> Iterator[int]:
    """A server process answering `ready`; its pid. Started in a session of its own, so
    Ctrl-C reaches only this script, which stops it."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if process.poll() is not None:
                raise SystemExit(f"{command[0]} exited {process.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(ready, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"{ready} did not answer in {START_SECONDS:g} s")
            time.sleep(0.1)
        yield process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def busiest_task(plan: str) -> tuple[str, str]:
    """The task with the most successors in the generated plan, and its duration."""
    successors: dict[str, int] = {}
    durations: dict[str, str] = {}
    for found in re.finditer(r"\{id: (t\d+), name: [^,]+, duration: (\w+)(.*)\}$", plan, re.M):
        durations[found[1]] = found[2]
        for predecessor in set(re.findall(r"\bt\d+\b", found[3])):
            successors[predecessor] = successors.get(predecessor, 0) + 1
    task = max(successors, key=lambda t: (successors[t], -int(t[1:])))
    return task, durations[task]


def put_plan(url: str, plan: str) -> tuple[str, bytes, int]:
    """Log in, create BIG, put the plan, read the schedule once: (token, schedule, tasks
    page size)."""
    login = httpx.post(f"{url}/api/v1/auth/token", json={"email": EMAIL, "password": PASSWORD})
    login.raise_for_status()
    token = login.json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=f"{url}/api/v1", headers=headers, timeout=120) as api:
        api.post("/projects", json={"key": "BIG", "name": "Big"}).raise_for_status()
        tag = api.get("/projects/BIG").headers["ETag"]
        put = api.put(
            "/projects/BIG/plan",
            content=plan,
            headers={"Content-Type": "application/yaml", "If-Match": tag},
        )
        if not put.is_success:
            raise SystemExit(f"PUT plan: {put.status_code} {put.text[:500]}")
        schedule = api.get("/projects/BIG/schedule")
        schedule.raise_for_status()
        page = api.get("/projects/BIG/tasks", params={"limit": 100})
        page.raise_for_status()
    return token, schedule.content, len(page.content)


def setup_database(url: str, env: dict[str, str]) -> None:
    subprocess.run(
        [TECHPM, "db", "upgrade", "--database", url], check=True, env=env, stdout=subprocess.DEVNULL
    )
    subprocess.run(
        [TECHPM, "user", "add", EMAIL, "--name", "Bench", "--password-stdin", "--database", url],
        input=PASSWORD + "\n",
        text=True,
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )


# -- the report --------------------------------------------------------------------------


def percentiles(values: list[float]) -> tuple[float, float, float]:
    """p50, p95, p99 in ms."""
    ms = sorted(v * 1000 for v in values)
    if len(ms) < 2:
        return (ms[0],) * 3 if ms else (float("nan"),) * 3
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def verdict(kind: str, p50: float, p99: float) -> str:
    if kind == SCHEDULE:
        return f"p99 <= {STORED_P99_MS:g} ms {'OK' if p99 <= STORED_P99_MS else 'OVER'}"
    if kind == PATCH_SCHEDULE:
        ok = p50 <= WRITE_MS and p99 <= WRITE_MS
        return f"p50, p99 <= {WRITE_MS:g} ms {'OK' if ok else 'OVER'}"
    return ""


def report(results: Results, load: Load) -> int:
    """The table; the number of errors."""
    print(
        f"{'kind':<22} {'count':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  target"
    )
    errors = 0
    for kind in (*READS, PATCH, PATCH_SCHEDULE):
        values = results.latencies.get(kind, [])
        failed = len(results.errors.get(kind, []))
        errors += failed
        p50, p95, p99 = percentiles(values)
        print(
            f"{kind:<22} {len(values):>6} {failed:>6} {p50:8.1f} {p95:8.1f} {p99:8.1f}  "
            f"{verdict(kind, p50, p99)}"
        )
    served = {
        "reads": (
            len(results.latencies.get(SCHEDULE, [])) + len(results.latencies.get(TASKS, [])),
            len(results.latencies.get(BARE_GET, [])),
        ),
        "writes": (len(results.latencies.get(PATCH_SCHEDULE, [])), 0),
    }
    for name, (techpm, bare) in results.cpu_s.items():
        calls, bare_calls = served[name]
        unit = "read" if name == "reads" else "PATCH + schedule"
        per_bare = f", {bare / bare_calls * 1000:.1f} ms per bare read" if bare_calls else ""
        print(
            f"{name}: server CPU techpm {techpm:.2f} s ({techpm / max(calls, 1) * 1000:.1f} ms "
            f"per {unit}), bare {bare:.2f} s{per_bare}; sender behind schedule at most "
            f"{results.late_s[name] * 1000:.0f} ms, longest wait for a free client worker "
            f"{results.wait_s[name] * 1000:.0f} ms"
        )
    print(
        f"{results.patches} PATCHes (warm-up included) advanced the project by "
        f"{results.versions_advanced} versions in the write phase"
    )
    if results.versions_advanced != results.patches:
        print("error: not every PATCH made a new version")
        errors += 1
    for kind, messages in results.errors.items():
        for message in messages[:3]:
            print(f"error: {kind}: {message}")
    return errors


# -- the command -------------------------------------------------------------------------


def interrupted(signum: int, frame: object) -> NoReturn:
    raise KeyboardInterrupt


def bench(args: argparse.Namespace) -> int:
    plan = generate(args.tasks)
    task, first_duration = busiest_task(plan)
    durations = tuple(d for d in (f"{n}d" for n in range(1, 11)) if d != first_duration)
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-api-")))
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("TECHPM_SERVER", "TECHPM_DATABASE_URL", "TECHPM_SECRET_KEY")
        }
        env |= {
            "TECHPM_DATA_DIR": str(folder / "data"),
            "TECHPM_CONFIG_DIR": str(folder / "config"),
        }
        url = stack.enter_context(database(args.database, folder, args.postgres))
        setup_database(url, env)
        port = free_port()
        techpm = f"http://127.0.0.1:{port}"
        command = [TECHPM, "serve", "--dev", "--database", url, "--port", str(port)]
        techpm_pid = stack.enter_context(
            server(command, techpm + "/healthz", folder / "serve.log", env)
        )
        began = time.perf_counter()
        token, schedule, page_bytes = put_plan(techpm, plan)
        print(
            f"techpm API on {args.database}: {args.tasks} tasks, plan put and first schedule "
            f"in {time.perf_counter() - began:.1f} s; {os.cpu_count()} cores, load average "
            f"{os.getloadavg()[0]:.2f}",
            flush=True,
        )
        body = folder / "schedule.json"
        body.write_bytes(schedule)
        bare_port = free_port()
        bare = f"http://127.0.0.1:{bare_port}/bare"
        command = [sys.executable, BARE, "--body", str(body), "--port", str(bare_port)]
        bare_pid = stack.enter_context(server(command, bare, folder / "bare.log", env))
        bare_bytes = len(httpx.get(bare).content)
        print(
            f"bodies: schedule {len(schedule):,} B, tasks page {page_bytes:,} B, bare "
            f"{bare_bytes:,} B; PATCH duration of {task}"
        )
        print(
            f"reads: {args.rate:g}/s for {args.seconds:g} s in turn; writes: {args.patch_rate:g}"
            f" PATCH/s for {args.seconds:g} s; {args.workers} client workers",
            flush=True,
        )
        load = Load(
            api=f"{techpm}/api/v1",
            bare=bare,
            token=token,
            task=task,
            durations=durations,
            rate=args.rate,
            patch_rate=args.patch_rate,
            seconds=args.seconds,
            workers=args.workers,
            warmup=args.warmup,
            server_pids=(techpm_pid, bare_pid),
        )
        errors = report(run_client(load), load)
    print(f"{errors} errors" if errors else "no errors")
    return 1 if errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=1_000)
    parser.add_argument("--rate", type=float, default=50.0, help="reads per second")
    parser.add_argument("--patch-rate", type=float, default=2.0, help="PATCHes per second")
    parser.add_argument("--seconds", type=float, default=10.0, help="of each phase")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres", default=POSTGRES, help="PostgreSQL URL (a schema is made)")
    parser.add_argument("--workers", type=int, default=4, help="client threads")
    parser.add_argument("--warmup", type=int, default=3, help="uncounted requests per kind")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, interrupted)
    try:
        return bench(args)
    except KeyboardInterrupt:
        print("interrupted: servers stopped, database removed", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
