"""Issue 19's story, through the pages: the PM keeps the plan, the go-live slips six weeks and the budget 10 %
beyond tolerance, the COPIL approves the change in its live meeting, the project moves to baseline v2 and a
consumer project whose dependency the change broke turns red and is proposed to its own committee.

Set-up (users, projects, committees, meetings, the consumer's dependency) uses factories; every step a user
takes is done in the browser, each followed by what that user sees."""

from datetime import timedelta

import pytest
from django.utils import formats, timezone
from playwright.sync_api import Browser, Page, expect

from planning.models import ChangeRequest
from portfolio.models import Milestone, Phase, ProjectDependency
from tests.browser.test_live_meeting import ENGLISH, browser_context_args  # noqa: F401
from tests.browser.test_smoke import sign_in
from tests.factories import CommitteeFactory, ProjectFactory, planned_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIX_WEEKS = timedelta(weeks=6)


def short(day) -> str:
    """A date as the English pages show it (SHORT_DATE_FORMAT)."""
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def add_milestone(page: Page, name: str, on) -> None:
    add = page.locator("#milestone-new")
    add.get_by_label("Name").fill(name)
    add.get_by_label("Baseline date").fill(on.isoformat())
    add.get_by_label("Forecast date").fill(on.isoformat())
    add.get_by_label("Name").press("Enter")
    expect(page.locator("#plan-milestones tbody.milestone-row").filter(has_text=name)).to_have_count(1)


