"""Issue 20's story, through the pages: the PM phases the budget and enters the people the project needs; the
PMO sees the directorate's developers over-allocated on the heatmap, tries shifting the project in the
what-if, saves it as a scenario and brings it to the portfolio committee, which approves it in its live
meeting: the demand moves, the heatmap is no longer red, the scenario says approved with its decision.

Set-up (users, roles, capacity, a second project sharing the load, the committee and its meeting) uses
factories; every step a user takes is done in the browser, each followed by what that user sees."""

import os
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import formats, timezone, translation
from playwright.sync_api import Browser, Page, expect

from finance.models import CostCategory
from governance.models import Committee, Decision
from pmo.months import FiscalYear, add_months, month_of
from resources.models import Capacity, Demand, ResourceRole
from tests.browser.test_live_meeting import ENGLISH, browser_context_args  # noqa: F401
from tests.browser.test_smoke import sign_in
from tests.factories import CommitteeFactory, ProjectFactory, planned_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUDGET = Decimal(120_000)  # spread evenly over the twelve months of a fiscal year: 10,000 a month
CAPACITY = Decimal(2)  # the directorate's developers, every month
SHARED = Decimal(1)  # the other project's developers over the same three months
ENTERED = Decimal(2)  # what the PM types for each of the three months
SHOTS = os.environ.get("PMO_SCREENSHOTS", "")  # a folder: the story's pages are kept there to be looked at
SHIFT = 3  # months: past the three months the other project needs


def money(value: Decimal, places: int = 0) -> str:
    """An amount as the English pages show it (grouped; no decimals on the what-if, two on the grid)."""
    with translation.override("en"):
        return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def set_up(world):
    today = timezone.localdate()
    # The what-if moves months from next month on (its default); the PM's demand starts there.
    start = add_months(month_of(today), 1)
    demand_months = [add_months(start, n) for n in range(3)]
    role = ResourceRole.objects.create(code="DEV", name="Développeur", name_en="Developer", order=1)
    for n in range(24):
        Capacity.objects.create(
            directorate=world.it, role=role, month=add_months(month_of(today), n), fte=CAPACITY
        )
    capex, _new = CostCategory.objects.get_or_create(
        code="CAPEX", defaults={"name": "Investissement (CAPEX)", "name_en": "Capital (CAPEX)", "order": 1}
    )
    project = ProjectFactory(
        code="PRJ-0042",
        name="Refonte du portail client",
        directorate=world.it,
        project_manager=world.pm,
        budget=BUDGET,
    )
    other = ProjectFactory(
        code="PRJ-0051", name="Socle d'API", directorate=world.it, project_manager=world.other_pm
    )
    for month in demand_months:
        Demand.objects.create(project=other, role=role, month=month, fte=SHARED)
    committee = CommitteeFactory(
        code="cpp",
        name="Comité de portefeuille",
        kind=Committee.Kind.PORTFOLIO,
        scope_directorate=world.it,
        secretary=world.pmo,
        members=[world.member],
        quorum=1,
    )
    meeting = planned_meeting(committee=committee, by=world.pmo)
    return SimpleNamespace(
        today=today,
        start=start,
        demand_months=demand_months,
        role=role,
        capex=capex,
        project=project,
        other=other,
        committee=committee,
        meeting=meeting,
    )


def shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/story_{name}.png", full_page=True)


def heatmap_row(page: Page, world, role):
    return page.locator(f'table.heatmap tr[data-directorate="{world.it.pk}"][data-role="{role.pk}"]')


