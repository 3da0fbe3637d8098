"""An executive reads the portfolio dashboard in a real Chromium: drills from the red tile to the red
projects, comes back, and looks at the portfolio as it stood at the end of last week."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from portfolio.models import Rag
from portfolio.models.status import period_of
from tests.browser.test_live_meeting import browser_context_args  # noqa: F401  (English)
from tests.browser.test_smoke import sign_in
from tests.reporting.builders import build_portfolio, computed_kpi

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_executive_drills_from_the_red_tile_and_looks_back_a_week(page: Page, live_server, world):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    today = timezone.localdate()
    this_week = period_of(today)
    last_sunday = this_week - timedelta(days=1)
    # Ten projects: one red last week, three red this week (projects 0, 3 and 6).
    build_portfolio(
        count=10,
        weeks=2,
        today=today,
        directorate=world.it,
        rag=lambda index, week: (
            Rag.RED if index in (0, 3, 6) and (week == this_week or index == 0) else Rag.GREEN
        ),
    )
    computed_kpi("rag_red_share", order=1)
    computed_kpi("rag_green_share", order=2)

    sign_in(page, live_server.url, "executive", world.password)

    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfolio dashboard")
    red_tile = page.locator("[data-kpi=rag-red-share]")
    expect(red_tile.locator(".kpi-value")).to_have_text("30.0\N{NO-BREAK SPACE}%")
    expect(page.locator(".chart.is-drawn")).to_have_count(5)  # Plotly, served by the app, drew every chart

    red_tile.click()

    expect(page).to_have_url(re.compile(r"/dashboard/projects/\?rag=red$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Active projects as at")
    expect(page.locator(".list-count-number")).to_have_text("3")  # 30 % of the 10 active projects
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("BLK-0000")
    expect(rows.first).to_contain_text("Red")

    page.go_back()
    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    page.get_by_label("As at").fill(last_sunday.isoformat())
    page.get_by_role("button", name="Show").click()

    expect(page).to_have_url(re.compile(rf"as_at={last_sunday.isoformat()}"))
    expect(page.locator("#as-at")).to_contain_text(f"Portfolio as at {last_sunday.day} ")
    expect(page.locator("#as-at")).to_contain_text(f"week {last_sunday.isocalendar()[0]}-W")
    expect(red_tile.locator(".kpi-value")).to_have_text("10.0\N{NO-BREAK SPACE}%")
    expect(page.locator("[data-kpi=rag-green-share] .kpi-value")).to_have_text("90.0\N{NO-BREAK SPACE}%")
    red_tile.click()
    expect(page.locator(".list-count-number")).to_have_text("1")
    assert errors == []
