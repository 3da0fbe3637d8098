"""The lists behind the dashboard: they hold the rows their figure counts, at the same date and scope."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from portfolio.models import Milestone, Rag, StatusReport
from portfolio.models.status import period_of
from reporting.selectors import PortfolioFigures
from tests.factories import ProjectFactory, StatusReportFactory
from tests.reporting.builders import build_portfolio, computed_kpi, weeks_back

pytestmark = pytest.mark.django_db


def codes(response) -> list[str]:
    return [row.code for row in response.context["page"].object_list]


def test_a_week_of_the_compliance_chart_lists_the_projects_that_did_not_report_that_week(client, world):
    today = timezone.localdate()
    weeks = weeks_back(today, 3)
    # Project 0 skips the oldest week, project 1 the middle one; project 2 reports every week.
    build_portfolio(
        count=3,
        weeks=3,
        today=today,
        directorate=world.it,
        rag=lambda index, week: None if week == weeks[index] else Rag.GREEN,
    )
    client.force_login(world.executive)

    response = client.get("/dashboard/")

    figure = response.context["compliance_figure"]["data"][0]
    middle = figure["x"].index(weeks[1].isoformat())
    assert figure["y"][middle] == pytest.approx(66.7)
    behind = client.get(figure["customdata"][middle])
    assert codes(behind) == ["BLK-0001"]
    assert behind.context["viewpoint"].as_at == weeks[1] + timedelta(days=6)


def test_the_rag_by_directorate_bars_open_the_projects_they_count(client, world):
    today = timezone.localdate()
    build_portfolio(
        count=3, weeks=1, today=today, directorate=world.it, rag=lambda i, w: Rag.AMBER, prefix="IT"
    )
    build_portfolio(
        count=2, weeks=1, today=today, directorate=world.finance, rag=lambda i, w: Rag.RED, prefix="FI"
    )
    client.force_login(world.executive)

    figure = client.get("/dashboard/").context["rag_figure"]

    amber = next(trace for trace in figure["data"] if trace["name"] == "Amber")
    assert amber["y"] == ["DF", "DSI"] and amber["x"] == [0, 3]  # directorates by name
    assert amber["customdata"][0] == ""  # no bar, no link
    assert codes(client.get(amber["customdata"][1])) == ["IT-0000", "IT-0001", "IT-0002"]


def test_the_list_sorts_by_cpi_with_the_undefined_ones_last(client, world):
    today = timezone.localdate()
    week = period_of(today)
    for code, actual_cost in (("P-A", "100000"), ("P-B", "0"), ("P-C", "50000")):
        project = ProjectFactory(code=code, directorate=world.it, budget=Decimal("1000000"))
        StatusReportFactory(
            project=project, period=week, percent_complete=Decimal(10), actual_cost=Decimal(actual_cost)
        )
    client.force_login(world.pmo)

    ascending = client.get("/dashboard/projects/?sort=cpi")
    descending = client.get("/dashboard/projects/?sort=-cpi")

    assert codes(ascending) == ["P-A", "P-C", "P-B"]  # CPI 1.0, 2.0, n/a (no cost yet)
    assert codes(descending) == ["P-C", "P-A", "P-B"]
    assert "n/a" in ascending.text


def test_the_milestones_list_holds_the_milestones_the_tile_counts(client, world):
    today = timezone.localdate()
    month_start = today.replace(day=1)
    computed_kpi("milestones_met")
    met, missed, elsewhere = (ProjectFactory(directorate=world.it) for _ in range(3))
    Milestone.objects.create(
        project=met,
        name="Go-live",
        baseline_date=month_start,
        forecast_date=month_start,
        actual_date=month_start,
    )
    Milestone.objects.create(
        project=missed, name="Recette", baseline_date=month_start, forecast_date=today + timedelta(days=40)
    )
    Milestone.objects.create(
        project=elsewhere,
        name="Plus tard",
        baseline_date=month_start - timedelta(days=40),
        forecast_date=month_start,
    )
    client.force_login(world.executive)

    tile = client.get("/dashboard/").context["tiles"][0]
    listing = client.get(tile.url)

    assert tile.value == 50
    assert tile.url == f"/dashboard/milestones/?start={month_start.isoformat()}&end={today.isoformat()}"
    figures = PortfolioFigures.for_user(world.executive).milestones(month_start, today)
    assert listing.context["page"].paginator.count == figures.due == 2
    assert [(m.name, m.met) for m in listing.context["page"].object_list] == [
        ("Go-live", True),
        ("Recette", False),
    ]
    assert client.get(f"{tile.url}&met=no").context["page"].paginator.count == 1


def test_a_window_that_ends_before_it_starts_falls_back_to_the_month(client, world):
    client.force_login(world.executive)
    response = client.get("/dashboard/milestones/?start=2026-05-31&end=2026-05-01")
    assert response.status_code == 200
    assert response.context["start"] == timezone.localdate().replace(day=1)
    assert "The window ends before it starts." in response.text


def test_snapshots_read_together_are_the_snapshots_read_one_by_one(world):
    today = timezone.localdate()
    weeks = weeks_back(today, 6)
    build_portfolio(
        count=8,
        weeks=6,
        today=today,
        directorate=world.it,
        rag=lambda index, week: (Rag.GREEN, Rag.AMBER, Rag.RED, None)[(index + weeks.index(week)) % 4],
    )
    newcomer = ProjectFactory(code="NEW-1", directorate=world.it)  # created today: not in the past portfolios
    days = [today, today - timedelta(days=9), today - timedelta(days=30), date(today.year - 2, 1, 1)]

    together = PortfolioFigures.for_user(world.pmo).snapshots(days)

    for day in days:
        # The portfolio as at `day` by the selector's one-date query, and the reports in force then.
        in_force = dict(
            PortfolioFigures.for_user(world.pmo).active_projects(day).values_list("pk", "report_id")
        )
        periods = dict(StatusReport.objects.filter(pk__in=in_force.values()).values_list("pk", "period"))
        expected = {pk: periods.get(report) for pk, report in in_force.items()}
        assert {row.pk: row.report_period for row in together[day].rows} == expected, day
        alone = PortfolioFigures.for_user(world.pmo).snapshot(day)
        assert together[day].rows == alone.rows, day
        assert (together[day].cpi, together[day].spi) == (alone.cpi, alone.spi)
    assert newcomer.code in [row.code for row in together[today].rows]
    assert newcomer.code not in [row.code for row in together[days[1]].rows]
    assert together[days[3]].rows == []