def test_the_pm_needs_people_the_pmo_shifts_the_project_and_the_committee_approves(
    page: Page, browser: Browser, live_server, world
):
    story = set_up(world)
    today, start, demand_months, role = story.today, story.start, story.demand_months, story.role
    capex, project, other, committee, meeting = (
        story.capex,
        story.project,
        story.other,
        story.committee,
        story.meeting,
    )
    base = live_server.url
    over_months = [m for m in demand_months if SHARED + ENTERED > CAPACITY]
    assert over_months, "the set-up must over-allocate the directorate"
    shifted = [add_months(m, SHIFT) for m in demand_months]

    # 1. The PM phases the budget of the fiscal year the what-if will look at, evenly into CAPEX budget.
    sign_in(page, base, "pm", world.password)
    page.goto(f"{base}/portfolio/projects/{project.code}/plan/")
    page.get_by_role("link", name="Budget and forecast by month and category").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Money by month of {project.code}")
    year = FiscalYear.of(start)
    if year != FiscalYear.of(today):
        page.locator('a[rel="next"]').click()
    expect(page.locator("#money-grid-title")).to_contain_text(f"fiscal year {year}")
    spread = page.locator("section", has=page.locator("#money-spread-title"))
    spread.get_by_label("Amount").fill(str(BUDGET))
    spread.get_by_label("Cost category").select_option(str(capex.pk))
    spread.get_by_label("Into").select_option("budget")
    spread.get_by_role("button", name="Spread").click()
    expect(page.locator("main")).to_contain_text(f"{money(BUDGET, 2)} spread over 12 months.")
    budget_total = money(BUDGET, 2)
    expect(page.locator("#money-grid tfoot")).to_contain_text(f"Budget {budget_total}")
    expect(page.locator("[data-phased-total]")).to_have_text(budget_total)
    shot(page, "money_en")
    per_month = money(BUDGET / 12, 2)
    expect(page.locator(f'input[name="c{capex.pk}-budget-{year.start:%Y-%m}"]')).to_have_value(
        re.compile(rf"^{re.escape(per_month).replace(',', ',?')}$")
    )

    # ... then, from the plan page's people panel, the developers it needs over three months.
    page.goto(f"{base}/portfolio/projects/{project.code}/plan/")
    page.get_by_role("link", name="Enter the demand").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"People needed by {project.code}")
    page.get_by_label("Role of line 1").select_option(str(role.pk))
    for month in demand_months:
        page.get_by_label(f"Line 1, {month:%B %Y}", exact=True).fill(str(ENTERED))
    page.get_by_role("button", name="Save the demand").click()
    expect(page.locator("main")).to_contain_text(f"Demand saved ({len(demand_months)} cells changed).")
    shot(page, "demand_en")

    # 2. The PMO opens the heatmap from the Portfolio menu: the developers of the directorate are red for
    # the three months; a red cell names both projects behind it.
    pmo_context = browser.new_context(**ENGLISH)
    pmo = pmo_context.new_page()
    sign_in(pmo, base, "pmo", world.password)
    pmo.locator("#menu-portfolio").click()
    pmo.locator('[aria-labelledby="menu-portfolio"]').get_by_role("link", name="Resources").click()
    expect(pmo.get_by_role("heading", level=1)).to_have_text("Allocation heatmap")
    row = heatmap_row(pmo, world, role)
    red = row.locator('td[data-level="over"]')
    expect(red).to_have_count(len(over_months))
    for month in over_months:
        expect(row.locator(f'td[data-month="{month:%Y-%m}"]')).to_have_attribute("data-level", "over")
    expect(pmo.locator("#over-count")).to_have_text(f"{len(over_months)} over-allocated cells")
    red_background = red.first.evaluate("cell => getComputedStyle(cell).backgroundColor")
    assert red_background != row.locator('td[data-level="fine"]').first.evaluate(
        "cell => getComputedStyle(cell).backgroundColor"
    ), "an over-allocated cell is coloured apart from the others"
    shot(pmo, "heatmap_en")
    red.first.get_by_role("link").click()
    expect(pmo.get_by_role("heading", level=1)).to_have_text(f"Developer in DSI, {over_months[0]:%B %Y}")
    expect(pmo.locator("#cell-figures [data-level]")).to_have_attribute("data-level", "over")
    projects = pmo.locator("#cell-projects tbody tr")
    expect(projects).to_have_count(2)
    expect(projects.filter(has_text=project.code)).to_contain_text(project.name)
    expect(projects.filter(has_text=other.code)).to_contain_text(other.name)
    shot(pmo, "cell_en")

    # 3. The what-if, from the heatmap: the project three months later clears the red cells; the money of
    # the fiscal year shows what leaves it.
    pmo.get_by_role("link", name="Back to the heatmap").click()
    pmo.get_by_role("link", name="What-if", exact=True).click()
    expect(pmo.get_by_role("heading", level=1)).to_have_text("What-if")
    pmo.get_by_label("Add a project").select_option(str(project.pk))
    shift = pmo.get_by_label(f"Shift of {project.code} in months")
    expect(shift).to_be_visible()
    shift.fill(str(SHIFT))
    pmo.get_by_role("button", name="Show before / after").click()
    summary = pmo.locator(".whatif-summary")
    over = summary.locator("[data-over-before]")
    expect(over).to_have_attribute("data-over-before", str(len(over_months)))
    expect(over).to_have_attribute("data-over-after", "0")
    expect(pmo.locator('.whatif-before td[data-level="over"]')).to_have_count(len(over_months))
    expect(pmo.locator('.whatif-after td[data-level="over"]')).to_have_count(0)
    # The what-if's heatmaps are coloured as the heatmap page is.
    expect(pmo.locator('.whatif-before td[data-level="over"]').first).to_have_css(
        "background-color", red_background
    )
    shot(pmo, "whatif_en")
    monthly = BUDGET / 12
    kept = sum(
        (monthly for m in year.months if m < start or add_months(m, SHIFT) <= year.months[-1]), Decimal(0)
    )
    budget_line = summary.locator("dt", has_text=f"Portfolio budget {year.year}").locator(
        "xpath=following-sibling::dd[1]"
    )
    expect(budget_line).to_contain_text(f"{money(BUDGET)} → {money(kept)}")
    moved_line = summary.locator("dt", has_text=f"Moved projects' budget {year.year}").locator(
        "xpath=following-sibling::dd[1]"
    )
    expect(moved_line).to_contain_text(f"{money(BUDGET)} → {money(kept)}")
    pmo.locator("#scenario-name").fill("Décaler le portail")
    pmo.get_by_role("button", name="Save as scenario").click()

    expect(pmo.get_by_role("heading", level=1)).to_have_text("Décaler le portail")
    expect(pmo.locator(".scenario-changes")).to_contain_text(f"{project.code} {project.name}")
    expect(pmo.locator(".scenario-changes")).to_contain_text(f"{SHIFT} months later")
    pmo.get_by_label("Portfolio committee").select_option(label=committee.name)
    pmo.get_by_role("button", name="Bring to the portfolio committee").click()
    expect(pmo.locator("main")).to_contain_text(
        "The scenario will be proposed on the committee's next agenda."
    )
    expect(pmo.locator(".page-header .badge")).to_have_text("Proposed to the committee")
    shot(pmo, "scenario_en")

    # 4. The secretary prepares the committee's meeting: the scenario on the agenda, its card on the live
    # page with its before / after; the committee approves it.
    pmo.goto(f"{base}/governance/meetings/{meeting.pk}/")
    proposal = pmo.locator(".proposal").filter(has_text="What-if scenario: Décaler le portail")
    expect(proposal).to_contain_text(f"over-allocated cells {len(over_months)} → 0")
    # The over-allocation itself is proposed too, as a derived signal for the committee of the directorate.
    over_proposal = pmo.locator(".proposal").filter(has_text="Over-allocation: DSI / Developer")
    expect(over_proposal).to_have_count(1)
    expect(over_proposal).to_contain_text(f"Over-allocated in {over_months[0]:%b %Y}")
    proposal.get_by_role("button", name="Add to agenda").click()
    expect(pmo.locator("#agenda-panel .agenda-item")).to_contain_text("What-if scenario: Décaler le portail")
    pmo.get_by_role("button", name="Start the meeting").click()

    expect(pmo.locator("#live-item-title")).to_contain_text("Décaler le portail")
    card = pmo.locator(".live-scenario")
    expect(card.get_by_role("heading", name="Décaler le portail")).to_be_visible()
    expect(card.locator(".live-escalation-scores")).to_contain_text(f"{len(over_months)} → 0")
    expect(card.locator(".live-scenario-changes")).to_contain_text(
        f"{project.code} {project.name}: {SHIFT} months later"
    )
    pmo.get_by_role("button", name="Record a decision").click()
    pmo.locator("#id_decision-title").fill("Décalage du portail de trois mois")
    pmo.locator("#id_decision-outcome").select_option("approved")
    pmo.get_by_role("button", name="Record the decision").click()
    expect(pmo.locator("#live-decisions")).to_contain_text("Décalage du portail de trois mois")
    decision = Decision.objects.get(title="Décalage du portail de trois mois")
    expect(card.locator(".state-approved")).to_have_text("Approved and applied")
    expect(card).to_contain_text(f"{decision.reference} Décalage du portail de trois mois — Approved")
    shot(pmo, "live_en")

    # The heatmap is no longer red; the project's demand sits three months later; the scenario is approved
    # with the committee's decision.
    pmo.goto(f"{base}/resources/")
    row = heatmap_row(pmo, world, role)
    expect(row.locator('td[data-level="over"]')).to_have_count(0)
    expect(pmo.locator("#over-count")).to_have_text("0 over-allocated cells")
    for month in shifted:
        expect(row.locator(f'td[data-month="{month:%Y-%m}"]')).not_to_have_attribute("data-level", "empty")
    page.goto(f"{base}/resources/projects/{project.code}/demand/")
    expect(page.get_by_label("Role of line 1")).to_have_value(str(role.pk))
    for month in demand_months:
        expect(page.get_by_label(f"Line 1, {month:%B %Y}", exact=True)).to_have_value("")
    for month in shifted:
        expect(page.get_by_label(f"Line 1, {month:%B %Y}", exact=True)).to_have_value(
            re.compile(rf"^{ENTERED}(\.0+)?$")
        )
    # Its budget moved with it: what the what-if showed for the fiscal year is now the grid's total.
    page.goto(f"{base}/finance/projects/{project.code}/money/?fy={year.year}")
    expect(page.locator("#money-grid tfoot")).to_contain_text(f"Budget {money(kept, 2)}")
    expect(page.locator(f'input[name="c{capex.pk}-budget-{start:%Y-%m}"]')).to_have_value("")
    pmo.get_by_role("link", name="Scenarios").click()
    pmo.get_by_role("link", name="Décaler le portail").click()
    expect(pmo.locator(".page-header .badge")).to_have_text("Approved and applied")
    decided = pmo.locator("section", has=pmo.locator("#scenario-decision-title"))
    expect(decided.get_by_role("link", name=decision.reference)).to_be_visible()
    expect(decided).to_contain_text("Approved")
    shot(pmo, "scenario_approved_en")
    pmo_context.close()


