"""A whole committee, as the PMO plays it: plan, prepare from the exceptions, run live, close.

A member follows on a second screen; after the close the decision is part of
the record and the actions wait in their owners' *My actions*.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from governance.models import Decision, Meeting
from portfolio.models import Rag
from tests.browser.test_live_meeting import ENGLISH, assign_action, browser_context_args  # noqa: F401
from tests.browser.test_smoke import sign_in
from tests.factories import CommitteeFactory, ProjectFactory, StatusReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def copil(world):
    """The IT steering committee: `member` votes; in its scope one red project and one green."""
    committee = CommitteeFactory(
        code="copil-dsi",
        name="COPIL DSI",
        chair=world.executive,
        secretary=world.pmo,
        scope_directorate=world.it,
        members=[world.member],
        quorum=1,
    )
    for code, name, rag in [
        ("PRJ-0042", "Refonte du portail client", Rag.RED),
        ("PRJ-0043", "Paie", Rag.GREEN),
    ]:
        project = ProjectFactory(code=code, name=name, directorate=world.it, project_manager=world.pm)
        StatusReportFactory(project=project, rag=rag, summary=f"Point de la semaine sur {name}")
    return committee


def test_the_pmo_runs_a_whole_committee(page: Page, browser: Browser, live_server, world, copil):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in(page, live_server.url, "pmo", world.password)

    # Plan the meeting from the committee's page.
    page.goto(f"{live_server.url}/governance/committees/copil-dsi/")
    page.get_by_role("link", name="Plan a meeting").click()
    starts = timezone.localtime() + timedelta(days=1)
    page.get_by_label("Date and time").fill(starts.strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Place").fill("Salle du conseil")
    page.get_by_role("button", name="Plan the meeting").click()

    # Prepare it: the red project is proposed, the green one is not; accept it and add an own item.
    proposals = page.locator("section", has=page.locator("#proposals"))
    expect(proposals).to_contain_text("PRJ-0042")
    expect(proposals).not_to_contain_text("PRJ-0043")
    proposals.get_by_role("button", name="Add to agenda").first.click()
    agenda = page.locator("#agenda-panel .agenda-item")
    expect(agenda).to_contain_text("PRJ-0042")
    own_item = page.locator("section", has=page.locator("#add-title"))
    own_item.get_by_label("Title").fill("Questions diverses")
    own_item.get_by_label("Kind").select_option(label="Any other business")
    own_item.get_by_role("button", name="Add to agenda").click()
    expect(agenda.nth(1)).to_contain_text("Questions diverses")

    # Start it: the live page shows the first item, the red project's status.
    page.get_by_role("button", name="Start the meeting").click()
    expect(page.locator("#live-item-title")).to_contain_text("PRJ-0042")
    expect(page.locator("main")).to_contain_text("Point de la semaine sur Refonte du portail client")
    meeting = Meeting.objects.get()
    live = f"{live_server.url}/governance/meetings/{meeting.pk}/live/"

    # A member follows on a second screen.
    member_context = browser.new_context(**ENGLISH)
    follower = member_context.new_page()
    sign_in(follower, live_server.url, "member", world.password)
    follower.goto(live)
    expect(follower.locator("#live-item-title")).to_contain_text("PRJ-0042")

    # Attendance, a decision and two actions, recorded on the live page.
    page.get_by_role("group", name=f"Attendance of {world.member}").get_by_role(
        "button", name="Present", exact=True
    ).click()
    expect(page.locator(".live-quorum")).to_contain_text("Quorum 1 / 1")
    page.get_by_role("button", name="Record a decision").click()
    page.locator("#id_decision-title").fill("Reporter la mise en production de deux semaines")
    page.locator("#id_decision-outcome").select_option("approved")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#live-decisions")).to_contain_text("Reporter la mise en production")
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    assign_action(page, "Replanifier la recette", str(world.pm), due)
    assign_action(page, "Informer les métiers", str(world.member), due)

    # The second screen sees the decision appear without reloading.
    expect(follower.locator("#live-decisions")).to_contain_text(
        "Reporter la mise en production", timeout=10000
    )
    member_context.close()

    # Close the meeting.
    page.get_by_role("button", name="Close the meeting").first.click()
    page.locator("#live-close-modal").get_by_role("button", name="Close the meeting").click()
    expect(page.locator("main")).to_contain_text("Reporter la mise en production")
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.CLOSED

    # The decision is part of the record: no edit, only a correction; a forced edit changes nothing.
    decision = Decision.objects.get()
    page.goto(f"{live_server.url}{decision.get_absolute_url()}")
    expect(page.get_by_text("Frozen: record a correction to change it.")).to_be_visible()
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    expect(page.get_by_role("link", name="Record a correction")).to_be_visible()
    page.goto(f"{live_server.url}/governance/decisions/{decision.reference}/edit/")
    expect(page).to_have_url(f"{live_server.url}{decision.get_absolute_url()}")
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    decision.refresh_from_db()
    assert decision.title == "Reporter la mise en production de deux semaines"

    # Each owner finds their action in My actions.
    for who, title in [("pm", "Replanifier la recette"), ("member", "Informer les métiers")]:
        context = browser.new_context(**ENGLISH)
        owner_page = context.new_page()
        sign_in(owner_page, live_server.url, who, world.password)
        owner_page.goto(f"{live_server.url}/governance/actions/mine/")
        expect(owner_page.locator("main")).to_contain_text(title)
        context.close()
    assert errors == []
