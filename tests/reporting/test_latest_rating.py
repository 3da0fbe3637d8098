"""Each project counts under its latest rating, shown with its period; "not reported this period", "stale"
and "no status" are counts and filters beside it, never a replacement for it. Read on the project list,
the dashboard, the list behind its counts and the monthly PDF, from the GMPP sample (ratings of March
2022: all stale today) and from projects closed since a past date."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from portfolio.models import ExchangeRate, Project, StatusPolicy
from portfolio.models.status import period_of
from reporting.models import Report
from reporting.pdf import kinds
from tests.imports.test_gmpp import RATINGS, column, import_sample, not_published, source
from tests.reporting.builders import build_portfolio
from tests.reporting.test_report_content import report_of, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_charts(settings):
    settings.REPORT_CHARTS = False


def expected_ratings() -> Counter:
    """The GMPP sample's ratings, read from the CSV (the IPA's, else the SRO's); None: no rating."""
    rows = source()
    ipa, sro = column(rows, "IPA Delivery Confidence"), column(rows, "SRO Delivery Confidence")
    expected = Counter()
    for row in rows:
        text = row[ipa].strip() if row[ipa].strip() and not not_published(row[ipa]) else row[sro].strip()
        expected[RATINGS.get(text)] += 1
    return expected


def list_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].paginator.count


def test_the_gmpp_sample_shows_its_latest_ratings_stale_with_their_period_everywhere(client, world, tmp_path):
    expected = expected_ratings()
    import_sample()
    total = sum(expected.values())
    client.force_login(world.pmo)

    # The dashboard counts every project, under its latest rating, each one stale and not reported now.
    dashboard = client.get("/dashboard/")
    counts = dashboard.context["rag_counts"]
    assert dashboard.context["snapshot"].active == total == 235
    assert (counts["green"], counts["amber"], counts["red"], counts["none"]) == (
        expected["green"],
        expected["amber"],
        expected["red"],
        expected[None],
    )
    assert counts["not_reported"] == total
    assert counts["stale"] == total - expected[None]
    html = dashboard.content.decode()
    assert f"{expected[None]} no status" in html
    assert "0 not reported" not in html
    # Each count links to the list behind it, which lists as many projects.
    for link in dashboard.context["rating_links"]:
        assert list_count(client, link["url"]) == link["count"], link["key"]

    # The project list: the same counts by its filters, and each rating with its period, marked stale.
    for rag in ("green", "amber", "red"):
        assert list_count(client, f"/portfolio/?rag={rag}") == expected[rag]
    assert list_count(client, "/portfolio/?rag=none") == expected[None]
    assert list_count(client, "/portfolio/?status=stale") == total - expected[None]
    assert list_count(client, "/portfolio/?status=not_reported") == total
    page = client.get("/portfolio/?rag=amber").content.decode()
    week = Project.objects.filter(last_report__isnull=False).first().last_report.period_label
    assert re.search(rf"Amber</span>\s*<span class=\"rating-period[^>]*>· {week}</span>", page)
    assert "rating-stale" in page

    # The monthly PDF says the same.
    report = report_of(Report.Kind.MONTHLY, "en")
    text = text_of(kinds.build(report).pdf, tmp_path)
    assert (
        f"{total} active projects: by their latest rating, {expected['green']} green, "
        f"{expected['amber']} amber, {expected['red']} red and {expected[None]} with no status."
    ) in text
    assert f"{total} did not report for the week; {total - expected[None]} have a stale rating." in text

    # Its budgets are in pounds: with no rate into the reporting currency they are not converted, never
    # totalled as if they were dirhams; with the rate the PMO sets, the total is converted and says so.
    pounds = sum(Project.objects.exclude(budget=None).values_list("budget", flat=True), Decimal(0))
    snapshot = client.get("/dashboard/").context["snapshot"]
    assert snapshot.currency == settings.REPORTING_CURRENCY != "GBP"
    assert snapshot.budget_at_completion is None
    assert {row.currency for row in snapshot.not_converted} == {"GBP"}
    assert len(snapshot.not_converted) == Project.objects.exclude(budget=None).count()
    ExchangeRate.objects.create(currency="GBP", valid_from=date(2022, 1, 1), rate=Decimal("12.50"))
    snapshot = client.get("/dashboard/").context["snapshot"]
    assert snapshot.budget_at_completion == pounds * Decimal("12.50")
    assert snapshot.not_converted == [] and snapshot.rate_dates == [date(2022, 1, 1)]


def test_a_rating_turns_stale_after_the_grace_the_pmo_sets(client, world):
    today = timezone.localdate()
    build_portfolio(count=3, weeks=1, today=today - timedelta(weeks=2), directorate=world.it)
    client.force_login(world.pmo)

    # The last status is for the week two weeks ago: past a 7-day grace, within a 21-day one.
    assert client.get("/dashboard/").context["rag_counts"]["stale"] == (
        3 if period_of(today) - timedelta(weeks=2) < StatusPolicy.current().stale_before(today) else 0
    )
    StatusPolicy.objects.create(grace_days=21)
    assert client.get("/dashboard/").context["rag_counts"]["stale"] == 0
    assert client.get("/dashboard/").context["rag_counts"]["not_reported"] == 3


def test_a_project_closed_since_a_past_date_is_in_that_dates_portfolio_and_one_created_after_is_not(
    client, world
):
    today = timezone.localdate()
    past = today - timedelta(weeks=4)
    projects = build_portfolio(count=3, weeks=8, today=today, directorate=world.it)
    closed = Project.objects.get(pk=projects[0].pk)
    closed._history_date = timezone.now() - timedelta(weeks=10)  # the trail's record of it, active then
    closed.save()
    closed = Project.objects.get(pk=projects[0].pk)
    closed.state = Project.State.CLOSED
    closed.save()  # recorded by the audit trail today
    client.force_login(world.pmo)

    dashboard = client.get(f"/dashboard/?as_at={past.isoformat()}")
    then = dashboard.context["snapshot"]
    now = client.get("/dashboard/").context["snapshot"]

    assert closed.code in {row.code for row in then.rows}
    assert closed.code not in {row.code for row in now.rows}
    assert then.active == now.active + 1
    # The list behind the dashboard as at that date lists it too, with the banner's date.
    listed = client.get(f"/dashboard/projects/?as_at={past.isoformat()}")
    assert closed.code in {row.code for row in listed.context["page"].object_list}
    # Each count of the ratings strip links to the list as at that date, which lists as many projects.
    for link in dashboard.context["rating_links"]:
        assert f"as_at={past.isoformat()}" in link["url"]
        assert list_count(client, link["url"]) == link["count"], link["key"]
