"""An action's owner marks it done from My actions without leaving the page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from governance import services
from governance.models import Action
from tests.browser.test_smoke import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en", "extra_http_headers": {"Accept-Language": "en"}}


def test_the_owner_marks_an_action_done_inline_with_a_note(page: Page, live_server, world):
    action = services.action_create(
        title="Chiffrer la phase 2",
        owner=world.pm,
        due_date=timezone.localdate() - timedelta(days=2),
        by=world.pmo,
    )
    sign_in(page, live_server.url, "pm", world.password)
    page.goto(f"{live_server.url}/governance/actions/mine/")
    row = page.locator(f"#action-{action.pk}")
    expect(row.get_by_text("Overdue")).to_be_visible()
    note = row.locator("textarea[name=note]")
    expect(note).to_be_hidden()

    row.locator("select[name=state]").select_option("done")
    expect(note).to_be_visible()
    row.get_by_role("button", name="Save").click()
    expect(row.get_by_text("Say in a few words what was done.")).to_be_visible()
    row.locator("textarea[name=note]").fill("Chiffrage envoyé.")
    row.get_by_role("button", name="Save").click()

    expect(row.get_by_text("Saved")).to_be_visible()
    expect(row.get_by_text("Overdue")).to_have_count(0)
    assert page.url.endswith("/governance/actions/mine/"), "the page was not reloaded"
    action.refresh_from_db()
    assert action.state == Action.State.DONE and action.completion_note == "Chiffrage envoyé."
