"""The status history as a spreadsheet: the portfolio's, filtered like the project list, and one
project's from its page."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portfolio.models import Rag
from tests.factories import ProjectFactory, StatusReportFactory
from tests.portfolio.test_project_list import this_week
from tests.spreadsheets import assert_amounts, assert_dates, assert_numbers, read_csv, read_xlsx

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def history(world):
    """The manager's project with two weeks of reports (this week's revised), a confidential project
    of another manager's, and a project of another directorate."""
    mine = ProjectFactory(code="PRJ-0001", directorate=world.it, project_manager=world.pm)
    StatusReportFactory(project=mine, rag=Rag.GREEN, weeks_ago=1, percent_complete=Decimal(20))
    first = StatusReportFactory(project=mine, rag=Rag.AMBER, percent_complete=Decimal(30))
    first.is_latest = False
    first.save(update_fields=["is_latest"])
    StatusReportFactory(
        project=mine,
        revision=2,
        rag=Rag.RED,
        cost_rag=Rag.AMBER,
        percent_complete=Decimal("32.5"),
        actual_cost=Decimal("125000.50"),
        forecast_at_completion=Decimal("2600000"),
        summary="=cmd|' /C calc'!A0",
        submitted_by=world.pm,
    )
    secret = ProjectFactory(
        code="PRJ-0002", directorate=world.it, project_manager=world.other_pm, confidential=True
    )
    StatusReportFactory(project=secret, rag=Rag.RED)
    elsewhere = ProjectFactory(code="PRJ-0003", directorate=world.finance, project_manager=world.other_pm)
    StatusReportFactory(project=elsewhere)
    return mine, secret, elsewhere


def test_the_portfolio_history_holds_every_revision_with_typed_cells(client, world, history):
    client.force_login(world.pmo)

    sheet = read_xlsx(client.get("/portfolio/status-history/", {"export": "xlsx"}, **ENGLISH))

    assert sheet.column("Project code") == ["PRJ-0001"] * 3 + ["PRJ-0002", "PRJ-0003"]
    mine = sheet.records()[:3]
    last_week, this = (this_week() - timedelta(weeks=1)).isocalendar(), this_week().isocalendar()
    assert [(row["Week"], row["Revision"], row["Latest revision"]) for row in mine] == [
        (f"{last_week[0]}-W{last_week[1]:02d}", 1, "Yes"),
        (f"{this[0]}-W{this[1]:02d}", 1, "No"),
        (f"{this[0]}-W{this[1]:02d}", 2, "Yes"),
    ]
    assert [row["Overall RAG"] for row in mine] == ["Green", "Amber", "Red"]
    assert mine[2]["Completion"] == 32.5 and mine[2]["Actual cost to date"] == 125000.5
    assert mine[2]["Forecast at completion"] == 2600000
    assert mine[2]["Summary"] == "'=cmd|' /C calc'!A0", "a formula is neutralised"
    assert mine[2]["Submitted by"] == str(world.pm)
    assert mine[2]["Period"].date() == this_week()
    assert_dates(sheet, "Period", "Submitted at")
    assert isinstance(mine[2]["Submitted at"], datetime)
    assert_amounts(sheet, "Actual cost to date", "Forecast at completion")
    assert_numbers(sheet, "Completion", "Revision")


def test_a_confidential_projects_reports_are_left_out_for_who_may_not_see_it(client, world, history):
    client.force_login(world.member)

    sheet = read_xlsx(client.get("/portfolio/status-history/", {"export": "xlsx"}))
    csv_sheet = read_csv(client.get("/portfolio/status-history/", {"export": "csv"}))

    assert "PRJ-0002" not in sheet.column(sheet.header[0])
    assert set(sheet.column(sheet.header[0])) == {"PRJ-0001", "PRJ-0003"}
    assert set(csv_sheet.column(csv_sheet.header[0])) == {"PRJ-0001", "PRJ-0003"}
    assert client.get("/portfolio/projects/PRJ-0002/status-history/").status_code == 404


def test_the_portfolio_history_follows_the_project_lists_filters(client, world, history):
    client.force_login(world.pmo)

    by_directorate = read_csv(
        client.get(
            "/portfolio/status-history/", {"export": "csv", "directorate": world.finance.pk}, **ENGLISH
        )
    )
    red_now = read_csv(client.get("/portfolio/status-history/", {"export": "csv", "rag": "red"}, **ENGLISH))

    assert set(by_directorate.column("Project code")) == {"PRJ-0003"}
    # This week's RAG picks the projects; each keeps its whole history.
    assert by_directorate.column("Period") == [this_week().isoformat()]
    assert set(red_now.column("Project code")) == {"PRJ-0001", "PRJ-0002"}
    assert red_now.column("Project code").count("PRJ-0001") == 3


def test_a_projects_history_from_its_page(client, world, history):
    client.force_login(world.pm)

    page = client.get("/portfolio/projects/PRJ-0001/").content.decode()
    sheet = read_csv(client.get("/portfolio/projects/PRJ-0001/status-history/?export=csv", **ENGLISH))
    workbook = read_xlsx(client.get("/portfolio/projects/PRJ-0001/status-history/?export=xlsx"))

    assert 'href="/portfolio/projects/PRJ-0001/status-history/?export=csv"' in page
    assert 'href="/portfolio/projects/PRJ-0001/status-history/?export=xlsx"' in page
    assert sheet.column("Project code") == ["PRJ-0001"] * 3
    assert sheet.column("Actual cost to date")[2] == "125000.50"
    assert len(workbook.rows) == 3


def test_the_project_list_offers_the_history_of_the_filtered_projects(client, world, history):
    client.force_login(world.pmo)

    page = client.get("/portfolio/", {"state": "active", "sort": "name", "page": "1"}).content.decode()

    assert 'href="/portfolio/status-history/?state=active&amp;sort=name&amp;export=xlsx"' in page


def test_the_export_query_count_does_not_grow_with_reports(client, world, history):
    client.force_login(world.pmo)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/portfolio/status-history/", {"export": "xlsx"}).status_code == 200
        return len(captured)

    few = queries()
    for project in ProjectFactory.create_batch(5, directorate=world.it):
        for weeks in range(4):
            StatusReportFactory(project=project, weeks_ago=weeks)

    # session, user, groups (roles), the reports with their projects, directorates, portfolios, authors.
    assert queries() == few == 4


def test_the_export_without_a_kind_is_a_workbook(client, world, history):
    client.force_login(world.pmo)

    sheet = read_xlsx(client.get("/portfolio/projects/PRJ-0001/status-history/"))

    assert len(sheet.rows) == 3


@pytest.mark.parametrize("weeks", [2, 10])
def test_the_workbook_is_streamed_from_one_query_whatever_its_rows(
    client, world, django_assert_num_queries, weeks
):
    projects = ProjectFactory.create_batch(3, directorate=world.it)
    for project in projects:
        for weeks_ago in range(weeks):
            StatusReportFactory(project=project, weeks_ago=weeks_ago)
    client.force_login(world.pmo)

    # session, user, groups (roles), the reports with their projects, directorates, portfolios, authors.
    with django_assert_num_queries(4):
        response = client.get("/portfolio/status-history/", {"export": "xlsx"}, **ENGLISH)

    assert response.streaming, "sent from a temporary file, not built in memory"
    sheet = read_xlsx(response)
    assert len(sheet.rows) == 3 * weeks
    assert sheet.column("Project code") == sorted(project.code for project in projects for _ in range(weeks))
    periods = [cell.date() for cell in sheet.column("Period")[:weeks]]
    assert periods == sorted(this_week() - timedelta(weeks=n) for n in range(weeks))
