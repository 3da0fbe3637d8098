"""Issue 22's story, through the pages, in French: a project manager of the DSI submits a project request
(costs by year, people); the PMO qualifies it; two members of the portfolio committee score it; the PMO
builds two scenarios, one whose budget cap lets the request in and a tighter one that leaves it out, and
reads the optimiser's choice; the PMO proposes the request to the portfolio committee and runs its live
meeting, where the G0 decision "Approved" creates the project: in its first phase, with its budget, its
baseline dates as a draft (no baseline version) and its benefit profile. The PMO approves the profile;
the project manager closes the project through its closure report, with one lesson; after the closure the
benefit's owner records an actual and the portfolio's value KPI (benefits realised against plan) moves;
the lesson appears beside another project's gate checklist, under "lessons from similar projects".

Set-up (users, the committee and its planned meeting, a scoring version, the reference data a transactional
test's flush may have taken) uses factories; every step a user takes is done in the browser, each followed
by what that user sees."""

import os
import re
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from playwright.sync_api import Browser, Page, expect

from benefits.models import BenefitActual, BenefitProfile, Lesson
from demand.models import CriteriaSet, Criterion, ProjectRequest
from demand.scoring import weighted
from finance.models import CostCategory
from governance import services
from governance.models import Committee, Decision
from pmo.roles import Role
from portfolio.models import Phase, Project
from resources.models import ResourceRole
from tests.browser.test_smoke import sign_in
from tests.factories import CommitteeFactory, ProjectFactory, UserFactory, planned_meeting
from tests.reporting.builders import computed_kpi

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRENCH = {"locale": "fr-FR", "extra_http_headers": {"Accept-Language": "fr"}}
SHOTS = os.environ.get("PMO_SCREENSHOTS", "")  # a folder: the story's pages are kept there to be looked at
PHASES = [("Cadrage", "Scoping"), ("Conception", "Design"), ("Réalisation", "Build"), ("Clôture", "Closure")]
TITLE = "Signature électronique des contrats"
FIRST, SECOND = timezone.localdate().year + 1, timezone.localdate().year + 2  # whole years: no proration
COSTS = {FIRST: Decimal(120000), SECOND: Decimal(60000)}
PEOPLE = {FIRST: Decimal(30), SECOND: Decimal(10)}
ANNUAL_BENEFIT = Decimal(50000)
# Each member's marks on the two criteria (strategy, weight 3; value, weight 1; from 1 to 5).
MARKS = {"member": (5, 4), "member2": (3, 2)}
ACTUAL = Decimal(40000)  # the first year's gain, measured after the closure
LESSON = ("Associer les agences dès le cadrage", "Nommer un référent par agence avant la conception.")


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **FRENCH}


def fr(text: str, context: str = "", **values) -> str:
    """`text` as the French pages say it (the catalogue, not a copy of it)."""
    with translation.override("fr"):
        said = pgettext(context, text) if context else gettext(text)
    return said % values if values else said


def shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/value_{name}.png", full_page=True)


