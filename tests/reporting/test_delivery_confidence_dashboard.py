"""The PMO's assessed delivery confidence on the dashboard, its list, its export and the monthly report:
each bar counts as many projects as the list it links to and the export hold, as at today and as at a
past date; the disagreements (declared against assessed) likewise; the dashboard's queries do not grow
with the assessments."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from portfolio.assurance import Confidence, confidence_as_at, confidence_record, disagrees
from portfolio.models import Rag
from reporting.models import Report
from reporting.pdf import kinds
from reporting.periods import Frequency, Period
from reporting.templatetags.report_tags import confidence_letter
from tests.reporting.builders import build_portfolio
from tests.reporting.test_report_content import text_of
from tests.spreadsheets import read_csv

pytestmark = pytest.mark.django_db

LEVELS = list(Confidence)
RAG_CYCLE = (Rag.GREEN, Rag.AMBER, Rag.RED)


def assess(projects, *, on, by, shift: int = 0) -> None:
    """Every other project assessed on `on`, its level cycling through the five (shifted by `shift`)."""
    for n, project in enumerate(projects):
        if n % 2 == 0:
            level = LEVELS[(n // 2 + shift) % len(LEVELS)]
            confidence_record(project=project, rating=level, assessed_on=on, reason="Revue PMO", user=by)


@pytest.fixture
def assessed(world):
    """Twelve projects: assessed sixty days ago, then again (other levels) five days ago."""
    today = timezone.localdate()
    projects = build_portfolio(
        count=12, weeks=12, today=today, directorate=world.it, rag=lambda i, w: RAG_CYCLE[i % 3]
    )
    assess(projects, on=today - timedelta(days=60), by=world.pmo)
    assess(projects, on=today - timedelta(days=5), by=world.pmo, shift=2)
    return projects


def listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].paginator.count


def export_rows(client, url: str) -> list[list[str]]:
    sheet = read_csv(client.get(url + ("&" if "?" in url else "?") + "export=csv", HTTP_ACCEPT_LANGUAGE="en"))
    return sheet.header, sheet.rows


@pytest.mark.parametrize("days_ago", [0, 30])
def test_each_bar_counts_the_rows_of_its_list_and_of_its_export_as_at_the_date(
    client, world, assessed, days_ago
):
    today = timezone.localdate()
    on = today - timedelta(days=days_ago)
    client.force_login(world.executive)
    url = "/dashboard/" if not days_ago else f"/dashboard/?as_at={on.isoformat()}"
    response = client.get(url)
    bars = response.context["confidence_links"]
    snapshot = response.context["snapshot"]
    # The one function: each project's latest assessment dated by then.
    assessments = confidence_as_at([p.pk for p in assessed], on)

    assert [bar["key"] for bar in bars] == [*Confidence.values, "none"]
    assert sum(bar["count"] for bar in bars) == snapshot.active
    for bar in bars:
        if days_ago:
            assert f"as_at={on.isoformat()}" in bar["url"]
        assert listed(client, bar["url"]) == bar["count"], bar["key"]
        header, rows = export_rows(client, bar["url"])
        assert len(rows) == bar["count"], bar["key"]
        level = bar["level"]
        assert bar["count"] == sum(
            1 for p in assessed if (assessments[p.pk].rating if p.pk in assessments else "") == level
        )
        column = header.index("Delivery confidence")
        label = str(Confidence(level).label) if level else "Not assessed"
        assert {row[column] for row in rows} <= {label}
    assert f'data-count="{bars[0]["count"]}"' in response.content.decode()


@pytest.mark.parametrize("days_ago", [0, 30])
def test_the_disagreements_link_lists_as_many_projects_as_it_counts(client, world, assessed, days_ago):
    on = timezone.localdate() - timedelta(days=days_ago)
    client.force_login(world.executive)
    response = client.get("/dashboard/" if not days_ago else f"/dashboard/?as_at={on.isoformat()}")
    snapshot = response.context["snapshot"]
    url = response.context["disagreements_url"]
    page = client.get(url)
    rows = page.context["page"].object_list

    assert "disagreement=1" in url
    assert snapshot.disagreements == sum(1 for row in snapshot.rows if disagrees(row.rag, row.confidence))
    assert snapshot.disagreements > 0  # the fixture's cycles make some
    assert page.context["page"].paginator.count == snapshot.disagreements
    assert all(disagrees(row.rag, row.confidence) for row in rows)
    _header, exported = export_rows(client, url)
    assert len(exported) == snapshot.disagreements


def test_the_list_shows_the_assessed_column_and_sorts_the_worst_first(client, world, assessed):
    client.force_login(world.executive)
    with translation.override("en"):
        response = client.get("/dashboard/projects/?sort=-confidence", HTTP_ACCEPT_LANGUAGE="en")
    rows = response.context["page"].object_list
    page = response.content.decode()

    assert "Assessed" in page
    assert rows[0].confidence == Confidence.RED
    assert [row.confidence for row in rows if not row.confidence] == [""] * 6  # not assessed last
    assert rows[-1].confidence == ""


def test_a_level_not_understood_lists_every_project_and_says_so(client, world, assessed):
    client.force_login(world.executive)
    response = client.get("/dashboard/projects/?confidence=purple", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == len(assessed)


def dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/dashboard/").status_code == 200
    return len(captured)


def test_the_dashboard_reads_every_assessment_in_one_query_whatever_their_number(client, world, assessed):
    client.force_login(world.executive)
    few = dashboard_queries(client)
    more = build_portfolio(count=30, weeks=4, today=timezone.localdate(), directorate=world.it, prefix="MOR")
    assess(more, on=timezone.localdate() - timedelta(days=3), by=world.pmo)
    assess(more, on=timezone.localdate() - timedelta(days=1), by=world.pmo, shift=1)
    # The pinned count (tests/reporting/test_dashboard.py) lists the queries: the assessments are one of
    # the snapshots' queries, for every project and date.
    assert dashboard_queries(client) == few


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_monthly_report_states_the_confidence_per_level_and_the_disagreements(
    world, assessed, tmp_path, language
):
    period = Period.containing(Frequency.MONTHLY, timezone.localdate())
    report = Report.objects.create(kind=Report.Kind.MONTHLY, language=language, period=period.start)
    text = text_of(kinds.build(report).pdf, tmp_path)

    with translation.override(language):
        heading = str(translation.gettext("Delivery confidence"))
        names = [str(level.label) for level in Confidence]
        mixed = [confidence_letter(level) for level in (Confidence.AMBER_GREEN, Confidence.AMBER_RED)]
    assert heading in text
    section = text[text.index(heading) :]
    for name in names:
        assert name in section
    assert any(letters in text for letters in mixed)  # the tables' letters for the mixed levels
