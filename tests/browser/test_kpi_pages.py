"""The PMO defines a computed KPI in a browser: picking its function fills in what the function
fixes and suggests; the KPI's page draws its history; choosing a scope shows it at once."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from reporting.models import Kpi, Measurement
from tests.browser.test_live_meeting import browser_context_args  # noqa: F401
from tests.browser.test_smoke import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_pmo_defines_a_computed_kpi_and_reads_its_history_by_scope(page: Page, live_server, world):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    staff = Kpi.objects.create(
        code="staff", name="ETP", name_en="Staff on projects", unit="count", scope="directorate"
    )
    last = staff.period_of(timezone.localdate()).previous()
    for period in last.last(3):
        Measurement.objects.create(kpi=staff, directorate=world.it, period=period.start, value=Decimal(40))
        Measurement.objects.create(
            kpi=staff, directorate=world.finance, period=period.start, value=Decimal(12)
        )

    sign_in(page, live_server.url, "pmo", world.password)
    page.goto(f"{live_server.url}/dashboard/kpis/new/")
    expect(page.locator("[data-kpi-function]")).to_be_hidden()  # a manual KPI has no function
    page.get_by_label(re.compile(r"^\s*Code")).fill("cpi")
    page.get_by_label(re.compile(r"^\s*Name \(French\)")).fill("Performance des coûts")
    page.get_by_label(re.compile(r"^\s*Name \(English\)")).fill("Cost performance")
    page.get_by_label(re.compile(r"^\s*Source")).select_option("computed")
    page.get_by_label("Computed by").select_option("portfolio_cpi")
    # The function's unit, direction, frequency and usual levels are filled in.
    expect(page.get_by_label(re.compile(r"^\s*Unit"))).to_have_value("index")
    expect(page.get_by_label(re.compile(r"^\s*Direction"))).to_have_value("higher")
    expect(page.get_by_label("Amber threshold")).to_have_value("0.95")
    page.get_by_role("button", name="Create the KPI").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Cost performance")
    kpi = Kpi.objects.get(code="cpi")
    assert (kpi.unit, kpi.direction, kpi.amber_threshold, kpi.red_threshold) == (
        "index",
        "higher",
        Decimal("0.95"),
        Decimal("0.85"),
    )

    page.goto(f"{live_server.url}/dashboard/kpis/staff/")
    expect(page.locator(".kpi-chart.is-drawn")).to_be_visible()
    page.get_by_label("Scope", exact=True).select_option(label=f"{world.finance.name} ({world.finance.code})")
    expect(page).to_have_url(re.compile(rf"scope=d{world.finance.pk}"))
    expect(page.locator("#measurements tbody tr")).to_have_count(3)
    expect(page.locator(".kpi-chart.is-drawn")).to_be_visible()
    assert errors == []
