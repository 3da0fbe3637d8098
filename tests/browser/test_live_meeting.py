"""The PMO runs a committee on the projector; a member following on another screen sees it happen."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from governance import services
from governance.models import Action, AgendaItem, Attendance, Decision
from tests.browser.test_smoke import sign_in
from tests.factories import CommitteeFactory, ProjectFactory, planned_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENGLISH = {"locale": "en", "extra_http_headers": {"Accept-Language": "en"}}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **ENGLISH}


@pytest.fixture
def meeting(world):
    committee = CommitteeFactory(name="COPIL Transformation", members=[world.member], quorum=1)
    project = ProjectFactory(code="PRJ-0042", name="Refonte du portail client", directorate=world.it)
    meeting = planned_meeting(committee=committee, by=world.pmo, title="COPIL de mars")
    services.agenda_add(
        meeting=meeting, title="Revue du portail", kind=AgendaItem.Kind.PROJECT_REVIEW, project=project
    )
    services.agenda_add(meeting=meeting, title="Questions diverses")
    services.meeting_start(meeting=meeting, by=world.pmo)
    return meeting


def assign_action(page: Page, title: str, owner: str, due: str) -> None:
    page.get_by_role("button", name="Assign an action").click()
    page.locator("#id_action-title").fill(title)
    page.locator("#id_action-owner").select_option(label=owner)
    page.locator("#id_action-due_date").fill(due)
    page.get_by_role("button", name="Assign the action").click()
    expect(page.locator("#live-actions").get_by_text(title)).to_be_visible()


def test_the_pmo_records_the_meeting_and_a_member_sees_it_without_reloading(
    page: Page, browser: Browser, live_server, world, meeting
):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    live = f"{live_server.url}/governance/meetings/{meeting.pk}/live/"
    sign_in(page, live_server.url, "pmo", world.password)
    page.goto(live)
    expect(page.get_by_role("heading", level=2, name="Revue du portail")).to_be_visible()

    member_context = browser.new_context(**ENGLISH)
    follower = member_context.new_page()
    sign_in(follower, live_server.url, "member", world.password)
    follower.goto(live)
    expect(follower.get_by_role("heading", level=2, name="Revue du portail")).to_be_visible()
    expect(follower.get_by_role("button", name="Record a decision")).to_have_count(0)

    # Attendance: the member is present, the quorum is reached.
    toggles = page.get_by_role("group", name=f"Attendance of {world.member}")
    present = toggles.get_by_role("button", name="Present", exact=True)
    present.click()
    expect(present).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".live-quorum")).to_contain_text("Quorum 1 / 1")

    # A decision, recorded inline: the form resets, the list grows.
    page.get_by_role("button", name="Record a decision").click()
    page.locator("#id_decision-title").fill("Reporter la mise en production")
    page.locator("#id_decision-outcome").select_option("approved")
    page.locator("#id_decision-rationale").fill("La recette n'est pas terminée.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#live-decisions").get_by_text("Reporter la mise en production")).to_be_visible()
    expect(page.locator("#id_decision-title")).to_be_hidden()

    # Two actions.
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    assign_action(page, "Planifier la recette", str(world.member), due)
    assign_action(page, "Relancer le fournisseur", str(world.pm), due)

    # The member's screen follows, without reloading.
    expect(follower.locator("#live-decisions").get_by_text("Reporter la mise en production")).to_be_visible(
        timeout=10000
    )
    expect(follower.locator("#live-actions").get_by_text("Relancer le fournisseur")).to_be_visible(
        timeout=10000
    )
    expect(follower.locator(".live-quorum")).to_contain_text("Quorum 1 / 1", timeout=10000)

    # The PMO moves on; both screens show the next item.
    page.get_by_role("button", name=re.compile("Next")).click()
    expect(page.get_by_role("heading", level=2, name="Questions diverses")).to_be_visible()
    expect(follower.get_by_role("heading", level=2, name="Questions diverses")).to_be_visible(timeout=10000)

    decision = Decision.objects.get()
    assert decision.project.code == "PRJ-0042"
    assert Action.objects.filter(meeting=meeting).count() == 2
    assert Attendance.objects.get(meeting=meeting, user=world.member).status == "present"
    member_context.close()
    assert errors == []


def test_typing_in_a_form_survives_changes_made_on_another_screen(
    page: Page, browser: Browser, live_server, world, meeting
):
    live = f"{live_server.url}/governance/meetings/{meeting.pk}/live/"
    sign_in(page, live_server.url, "pmo", world.password)
    page.goto(live)
    page.get_by_role("button", name="Record a decision").click()
    page.locator("#id_decision-title").fill("Texte en cours de saisie")

    # Someone else (the secretary's laptop) records an action meanwhile.
    services.action_create(
        meeting=meeting,
        title="Action d'un autre écran",
        owner=world.member,
        due_date=timezone.localdate(),
        by=world.pmo,
    )

    expect(page.locator("#live-actions").get_by_text("Action d'un autre écran")).to_be_visible(timeout=10000)
    expect(page.locator("#id_decision-title")).to_have_value("Texte en cours de saisie")
