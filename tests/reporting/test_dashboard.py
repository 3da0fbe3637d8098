from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portfolio.models import Project
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_dashboard_totals_match_the_projects(client, world):
    ProjectFactory(directorate=world.it, budget=Decimal("1000000"))
    slipping = ProjectFactory(directorate=world.it, budget=Decimal("500000"), state=Project.State.ON_HOLD)
    slipping.forecast_end = slipping.baseline_end + timedelta(days=45)
    slipping.save()
    ProjectFactory(directorate=world.finance, budget=Decimal("9000000"), state=Project.State.CLOSED)
    ProjectFactory(directorate=world.finance, state=Project.State.PROPOSED)
    client.force_login(world.executive)

    response = client.get("/dashboard/")

    totals = response.context["totals"]
    assert (totals["active"], totals["on_hold"], totals["proposed"], totals["closed"]) == (1, 1, 1, 1)
    assert totals["live_budget"] == Decimal("1500000")
    assert totals["late"] == 1
    assert [p.pk for p in response.context["late_projects"]] == [slipping.pk]
    rows = {row["directorate__code"]: row for row in response.context["by_directorate"]}
    assert rows["DSI"]["budget"] == Decimal("1500000") and rows["DSI"]["late"] == 1
    assert rows["DF"]["live"] == 0


def test_dashboard_query_count_does_not_grow_with_projects(client, world):
    client.force_login(world.pmo)
    ProjectFactory.create_batch(2, directorate=world.it)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/dashboard/").status_code == 200
        return len(captured)

    few = count()
    for project in ProjectFactory.create_batch(20, directorate=world.finance):
        project.forecast_end += timedelta(days=10)
        project.save()

    # session, user, groups, totals, totals by directorate, the late projects with their joins
    assert count() == few == 6
