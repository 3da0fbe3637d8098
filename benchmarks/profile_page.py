"""Profile one page in-process: its queries (each with its time), its server time, and where the Python
time goes. For finding why a page is slow; `benchmarks/run` measures them all on the real stack.

    .venv/bin/python benchmarks/profile_page.py --database-url URL [--user pmo] [--repeat 20]
        [--queries] [--explain] [--cprofile] PATH

The database must hold demo data (`manage.py seed_demo`); nothing is written unless the page writes.
DEBUG is off (as in production) but queries are captured all the same (CaptureQueriesContext). With
--explain, each of the five slowest SELECTs is run again under EXPLAIN ANALYZE (PostgreSQL).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--user", default="pmo")
    parser.add_argument("--repeat", type=int, default=20, help="Timed requests after 3 warm-up ones.")
    parser.add_argument("--queries", action="store_true", help="List the queries of one request.")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the five slowest.")
    parser.add_argument("--cprofile", action="store_true", help="Profile the timed requests.")
    parser.add_argument("--cprofile-filter", default="", help="Only functions whose file matches this regex.")
    options = parser.parse_args()

    os.environ.update(
        {
            "DATABASE_URL": options.database_url,
            "DEBUG": "false",
            "HTTPS": "false",
            "LOG_LEVEL": "WARNING",
            "ALLOWED_HOSTS": "testserver",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "profile-only-not-a-secret",
            "DJANGO_SETTINGS_MODULE": "pmo.settings",
        }
    )
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pmo.models import User

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    client = Client()
    client.force_login(User.objects.get(username=options.user))
    for _warm_up in range(3):
        response = client.get(options.path)
    print(f"{options.path} as {options.user}: {response.status_code}, {len(response.content):,} bytes")

    profile = cProfile.Profile() if options.cprofile else None
    times, cpu = [], []
    for _request in range(options.repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        if profile:
            profile.enable()
        client.get(options.path)
        if profile:
            profile.disable()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    times.sort()
    with CaptureQueriesContext(connection) as captured:
        client.get(options.path)
    sql_ms = sum(float(query["time"]) for query in captured.captured_queries) * 1000
    print(
        f"median {statistics.median(times):.1f} ms, p95 {times[max(0, round(0.95 * len(times)) - 1)]:.1f} ms "
        f"({options.repeat} requests), median CPU of this process {statistics.median(cpu):.1f} ms; "
        f"{len(captured)} queries, {sql_ms:.1f} ms in the database"
    )
    if options.queries:
        for number, query in enumerate(captured.captured_queries, 1):
            print(f"{number:>3} {float(query['time']) * 1000:7.1f} ms  {query['sql'][:400]}")
    if options.explain and connection.vendor == "postgresql":
        slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
        # A model choice list is read through a server-side cursor: explain the SELECT it declares.
        selects = [re.sub(r"^DECLARE .*? FOR (SELECT)", r"\1", query["sql"]) for query in slowest]
        selects = [(q, sql) for q, sql in zip(slowest, selects, strict=True) if sql.startswith("SELECT")]
        with connection.cursor() as cursor:
            for query, sql in selects[:5]:
                print(f"\n--- {float(query['time']) * 1000:.1f} ms: {sql[:1000]}")
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                print("\n".join(row[0] for row in cursor.fetchall()))
    if profile:
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(options.cprofile_filter, 40)
        stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
