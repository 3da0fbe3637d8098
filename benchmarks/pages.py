"""Time pages of the app on a demo portfolio of N projects, and record them in docs/benchmarks.md.

    .venv/bin/python benchmarks/pages.py [--sizes 10,100,1000] [--requests 40] [--database-url URL]

For each N, a fresh `manage.py seed_demo --reset --projects N` (a year of
weekly status, risks, committees, decisions, actions and KPIs), then a
separate process with DEBUG off times each page through Django's test client:
the server time of a request (middleware, views, queries, templates), without
a network or a browser. Three warm-up requests, then `--requests` timed ones;
the median and the 95th percentile are reported, with the page's query count
(exact, from one more request). Without --database-url the runs go to a
throwaway SQLite file; with it, that database's data is REPLACED by demo data.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BASE_DIR, REPORT, database_facts, manage, write_section

SECTION = "## Pages"
PRODUCTION_LIKE = {"DEBUG": "false", "HTTPS": "false", "ALLOWED_HOSTS": "testserver", "LOG_LEVEL": "WARNING"}


def as_at(weeks: int) -> str:
    return (datetime.date.today() - datetime.timedelta(weeks=weeks)).isoformat()


# name, the demo login who opens it, the path ({directorate}: the one with most projects), and a
# target in ms for the median at N = 1,000.
PAGES = [
    ("Dashboard", "exec", "/dashboard/", 150),
    ("Dashboard, as at 13 weeks ago", "exec", f"/dashboard/?as_at={as_at(13)}", 150),
    ("Dashboard, one directorate", "pmo", "/dashboard/?directorate={directorate}", 150),
    ("Red projects behind the tile", "exec", "/dashboard/projects/?rag=red", 150),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000", help="Comma-separated project counts.")
    parser.add_argument("--requests", type=int, default=40, help="Timed requests per page and size.")
    parser.add_argument("--database-url", help="Benchmark this database instead of a throwaway SQLite file.")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # the child process
    options = parser.parse_args()
    if options.measure:
        measure(options.requests)
        return
    sizes = [int(size) for size in options.sizes.split(",")]

    with tempfile.TemporaryDirectory(prefix="pages-bench-") as scratch:
        url = options.database_url or f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
        env = {**os.environ, "DATABASE_URL": url}
        manage(env, "migrate", "--noinput", "-v0")
        database, _debug = database_facts(env)
        results: dict[int, list[dict]] = {}
        for size in sizes:
            manage(env, "seed_demo", "--reset", "--projects", str(size))
            results[size] = child(env, options.requests)
            for row in results[size]:
                print(
                    f"{size:>6} projects  {row['page']:<34} {row['queries']:>3} queries  "
                    f"median {row['median']:7.1f} ms  p95 {row['p95']:7.1f} ms",
                    flush=True,
                )

    where = database if options.database_url else f"{database} (a throwaway file)"
    section = render(results, requests=options.requests, database=where)
    print()
    print(section)
    write_section(SECTION, section, database=database)
    print(f"Written to {REPORT.relative_to(BASE_DIR)}")


def child(env: dict[str, str], requests: int) -> list[dict]:
    """Measure in a fresh process with DEBUG off, as the app runs in production."""
    completed = subprocess.run(
        [sys.executable, __file__, "--measure", "--requests", str(requests)],
        cwd=BASE_DIR,
        env={**env, **PRODUCTION_LIKE},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def measure(requests: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.settings")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pmo.models import Directorate, User

    # No collectstatic here: plain static file names, as in development.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    largest = Directorate.objects.annotate(n=Count("projects")).order_by("-n").first()
    rows = []
    for name, login, template, _target in PAGES:
        path = template.format(directorate=largest.pk)
        client = Client()
        client.force_login(User.objects.get(username=login))
        for _warm_up in range(3):
            response = client.get(path)
            assert response.status_code == 200, f"{path} answered {response.status_code}"
        times = []
        for _request in range(requests):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        times.sort()
        rows.append(
            {
                "page": name,
                "queries": len(captured),
                "median": statistics.median(times),
                "p95": times[max(0, round(0.95 * len(times)) - 1)],
            }
        )
    print(json.dumps(rows))


def render(results: dict[int, list[dict]], *, requests: int, database: str) -> str:
    sizes = list(results)
    lines = [
        SECTION,
        "",
        f"`benchmarks/pages.py --sizes {','.join(map(str, sizes))}`, {datetime.date.today():%Y-%m-%d}, "
        f"on {database}, DEBUG off. Server time of a request through Django's test client (no network, no "
        f"browser), after `seed_demo --projects N` (a year of weekly status): median and 95th percentile "
        f"of {requests} requests after 3 warm-up ones, and the page's query count. Target: a median under "
        "the page's target at 1,000 projects, and the same query count at every N.",
        "",
        "| Page | Projects | Queries | Median (ms) | p95 (ms) | Target (ms) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    targets = {name: target for name, _login, _path, target in PAGES}
    for index, (name, *_rest) in enumerate(PAGES):
        for size in sizes:
            row = results[size][index]
            lines.append(
                f"| {name} | {size:,} | {row['queries']} | {row['median']:.1f} | {row['p95']:.1f} "
                f"| {targets[name]} |"
            )
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
