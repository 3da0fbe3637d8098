"""The dependency map in a browser: vis-network draws the graph under the Content Security Policy (no
console error), and the table below lists the same dependencies."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from portfolio.models import Milestone, ProjectDependency
from tests.browser.test_live_meeting import ENGLISH, browser_context_args  # noqa: F401
from tests.browser.test_smoke import sign_in
from tests.factories import ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_map_draws_the_graph_and_lists_its_edges(page: Page, live_server, world):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    today = timezone.localdate()
    consumer = ProjectFactory(code="DSI-010", project_manager=world.pm)
    provider = ProjectFactory(code="DF-020")
    sso = Milestone.objects.create(
        project=provider, name="SSO livré", baseline_date=today, forecast_date=today + timedelta(days=9)
    )
    ProjectDependency.objects.create(
        from_project=consumer, to_project=provider, provider_milestone=sso, needed_by=today
    )

    sign_in(page, live_server.url, "pm", world.password)
    page.goto(f"{live_server.url}/planning/dependencies/")

    expect(page.locator("#dependency-map canvas")).to_be_visible()
    table = page.get_by_role("table")
    expect(table).to_contain_text("DF-020")
    expect(table).to_contain_text("9 days late")
    assert errors == []


def test_choosing_the_provider_narrows_the_milestones_offered(page: Page, live_server, world):
    today = timezone.localdate()
    consumer = ProjectFactory(code="DSI-010", project_manager=world.pm)
    Milestone.objects.create(
        project=consumer, name="Mise en production", baseline_date=today, forecast_date=today
    )
    provider, other = ProjectFactory(code="DF-020"), ProjectFactory(code="DF-030")
    Milestone.objects.create(project=provider, name="SSO livré", baseline_date=today, forecast_date=today)
    Milestone.objects.create(project=other, name="Autre jalon", baseline_date=today, forecast_date=today)

    sign_in(page, live_server.url, "pm", world.password)
    page.goto(f"{live_server.url}/portfolio/projects/DSI-010/dependencies/new/")
    milestones = page.locator("#id_provider_milestone option")
    expect(milestones).to_have_count(3)  # the empty choice and every visible project's
    page.locator("#id_to_project").select_option(label=f"DF-020 · {provider.name}")

    expect(milestones).to_have_count(2)
    expect(page.locator("#id_provider_milestone")).to_contain_text("SSO livré")
    page.locator("#id_provider_milestone").select_option(label="DF-020 · SSO livré")
    page.locator("#id_consumer_milestone").select_option(label="Mise en production")
    page.get_by_role("button", name="Save").click()

    # Back to the consumer's plan page, where its dependencies are listed.
    expect(page).to_have_url(f"{live_server.url}/portfolio/projects/DSI-010/plan/")
    dependency = ProjectDependency.objects.get()
    assert (dependency.to_project, dependency.needed_by) == (provider, today)
