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
