"""Issue 21's story, through the pages, in French: the PMO challenges a project's weekly status; the project
manager answers with a revision; the PMO assesses the project Amber/Red though it is declared green; the
dashboard and the monthly draft show declared against assessed; the PMO writes two key messages and a
decision expected, previews and publishes the month's pack, and the executive downloads the PDF and the
PowerPoint that carry them.

Set-up (the project, its manager, its green statuses) uses factories; every step a user takes is done in the
browser, each followed by what that user sees. The reports are built in the process that asks
(tests/conftest.py `_tasks_in_process`)."""

import io
import os
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from playwright.sync_api import Browser, Page, expect
from pptx import Presentation
from pypdf import PdfReader

from portfolio.models import Confidence, Rag
from portfolio.models.status import period_of
from reporting.models import Report, ReportSubscription
from reporting.periods import Frequency, Period
from reporting.report_forms import period_value
from reporting.selectors import PortfolioFigures
from tests.browser.test_smoke import sign_in
from tests.factories import ProjectFactory, StatusReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRENCH = {"locale": "fr-FR", "extra_http_headers": {"Accept-Language": "fr"}}
SHOTS = os.environ.get("PMO_SCREENSHOTS", "")  # a folder: the story's pages are kept there to be looked at
QUESTION = "Le fournisseur a-t-il confirmé la date de recette ?"
ANSWER = "Oui, par écrit le 3 ; la recette reste prévue comme annoncé."
REASON = "Recette dépendante d'un fournisseur en retard sur deux autres projets."
KEY_MESSAGES = [
    "Le portail client est déclaré vert mais le PMO l'évalue Orange/Rouge.",
    "La recette dépend d'un fournisseur déjà en retard ailleurs.",
]
DECISION = ("Arbitrer la date de recette du portail", "Maintenir la date ou la décaler d'un mois.")


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **FRENCH}


