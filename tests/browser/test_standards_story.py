"""Issue 23's story, through the pages: the PMO defines a methodology (two deliverables required at the
gate leaving the scoping phase, a 10 % cost tolerance, the gate criterion "required deliverables
approved" checked automatically), gives it to a project and publishes a template for the first
deliverable; the project manager downloads the template, provides it and submits it, the PMO approves
it; the gate request shows the second deliverable missing and the criterion not met, and the
compliance page scores the project below what the other components give. The manager's weekly
forecast then breaks the cost tolerance: the status page asks for an exception report, the manager
writes it (cause, two options with their effects, one recommended, recovery actions) and submits it;
the PMO, the committee's secretary, puts it on the meeting's agenda, starts the meeting and picks an
option on the live page; the chosen option's recovery action appears on the manager's My actions.

Set-up (users, the committee and its planned meeting, the project with last week's status, the
reference data a transactional test's flush may have taken) uses factories; every step the story is
about is done in the browser, each followed by what that user sees."""

import io
import re
import zipfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from portfolio.models import Phase, Project
from standards.compliance import DELIVERABLES, compliance
from standards.models import DeliverableType, ExceptionReport
from tests.browser.test_smoke import sign_in
from tests.factories import CommitteeFactory, ProjectFactory, StatusReportFactory, planned_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENGLISH = {"locale": "en", "extra_http_headers": {"Accept-Language": "en"}}
PHASES = [("Cadrage", "Scoping"), ("Conception", "Design"), ("Réalisation", "Build"), ("Clôture", "Closure")]
TYPES = [("Charte projet", "Project charter"), ("Business case", "Business case")]
CODE = "DSI-042"
BUDGET = Decimal(2_000_000)
COST_PERCENT = 10
FORECAST = BUDGET * (100 + COST_PERCENT + 2) / 100  # beyond the tolerance
METHODOLOGY = ("dsi-classic", "Cycle en V DSI", "DSI waterfall")
OPTIONS = [  # title, cost effect, schedule effect (days), recommended, its recovery action
    ("Reduce the scope", "-150000", "0", True, "Re-plan the release without the reporting module"),
    ("Add a second team", "80000", "-30", False, "Staff the second team"),
]
CHOSEN = 1  # the committee does not follow the recommendation


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **ENGLISH}


