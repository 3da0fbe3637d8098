"""PDF reports built by the real Celery worker: asked for through the PMO's Generate form, as a person
would; the time is the worker's (the report row's started_at to finished_at), the wait in the queue
apart; the memory is the peak, sampled every 100 ms, of the worker's whole process tree (Celery's main
process, its pool process and the Chromium that kaleido drives for the charts), each process's
proportional set size (shared pages counted in shares), as in benchmarks/reports.py.

The worker's first report starts Chromium (about 2 s): one weekly report is built first, not timed, as a
worker that has been running a while has done.
"""

from __future__ import annotations

import re
import threading
import time

import psycopg
from reports import _pss, _tree
from stack import Stack
from webclient import Browser, forms_of

SECTION = "## Report builds through the worker"
KINDS = ("weekly", "monthly", "quarterly")
TARGETS = {"monthly": 4.0}  # seconds: the reports issue's monthly target (with charts, at 200 projects)
MEMORY_TARGET = 600  # MB, the reports issue's peak memory of a worker


class TreeMemory:
    """The peak PSS of a process and its descendants while it runs."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, sum(_pss(pid) for pid in _tree(self.pid)))
            if self._stop.wait(0.1):
                return

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak // 2**20


def ask(browser: Browser, kind: str) -> int:
    """The PMO asks for the last ended period's report of this kind, a new version if it exists."""
    form = forms_of(browser.get(f"/dashboard/reports/new/?kind={kind}").text, having="kind")
    answer = browser.post("/dashboard/reports/new/", {**form.values(), "kind": kind, "new_version": "on"})
    found = re.search(r"/dashboard/reports/(\d+)/", answer.headers.get("location", ""))
    if answer.status != 302 or not found:
        raise RuntimeError(f"the {kind} report was not asked for: {answer.status} {answer.text[:300]}")
    return int(found.group(1))


def wait_built(stack: Stack, pk: int, *, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    with psycopg.connect(stack.database_url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute(
                "SELECT state, requested_at, started_at, finished_at, pages, size, error "
                "FROM reporting_report WHERE id = %s",
                [pk],
            ).fetchone()
            state, requested, started, finished, pages, size, error = row
            if state == "done":
                return {
                    "build": (finished - started).total_seconds(),
                    "queued": (started - requested).total_seconds(),
                    "pages": pages,
                    "size_kb": (size or 0) // 1024,
                }
            if state == "failed":
                raise RuntimeError(f"report {pk} failed: {error}")
            time.sleep(0.2)
    raise RuntimeError(f"report {pk} was not built within {timeout:.0f} s:\n{stack.log('worker')}")


def measure(stack: Stack, *, say=print) -> list[dict]:
    pmo = Browser(stack.base_url)
    pmo.login("pmo", "demo")
    wait_built(stack, ask(pmo, "weekly"))  # the worker's first build: Chromium starts
    rows = []
    for kind in KINDS:
        memory = TreeMemory(stack.pid("worker"))
        try:
            built = wait_built(stack, ask(pmo, kind))
        finally:
            peak = memory.stop()
        rows.append({"kind": kind, **built, "peak_mb": peak})
        say(
            f"  {kind:<10} built in {built['build']:.2f} s (queued {built['queued']:.2f} s), "
            f"{built['pages']} pages, worker peak {peak} MB"
        )
    return rows


def render(results: dict[int, list[dict]]) -> str:
    lines = [
        SECTION,
        "",
        "Asked for through the PMO's Generate form (the last ended period, a new version each time), "
        "built by the Celery worker (concurrency 1) of the running stack. *Build* is the worker's time "
        "(the report row's start to its end), *queued* the wait before it. *Peak memory* is the largest "
        "sum, sampled every 100 ms during the build, of the proportional set size of every process of "
        "the worker (Celery's main and pool processes, the Chromium that exports the charts). The "
        "worker built one weekly report before these (its first starts Chromium, about 2 s, once). "
        "Targets (the reports issue): the monthly report at 200 projects within "
        f"{TARGETS['monthly']:.0f} s, a worker within {MEMORY_TARGET} MB; `benchmarks/reports.py` (below) "
        "breaks the builds down at 200 and 1,000 projects.",
        "",
        "| Report | Projects | Build (s) | Queued (s) | Pages | PDF (KB) | Worker peak memory (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind in KINDS:
        for size, rows in results.items():
            row = next(row for row in rows if row["kind"] == kind)
            lines.append(
                f"| {kind.capitalize()} | {size:,} | {row['build']:.2f} | {row['queued']:.2f} "
                f"| {row['pages']} "
                f"| {row['size_kb']:,} | {row['peak_mb']} |"
            )
    peak = max(row["peak_mb"] for rows in results.values() for row in rows)
    lines += [
        "",
        f"- Worker peak memory, the largest of these builds: {peak} MB, "
        + (
            f"within the {MEMORY_TARGET} MB target."
            if peak <= MEMORY_TARGET
            else f"over the {MEMORY_TARGET} MB target by {peak - MEMORY_TARGET} MB (Chromium, kept running "
            "by kaleido for the charts, is counted in it)."
        ),
    ]
    return "\n".join(lines) + "\n"
