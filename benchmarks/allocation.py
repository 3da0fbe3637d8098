"""The heatmap and the financial view at the issue's scale (1,000 projects x 24 months x 10 roles), on
PostgreSQL, recorded in docs/benchmarks.md ("## Money and people at scale").

    .venv/bin/python benchmarks/allocation.py [--projects 1000] [--postgres URL | --database-url URL]

A throwaway database (pmo_scale_<pid> on --postgres, dropped on any way out; or --database-url, which
must be an empty database the script may fill), migrated, then built in bulk: 10 directorates, 10 roles,
the 24 months from a year back (12 past, 12 to come); capacity for every directorate x role x month, and
first 10 projects, then the rest up to --projects, each with demand for every role and month and money
(`finance.models.MonthlyAmount`): a budget phased over the 24 months in CAPEX and OPEX, actuals for the
past months of every other project, a forecast of the months to come for every third. After
`VACUUM ANALYZE` (the planner's statistics, as a live database has them), each page is requested
in-process with django.test.Client as the PMO: 3 warm-up requests, then 20 timed, each one's queries
counted (CaptureQueriesContext); at 10 projects and at --projects, so the table shows the query count
does not grow with N. The target is the issue's: 300 ms server median at 1,000 projects.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import statistics
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BASE_DIR, REPORT

SECTION = "## Money and people at scale"
TARGET_MS = 300
WARM_UP, TIMED = 3, 20
DIRECTORATES, ROLES, MONTHS = 10, 10, 24


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="The server.")
    parser.add_argument("--database-url", help="An empty database to use instead of a throwaway one.")
    options = parser.parse_args()
    load_before = os.getloadavg()
    throwaway = None if options.database_url else f"pmo_scale_{os.getpid()}"
    url = options.database_url or f"{options.postgres.rstrip('/')}/{throwaway}"
    if throwaway:
        admin(options.postgres, f'CREATE DATABASE "{throwaway}"')
    try:
        rows, version = measure(url, options.projects)
    finally:
        if throwaway:
            from django.db import connections

            connections.close_all()
            admin(options.postgres, f'DROP DATABASE IF EXISTS "{throwaway}" WITH (FORCE)')
    load = (load_before, os.getloadavg())
    section = render(rows, projects=options.projects, load=load, database=version)
    print(section)
    write(section)
    print(f"Written to {REPORT.relative_to(BASE_DIR)}")


def write(section: str) -> None:
    """Replace this script's section of docs/benchmarks.md (or add it); the machine line at the top is
    left alone: it describes the runs of `benchmarks/run`."""
    text = REPORT.read_text()
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", flags=re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _match: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    REPORT.write_text(text.rstrip("\n") + "\n")


def admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql)


def setup(url: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DEBUG": "false",
            "HTTPS": "false",
            "LOG_LEVEL": "WARNING",
            "ALLOWED_HOSTS": "testserver",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "benchmark-only-not-a-secret",
            "DJANGO_SETTINGS_MODULE": "pmo.settings",
        }
    )
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)


class World:
    """The scale's fixed part: directorates with a portfolio each, roles, capacity, the PMO."""

    def __init__(self) -> None:
        from django.contrib.auth.models import Group
        from django.utils import timezone

        from pmo.models import Directorate, User
        from pmo.months import FiscalYear, add_months, month_of
        from pmo.roles import Role
        from portfolio.models import Portfolio
        from resources.models import Capacity, ResourceRole

        today = timezone.localdate()
        self.fiscal_year = FiscalYear.of(today)
        self.current = month_of(today)
        self.first = add_months(self.current, -12)
        self.months = [add_months(self.first, n) for n in range(MONTHS)]
        self.pmo = User.objects.create_user("bench-pmo", password="not-a-secret")  # noqa: S106
        self.pmo.groups.add(Group.objects.get_or_create(name=Role.PMO.value)[0])
        self.directorates = [
            Directorate.objects.create(code=f"S{n}", name=f"Direction {n}") for n in range(DIRECTORATES)
        ]
        self.portfolios = {
            d.pk: Portfolio.objects.create(code=f"PF{n}", name=f"Portefeuille {n}", directorate=d)
            for n, d in enumerate(self.directorates)
        }
        self.roles = [
            ResourceRole.objects.create(code=f"R{n}", name=f"Rôle {n}", name_en=f"Role {n}", order=n)
            for n in range(ROLES)
        ]
        Capacity.objects.bulk_create(
            Capacity(directorate=d, role=r, month=m, fte=Decimal(20 + (d.pk + r.pk) % 30))
            for d in self.directorates
            for r in self.roles
            for m in self.months
        )

    def build(self, count: int, start: int = 0) -> None:
        """Projects `start` to `start + count`: each with demand for every role and month, and money."""
        from finance.models import CostCategory, MonthlyAmount
        from portfolio.models import Project
        from resources.models import Demand

        states = [Project.State.ACTIVE, Project.State.ACTIVE, Project.State.PROPOSED, Project.State.ON_HOLD]
        projects = []
        for n in range(start, start + count):
            directorate = self.directorates[n % len(self.directorates)]
            projects.append(
                Project(
                    code=f"S-{n:05d}",
                    name=f"Projet {n}",
                    directorate=directorate,
                    portfolio=self.portfolios[directorate.pk],
                    project_manager=self.pmo,
                    sponsor=self.pmo,
                    state=states[n % len(states)],
                    baseline_start=self.months[0],
                    baseline_end=self.months[-1] + datetime.timedelta(days=27),
                    forecast_start=self.months[0],
                    forecast_end=self.months[-1] + datetime.timedelta(days=27),
                    budget=Decimal(2_400_000 + 1000 * n),
                )
            )
        projects = Project.objects.bulk_create(projects)
        Demand.objects.bulk_create(
            (
                Demand(
                    project=p, role=r, month=m, fte=Decimal((p.pk + r.pk + m.month) % 7) / 4 + Decimal("0.25")
                )
                for p in projects
                for r in self.roles
                for m in self.months
            ),
            batch_size=5000,
        )
        categories = list(CostCategory.objects.all()[:2])
        past = [m for m in self.months if m < self.current]
        future = [m for m in self.months if m >= self.current]

        def amounts():
            for n, p in enumerate(projects, start):
                for c in categories:
                    for m in self.months:
                        yield MonthlyAmount(project=p, category=c, kind="budget", month=m, amount=50_000 + n)
                    if n % 2 == 0:
                        for m in past:
                            yield MonthlyAmount(
                                project=p, category=c, kind="actual", month=m, amount=48_000 + n
                            )
                    if n % 3 == 0:
                        for m in future:
                            yield MonthlyAmount(
                                project=p, category=c, kind="forecast", month=m, amount=52_000 + n
                            )

        MonthlyAmount.objects.bulk_create(amounts(), batch_size=5000, ignore_conflicts=True)


