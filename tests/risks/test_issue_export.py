"""The issue list as a spreadsheet: the filtered list, every page, without a confidential project's
issues for those who may not see the project."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from risks.models import Issue
from risks.services import risk_occurred
from tests.factories import ProjectFactory, make_risk
from tests.risks.test_issue_pages import new_issue
from tests.spreadsheets import assert_dates, read_csv, read_xlsx

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def issues(world):
    mine = ProjectFactory(code="PRJ-0200", project_manager=world.pm, directorate=world.it)
    secret = ProjectFactory(code="PRJ-0300", project_manager=world.other_pm, confidential=True)
    late = new_issue(mine, world.pm, title="+33 serveur", due_date=date.today() - timedelta(days=2))
    risk = make_risk(project=mine, title="Fournisseur")
    occurred = risk_occurred(
        risk=risk, by=world.pm, title="Fournisseur défaillant", severity="high", owner=world.pm
    )
    hidden = new_issue(secret, world.other_pm, title="Secret", severity=Issue.Severity.CRITICAL)
    return late, occurred, hidden


def test_the_issue_list_exports_typed_cells(client, world, issues):
    late, occurred, hidden = issues
    client.force_login(world.pmo)

    sheet = read_xlsx(client.get("/risks/issues/", {"export": "xlsx"}, **EN))

    rows = {row["Reference"]: row for row in sheet.records()}
    assert set(rows) == {late.reference, occurred.reference, hidden.reference}
    assert rows[late.reference]["Title"] == "'+33 serveur"
    assert rows[late.reference]["Overdue"] == "Yes"
    assert rows[late.reference]["Project or home"] == "PRJ-0200 " + late.project.name
    assert rows[occurred.reference]["Came from risk"] == occurred.risk.reference
    assert rows[occurred.reference]["Severity"] == "High"
    assert_dates(sheet, "Due date", "Created")


def test_the_export_keeps_the_filters_and_leaves_out_what_the_reader_may_not_see(client, world, issues):
    late, occurred, hidden = issues
    client.force_login(world.member)

    everything = read_xlsx(client.get("/risks/issues/", {"export": "xlsx"}, **EN))
    high = read_csv(client.get("/risks/issues/", {"export": "csv", "severity": "high"}, **EN))

    assert hidden.reference not in everything.column("Reference")
    assert set(everything.column("Reference")) == {late.reference, occurred.reference}
    assert high.column("Reference") == [occurred.reference]


def test_the_list_offers_the_export_with_its_filters(client, world, issues):
    client.force_login(world.pm)

    page = client.get("/risks/issues/", {"severity": "high", "page": "1"}).content.decode()

    assert 'href="?severity=high&amp;export=csv"' in page
    assert 'href="?severity=high&amp;export=xlsx"' in page


def test_the_export_query_count_does_not_grow_with_issues(client, world, issues):
    client.force_login(world.pmo)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/risks/issues/", {"export": "xlsx"}).status_code == 200
        return len(captured)

    few = queries()
    project = ProjectFactory(project_manager=world.pm)
    for number in range(10):
        new_issue(project, world.pm, title=f"Issue {number}")

    # session, user, groups, the filter's owners and projects are not read (the form is not drawn):
    # the issues with their projects, homes, owners and risks in one query.
    assert queries() == few == 4