def fr(text: str, context: str = "", **values) -> str:
    """`text` as the French pages say it (the catalogue, not a copy of it)."""
    with translation.override("fr"):
        said = pgettext(context, text) if context else gettext(text)
    return said % values if values else said


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def pdf_text(pdf: bytes) -> str:
    assert pdf[:4] == b"%PDF"
    return words(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def slide_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return words(" ".join(parts))


def shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/voice_{name}.png", full_page=True)


def set_up(world):
    today = timezone.localdate()
    month = Period.containing(Frequency.MONTHLY, today).previous()  # the pack's: the last complete month
    project = ProjectFactory(
        code="PRJ-0042",
        name="Refonte du portail client",
        directorate=world.it,
        project_manager=world.pm,
    )
    # Declared green at the end of last month (the monthly report's date) and last week (the one reviewed).
    last_week = period_of(today) - timedelta(weeks=1)
    if period_of(month.end) < last_week:
        StatusReportFactory(project=project, period=period_of(month.end), submitted_by=world.pm)
    reviewed = StatusReportFactory(project=project, period=last_week, submitted_by=world.pm)
    assert reviewed.overall_rag == Rag.GREEN
    ReportSubscription.objects.create(user=world.executive, kind=Report.Kind.MONTHLY, language="fr")
    return SimpleNamespace(today=today, month=month, project=project, reviewed=reviewed)


def test_the_pmo_challenges_assesses_and_publishes_the_executive_pack(
    page: Page, browser: Browser, live_server, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.REPORT_CHARTS = False  # the charts' SVG export is not this story's
    story = set_up(world)
    project, month = story.project, story.month
    base = live_server.url
    project_url = f"{base}/portfolio/projects/{project.code}/"
    amber_red = fr(Confidence.AMBER_RED.label)

    # 1. The PMO opens the project page: last week's green status waits for review; the PMO asks a question.
    sign_in(page, base, "pmo", world.password)
    page.goto(project_url)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    thread = page.locator("#status-thread")
    expect(thread.locator(".review-state")).to_have_text(fr("Unreviewed"))
    thread.locator("summary", has_text=fr("Challenge…")).click()
    thread.get_by_label(fr("The challenge asks for")).select_option("question")
    thread.get_by_label(fr("Message to the project manager")).fill(QUESTION)
    thread.get_by_role("button", name=fr("Send the challenge")).click()
    expect(thread.locator(".review-state")).to_have_text(fr("Challenged"))
    entry = thread.locator(".review-entry").last
    expect(entry).to_contain_text(QUESTION)
    expect(entry).to_contain_text(fr("Question").lower())
    shot(page, "challenged")

    # 2. The project manager sees the challenge on My projects, answers it with a revision of the week (the
    # figures kept) and sees the answer in the thread.
    pm_context = browser.new_context(**FRENCH)
    pm = pm_context.new_page()
    sign_in(pm, base, "pm", world.password)
    expect(pm.get_by_role("heading", level=1)).to_have_text(fr("My projects"))
    expect(pm.locator("#challenged-count")).to_be_visible()
    card = pm.locator("article.project-card", has_text=project.code)
    expect(card.locator(".review-state")).to_have_text(fr("Challenged"))
    expect(card).to_contain_text(QUESTION)
    shot(pm, "my_projects")
    card.get_by_role("link", name=fr("Answer with a new revision")).click()
    expect(pm).to_have_url(f"{project_url}status/")
    challenges = pm.locator("#status-challenges")
    expect(challenges).to_contain_text(QUESTION)
    expect(challenges).to_contain_text(story.reviewed.period_label)
    challenges.get_by_label(fr("Answer to the PMO")).fill(ANSWER)
    shot(pm, "answer")
    pm.get_by_role("button", name=fr("Submit status")).click()
    expect(pm).to_have_url(project_url)
    pm_thread = pm.locator("#status-thread")
    expect(pm_thread.locator(".review-state")).to_have_text(fr("Answered"))
    expect(pm_thread.locator(".review-entry").last).to_contain_text(ANSWER)
    expect(pm_thread).to_contain_text(QUESTION)
    assert project.status_reports.get(period=story.reviewed.period, revision=2).overall_rag == Rag.GREEN
    pm_context.close()

    # 3. The PMO finds it answered in the review queue.
    page.goto(f"{base}/portfolio/reviews/")
    page.locator(".nav-tabs").get_by_role("link", name=re.compile(fr("Answered"))).click()
    row = page.locator("table.review-queue tbody tr", has_text=project.code)
    expect(row.locator(".review-state")).to_have_text(fr("Answered"))
    expect(row).to_contain_text(ANSWER)
    shot(page, "queue")

    # 4. From the project page's strip, the PMO assesses the project Amber/Red, dated the last day of the
    # month the pack reports; the strip shows declared green against assessed Amber/Red, in disagreement.
    page.goto(project_url)
    strip = page.locator("#confidence-strip")
    strip.get_by_role("link", name=fr("Assess")).click()
    expect(page).to_have_url(f"{project_url}confidence/")
    page.get_by_label(amber_red, exact=True).check()
    page.get_by_label(fr("Assessed on")).fill(month.end.isoformat())
    page.get_by_label(fr("Reason")).fill(REASON)
    page.get_by_role("button", name=fr("Record", "record an assessment")).click()
    assessments = page.locator("#assessments tbody tr")
    expect(assessments).to_have_count(1)
    expect(assessments.first).to_contain_text(amber_red)
    expect(assessments.first).to_contain_text(REASON)
    shot(page, "assessed")
    page.goto(project_url)
    expect(strip.locator(".rag").first).to_contain_text(fr("Green"))
    expect(strip).to_contain_text(amber_red)
    expect(strip).to_contain_text(fr("Disagreement"))
    shot(page, "strip")

    # 5. The dashboard's Delivery confidence panel counts it under Amber/Red and lists the disagreement, as
    # the dashboard's figures count them; its bar opens the list of those projects.
    figures = PortfolioFigures.for_user(world.pmo).snapshot(timezone.localdate())
    assert [row.confidence for row in figures.rows if row.code == project.code] == [Confidence.AMBER_RED]
    page.goto(f"{base}/dashboard/")
    panel = page.locator("#delivery-confidence")
    bar = panel.locator(f'.confidence-bar[data-level="{Confidence.AMBER_RED}"]')
    expect(bar).to_have_attribute("data-count", str(figures.confidence_count(Confidence.AMBER_RED)))
    expect(panel.locator(".disagreement-link")).to_have_attribute("data-count", str(figures.disagreements))
    disagreement = panel.locator("tbody tr", has_text=project.code)
    expect(disagreement).to_contain_text(fr("Green"))
    expect(disagreement).to_contain_text(amber_red)
    shot(page, "dashboard")
    bar.click()
    expect(page.locator("main table tbody tr", has_text=project.code)).to_have_count(1)

    # 6. The PMO opens last month's executive pack, writes two key messages and a decision expected, saves.
    page.goto(f"{base}/dashboard/reports/")
    page.locator(".page-header").get_by_role("link", name=fr("Executive packs")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fr("Executive packs"))
    expect(page.get_by_label(fr("Period"))).to_have_value(period_value(month))
    page.get_by_role("button", name=fr("Open", "open a pack")).click()
    expect(page.locator("#pack-state")).to_be_visible()
    messages = page.get_by_label(fr("Key message"), exact=True)
    for number, text in enumerate(KEY_MESSAGES):
        messages.nth(number).fill(text)
    page.get_by_label(fr("Decision expected"), exact=True).first.fill(DECISION[0])
    page.get_by_label(fr("Detail"), exact=True).first.fill(DECISION[1])
    page.get_by_role("button", name=fr("Save"), exact=True).click()
    expect(page.locator("main")).to_contain_text(fr("The draft is saved."))
    for number, text in enumerate(KEY_MESSAGES):
        expect(messages.nth(number)).to_have_value(text)
    shot(page, "pack")

    # The draft's preview is the monthly PDF with the PMO's words and declared against assessed.
    preview = page.get_by_role("link", name=fr("Preview the saved draft"))
    response = page.request.get(base + preview.get_attribute("href"))
    assert response.ok
    draft = pdf_text(response.body())
    month_figures = PortfolioFigures.for_everyone().snapshot(month.end)
    assert month_figures.disagreements >= 1
    confidence_section = draft[draft.index(fr("The PMO's assessed delivery confidence, by project:")) :]
    assert f"{amber_red} {month_figures.confidence_count(Confidence.AMBER_RED)}" in confidence_section
    assert project.code in confidence_section
    for text in [*KEY_MESSAGES, *DECISION]:
        assert text in draft

    # It publishes the pack after confirming: version 1, its reports built in each language.
    page.get_by_role("button", name=fr("Publish…")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fr("Publish the pack"))
    shot(page, "publish")
    page.get_by_role("button", name=fr("Publish version %(number)s", number=1)).click()
    expect(page.locator("#pack-state")).to_have_text(fr("Published"))
    version = page.locator('tr[data-version="1"]')
    expect(version.get_by_role("link")).to_have_count(2)
    shot(page, "published")
    # The executive, who subscribed to the monthly report in French, is emailed its link once.
    french = Report.objects.get(publication__number=1, language="fr")
    emailed = [message for message in mail.outbox if world.executive.email in message.to]
    assert len(emailed) == 1
    assert french.get_absolute_url() in emailed[0].body

    # 7. The executive opens Reports: last month's monthly report, in French, as a PDF and a PowerPoint.
    executive_context = browser.new_context(**FRENCH, accept_downloads=True)
    executive = executive_context.new_page()
    sign_in(executive, base, "executive", world.password)
    monthly = executive.locator('article[data-kind="monthly"]')
    download = monthly.get_by_role("link", name=fr("Download"), exact=True)
    for _attempt in range(30):  # built in the publishing request: ready at once, unless the machine is slow
        executive.goto(f"{base}/dashboard/reports/")
        if download.count():
            break
        executive.wait_for_timeout(1000)
    with translation.override("fr"):
        expect(monthly.locator(".report-latest-period")).to_have_text(month.label)
    shot(executive, "reports")
    with executive.expect_download() as pdf_download:
        download.click()
    with open(pdf_download.value.path(), "rb") as handle:
        published = pdf_text(handle.read())
    for text in [*KEY_MESSAGES, *DECISION]:
        assert text in published
    assert fr("The PMO's assessed delivery confidence, by project:") in published
    assert project.code in published

    with executive.expect_download() as slides_download:
        monthly.get_by_role("link", name=fr("PowerPoint")).click()
    assert slides_download.value.suggested_filename.endswith(".pptx")
    with open(slides_download.value.path(), "rb") as handle:
        deck = Presentation(io.BytesIO(handle.read()))
    slides = [slide_text(slide) for slide in deck.slides]
    for text in [*KEY_MESSAGES, *DECISION]:
        assert any(text in slide for slide in slides), text
    assert any(shape.has_chart for slide in deck.slides for shape in slide.shapes)
    executive_context.close()
