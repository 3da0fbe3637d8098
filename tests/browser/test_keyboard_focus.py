"""A keyboard user always sees where the focus is, and keeps it where they were working (WCAG 2.4.7, 2.4.3):
on the live page's attendance toggles after the block is swapped, on the status form's fields on a phone
(never under the sticky submit bar)."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_live_meeting import browser_context_args, meeting  # noqa: F401  (English)
from tests.browser.test_smoke import sign_in
from tests.browser.test_weekly_status import project  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTLINE = (
    "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }"
)


def test_an_attendance_toggle_shows_its_focus_and_keeps_it_once_pressed(
    page: Page,
    live_server,
    world,
    meeting,  # noqa: F811  (the live meeting's fixture)
):
    sign_in(page, live_server.url, "pmo", world.password)
    page.goto(f"{live_server.url}/governance/meetings/{meeting.pk}/live/")
    present = page.locator("#live-attendance").get_by_role("button", name="Present").first
    toggle_id = present.get_attribute("id")

    present.focus()
    page.keyboard.press("Enter")

    expect(page.locator(f"#{toggle_id}")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f"#{toggle_id}")).to_be_focused()
    assert page.evaluate(OUTLINE) == ["solid", "3px"]
    page.keyboard.press("Tab")  # the next toggle of the same member, not the page's first link
    assert page.evaluate("document.activeElement.closest('#live-attendance') !== null")


def test_on_a_phone_the_status_forms_fields_are_never_under_the_submit_bar(
    page: Page,
    live_server,
    world,
    project,  # noqa: F811  (the weekly status's fixture)
):
    page.set_viewport_size({"width": 390, "height": 700})
    sign_in(page, live_server.url, "pm", world.password)
    page.goto(f"{live_server.url}/portfolio/projects/{project.code}/status/")
    page.locator("#main").focus()

    covered = []
    for _press in range(80):
        page.keyboard.press("Tab")
        where = page.evaluate(
            """() => {
              const field = document.activeElement, bar = document.querySelector(".status-actions");
              if (!field || bar.contains(field) || field === document.body) return null;
              const box = field.getBoundingClientRect();
              return {name: field.name || field.id || field.className, bottom: box.bottom,
                      bar: bar.getBoundingClientRect().top, outline: getComputedStyle(field).outlineStyle};
            }"""
        )
        if where and (where["bottom"] > where["bar"] + 1 or where["outline"] == "none"):
            covered.append(where)

    assert covered == []