def set_up(world):
    # A transactional test's database may have lost the migrations' phases and cost categories to an
    # earlier test's flush: made again as the migrations make them.
    for index, (french, english) in enumerate(PHASES):
        Phase.objects.get_or_create(name_en=english, defaults={"name": french, "order": (index + 1) * 10})
    CostCategory.objects.get_or_create(
        code="CAPEX", defaults={"name": "Investissement (CAPEX)", "name_en": "Capital (CAPEX)", "order": 10}
    )
    dev, _new = ResourceRole.objects.get_or_create(
        code="DEV", defaults={"name": "Développeur", "name_en": "Developer", "order": 1}
    )
    # The scoring version everybody scores with (the latest published): two criteria of five marks.
    version = CriteriaSet.objects.create(number=90, published_at=timezone.now())
    for order, (code, name, name_en, weight) in enumerate(
        [("strategy", "Alignement stratégique", "Strategic alignment", 3), ("value", "Valeur", "Value", 1)]
    ):
        Criterion.objects.create(criteria_set=version, code=code, name=name, name_en=name_en, weight=weight,
                                 scale_max=5, order=order)  # fmt: skip
    member2 = UserFactory(username="member2", roles=[Role.COMMITTEE_MEMBER], directorate=world.finance)
    committee = CommitteeFactory(
        code="cp", name="Comité de portefeuille", kind=Committee.Kind.PORTFOLIO, chair=world.executive,
        secretary=world.pmo, members=[world.member, member2], quorum=2,
    )  # fmt: skip
    meeting = planned_meeting(committee=committee, by=world.pmo, title="Comité de portefeuille de janvier")
    services.agenda_add(meeting=meeting, title="Approbation du compte rendu précédent")
    # A running project of the DSI, further on in its life: its gate review will show the lesson.
    other = ProjectFactory(
        code="PRJ-0050", name="Refonte du portail client", directorate=world.it, project_manager=world.pm,
        phase=Phase.objects.get(name_en="Design"),
    )  # fmt: skip
    # The DSI's steering committee, which reviews its projects' gates.
    CommitteeFactory(code="copil-dsi", name="COPIL DSI", scope_directorate=world.it, secretary=world.pmo)
    # The value KPI on the dashboard, and the portfolio's value so far: a closed project of the DF, half of
    # its planned gain realised (50 %).
    today = timezone.localdate()
    earlier = ProjectFactory(
        code="PRJ-0040", name="Dématérialisation des factures", directorate=world.finance,
        state=Project.State.CLOSED,
    )  # fmt: skip
    realised = BenefitProfile.objects.create(
        project=earlier, title="Économies d'affranchissement", kind=BenefitProfile.Kind.FINANCIAL,
        target_value=Decimal(100000), starts_on=today - timedelta(days=730),
        target_date=today - timedelta(days=365),
        owner=world.executive, state=BenefitProfile.State.APPROVED,
    )  # fmt: skip
    BenefitActual.objects.create(
        profile=realised, measured_on=today - timedelta(days=30), value=Decimal(50000)
    )
    computed_kpi("benefits_realised", name="Bénéfices réalisés", name_en="Benefits realised")
    return SimpleNamespace(dev=dev, version=version, committee=committee, meeting=meeting, other=other)


def as_user(browser: Browser, base: str, username: str, password: str) -> Page:
    """A page of its own (another screen) signed in as `username`."""
    page = browser.new_context(**FRENCH).new_page()
    sign_in(page, base, username, password)
    return page


def expected_mean(version: CriteriaSet) -> Decimal:
    criteria = list(version.criteria.order_by("order"))
    scores = [
        weighted(dict(zip([c.pk for c in criteria], marks, strict=True)), criteria)
        for marks in MARKS.values()
    ]
    return (sum(scores) / len(scores)).quantize(Decimal("0.1"))


def submit_the_request(page: Page, base: str, world, story) -> str:
    """The project manager fills in the request form; returns the request's code."""
    page.goto(f"{base}/demand/requests/")
    page.get_by_role("link", name=fr("Submit a request")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fr("Submit a project request"))
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_objectives").fill("Signer les contrats clients en ligne, sans papier.")
    page.locator("#id_strategic_objective").fill("Digitalisation")
    page.locator("#id_sponsor").select_option(str(world.executive.pk))
    page.locator("#id_proposed_manager").select_option(str(world.pm.pk))
    page.locator("#id_expected_benefits").fill("Moins d'impressions et de courriers.")
    page.locator("#id_expected_annual_benefit").fill(str(ANNUAL_BENEFIT))
    page.locator("#id_main_risks").fill("Adhésion des agences.")
    page.locator("#id_urgency").select_option(str(ProjectRequest.Urgency.HIGH.value))
    page.locator("#id_desired_start").fill(date(FIRST, 1, 1).isoformat())
    page.locator("#id_desired_end").fill(date(SECOND, 6, 30).isoformat())
    for year, amount in COSTS.items():
        page.locator(f"#id_cost-{year}").fill(str(amount))
    for year, months in PEOPLE.items():
        page.locator(f"#id_people-{story.dev.pk}_{year}").fill(str(months))
    shot(page, "request_form")
    page.get_by_role("button", name=fr("Submit the request")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.get_by_role("heading", level=1)).to_contain_text(fr("Submitted"))
    return ProjectRequest.objects.get(title=TITLE).code