def counts() -> dict[str, int]:
    from finance.models import MonthlyAmount
    from portfolio.models import Project
    from resources.models import Demand

    return {
        "projects": Project.objects.count(),
        "demand": Demand.objects.count(),
        "amounts": MonthlyAmount.objects.count(),
    }


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def time_page(client, url: str) -> tuple[float, float, set[int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _warm_up in range(WARM_UP):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    times, queries = [], set()
    for _request in range(TIMED):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        queries.add(len(captured))
    times.sort()
    return statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)], queries


def measure(url: str, projects: int) -> tuple[list[dict], str]:
    setup(url)
    from django.db import connection
    from django.test import Client

    world = World()
    version = f"{connection.display_name} {'.'.join(map(str, connection.get_database_version()))}"
    client = Client()
    client.force_login(world.pmo)
    pages = {
        "heatmap": f"/resources/?months={MONTHS}&from={world.first:%Y-%m}",
        "financial view": f"/finance/?fy={world.fiscal_year.year}",
    }
    rows = []
    built = 0
    for size in sorted({min(10, projects), projects}):
        started = time.perf_counter()
        world.build(size - built, start=built)
        built = size
        analyze()
        print(f"{size:,} projects built and analysed in {time.perf_counter() - started:.1f} s", flush=True)
        facts = counts()
        for page, path in pages.items():
            median, p95, queries = time_page(client, path)
            rows.append(
                {"page": page, "path": path, **facts, "median": median, "p95": p95, "queries": queries}
            )
            print(f"  {page} {path}: median {median:.0f} ms, p95 {p95:.0f} ms, queries {sorted(queries)}")
    return rows, version


def render(rows: list[dict], *, projects: int, load, database: str) -> str:
    before, after = (" / ".join(f"{value:.2f}" for value in average) for average in load)
    text = (
        f"`benchmarks/allocation.py --projects {projects}`, {datetime.date.today().isoformat()}, {database}: "
        f"the issue's scale built in bulk in a throwaway database, {DIRECTORATES} directorates, {ROLES} "
        f"roles, {MONTHS} months (from a year back: 12 past, 12 to come); capacity for every directorate x "
        "role x month; each project demand for every role and month, a budget phased over the 24 months in "
        "CAPEX and OPEX, actuals for the past months of every other project, a forecast of the months to "
        "come for every third, all in the reporting currency (no exchange-rate query); then `VACUUM "
        "ANALYZE`. Each page requested in-process (django.test.Client, DEBUG off, signed in as the PMO): "
        f"{WARM_UP} warm-up requests, then {TIMED} timed; the queries of each timed request counted ("
        "shown as 7/8 had they differed). Server time only (no network, no gunicorn). The load "
        f"average was {before} before and {after} after (2 cores, shared): compare within a run."
    )
    lines = [
        SECTION,
        "",
        *textwrap.wrap(text, width=105, break_on_hyphens=False),
        "",
        "| Page | Projects | Demand rows | Amount rows | Queries | Median (ms) | p95 (ms) | Target (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        queries = "/".join(str(q) for q in sorted(row["queries"]))
        lines.append(
            f"| {row['page']} (`{row['path']}`) | {row['projects']:,} | {row['demand']:,} "
            f"| {row['amounts']:,} | {queries} | {row['median']:.0f} | {row['p95']:.0f} | {TARGET_MS} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
