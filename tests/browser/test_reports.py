"""The PMO asks for a report in a real Chromium, watches its state change from waiting to being built to
ready without reloading the page, and downloads the PDF."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from reporting import reports as services
from reporting.models import Report
from reporting.periods import Frequency, Period
from reporting.report_forms import period_value
from tests.browser.test_live_meeting import browser_context_args  # noqa: F401  (English)
from tests.browser.test_smoke import sign_in
from tests.factories import ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def held(monkeypatch) -> list[int]:
    """Reports asked for wait in the queue until the test builds them (the live server runs in this
    process), so that each state can be seen on the page."""
    sent: list[int] = []

    def enqueue(report: Report) -> None:
        sent.append(report.pk)
        Report.objects.filter(pk=report.pk).update(sent=True)  # as a broker that answered

    monkeypatch.setattr(services, "enqueue", enqueue)
    return sent


def test_the_pmo_generates_a_report_and_sees_it_become_ready(
    page: Page, live_server, world, held, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.REPORT_CHARTS = False
    ProjectFactory.create_batch(3, directorate=world.it)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    last_week = Period.containing(Frequency.WEEKLY, timezone.localdate()).previous()

    sign_in(page, live_server.url, "pmo", world.password)
    page.get_by_role("main").get_by_role("link", name="Reports").click()  # the dashboard's header
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    page.get_by_role("link", name="Generate a report").first.click()

    last_month = Period.containing(Frequency.MONTHLY, timezone.localdate()).previous()
    expect(page.get_by_label("Period")).to_have_value(period_value(last_month))
    page.get_by_role("combobox", name=re.compile(r"^Report")).select_option("weekly")
    # The period chooser follows the kind: htmx brings the weeks, the last ended one chosen.
    expect(page.get_by_label("Period")).to_have_value(period_value(last_week))
    page.get_by_label("Directorate").select_option(label=world.it.name)
    page.get_by_role("button", name="Generate", exact=True).click()

    expect(page).to_have_url(re.compile(r"/dashboard/reports/\d+/$"))
    report = Report.objects.get()
    assert (report.kind, report.period, report.directorate) == ("weekly", last_week.start, world.it)
    state = page.locator("#report-state")
    expect(state).to_contain_text("Waiting")
    page.evaluate("window.notReloaded = true")

    Report.objects.filter(pk=report.pk).update(state=Report.State.RUNNING, started_at=timezone.now())
    expect(state).to_contain_text("Being built")
    services.report_build(report.pk)
    expect(state).to_contain_text("Ready")
    assert page.evaluate("window.notReloaded") is True
    expect(state).not_to_have_attribute("hx-trigger", re.compile("."))  # polling stopped

    with page.expect_download() as download_info:
        state.get_by_role("link", name="Download the PDF").click()
    download = download_info.value
    assert download.suggested_filename == Report.objects.get().filename()
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    assert errors == []
