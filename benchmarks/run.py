"""The benchmarks on the real stack, end to end, written to docs/benchmarks.md.

    benchmarks/run [--sizes 10,100,1000] [--quick] [--skip-reports-script] [--postgres URL]

For each N: a throwaway PostgreSQL database (pmo_bench_<pid>, on --postgres, dropped at the end), a
throwaway redis-server on a free loopback port, gunicorn with 2 workers and a Celery worker (DEBUG off,
HTTPS off, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1; benchmarks/bench_settings.py); then

1. `seed_demo --reset --projects N`, timed (benchmarks/seed_demo.py);
2. the weekly, monthly and quarterly reports built by the worker (benchmarks/worker_reports.py);
3. the main pages: query count, server time median and p95 (benchmarks/pages.py);
4. at the largest N (1,000 in a full run): the peer comparison with Redmine (benchmarks/peer.py) and the
   Locust load test (benchmarks/load.py, benchmarks/locustfile.py).

Then the stack is stopped and `benchmarks/reports.py` breaks the PDF builds down at 200 and 1,000
projects in the same database (it seeds them itself). Every process started is stopped, and the
database dropped, on any way out (an error, Ctrl-C, SIGTERM).

--quick is a smoke run, to prove the scripts work: fewer requests, a short load test with 5 users, no
reports.py; docs/benchmarks.md then says, in bold, that its figures are a smoke run's.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load
import pages
import peer
import seed_demo
import worker_reports
from common import BASE_DIR, REPORT, machine
from stack import Stack

STARTED = time.monotonic()
# The order of docs/benchmarks.md's sections; "## Reports" is benchmarks/reports.py's own.
ORDER = [
    "## This run",
    pages.SECTION,
    peer.SECTION,
    load.SECTION,
    worker_reports.SECTION,
    "## Reports",
    seed_demo.SECTION,
]


def say(text: str) -> None:
    elapsed = int(time.monotonic() - STARTED)
    print(f"[{elapsed // 60:02d}:{elapsed % 60:02d}] {text}", flush=True)


def _interrupted(signum, _frame):
    raise SystemExit(128 + signum)  # unwinds through the `finally` that stops the stack


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000", help="Comma-separated project counts.")
    parser.add_argument("--quick", action="store_true", help="A smoke run: few requests, a short load test.")
    parser.add_argument("--requests", type=int, help="Timed requests per page (40; --quick: 10).")
    parser.add_argument("--seed-runs", type=int, help="Timed seed_demo runs per N (3; --quick: 1).")
    parser.add_argument("--peer-seconds", type=float, help="Seconds per concurrency (30; --quick: 5).")
    parser.add_argument("--users", type=int, help="Locust users (50; --quick: 5).")
    parser.add_argument("--spawn-rate", type=float, default=2, help="Locust users started per second.")
    parser.add_argument("--load-seconds", type=int, help="Locust run time (120; --quick: 15).")
    parser.add_argument(
        "--skip-reports-script", action="store_true", help="Do not run benchmarks/reports.py."
    )
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="The server.")
    options = parser.parse_args()
    quick = options.quick
    sizes = sorted(int(size) for size in options.sizes.split(","))
    requests = options.requests or (10 if quick else 40)
    seed_runs = options.seed_runs or (1 if quick else 3)
    peer_seconds = options.peer_seconds or (5 if quick else 30)
    users = options.users or (5 if quick else 50)
    load_seconds = options.load_seconds or (15 if quick else 120)
    reports_script = not (quick or options.skip_reports_script)
    command = "benchmarks/run " + " ".join(sys.argv[1:])

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupted)
    say(
        f"{command.strip()}: sizes {sizes}, {requests} requests a page, "
        f"load test {users} users {load_seconds} s"
    )
    load_before = os.getloadavg()
    sections: dict[str, str] = {}
    seeds, page_results, report_results = [], {}, {}
    with tempfile.TemporaryDirectory(prefix="pmo-bench-") as scratch:
        stack = Stack(scratch=Path(scratch), postgres=options.postgres, say=say)
        try:
            stack.create_database()
            stack.start_redis()
            say("Migrating")
            stack.manage("migrate", "--noinput", "-v0")
            versions = stack_versions(stack)
            stack.start_worker()
            stack.start_web()
            stack.wait_healthy()
            say("The stack is up: /healthz says ok")
            for size in sizes:
                say(f"--- {size:,} projects ---")
                runs = [
                    seed_demo.timed(stack.env, "seed_demo", "--reset", "--projects", str(size))
                    for _ in range(seed_runs)
                ]
                wall, inside = (statistics.median(times) for times in zip(*runs, strict=True))
                seeds.append((size, wall, inside))
                say(f"seed_demo --projects {size}: {wall:.2f} s wall, {inside:.2f} s in the command")
                stack.analyze()
                found = pages.facts(stack)
                say("Report builds through the worker")
                report_results[size] = worker_reports.measure(stack, say=say)
                say(f"Pages ({requests} timed requests each)")
                page_results[size] = pages.measure(stack, found, requests=requests, say=say)
                if size == sizes[-1]:
                    say(f"The peer comparison ({peer_seconds:.0f} s at 1 client, then at 10)")
                    peer_result = peer.measure(stack, seconds=peer_seconds, say=say)
                    say("The load test")
                    load_result = load.run(
                        stack,
                        found,
                        users=users,
                        spawn_rate=options.spawn_rate,
                        seconds=load_seconds,
                        say=say,
                    )
            stack.stop("gunicorn")
            stack.stop("worker")
            if reports_script:
                say("benchmarks/reports.py (seeds 200, then 1,000 projects; a few minutes)")
                subprocess.run(
                    [
                        sys.executable,
                        str(BASE_DIR / "benchmarks" / "reports.py"),
                        "--database-url",
                        stack.database_url,
                    ],
                    cwd=BASE_DIR,
                    # No broker: reports.py builds in its own process, as the worker does.
                    env={
                        **{k: v for k, v in stack.env.items() if k != "REDIS_URL"},
                        "DJANGO_SETTINGS_MODULE": "pmo.settings",
                    },
                    check=True,
                )
        finally:
            stack.close()
    load_after = os.getloadavg()

    largest = sizes[-1]
    database = f"PostgreSQL {versions['PostgreSQL']}"
    sections[pages.SECTION] = pages.render(page_results, requests=requests)
    sections[peer.SECTION] = peer.render(peer_result, page_results, size=largest, seconds=peer_seconds)
    sections[load.SECTION] = load.render(load_result, size=largest)
    sections[worker_reports.SECTION] = worker_reports.render(report_results)
    sections[seed_demo.SECTION] = seed_demo.render(
        seeds, runs=seed_runs, database=f"{database}, DEBUG off", command=command.strip()
    )
    sections["## This run"] = this_run(
        command.strip(), versions, load_before, load_after, quick=quick, reports=reports_script
    )
    write(sections, database=database)
    say(f"Written to {REPORT.relative_to(BASE_DIR)}")


def stack_versions(stack: Stack) -> dict[str, str]:
    redis = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout
    found = re.search(r"v=(\S+)", redis)
    return {
        "PostgreSQL": stack.postgres_version().split()[0],
        "Redis": found.group(1) if found else "?",
        **{name: importlib.metadata.version(name) for name in ("gunicorn", "celery", "locust", "psycopg")},
    }


def this_run(command: str, versions: dict, before, after, *, quick: bool, reports: bool) -> str:
    minutes = (time.monotonic() - STARTED) / 60
    lines = ["## This run", ""]
    if quick:
        lines += [
            "**SMOKE RUN (`--quick`): these figures only show that the scripts work and what the document "
            "looks like. They come from a short run on a machine shared with other work; do not read them "
            "as results. The real figures come from `benchmarks/run` (no `--quick`) on a quiet machine.**",
            "",
        ]
    load = " / ".join(f"{value:.2f}" for value in before), " / ".join(f"{value:.2f}" for value in after)
    lines += [
        f"`{command}`, {datetime.datetime.now():%Y-%m-%d %H:%M}, {minutes:.0f} min in all. Python "
        f"{platform.python_version()}, PostgreSQL {versions['PostgreSQL']}, Redis {versions['Redis']}, "
        f"gunicorn "
        f"{versions['gunicorn']} (2 sync workers), Celery {versions['celery']} (1 worker process), Locust "
        f"{versions['locust']}, psycopg {versions['psycopg']}; everything on this machine, over loopback. "
        f"Load average (1, 5, 15 minutes) {load[0]} before the run and {load[1]} after it, on "
        f"{len(os.sched_getaffinity(0))} cores. The benchmark's own processes count in it; well above 2, "
        "other work was sharing the machine, and every time is longer for it.",
        "",
        "What runs: a throwaway PostgreSQL database and a throwaway redis-server, gunicorn with 2 workers "
        "(`pmo.wsgi`, DEBUG off) and a Celery worker, started by `benchmarks/run` and stopped at its "
        "end; for each N, `seed_demo --reset --projects N`, then the measures below. "
        + (
            "`benchmarks/reports.py` ran after it (its section, Reports)."
            if reports
            else "`benchmarks/reports.py` did not run in this run: its section (Reports) is from its own "
            "last run."
        ),
        "",
    ]
    return "\n".join(lines)


def write(sections: dict[str, str], *, database: str) -> None:
    """docs/benchmarks.md: this run's sections, in ORDER, with the others kept as they were."""
    text = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n"
    existing = {
        match.group(1): match.group(0).rstrip("\n") + "\n"
        for match in re.finditer(r"^(## [^\n]+)\n.*?(?=^## |\Z)", text, flags=re.MULTILINE | re.DOTALL)
    }
    merged = {**existing, **sections}
    titles = [title for title in ORDER if title in merged] + [t for t in merged if t not in ORDER]
    body = "\n".join(merged[title].rstrip("\n") + "\n" for title in titles)
    REPORT.write_text(f"# Benchmarks\n\n{machine(database)}\n\n{body}")


if __name__ == "__main__":
    main()