def test_the_heatmap_in_french_shows_the_over_allocated_months(browser: Browser, live_server, world):
    story = set_up(world)
    demand_months, role, project = story.demand_months, story.role, story.project
    for month in demand_months:
        Demand.objects.create(project=project, role=role, month=month, fte=ENTERED)
    over_months = [m for m in demand_months if SHARED + ENTERED > CAPACITY]
    context = browser.new_context(locale="fr", extra_http_headers={"Accept-Language": "fr"})
    page = context.new_page()
    sign_in(page, live_server.url, "pmo", world.password)
    page.locator("#menu-portfolio").click()
    page.locator('[aria-labelledby="menu-portfolio"]').get_by_role("link", name="Ressources").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    row = heatmap_row(page, world, role)
    expect(row.locator('td[data-level="over"]')).to_have_count(len(over_months))
    expect(page.locator("#over-count")).to_contain_text(str(len(over_months)))
    shot(page, "heatmap_fr")
    row.locator('td[data-level="over"]').first.get_by_role("link").click()
    projects = page.locator("#cell-projects tbody tr")
    expect(projects).to_have_count(2)
    expect(projects.filter(has_text=project.code)).to_contain_text(project.name)
    expect(page.locator("#cell-figures [data-level]")).to_have_attribute("data-level", "over")
    shot(page, "cell_fr")
    page.get_by_role("link", name="Retour à la carte de charge").click()
    page.get_by_role("link", name="Simulation", exact=True).click()
    page.get_by_label("Ajouter un projet").select_option(str(project.pk))
    page.get_by_label(f"Décalage de {project.code} en mois").fill(str(SHIFT))
    page.get_by_role("button", name="Afficher avant / après").click()
    over = page.locator(".whatif-summary [data-over-before]")
    expect(over).to_have_attribute("data-over-before", str(len(over_months)))
    expect(over).to_have_attribute("data-over-after", "0")
    shot(page, "whatif_fr")
    context.close()
