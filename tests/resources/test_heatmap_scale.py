"""The heatmap at the issue's scale: 1,000 projects x 24 months x 10 roles (240,000 demand rows, ten
directorates), server time well under 300 ms on PostgreSQL (median of five), the same queries as at ten.
`HEATMAP_PROJECTS` changes the scale (docs/resources.md records a run)."""

from __future__ import annotations

import os
import statistics
import time
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pmo.months import add_months
from portfolio.models import Project
from resources.models import Capacity, Demand, ResourceRole
from tests.factories import DirectorateFactory, PortfolioFactory, ProjectFactory

pytestmark = pytest.mark.django_db

PROJECTS = int(os.environ.get("HEATMAP_PROJECTS", "1000"))
FIRST = date(2027, 1, 1)
MONTHS = [add_months(FIRST, n) for n in range(24)]


def build(world, count: int, directorates, roles, start: int = 0) -> None:
    states = [Project.State.ACTIVE, Project.State.ACTIVE, Project.State.PROPOSED, Project.State.ON_HOLD]
    portfolios = {d.pk: PortfolioFactory(directorate=d) for d in directorates}
    projects = []
    for n in range(start, start + count):
        directorate = directorates[n % len(directorates)]
        projects.append(
            ProjectFactory.build(
                code=f"S-{n:05d}",
                name=f"Projet {n}",
                directorate=directorate,
                portfolio=portfolios[directorate.pk],
                project_manager=world.pm,
                sponsor=world.pm,
                state=states[n % len(states)],
            )
        )
    projects = Project.objects.bulk_create(projects)
    Demand.objects.bulk_create(
        (
            Demand(project=p, role=r, month=m, fte=Decimal((p.pk + r.pk + m.month) % 7) / 4 + Decimal("0.25"))
            for p in projects
            for r in roles
            for m in MONTHS
        ),
        batch_size=5000,
    )


def timed(client, url: str) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return elapsed, len(captured)


def test_the_heatmap_at_1000_projects_24_months_10_roles_stays_well_under_300_ms(client, world):
    directorates = [world.it, world.finance, *(DirectorateFactory(code=f"S{n}") for n in range(8))]
    roles = [
        ResourceRole.objects.create(code=f"R{n}", name=f"Rôle {n}", name_en=f"Role {n}") for n in range(10)
    ]
    Capacity.objects.bulk_create(
        Capacity(directorate=d, role=r, month=m, fte=Decimal(20 + (d.pk + r.pk) % 30))
        for d in directorates
        for r in roles
        for m in MONTHS
    )
    client.force_login(world.pmo)
    url = "/resources/?from=2027-07"
    build(world, 10, directorates, roles)
    _elapsed, few = timed(client, url)

    build(world, PROJECTS - 10, directorates, roles, start=10)
    runs = [timed(client, url) for _ in range(5)]

    # session, user, groups; directorates, roles, capacity, the demand summed by the database
    assert {queries for _t, queries in runs} == {few} == {7}
    median = statistics.median(t for t, _q in runs)
    print(f"\nheatmap at {PROJECTS} projects: median {median * 1000:.0f} ms, {few} queries")
    # The target is PostgreSQL's (docs/benchmarks.md); SQLite's one-file engine sums the 120,000 rows of
    # the window in about 200 ms on a shared machine, so it gets a guard against a regression only.
    assert median < (0.3 if connection.vendor == "postgresql" else 1.0), f"median {median * 1000:.0f} ms"
