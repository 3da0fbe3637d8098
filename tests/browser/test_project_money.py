"""A project's money by month in a real Chromium: the manager types a budget into the grid and saves it
(htmx swaps the grid), then the project page draws the money panel's curves. In French and English, under
the Content Security Policy and axe-core's checks (tests/browser/conftest.py)."""

import os
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from finance.models import CostCategory, MonthlyAmount
from pmo.months import FiscalYear
from tests.browser.test_smoke import browser_context_args, sign_in  # noqa: F401  (French or English)
from tests.factories import ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("PMO_SCREENSHOTS", "")


@pytest.mark.parametrize("browser_context_args", ["fr", "en"], indirect=True)
def test_the_manager_phases_the_budget_and_the_project_page_draws_it(
    page: Page,
    live_server,
    world,
    browser_context_args,  # noqa: F811
):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it, budget=Decimal(1000))
    year = FiscalYear.of(timezone.localdate())
    # A transactional test starts from an empty database: the categories of migration 0002 again.
    capex, _new = CostCategory.objects.get_or_create(
        code="CAPEX", defaults={"name": "Investissement (CAPEX)", "name_en": "Capital (CAPEX)", "order": 1}
    )
    language = browser_context_args["locale"]
    sign_in(page, live_server.url, "pm", world.password)

    page.goto(f"{live_server.url}/finance/projects/{project.code}/money/")
    first = page.locator(f'input[name="c{capex.pk}-budget-{year.start:%Y-%m}"]')
    first.fill("600")
    page.locator(f'input[name="c{capex.pk}-budget-{year.months[1]:%Y-%m}"]').fill("400")
    page.locator("#money-grid button[type=submit]").click()
    expect(page.locator("#money-grid .alert-success")).to_be_visible()
    assert MonthlyAmount.objects.filter(project=project, kind="budget").count() == 2
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/project_money_{language}.png", full_page=True)

    page.goto(f"{live_server.url}{project.get_absolute_url()}")
    expect(page.locator('[data-chart="money-panel-figure"].is-drawn')).to_have_count(1)
    if SHOTS:
        page.locator("#money-panel-title").scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/project_money_panel_{language}.png", full_page=True)