def test_a_request_goes_from_the_form_to_a_project_and_its_value(
    page: Page, browser: Browser, live_server, world
):
    story = set_up(world)
    base = live_server.url

    # 1. A project manager of the DSI submits the request: cost by year, people by role and year.
    sign_in(page, base, "pm", world.password)
    code = submit_the_request(page, base, world, story)
    request_url = f"{base}/demand/requests/{code}/"
    expect(page).to_have_url(request_url)
    main = page.locator("main")
    expect(main).to_contain_text("120")
    expect(main).to_contain_text("180")
    shot(page, "request_submitted")
    page.context.close()

    # 2. The PMO qualifies it: complete.
    pmo = as_user(browser, base, "pmo", world.password)
    pmo.goto(request_url)
    qualify = pmo.locator("#qualify")
    qualify.get_by_label(fr("Complete: qualified")).check()
    qualify.get_by_role("button", name=fr("Record")).click()
    expect(pmo.locator("main")).to_contain_text(fr("Request %(code)s qualified.", code=code))
    expect(pmo.get_by_role("heading", level=1)).to_contain_text(fr("Qualified"))

    # 3. Two members of the portfolio committee score it; the request shows their mean and spread.
    for username, marks in MARKS.items():
        member = as_user(browser, base, username, world.password)
        member.goto(request_url)
        member.locator("#scores").get_by_role("link", name=fr("Score it")).click()
        criteria = member.locator("form fieldset")
        expect(criteria).to_have_count(2)
        for number, mark in enumerate(marks):
            criteria.nth(number).get_by_label(str(mark), exact=True).check()
        member.get_by_role("button", name=fr("Save my score")).click()
        expect(member.locator("#score-result")).to_contain_text(fr("Your score is saved."))
        shot(member, f"score_{username}")
        member.context.close()
    pmo.goto(request_url)
    mean = expected_mean(story.version)
    expect(pmo.locator("#score-mean")).to_contain_text(f"{mean}".replace(".", ","))
    shot(pmo, "request_scored")

    # 4. The PMO builds two scenarios over the request's two years: a cap that lets it in, a tighter one
    # that leaves it out; each page shows what the optimiser selected and what drops out.
    row_id = f"#row-r{ProjectRequest.objects.get(code=code).pk}"
    for name, caps, selected in [
        ("Budget large", {FIRST: 200000, SECOND: 100000}, True),
        ("Budget serré", {FIRST: 100000, SECOND: 100000}, False),
    ]:
        pmo.goto(f"{base}/demand/scenarios/new/")
        pmo.locator("#id_name").fill(name)
        pmo.locator("#id_first_year").fill(str(FIRST))
        pmo.locator("#id_years").fill("2")
        pmo.locator("#id_use_capacity").uncheck()
        pmo.get_by_role("button", name=fr("Create and compute")).click()
        expect(pmo.get_by_role("heading", level=1)).to_have_text(name)
        for year, cap in caps.items():
            pmo.locator(f"#id_cap_{year}").fill(str(cap))
        pmo.get_by_role("button", name=fr("Save the caps")).click()
        expect(pmo.locator("main")).to_contain_text(
            fr("Budget caps saved: compute the scenario again to apply them.")
        )
        pmo.get_by_role("button", name=fr("Compute"), exact=True).click()
        expect(pmo.locator("main")).to_contain_text(fr("Scenario computed."))
        row = pmo.locator(row_id)
        dropped = pmo.locator("section", has=pmo.get_by_role("heading", name=fr("What drops out")))
        if selected:
            expect(row.locator(".badge").first).to_have_text(fr("In"))
            expect(dropped).not_to_contain_text(code)
        else:
            expect(row.locator(".badge").first).to_have_text(fr("Out"))
            expect(dropped).to_contain_text(code)
        shot(pmo, f"scenario_{'in' if selected else 'out'}")

    # 5. The PMO proposes the request to the portfolio committee.
    pmo.goto(request_url)
    decision_panel = pmo.locator("section", has=pmo.locator("#request-decision-title"))
    decision_panel.get_by_label(fr("Portfolio committee")).select_option(str(story.committee.pk))
    decision_panel.get_by_role("button", name=fr("Propose to the committee")).click()
    expect(pmo.get_by_role("heading", level=1)).to_contain_text(fr("Proposed to committee"))

    # 6. The PMO prepares the committee's next meeting (the G0 is proposed on its agenda), starts it, and
    # records the committee's decision on the request's item: approved.
    pmo.goto(f"{base}{story.meeting.get_absolute_url()}")
    proposals = pmo.locator("section", has=pmo.locator("#proposals"))
    expect(proposals).to_contain_text(code)
    proposals.get_by_role("button", name=re.compile(fr("Add to agenda"))).first.click()
    expect(pmo.locator("#agenda-panel .agenda-item").last).to_contain_text(code)
    pmo.get_by_role("button", name=fr("Start the meeting")).click()
    expect(pmo.locator("#live-item-title")).to_contain_text("Approbation du compte rendu précédent")
    pmo.get_by_role("button", name=re.compile(fr("Next"))).click()
    expect(pmo.locator("#live-item-title")).to_contain_text(code)
    card = pmo.locator(".live-g0")
    expect(card).to_contain_text(TITLE)
    expect(card).to_contain_text("Budget large")
    expect(card).not_to_contain_text("Budget serré")
    shot(pmo, "live_g0")
    pmo.get_by_role("button", name=fr("Record a decision")).click()
    pmo.locator("#id_decision-title").fill("G0 : signature électronique")
    pmo.locator("#id_decision-outcome").select_option(Decision.Outcome.APPROVED)
    pmo.locator("#id_decision-rationale").fill("Aligné sur la digitalisation, dans le budget.")
    pmo.get_by_role("button", name=fr("Record the decision")).click()
    expect(pmo.locator("#live-decisions")).to_contain_text("G0 : signature électronique")

    # 7. The request points at the project created; the project is in its first phase with its budget and
    # its baseline dates, a draft: no baseline version yet.
    pmo.goto(request_url)
    expect(pmo.get_by_role("heading", level=1)).to_contain_text(fr("Approved (G0)"))
    created = pmo.locator("section", has=pmo.locator("#request-decision-title"))
    created.get_by_role("link", name=re.compile(TITLE)).click()
    expect(pmo.get_by_role("heading", level=1)).to_have_text(TITLE)
    project = ProjectRequest.objects.get(code=code).project
    expect(pmo).to_have_url(f"{base}/portfolio/projects/{project.code}/")
    facts = pmo.locator(".project-facts")
    expect(facts).to_contain_text("Cadrage")
    expect(facts).to_contain_text("180")
    expect(facts).to_contain_text(f"01/01/{FIRST}")
    expect(facts).to_contain_text(f"30/06/{SECOND}")
    shot(pmo, "project")
    pmo.get_by_role("link", name=fr("Plan"), exact=True).first.click()
    expect(pmo.locator("main")).to_contain_text(fr("No baseline yet"))

    # The project page shows its benefit profile, a draft made from the request's expected benefit.
    pmo.goto(f"{base}/portfolio/projects/{project.code}/")
    panel = pmo.locator("section", has=pmo.locator("#benefits-panel-title"))
    expect(panel).to_contain_text(TITLE)

    # 8. The PMO approves the benefit profile; the value KPI does not count it yet (nothing measured).
    panel.get_by_role("link", name=fr("Benefit profiles")).click()
    profile = pmo.locator("section", has=pmo.get_by_role("heading", level=2, name=re.compile(TITLE)))
    expect(profile).to_contain_text("50")
    profile.get_by_role("button", name=fr("Approve")).click()
    expect(pmo.locator("main")).to_contain_text(fr("Benefit profile approved."))
    expect(profile.get_by_role("button", name=fr("Approve"))).to_have_count(0)
    pmo.goto(f"{base}/dashboard/")
    tile = pmo.locator("[data-kpi=benefits-realised] .kpi-value")
    expect(tile).to_have_text(re.compile(r"^50,0\s%$"))
    pmo.goto(f"{base}/benefits/")
    expect(pmo.get_by_test_id("benefits-share")).to_have_text(re.compile(r"^50,0\s%$"))
    shot(pmo, "value_before")
    pmo.context.close()

    # 9. The project manager closes the project through its closure report, with one lesson.
    pm = as_user(browser, base, "pm", world.password)
    pm.goto(f"{base}/portfolio/projects/{project.code}/")
    pm.get_by_role("link", name=fr("Close with a closure report")).click()
    expect(pm.get_by_role("heading", level=1)).to_have_text(fr("Close %(code)s", code=project.code))
    expect(pm.locator("main")).to_contain_text(TITLE)  # the benefit handed over, with its owner
    pm.get_by_label(fr("Met"), exact=True).check()
    pm.locator("#id_objectives_comment").fill("Contrats signés en ligne dans toutes les agences.")
    pm.locator("#id_benefits_handover").fill("Le sponsor suit les économies d'impression.")
    pm.locator("#id_lessons-0-title").fill(LESSON[0])
    pm.locator("#id_lessons-0-category").select_option(Lesson.Category.CHANGE)
    pm.locator("#id_lessons-0-effect").select_option(Lesson.Effect.POSITIVE)
    pm.locator("#id_lessons-0-what_happened").fill("Les agences associées tôt ont adopté l'outil en un mois.")
    pm.locator("#id_lessons-0-recommendation").fill(LESSON[1])
    shot(pm, "closure_form")
    pm.get_by_role("button", name=fr("Submit the report and close the project")).click()
    expect(pm.locator("main")).to_contain_text(fr("Project %(code)s is now closed.", code=project.code))
    expect(pm.locator("main")).to_contain_text(LESSON[0])
    shot(pm, "closure_report")

    # 10. After the closure, the benefit's owner (the sponsor) records the first year's gain; the value
    # KPI moves on the dashboard and on the overview behind it: (50 000 + 40 000) / 100 000.
    owner = as_user(browser, base, "executive", world.password)
    owner.goto(f"{base}/benefits/projects/{project.code}/")
    profile = owner.locator("section", has=owner.get_by_role("heading", level=2, name=re.compile(TITLE)))
    profile.get_by_role("link", name=fr("Record an actual")).click()
    owner.locator("#id_value").fill(str(ACTUAL))
    owner.locator("#id_note").fill("Première année après la clôture.")
    owner.get_by_role("button", name=fr("Save"), exact=True).click()
    expect(owner.locator("main")).to_contain_text(fr("Actual recorded."))
    expect(profile).not_to_contain_text(fr("Nothing measured yet."))
    owner.goto(f"{base}/dashboard/")
    expect(owner.locator("[data-kpi=benefits-realised] .kpi-value")).to_have_text(re.compile(r"^90,0\s%$"))
    owner.locator("[data-kpi=benefits-realised]").click()
    expect(owner.get_by_test_id("benefits-share")).to_have_text(re.compile(r"^90,0\s%$"))
    shot(owner, "value_after")
    owner.context.close()

    # 11. Another project of the DSI asks for its gate review: the lesson is there, beside the checklist.
    pm.goto(f"{base}/portfolio/projects/{story.other.code}/")
    pm.get_by_role("link", name=fr("Request a stage gate review")).click()
    lessons = pm.locator("section", has=pm.locator("#gate-lessons-title"))
    expect(lessons).to_contain_text(fr("Lessons from similar projects"))
    expect(lessons).to_contain_text(LESSON[0])
    expect(lessons).to_contain_text(LESSON[1])
    expect(lessons).to_contain_text(project.code)
    shot(pm, "gate_lessons")
