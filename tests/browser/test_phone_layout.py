"""On a phone (390 px wide) the main pages reflow: nothing scrolls sideways (WCAG 1.4.10), in French and in
English, on a demo portfolio (long names, tables, charts). axe-core checks each page as well (conftest)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import Page

from governance import services
from governance.models import Meeting
from portfolio.models import Project
from risks.models import Risk
from tests.browser.test_smoke import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390
DEMO_PASSWORD = "demo"


@pytest.fixture
def browser_context_args(browser_context_args, request):
    language = getattr(request, "param", "fr")
    return {
        **browser_context_args,
        "viewport": {"width": PHONE, "height": 844},
        "locale": language,
        "extra_http_headers": {"Accept-Language": language},
    }


@pytest.fixture
def demo():
    call_command("seed_demo", "--projects", "12", stdout=StringIO())
    meeting = Meeting.objects.filter(state=Meeting.State.PLANNED).first()
    pmo = get_user_model().objects.get(username="pmo")
    services.meeting_start(meeting=meeting, by=pmo)
    return meeting


def overflowing(page: Page, base: str, paths: list[str]) -> dict[str, int]:
    """The pages wider than the phone, and their width."""
    wide = {}
    for path in paths:
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE:
            wide[path] = width
    return wide


@pytest.mark.parametrize("browser_context_args", ["fr", "en"], indirect=True)
def test_the_pmos_pages_fit_a_phone(page: Page, live_server, demo, browser_context_args):
    project = Project.objects.filter(state=Project.State.ACTIVE).order_by("code").first()
    risk = Risk.objects.order_by("reference").first()
    sign_in(page, live_server.url, "pmo", DEMO_PASSWORD)

    wide = overflowing(
        page,
        live_server.url,
        [
            "/dashboard/",
            "/portfolio/",
            project.get_absolute_url(),
            "/risks/",
            "/risks/heatmap/",
            risk.get_absolute_url(),
            "/dashboard/kpis/",
            "/dashboard/projects/",
            "/dashboard/milestones/",
            "/dashboard/reports/",
            "/governance/committees/",
            demo.get_absolute_url(),
            f"/governance/meetings/{demo.pk}/live/",
            "/governance/decisions/",
            "/governance/actions/",
        ],
    )

    assert wide == {}, "these pages scroll sideways on a 390 px phone"


@pytest.mark.parametrize("browser_context_args", ["fr", "en"], indirect=True)
def test_the_project_managers_pages_and_status_form_fit_a_phone(
    page: Page, live_server, demo, browser_context_args
):
    project = Project.objects.filter(project_manager__username="pm1", state=Project.State.ACTIVE).first()
    sign_in(page, live_server.url, "pm1", DEMO_PASSWORD)

    wide = overflowing(
        page,
        live_server.url,
        [
            "/portfolio/mine/",
            project.get_absolute_url(),
            f"{project.get_absolute_url()}status/",
            "/governance/actions/mine/",
        ],
    )

    assert wide == {}, "these pages scroll sideways on a 390 px phone"