def test_a_change_beyond_tolerance_goes_through_the_copil_and_breaks_a_consumer(
    page: Page, browser: Browser, live_server, world
):
    copil = CommitteeFactory(
        code="copil-dsi", name="COPIL DSI", scope_directorate=world.it, members=[world.member], quorum=1
    )
    consumer_committee = CommitteeFactory(code="copil-df", name="COPIL DF", scope_directorate=world.finance)
    project = ProjectFactory(
        code="PRJ-0042",
        name="Refonte du portail client",
        directorate=world.it,
        project_manager=world.pm,
        # A transactional test's database may have lost the migrations' phases to an earlier test's flush.
        phase=Phase.objects.get_or_create(
            name_en="Build", defaults={"name": "Réalisation", "order": 30, "takes_baseline": True}
        )[0],
    )
    consumer = ProjectFactory(
        code="PRJ-0077", name="Facturation unifiée", directorate=world.finance, project_manager=world.other_pm
    )
    old_end, budget = project.baseline_end, project.budget
    new_end = old_end + SIX_WEEKS
    base = live_server.url

    # 1. The PM keeps the plan: three milestones, one deleted with a reason (kept in the History tab).
    sign_in(page, base, "pm", world.password)
    page.goto(f"{base}/portfolio/projects/PRJ-0042/plan/")
    today = timezone.localdate()
    add_milestone(page, "Cadrage", today + timedelta(days=10))
    add_milestone(page, "Recette", old_end - timedelta(days=30))
    add_milestone(page, "Mise en production", old_end)
    table = page.locator("#plan-milestones")
    table.get_by_role("link", name="Delete “Cadrage”").click()
    table.get_by_label("Reason for deleting").fill("Fusionné avec la recette")
    table.get_by_role("button", name="Delete").click()

    expect(table.locator("tbody.milestone-row")).to_have_count(2)
    expect(table).not_to_contain_text("Cadrage")
    page.goto(f"{base}/portfolio/projects/PRJ-0042/#history")
    expect(page.locator("#history-pane")).to_contain_text("removed the milestone “Cadrage”")
    expect(page.locator("#history-pane")).to_contain_text("Fusionné avec la recette")

    # The PMO takes baseline v1 of the project already under way; another PM's project needs its go-live a
    # fortnight after that date (accepted by the provider).
    go_live = Milestone.objects.get(project=project, name="Mise en production")
    dependency = ProjectDependency.objects.create(
        from_project=consumer,
        to_project=project,
        provider_milestone=go_live,
        needed_by=old_end + timedelta(days=14),
        accepted_by=world.pm,
        accepted_at=timezone.now(),
        created_by=world.other_pm,
    )
    consumer_context = browser.new_context(**ENGLISH)
    consumer_pm = consumer_context.new_page()
    sign_in(consumer_pm, base, "other_pm", world.password)
    consumer_pm.goto(f"{base}{consumer.get_absolute_url()}")
    expect(consumer_pm.get_by_role("heading", level=1)).to_contain_text("Facturation unifiée")
    expect(consumer_pm.locator(".signal-list").get_by_text("Dependency broken")).to_have_count(0)
    pmo_context = browser.new_context(**ENGLISH)
    pmo = pmo_context.new_page()
    sign_in(pmo, base, "pmo", world.password)
    pmo.goto(f"{base}/planning/projects/PRJ-0042/baselines/take/")
    pmo.get_by_role("button", name="Take baseline v1").click()
    expect(pmo.get_by_role("table", name="Versions")).to_contain_text("v1")

    # 2. The PM raises a change request (go-live + six weeks, budget + 10 %) and submits it: beyond
    # tolerance, it goes to the project's steering committee.
    page.goto(f"{base}/portfolio/projects/PRJ-0042/plan/")
    expect(page.locator("main")).to_contain_text("Baseline v1 of")
    page.get_by_role("link", name="Raise a change request").click()
    page.locator("#id_title").fill("Décaler la mise en production")
    page.locator("#id_reason").fill("Le prestataire livre l'interface de paiement en retard.")
    page.get_by_label("New end (go-live)").fill(new_end.isoformat())
    page.get_by_label("New budget at completion").fill(str(budget * 11 / 10))
    page.get_by_label("Mise en production", exact=True).fill(new_end.isoformat())
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_role("button", name="Submit").click()

    expect(page.locator("main")).to_contain_text("Decided by COPIL DSI in a meeting.")
    change_request = ChangeRequest.objects.get(project=project)
    impact = page.locator("section", has=page.locator("#impact-title"))
    expect(impact).to_contain_text("42 days")
    expect(impact).to_contain_text("(10.0 %)")
    expect(impact).to_contain_text("PRJ-0077 Facturation unifiée")

    # 3. The PMO prepares the COPIL's next meeting: the request is proposed with its impact; on the agenda,
    # the meeting started, its card on the live page; the committee approves it.
    meeting = planned_meeting(committee=copil, by=world.pmo)
    pmo.goto(f"{base}/governance/meetings/{meeting.pk}/")
    proposal = pmo.locator(".proposal").filter(has_text=change_request.reference)
    expect(proposal).to_contain_text("Décaler la mise en production (change request)")
    expect(proposal).to_contain_text("Slips 42 days; budget +250,000")
    expect(proposal).to_contain_text("(+10.0 %); breaks 1 dependency of another project")
    proposal.get_by_role("button", name="Add to agenda").click()
    expect(pmo.locator("#agenda-panel .agenda-item")).to_contain_text(change_request.reference)
    pmo.get_by_role("button", name="Start the meeting").click()

    expect(pmo.locator("#live-item-title")).to_contain_text(change_request.reference)
    card = pmo.locator(".live-change-request")
    expect(
        card.get_by_role("heading", name=f"{change_request.reference} Décaler la mise en production")
    ).to_be_visible()
    expect(card.locator(".live-escalation-scores")).to_contain_text("42 days")
    expect(card.locator(".live-escalation-scores")).to_contain_text("+10.0 %")
    expect(card).to_contain_text("baseline v2")
    pmo.get_by_role("button", name="Record a decision").click()
    pmo.locator("#id_decision-title").fill("Report de la mise en production")
    pmo.locator("#id_decision-outcome").select_option("approved")
    pmo.get_by_role("button", name="Record the decision").click()
    expect(pmo.locator("#live-decisions")).to_contain_text("Report de la mise en production")
    expect(card.locator(".live-cr-state")).to_have_text("Approved")

    # 4. The project is on baseline v2: both versions, variance against each, what changed between them.
    page.goto(f"{base}/planning/projects/PRJ-0042/baselines/")
    versions = page.get_by_role("table", name="Versions")
    expect(versions.get_by_role("rowheader")).to_have_text(["v1", "v2"])
    expect(versions).to_contain_text(change_request.reference)
    variance = page.get_by_role("table", name="Variance against the original and the current baseline")
    expect(variance.get_by_role("columnheader", name="Original (v1)")).to_be_visible()
    expect(variance.get_by_role("columnheader", name="Current (v2)")).to_be_visible()
    go_live_row = variance.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Mise en production")
    )
    expect(go_live_row.get_by_role("cell")).to_have_text(
        [short(old_end), short(new_end), short(new_end), "0", "+42"]
    )
    history = page.locator("section", has=page.locator("#baseline-history-title"))
    expect(history.get_by_role("heading", name=f"v1 → v2 · {change_request.reference}")).to_be_visible()
    expect(history).to_contain_text(f"{short(old_end)} → {short(new_end)}")
    page.goto(f"{base}/portfolio/projects/PRJ-0042/plan/")
    expect(page.locator("main")).to_contain_text("Baseline v2 of")
    expect(page.locator("main")).to_contain_text("End moved by 42 days since v1")

    # 5. The consumer's manager sees its project turn red; its committee's next meeting proposes the break.
    consumer_pm.reload()
    red = consumer_pm.locator(".signal-list .signal-red")
    expect(red).to_contain_text("Dependency broken: PRJ-0042's milestone Mise en production")
    expect(red).to_contain_text(f"needed by {short(dependency.needed_by)}")
    consumer_context.close()

    other_meeting = planned_meeting(committee=consumer_committee, by=world.pmo)
    pmo.goto(f"{base}/governance/meetings/{other_meeting.pk}/")
    broken = pmo.locator(".proposal").filter(has_text="Broken dependency")
    expect(broken).to_contain_text("PRJ-0077")
    expect(broken).to_contain_text("PRJ-0042")
    pmo_context.close()
