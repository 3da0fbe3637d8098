"""A project manager keeps the plan in the browser: rows edited in place with the keyboard (htmx)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from portfolio.models import Milestone
from tests.browser.test_smoke import sign_in
from tests.factories import ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en", "extra_http_headers": {"Accept-Language": "en"}}


def day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


def test_a_project_manager_keeps_the_plan_with_the_keyboard(page: Page, live_server, world):
    project = ProjectFactory(
        code="PRJ-0042", name="Portail client", project_manager=world.pm, directorate=world.it
    )
    sign_in(page, live_server.url, "pm", world.password)
    page.goto(f"{live_server.url}{project.get_absolute_url()}")
    page.get_by_role("link", name="Plan", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/portfolio/projects/PRJ-0042/plan/")
    # The URL changes before the deferred scripts run: Enter pressed earlier posts the form without htmx.
    page.wait_for_load_state()

    table = page.locator("#plan-milestones")
    for offset, name in enumerate(["Cadrage", "Recette", "Mise en production"]):
        add = page.locator("#milestone-new")
        add.get_by_label("Name").fill(name)
        add.get_by_label("Baseline date").fill(day(10 * offset + 10))
        add.get_by_label("Forecast date").fill(day(10 * offset + 10))
        add.get_by_label("Name").press("Enter")
        expect(table.locator("tbody.milestone-row").nth(offset)).to_contain_text(name)
        # The add row is ready for the next one.
        expect(page.locator("#milestone-new").get_by_label("Name")).to_be_focused()

    # Edit in place: Enter saves.
    table.get_by_role("link", name="Edit “Recette”").click()
    name = table.locator("tbody[data-plan-editor]").get_by_label("Name")
    expect(name).to_be_focused()
    name.fill("Recette utilisateur")
    name.press("Enter")
    expect(table.get_by_role("rowheader", name="Recette utilisateur")).to_be_visible()
    expect(table.get_by_role("link", name="Edit “Recette utilisateur”")).to_be_focused()

    # Escape cancels.
    table.get_by_role("link", name="Edit “Cadrage”").click()
    editor = table.locator("tbody[data-plan-editor]").get_by_label("Name")
    editor.fill("Perdu")
    editor.press("Escape")
    expect(table.locator("tbody[data-plan-editor]")).to_have_count(0)
    expect(table.get_by_role("rowheader", name="Cadrage")).to_be_visible()
    # The focus back on the row's edit link (once htmx has settled, before the next key is pressed).
    expect(table.get_by_role("link", name="Edit “Cadrage”")).to_be_focused()

    # Reorder with the keyboard.
    up = table.get_by_role("button", name="Move “Mise en production” up")
    up.focus()
    page.keyboard.press("Enter")
    expect(table.locator("tbody.milestone-row").nth(1)).to_contain_text("Mise en production")
    expect(table.get_by_role("button", name="Move “Mise en production” up")).to_be_focused()

    # Delete, with a reason.
    table.get_by_role("link", name="Delete “Cadrage”").click()
    table.get_by_role("button", name="Delete").click()
    expect(table.get_by_text("Say why the milestone is deleted")).to_be_visible()
    table.get_by_label("Reason for deleting").fill("Fusionné avec la recette")
    table.get_by_role("button", name="Delete").click()
    expect(table.locator("tbody.milestone-row")).to_have_count(2)
    expect(table).not_to_contain_text("Cadrage")

    assert list(
        Milestone.objects.filter(project=project).order_by("position").values_list("name", flat=True)
    ) == [
        "Mise en production",
        "Recette utilisateur",
    ]
    page.goto(f"{live_server.url}{project.get_absolute_url()}#history")
    expect(page.locator("#history-pane")).to_contain_text(re.compile("removed the milestone “Cadrage”"))
    expect(page.locator("#history-pane")).to_contain_text("Fusionné avec la recette")
