"""A project manager updates a project in the browser; others may read it but not change it."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_smoke import sign_in
from tests.factories import ProjectFactory, StatusReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en", "extra_http_headers": {"Accept-Language": "en"}}


@pytest.fixture
def project(world):
    project = ProjectFactory(
        code="PRJ-0042", name="Refonte du portail client", project_manager=world.pm, directorate=world.it
    )
    StatusReportFactory(
        project=project,
        weeks_ago=1,
        percent_complete=Decimal(30),
        actual_cost=Decimal(600000),
        submitted_by=world.pm,
    )
    return project


def test_a_project_manager_submits_the_weekly_status_and_sees_it_everywhere(
    page: Page, live_server, world, project
):
    sign_in(page, live_server.url, "pm", world.password)
    expect(page.get_by_text("PRJ-0042")).to_be_visible()

    page.get_by_role("link", name=re.compile("Update status")).first.click()
    expect(page).to_have_url(f"{live_server.url}/portfolio/projects/PRJ-0042/status/")
    page.locator("label[for=id_overall_rag_1]").click()  # amber
    page.locator("label[for=id_schedule_rag_1]").click()
    page.get_by_role("spinbutton", name="Completion*").fill("45")
    page.get_by_label("Actual cost to date").fill("910000")
    page.get_by_label("Summary").fill("Recette utilisateur décalée de deux semaines.")
    page.get_by_label("Explanation").fill("Le fournisseur livre la version 2 en retard.")
    page.get_by_role("button", name="Submit status").click()

    expect(page).to_have_url(f"{live_server.url}/portfolio/projects/PRJ-0042/")
    expect(page.get_by_role("alert").filter(has_text="Status of PRJ-0042 saved")).to_be_visible()
    expect(page.get_by_text("Recette utilisateur décalée de deux semaines.")).to_be_visible()
    page.goto(f"{live_server.url}/portfolio/?q=PRJ-0042")
    row = page.get_by_role("row").filter(has_text="PRJ-0042")
    expect(row.locator(".rag-amber")).to_be_visible()
    expect(row).to_contain_text("45")
    assert project.status_reports.latest_revisions().count() == 2  # last week's is still there


def test_another_project_manager_cannot_update_it(page: Page, live_server, world, project):
    sign_in(page, live_server.url, "other_pm", world.password)

    page.goto(f"{live_server.url}/portfolio/projects/PRJ-0042/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Refonte du portail client")
    expect(page.get_by_role("link", name=re.compile("Update status"))).to_have_count(0)
    response = page.goto(f"{live_server.url}/portfolio/projects/PRJ-0042/status/")
    assert response.status == 403


def test_an_executive_reads_the_project_but_cannot_change_it(page: Page, live_server, world, project):
    sign_in(page, live_server.url, "executive", world.password)

    page.goto(f"{live_server.url}/portfolio/projects/PRJ-0042/")
    expect(page.get_by_text("Period " + project.last_report.period_label)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Update status|Edit"))).to_have_count(0)
    assert page.goto(f"{live_server.url}/portfolio/projects/PRJ-0042/status/").status == 403
    assert page.goto(f"{live_server.url}/portfolio/projects/PRJ-0042/edit/").status == 403
