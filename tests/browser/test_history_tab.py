"""The History tab as a reader uses it: opened from the project's page (or a link to #history), it
loads the changes without reloading the page, newest first, and the older ones on request; the
Overview is one click away. Under the Content Security Policy (see conftest)."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_live_meeting import browser_context_args  # noqa: F401
from tests.browser.test_smoke import sign_in
from tests.factories import ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_history_tab_loads_in_place_and_shows_older_changes_on_request(page: Page, live_server, world):
    project = ProjectFactory(code="PRJ-0042", name="Nom 0", project_manager=world.pm, directorate=world.it)
    for number in range(1, 25):
        project.name = f"Nom {number}"
        project._history_user = world.pmo
        project.save()
    sign_in(page, live_server.url, "pmo", world.password)
    page.goto(f"{live_server.url}/portfolio/projects/PRJ-0042/")
    history = page.locator("#history-pane")
    expect(page.get_by_role("heading", name="Earned value")).to_be_visible()
    expect(history).to_be_hidden()

    page.get_by_role("tab", name="History").click()
    expect(history).to_contain_text(f"{world.pmo} changed Name from “Nom 23” to “Nom 24”")
    expect(page.get_by_role("heading", name="Earned value")).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/PRJ-0042/#history$"))
    entries = history.locator(".history-entry")
    expect(entries).to_have_count(20)
    expect(history).not_to_contain_text("created the project")

    history.get_by_role("link", name="Show older changes").click()
    expect(entries).to_have_count(25)
    expect(history).to_contain_text("created the project")
    expect(history.get_by_role("link", name="Show older changes")).to_have_count(0)
    assert page.url.endswith("/PRJ-0042/#history")  # swapped in place, not a new page

    page.get_by_role("tab", name="Overview").click()
    expect(page.get_by_role("heading", name="Earned value")).to_be_visible()

    # A link to the tab opens it.
    page.goto(f"{live_server.url}/portfolio/projects/PRJ-0042/#history")
    expect(history).to_contain_text("from “Nom 23” to “Nom 24”")