def docx(title: str) -> bytes:
    """A minimal Word document (the parts Word needs): judged a .docx by its content."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            f"<w:p><w:r><w:t>{title}</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def set_up(world):
    # A transactional test's database may have lost the migrations' phases and deliverable types to an
    # earlier test's flush: made again as the migrations make them.
    phases = [
        Phase.objects.get_or_create(name_en=english, defaults={"name": french, "order": (index + 1) * 10})[0]
        for index, (french, english) in enumerate(PHASES)
    ]
    for index, (french, english) in enumerate(TYPES):
        DeliverableType.objects.get_or_create(name_en=english, defaults={"name": french, "order": index + 1})
    # The DSI's steering committee, the PMO its secretary, and its next meeting.
    committee = CommitteeFactory(
        code="copil-dsi", name="COPIL DSI", scope_directorate=world.it, secretary=world.pmo,
        chair=world.executive, members=[world.member], quorum=1,
    )  # fmt: skip
    meeting = planned_meeting(committee=committee, by=world.pmo, title="COPIL DSI de juin")
    project = ProjectFactory(
        code=CODE, name="Refonte CRM", directorate=world.it, project_manager=world.pm, phase=phases[0],
        budget=BUDGET,
    )  # fmt: skip
    # Last week's status, on budget: this week's form starts from it.
    StatusReportFactory(project=project, weeks_ago=1, forecast_at_completion=BUDGET, submitted_by=world.pm)
    return SimpleNamespace(phase=phases[0], committee=committee, meeting=meeting, project=project)


def as_user(browser: Browser, base: str, username: str, password: str) -> Page:
    page = browser.new_context(**ENGLISH).new_page()
    sign_in(page, base, username, password)
    return page


def define_the_methodology(pmo: Page, base: str, story) -> None:
    """Step 1: the methodology, its tolerance, its two deliverables, its gate criterion; the project."""
    code, _name, name_en = METHODOLOGY
    pmo.goto(f"{base}/standards/methodologies/")
    pmo.get_by_role("link", name="New methodology").click()
    pmo.locator("#id_code").fill(code)
    pmo.locator("#id_name").fill(METHODOLOGY[1])
    pmo.locator("#id_name_en").fill(name_en)
    pmo.locator("#id_approach").select_option("classic")
    pmo.get_by_role("button", name="Create the methodology").click()
    expect(pmo.locator("main")).to_contain_text(f"Methodology {name_en} created.")
    expect(pmo.get_by_role("heading", level=1)).to_contain_text(name_en)

    pmo.get_by_role("link", name="Edit the tolerances").click()
    pmo.locator("#id_bands-0-cost_percent").fill(str(COST_PERCENT))
    pmo.get_by_role("button", name="Save").click()
    expect(pmo.locator("main")).to_contain_text(f"Tolerances of {name_en} saved.")
    tolerances = pmo.locator("section", has=pmo.locator("#tolerances-title"))
    expect(tolerances.get_by_role("row").nth(1)).to_contain_text(f"+{COST_PERCENT} %")

    pmo.get_by_role("link", name="Require a deliverable", exact=True).click()
    pmo.locator("#id_phase").select_option(label=story.phase.name_en)
    pmo.locator("#id_deliverable_type").select_option(label=TYPES[0][1])
    expect(pmo.locator("#id_required_at_gate")).to_be_checked()
    pmo.get_by_role("button", name="Save and require another").click()
    expect(pmo.locator("main")).to_contain_text(f"{TYPES[0][1]} is now required in the phase Scoping.")
    expect(pmo.locator("#id_phase")).to_have_value(str(story.phase.pk))  # the phase is kept
    pmo.locator("#id_deliverable_type").select_option(label=TYPES[1][1])
    pmo.get_by_role("button", name="Save", exact=True).click()
    expect(pmo.locator("main")).to_contain_text(f"{TYPES[1][1]} is now required in the phase Scoping.")

    pmo.get_by_role("link", name="Add a gate criterion").click()
    pmo.locator("#id_phase").select_option(label=story.phase.name_en)
    pmo.locator("#id_text").fill("Livrables requis approuvés")
    pmo.locator("#id_text_en").fill("Required deliverables approved")
    pmo.locator("#id_automatic_check").select_option("standards.deliverables")
    pmo.get_by_role("button", name="Save", exact=True).click()
    expect(pmo.locator("main")).to_contain_text("Gate criterion added.")
    scoping = pmo.locator("section", has=pmo.locator(f"#phase-{story.phase.pk}-title"))
    required = scoping.locator(".col-lg-6").first.get_by_role("listitem")  # the phase's deliverables
    for _french, english in TYPES:
        expect(required.filter(has_text=english)).to_contain_text("required at the gate")
    criterion = scoping.get_by_role("listitem").filter(has_text="Required deliverables approved").first
    expect(criterion).to_contain_text("this methodology")
    expect(criterion.locator(".bi-robot")).to_have_count(1)  # checked automatically

    pmo.goto(f"{base}/standards/projects/{CODE}/methodology/")
    pmo.locator("#id_methodology").select_option(label=name_en)
    pmo.locator("#id_reason").fill("Projet pilote du référentiel DSI.")
    pmo.get_by_role("button", name="Save the change").click()
    expect(pmo.locator("main")).to_contain_text(f"{CODE} now follows {name_en}.")


def test_the_standard_is_applied_measured_and_its_exception_decided(
    page: Page, browser: Browser, live_server, world, tmp_path: Path
):
    story = set_up(world)
    base = live_server.url
    template = docx("Charte projet — modèle DSI")

    # 1. The PMO defines the methodology and gives it to the project.
    sign_in(page, base, "pmo", world.password)
    pmo = page
    define_the_methodology(pmo, base, story)

    # 2. The PMO publishes a template for the first deliverable.
    pmo.goto(f"{base}/standards/templates/")
    pmo.get_by_role("link", name="Publish a template").click()
    pmo.locator("#id_deliverable_type").select_option(label=TYPES[0][1])
    pmo.locator("#id_file").set_input_files(
        files=[{"name": "charte-modele.docx", "mimeType": "application/octet-stream", "buffer": template}]
    )
    pmo.locator("#id_notes").fill("Première version")
    pmo.get_by_role("button", name="Publish").click()
    expect(pmo.locator("main")).to_contain_text(f"Version 1 of the template of “{TYPES[0][1]}” published.")

    # 3. The project manager downloads the template from the project's deliverables, provides it and
    # submits it; the PMO approves it.
    pm = as_user(browser, base, "pm", world.password)
    pm.goto(f"{base}/portfolio/projects/{CODE}/")
    panel = pm.locator("section", has=pm.locator("#deliverables-panel-title"))
    expect(panel).to_contain_text("Current phase: 0 of 2 deliverables approved or waived.")
    panel.get_by_role("link", name="All deliverables").click()
    expect(pm.get_by_role("heading", level=1)).to_have_text("Deliverables")
    expect(pm.locator("main")).to_contain_text("0 of 2 deliverables due approved or waived")
    charter_row = pm.get_by_role("row").filter(has_text=TYPES[0][1])
    expect(charter_row).to_contain_text("Missing")
    with pm.expect_download() as downloading:
        charter_row.get_by_role("link", name="v1").click()
    download = downloading.value
    assert download.suggested_filename == "charte-modele.docx"
    filled = tmp_path / "charte-DSI-042.docx"
    download.save_as(filled)
    assert filled.read_bytes() == template
    charter_row.get_by_role("link", name=TYPES[0][1]).click()
    expect(pm.get_by_role("heading", level=1)).to_have_text(TYPES[0][1])
    pm.locator("#id_file").set_input_files(filled)
    expect(pm.locator("#id_template option:checked")).to_contain_text("v1")
    pm.get_by_role("button", name="Submit for approval").click()
    expect(pm.locator("main")).to_contain_text(f"“{TYPES[0][1]}” submitted for approval.")
    expect(pm.locator(".page-header")).to_contain_text("Submitted for approval")
    expect(pm.get_by_role("link", name=re.compile("charte-DSI-042.docx"))).to_be_visible()
    deliverable_url = pm.url

    pmo.goto(deliverable_url)
    pmo.locator("#id_verdict").select_option("approve")
    pmo.locator("#id_comment").fill("Conforme au modèle.")
    pmo.get_by_role("button", name="Record the review").click()
    expect(pmo.locator("main")).to_contain_text(f"“{TYPES[0][1]}” approved.")
    expect(pmo.locator(".page-header")).to_contain_text("Approved")

    # 4. The gate request shows the business case missing and the automatic criterion not met.
    pm.goto(f"{base}/portfolio/projects/{CODE}/")
    pm.get_by_role("link", name="Request a stage gate review").click()
    expect(pm.get_by_role("heading", level=1)).to_have_text("Request a stage gate review")
    criterion = pm.get_by_role("listitem").filter(has_text="Required deliverables approved")
    expect(criterion).to_contain_text("Checked automatically: not met")
    checklist = pm.locator("section", has=pm.locator("#gate-deliverables-title"))
    expect(checklist.get_by_role("listitem").filter(has_text=TYPES[0][1])).to_contain_text("Approved")
    expect(checklist.get_by_role("listitem").filter(has_text=TYPES[1][1])).to_contain_text("Missing")
    expect(checklist).to_contain_text(f"Not approved yet: {TYPES[1][1]} (Missing).")

    # The compliance page: the score the standard computes, lowered by the missing business case.
    project = Project.objects.get(code=CODE)
    measured = compliance([project], on=timezone.localdate())[project.pk]
    deliverables = measured.components[DELIVERABLES]
    assert (deliverables.done, deliverables.due) == (1, 2)
    others = [c for name, c in measured.components.items() if c is not None and name != DELIVERABLES]
    without = round(100 * sum(c.ratio for c in others) / len(others)) if others else 100
    assert measured.score < without  # the missing deliverable lowers the score
    pm.goto(f"{base}/portfolio/projects/{CODE}/")
    panel = pm.locator("section", has=pm.locator("#compliance-panel-title"))
    panel.get_by_role("link", name="Details").click()
    expect(pm.get_by_test_id("compliance-score")).to_have_text(f"{measured.score} %")
    component = pm.locator("[data-component=deliverables]")
    expect(component).to_contain_text(f"{deliverables.done}/{deliverables.due}")
    expect(component).to_contain_text(TYPES[1][1])

    # 5. The manager's weekly forecast breaks the cost tolerance: an exception report is asked for.
    pm.goto(f"{base}/portfolio/projects/{CODE}/")
    pm.get_by_role("link", name=re.compile("Update status")).first.click()
    pm.locator("#id_forecast_at_completion").fill(str(FORECAST))
    pm.locator("#id_summary").fill("Le module de reporting coûte plus que prévu.")
    pm.get_by_role("button", name="Submit status").click()
    notice = pm.get_by_role("alert").filter(has_text="an exception report is requested")
    expect(notice).to_contain_text("Your forecast breaks the tolerance: an exception report is requested.")
    report = ExceptionReport.objects.get(project=project)
    notice.get_by_role("link", name=f"Write exception report {report.reference}").click()
    expect(pm.get_by_role("heading", level=1)).to_contain_text(f"Exception report: {CODE}")
    expect(pm.locator("#id_committee option:checked")).to_have_text(story.committee.name)
    pm.locator("#id_cause").fill("Le module de reporting a été sous-estimé.")
    pm.locator("#id_consequences").fill("Dépassement du budget de 12 %.")
    pm.locator("#id_recommendation").fill("Réduire le périmètre de la première version.")
    due = timezone.localdate() + timedelta(days=21)
    for number, (title, cost, days, recommended, action) in enumerate(OPTIONS):
        pm.locator(f"#id_option-{number}-title").fill(title)
        pm.locator(f"#id_option-{number}-cost_effect").fill(cost)
        pm.locator(f"#id_option-{number}-schedule_effect_days").fill(days)
        if recommended:
            pm.locator(f"#id_option-{number}-recommended").check()
        pm.locator(f"#id_action-{number}-title").fill(action)
        pm.locator(f"#id_action-{number}-owner").select_option(str(world.pm.pk))
        pm.locator(f"#id_action-{number}-due_date").fill(due.isoformat())
        pm.locator(f"#id_action-{number}-option").select_option(str(number))
    pm.get_by_role("button", name="Submit to the committee").click()
    expect(pm.locator("main")).to_contain_text(
        f"Exception report {report.reference} submitted to {story.committee.name}."
    )

    # 6. The PMO puts it on the committee's agenda, starts the meeting and picks an option.
    pmo.goto(f"{base}{story.meeting.get_absolute_url()}")
    proposals = pmo.locator("section", has=pmo.locator("#proposals"))
    expect(proposals).to_contain_text(report.reference)
    proposals.get_by_role("button", name=re.compile("Add to agenda")).first.click()
    expect(pmo.locator("#agenda-panel .agenda-item").last).to_contain_text(report.reference)
    pmo.get_by_role("button", name="Start the meeting").click()
    expect(pmo.locator("#live-item-title")).to_contain_text(report.reference)
    card = pmo.locator(".live-exception")
    options = card.locator("tbody tr")
    expect(options).to_have_count(len(OPTIONS))
    for row, (title, cost, days, recommended, action) in zip(options.all(), OPTIONS, strict=True):
        cells = row.get_by_role("cell")  # choice, option, effect on cost, on the end date, actions
        expect(cells.nth(1)).to_contain_text(title)
        expect(cells.nth(2)).to_have_text(f"{int(cost):+,}")
        expect(cells.nth(3)).to_have_text(f"+{days}" if int(days) > 0 else days)
        expect(row).to_contain_text(action)
        expect(row.get_by_text("Recommended")).to_have_count(1 if recommended else 0)
    chosen_title = OPTIONS[CHOSEN][0]
    card.get_by_label(chosen_title).check()
    card.get_by_role("button", name=re.compile("Record the decision")).click()
    expect(card.locator("tbody tr").nth(CHOSEN)).to_contain_text("Chosen", timeout=15_000)
    expect(card).to_contain_text(f"{report.reference}: option chosen, {chosen_title}")

    # 7. The chosen option's recovery action is on its owner's My actions; the other option's is not.
    pm.goto(f"{base}/governance/actions/mine/")
    expect(pm.get_by_role("heading", level=1)).to_contain_text("My actions")
    expect(pm.locator("main")).to_contain_text(OPTIONS[CHOSEN][4])
    expect(pm.locator("main")).not_to_contain_text(OPTIONS[1 - CHOSEN][4])
    pm.context.close()
