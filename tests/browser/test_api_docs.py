"""The API's documentation page in a real Chromium, under a strict Content Security Policy (no
'unsafe-inline' for scripts or styles), fetching nothing from outside the app."""

import re

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.test_smoke import sign_in
from tests.factories import ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)


def with_strict_policy(route: Route) -> None:
    """Every answer of the API with a policy stricter than the app's (which allows inline styles):
    the documentation page needs neither inline scripts nor inline styles. The browser tests' own
    fixture fails the test on any policy violation."""
    response = route.fetch()
    route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT})


def test_the_documentation_lists_the_operations_under_a_strict_policy(page: Page, live_server, world):
    ProjectFactory(code="PRJ-0042", project_manager=world.pm)
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on(
        "request",
        lambda request: None if request.url.startswith(live_server.url) else outside.append(request.url),
    )
    sign_in(page, live_server.url, "pm", world.password)
    page.route(re.compile(re.escape(live_server.url) + "/api/.*"), with_strict_policy)

    response = page.goto(f"{live_server.url}/api/docs/")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("PMO Governance API")
    expect(page.get_by_text("/api/projects/{code}/status-reports/")).to_be_visible()
    page.locator(".opblock-summary-path", has_text=re.compile(r"^/api/projects/$")).first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    # Swagger UI calls the API with the session: the manager's project comes back.
    expect(page.locator(".responses-wrapper .live-responses-table")).to_contain_text("PRJ-0042")
    assert errors == [], errors
    assert outside == [], outside
    # Stricter than the app's own policy (no inline style either), and in force on the page.
    assert response.headers["content-security-policy"] == STRICT
