"""What the weekly, monthly and quarterly PDF reports say: read back from the PDF with pdftotext, against
the dashboard's own figures (PortfolioFigures, the tiles) written with the dashboard's own filters."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from pypdf import PdfReader

from governance.models import Action, Decision
from pmo.templatetags.pmo_tags import money_short
from portfolio.models import Rag
from portfolio.models.status import period_of
from reporting.models import Report
from reporting.pdf import charts as pdf_charts
from reporting.pdf import kinds
from reporting.pdf.content import common, monthly
from reporting.pdf.render import html_of
from reporting.periods import Frequency, Period
from reporting.selectors import PortfolioFigures
from reporting.templatetags.reporting_tags import index, kpi_value
from reporting.tiles import dashboard_kpis, tiles
from tests.factories import CommitteeFactory, DirectorateFactory, make_risk
from tests.reporting.builders import build_portfolio, computed_kpi

KPIS = ("status_compliance", "rag_red_share", "portfolio_cpi", "forecast_to_budget", "milestones_met")
PERIODIC = {
    Report.Kind.WEEKLY: Frequency.WEEKLY,
    Report.Kind.MONTHLY: Frequency.MONTHLY,
    Report.Kind.QUARTERLY: Frequency.QUARTERLY,
}


@pytest.fixture(autouse=True)
def _no_charts(settings):
    # Chart export costs seconds; one test below checks it when Chromium is there.
    settings.REPORT_CHARTS = False


def this_week_turns(index: int, week):
    """Project 0 turns red this week, project 1 goes from amber to green, project 2 stays green,
    project 3 does not report this week; the others stay green."""
    this_week = period_of(timezone.localdate())
    if week != this_week:
        return Rag.AMBER if index == 1 else Rag.GREEN
    return {0: Rag.RED, 1: Rag.GREEN, 3: None}.get(index, Rag.GREEN)


@pytest.fixture
def portfolio(world):
    for function in KPIS:
        computed_kpi(function)
    return build_portfolio(
        count=5, weeks=6, today=timezone.localdate(), directorate=world.it, rag=this_week_turns, prefix="RPT"
    )


def report_of(kind: str, language: str, **scope) -> Report:
    period = Period.containing(PERIODIC[kind], timezone.localdate())
    return Report.objects.create(kind=kind, language=language, period=period.start, **scope)


def text_of(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text, one space for any run of spaces (no-break ones too) and line breaks."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(
        r"\s+", " ", text.replace("\N{NO-BREAK SPACE}", " ").replace("\N{NARROW NO-BREAK SPACE}", " ")
    )


def flat(value: str) -> str:
    return re.sub(
        r"\s+", " ", value.replace("\N{NO-BREAK SPACE}", " ").replace("\N{NARROW NO-BREAK SPACE}", " ")
    )


def between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_monthly_report_holds_every_active_project_and_the_dashboards_headline_figures(
    portfolio, tmp_path, language
):
    report = report_of(Report.Kind.MONTHLY, language)
    text = text_of(kinds.build(report).pdf, tmp_path)

    on = common.as_at(report)
    figures = PortfolioFigures.for_everyone(scope=report.scope, today=timezone.localdate())
    snapshot = figures.snapshot(on)
    assert snapshot.active == len(portfolio)
    for row in snapshot.rows:
        assert row.code in text
    with translation.override(language):
        dashboard = tiles(dashboard_kpis(), figures=figures, as_at=on, today=figures.today)
        assert len(dashboard) == len(KPIS)
        for tile in dashboard:
            assert flat(kpi_value(tile.value, tile.kpi.unit)) in text, tile.kpi.code
        currency = settings.DEFAULT_CURRENCY
        gettext = translation.gettext
        summary = between(text, gettext("Executive summary"), gettext("KPI scorecard"))
        for figure in (
            kpi_value(snapshot.compliance, "percent"),
            index(snapshot.cpi),
            index(snapshot.spi),
            money_short(snapshot.forecast_at_completion, currency),
            money_short(snapshot.budget_at_completion, currency),
            kpi_value(figures.risk_exposure(on)[0], "score"),
        ):
            assert flat(figure) in summary
        # Numbers are written in the report's language: the CPI's decimal separator.
        assert ("," if language == "fr" else ".") in index(snapshot.cpi)
    if language == "en":  # the sentence, in the language the test is written in
        counts = (
            f"{snapshot.count(Rag.GREEN)} green, {snapshot.count(Rag.AMBER)} amber, "
            f"{snapshot.count(Rag.RED)} red"
        )
        assert f"{snapshot.active} active projects: by their latest rating, {counts}" in summary


def test_the_weekly_flash_lists_the_projects_whose_rag_changed_and_those_that_did_not_report(
    portfolio, tmp_path
):
    text = text_of(kinds.build(report_of(Report.Kind.WEEKLY, "en")).pdf, tmp_path)
    red, better, steady, silent = (project.code for project in portfolio[:4])

    new_red = between(text, "New red projects", "RAG changes since last week")
    assert red in new_red and better not in new_red
    changes = between(text, "RAG changes since last week", "Decisions of the week")
    assert red in changes and better in changes
    assert steady not in changes and silent not in changes
    assert silent in text[text.index("Projects that did not report") :]


def test_the_weekly_flash_fits_in_three_pages(portfolio):
    assert kinds.build(report_of(Report.Kind.WEEKLY, "fr")).pages <= 3


def test_an_overdue_action_and_a_decision_of_the_month_are_in_the_monthly_report(portfolio, world, tmp_path):
    today = timezone.localdate()
    committee = CommitteeFactory()
    Decision.objects.create(
        reference="DEC-2026-0901",
        title="Lancer le lot 2",
        committee=committee,
        decided_on=today,
        project=portfolio[0],
    )
    Action.objects.create(
        reference="ACT-2026-0901",
        title="Chiffrer le plan B",
        owner=world.pm,
        due_date=today - timedelta(days=3),
    )
    report = report_of(Report.Kind.MONTHLY, "en")
    text = text_of(kinds.build(report).pdf, tmp_path)
    figures = PortfolioFigures.for_everyone(scope=report.scope)
    assert figures.overdue_actions(common.as_at(report)) == len(
        common.overdue_actions(figures, common.as_at(report))
    )
    assert "Chiffrer le plan B" in between(text, "Action follow-up", "Milestone slippage")
    assert "Lancer le lot 2" in between(text, "Decisions of the month", "Action follow-up")


@pytest.mark.parametrize("kind", list(PERIODIC))
def test_an_empty_directorate_gives_a_sensible_report(portfolio, tmp_path, kind):
    empty = DirectorateFactory(code="VIDE", name="Direction sans projet")
    rendered = kinds.build(report_of(kind, "en", directorate=empty))
    text = text_of(rendered.pdf, tmp_path)
    assert "Direction sans projet" in text
    assert "no active project" in text.lower()
    assert not any(project.code in text for project in portfolio)


def test_the_quarterly_report_puts_exceptions_first_and_the_full_table_in_an_appendix(portfolio, tmp_path):
    text = text_of(kinds.build(report_of(Report.Kind.QUARTERLY, "en")).pdf, tmp_path)
    exceptions = between(text, "Exceptions", "Largest end-date slips")
    red, _better, steady, *_rest = (project.code for project in portfolio)
    assert red in exceptions and steady not in exceptions
    appendix = text[text.index("Appendix") :]
    assert all(project.code in appendix for project in portfolio)
    assert "No lesson was recorded this quarter." in text  # none recorded: the section says so


def test_a_long_exception_list_shows_the_worst_and_says_how_many_there_are(portfolio, tmp_path, monkeypatch):
    monkeypatch.setattr(common, "EXCEPTIONS_SHOWN", 1)
    report = report_of(Report.Kind.QUARTERLY, "en")
    every = common.exceptions(monthly.context(report)["table"])
    assert len(every) > 1  # the portfolio has more exceptions than are shown

    text = text_of(kinds.build(report).pdf, tmp_path)

    exceptions = between(text, "Exceptions", "Largest end-date slips")
    listed = [line.project.code for line in every if line.project.code in exceptions]
    assert listed == [every[0].project.code]  # the worst one only
    assert f"The 1 most serious of the {len(every)} are listed" in exceptions


def test_the_reports_have_bookmarks_for_their_sections(portfolio):
    outline = PdfReader(BytesIO(kinds.build(report_of(Report.Kind.MONTHLY, "en")).pdf)).outline

    def titles(items):
        for item in items:
            yield from titles(item) if isinstance(item, list) else [item.title]

    found = set(titles(outline))
    assert {"Executive summary", "KPI scorecard", "Portfolio table", "Action follow-up"} <= found


def test_user_text_is_escaped(portfolio):
    project = portfolio[0]
    project.name = "<b>Refonte</b> & co"
    project.save()
    html = html_of(
        "reporting/pdf/monthly.html", monthly.context(report_of(Report.Kind.MONTHLY, "en")), language="en"
    )
    assert "&lt;b&gt;Refonte&lt;/b&gt; &amp; co" in html
    assert "<b>Refonte</b>" not in html


def test_the_monthly_context_costs_the_same_queries_for_2_and_10_projects(world):
    today = timezone.localdate()
    for function in KPIS:
        computed_kpi(function)
    committee = CommitteeFactory()
    counts = []
    for size, directorate in ((2, world.it), (10, world.finance)):
        projects = build_portfolio(
            count=size, weeks=3, today=today, directorate=directorate, prefix=f"Q{size}"
        )
        for n, project in enumerate(projects):  # something of each kind behind every project
            make_risk(project=project, owner=world.pm, by=world.pmo, probability=4, impact=4)
            Decision.objects.create(
                reference=f"DEC-{size}-{n}", title="D", committee=committee, decided_on=today, project=project
            )
            Action.objects.create(
                reference=f"ACT-{size}-{n}",
                title="A",
                owner=world.pm,
                due_date=today - timedelta(days=1),
                project=project,
            )
        report = report_of(Report.Kind.MONTHLY, "en", directorate=directorate)
        with CaptureQueriesContext(connection) as queries, translation.override("en"):
            html_of("reporting/pdf/monthly.html", monthly.context(report), language="en")
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] > 10  # the context was read: the tiles, the snapshot, the lists


def test_charts_are_inline_svg(portfolio, settings):
    """Debian's Chromium is installed by bin/setup (the app needs it for charts): no skipping here."""
    settings.REPORT_CHARTS = True
    try:
        html = html_of(
            "reporting/pdf/monthly.html", monthly.context(report_of(Report.Kind.MONTHLY, "en")), language="en"
        )
    finally:
        pdf_charts.stop()  # once started, the server would serve the other tests' charts too
    assert html.count("<svg") >= 4
    assert "Chart unavailable" not in html


def test_without_chart_export_each_chart_shows_its_data(portfolio, tmp_path):
    text = text_of(kinds.build(report_of(Report.Kind.MONTHLY, "en")).pdf, tmp_path)
    charts = between(text, "Charts", "Top risks and heatmap")
    assert charts.count("Chart unavailable: its data") == 4
    assert world_directorate_code(portfolio) in charts  # the RAG-by-directorate chart's rows


def world_directorate_code(portfolio) -> str:
    return portfolio[0].directorate.code
