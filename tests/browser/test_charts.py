"""The dashboard's charts in a real Chromium: pictures with no controls inside (no Plotly mode bar, whose
buttons sat focusable inside role="img" and spoke English), drawn in the page's language."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.test_smoke import browser_context_args, sign_in  # noqa: F401  (French or English)
from tests.reporting.builders import build_portfolio

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("browser_context_args", ["fr", "en"], indirect=True)
def test_the_charts_have_no_controls_and_speak_the_pages_language(
    page: Page,
    live_server,
    world,
    browser_context_args,  # noqa: F811
):
    build_portfolio(count=6, weeks=2, today=timezone.localdate(), directorate=world.it)
    sign_in(page, live_server.url, "pmo", world.password)

    page.goto(f"{live_server.url}/dashboard/")

    expect(page.locator("[data-chart].is-drawn")).to_have_count(5)
    assert page.locator(".modebar, .modebar-btn").count() == 0
    assert page.locator("[role=img] a, [role=img] button").count() == 0
    locales = page.evaluate("Array.from(document.querySelectorAll('[data-chart]'), (c) => c._context.locale)")
    assert set(locales) == {browser_context_args["locale"]}
