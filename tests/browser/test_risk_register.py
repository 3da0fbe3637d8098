"""A risk's life as its people play it in a browser: recorded and scored by the project manager,
re-scored, escalated by the PMO to the committee whose next agenda proposes it, and, when it
happens, turned into an issue in one step."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from risks.models import Issue, Risk
from tests.browser.test_live_meeting import ENGLISH, browser_context_args  # noqa: F401
from tests.browser.test_smoke import sign_in
from tests.factories import CommitteeFactory, ProjectFactory, planned_meeting

# Required fields are labelled with an asterisk.
TITLE = re.compile(r"^\s*Title\s*\*?\s*$")
PROBABILITY = re.compile(r"^\s*Probability\s*\*?\s*$")
IMPACT = re.compile(r"^\s*Impact\s*\*?\s*$")
COMMITTEE = re.compile(r"^\s*Committee\s*\*?\s*$")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_risk_is_scored_rescored_escalated_and_becomes_an_issue(
    page: Page, browser: Browser, live_server, world
):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    project = ProjectFactory(code="PRJ-0042", name="Refonte du portail client", project_manager=world.pm)
    committee = CommitteeFactory(code="copil-dsi", name="COPIL DSI", secretary=world.pmo, quorum=1)
    committee.scope_projects.set([project])
    meeting = planned_meeting(committee=committee, by=world.pmo, starts_at=timezone.now() + timedelta(days=3))

    # The project manager records a risk from the project's risks page: 4 x 5 is 20, critical.
    sign_in(page, live_server.url, "pm", world.password)
    page.goto(f"{live_server.url}/risks/projects/PRJ-0042/")
    page.get_by_role("link", name="Record a risk").first.click()
    page.get_by_label(TITLE).fill("Défaillance du prestataire d'hébergement")
    page.get_by_label("Cause").fill("Le prestataire perd son agrément")
    page.get_by_label(PROBABILITY).select_option("4")
    page.get_by_label(IMPACT).select_option("5")
    page.get_by_role("button", name="Record the risk").click()
    expect(page.locator("main")).to_contain_text("Défaillance du prestataire d'hébergement")
    expect(page.locator("main").get_by_text("20 Critical").first).to_be_visible()
    risk = Risk.objects.get()
    assert (risk.score, risk.owner) == (20, world.pm)

    # Re-scored after a review: the history keeps both assessments, the newest with its note.
    reassess = page.locator("details", has=page.get_by_text("Re-assess", exact=True))
    if reassess.get_attribute("open") is None:
        reassess.locator("summary").click()
    reassess.get_by_label(PROBABILITY).select_option("3")
    reassess.get_by_label("Note").fill("Un second prestataire est qualifié")
    reassess.get_by_role("button", name="Record the assessment").click()
    history = page.get_by_role("table", name="Assessment history")
    expect(history).to_contain_text("Un second prestataire est qualifié")
    expect(history.locator("tbody tr")).to_have_count(2)
    expect(page.locator("main").get_by_text("15 Critical").first).to_be_visible()

    # The PMO escalates it to the COPIL...
    pmo_context = browser.new_context(**ENGLISH)
    pmo = pmo_context.new_page()
    pmo.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in(pmo, live_server.url, "pmo", world.password)
    pmo.goto(f"{live_server.url}{risk.get_absolute_url()}")
    escalate = pmo.locator("details", has=pmo.get_by_text("Escalate to a committee", exact=True))
    escalate.locator("summary").click()
    escalate.get_by_label(COMMITTEE).select_option(label="COPIL DSI (covers this risk)")
    escalate.get_by_label("What the committee must decide").fill("Financer le plan de secours")
    escalate.get_by_role("button", name="Escalate").click()
    expect(pmo.locator("main")).to_contain_text("proposed on its next agenda")

    # ...and finds it proposed on the committee's next agenda, with its score and history, and adds it.
    pmo.goto(f"{live_server.url}/governance/meetings/{meeting.pk}/")
    proposals = pmo.locator("section", has=pmo.locator("#proposals"))
    proposal = proposals.locator("li, tr, .proposal", has_text=risk.reference).first
    expect(proposal).to_contain_text("Score 15")
    expect(proposal).to_contain_text("was 20")
    proposal.get_by_role("button", name="Add to agenda").click()
    expect(pmo.locator("#agenda-panel .agenda-item")).to_contain_text(risk.reference)
    assert risk.escalations.get().agenda_item.meeting == meeting
    pmo_context.close()

    # It happens: the project manager turns it into an issue in one step; each links to the other.
    page.reload()
    occurred = page.locator("details", has=page.get_by_text("It occurred: make it an issue", exact=True))
    occurred.locator("summary").click()
    occurred.get_by_role("button", name="Record the issue").click()
    issue = Issue.objects.get()
    expect(page).to_have_url(f"{live_server.url}{issue.get_absolute_url()}")
    expect(page.locator("main")).to_contain_text(risk.reference)
    page.get_by_role("link", name="See the risk and its history").click()
    expect(page.locator("main")).to_contain_text(issue.reference)
    risk.refresh_from_db()
    assert risk.state == Risk.State.OCCURRED and risk.issue == issue
    assert not errors, errors
