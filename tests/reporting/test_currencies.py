"""Money in the reporting currency: a portfolio in MAD, EUR and GBP (and USD, with no rate) totals the
same on the dashboard, in the monthly PDF, in the CSV export's converted column and in the API, each
amount at the rate in force on the as-at date; the USD project is listed as not converted and left out,
never summed raw."""

from __future__ import annotations

import html
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from pmo.templatetags.pmo_tags import money_short
from portfolio.models import ExchangeRate, Project, StatusReport
from reporting.models import Report
from reporting.pdf import kinds
from reporting.pdf.content import common
from reporting.periods import Frequency, Period
from reporting.selectors import PortfolioFigures
from tests.reporting.builders import build_portfolio, computed_kpi
from tests.reporting.test_report_content import text_of
from tests.spreadsheets import read_csv

CENT = Decimal("0.01")
TODAY = timezone.localdate()
MONTH = Period.containing(Frequency.MONTHLY, TODAY).previous()
AS_AT = MONTH.end  # the monthly report's date; the EUR rate changes the day after
BUDGETS = {
    "MAD": Decimal(5_000_000),
    "EUR": Decimal(2_000_000),
    "GBP": Decimal(1_000_000),
    "USD": Decimal(3_000_000),
}
RATES = {  # currency: [(valid from, rate into MAD)]
    "EUR": [(AS_AT - timedelta(days=60), Decimal("10.80")), (AS_AT + timedelta(days=1), Decimal("11.00"))],
    "GBP": [(AS_AT - timedelta(days=100), Decimal("12.50"))],
}


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.REPORT_CHARTS = False
    settings.DEFAULT_CURRENCY = settings.REPORTING_CURRENCY = "MAD"


def rate_on(currency: str, day: date) -> tuple[Decimal, date | None] | None:
    """The test's own reading of its rate table: the latest rate from `day` or before."""
    if currency == "MAD":
        return Decimal(1), None
    dated = [(valid_from, rate) for valid_from, rate in RATES.get(currency, []) if valid_from <= day]
    return (dated[-1][1], dated[-1][0]) if dated else None


def expected_total(projects: list[Project], day: date) -> Decimal:
    total = Decimal(0)
    for project in projects:
        if (found := rate_on(project.currency, day)) is not None:
            total += (project.budget * found[0]).quantize(CENT, rounding=ROUND_HALF_UP)
    return total


@pytest.fixture
def portfolio(world):
    computed_kpi("budget_at_completion")
    projects = build_portfolio(count=len(BUDGETS), weeks=12, today=TODAY, directorate=world.it, prefix="FX")
    for project, (currency, budget) in zip(projects, BUDGETS.items(), strict=True):
        project.currency, project.budget = currency, budget
        Project.objects.filter(pk=project.pk).update(currency=currency, budget=budget)
    for currency, dated in RATES.items():
        for valid_from, rate in dated:
            ExchangeRate.objects.create(currency=currency, valid_from=valid_from, rate=rate)
    return {project.currency: project for project in projects}


def test_a_total_converts_each_amount_at_the_rate_in_force_on_its_date_and_leaves_out_the_unconverted(
    portfolio,
):
    projects = list(portfolio.values())
    figures = PortfolioFigures.for_everyone(today=TODAY)
    then, now = figures.snapshot(AS_AT), figures.snapshot(TODAY)

    assert then.budget_at_completion == expected_total(projects, AS_AT)
    assert now.budget_at_completion == expected_total(projects, TODAY)
    # The EUR rate changed after the earlier date: each date's total used its own rate.
    assert now.budget_at_completion - then.budget_at_completion == (BUDGETS["EUR"] * Decimal("0.20"))
    assert then.rate_dates == sorted([RATES["GBP"][0][0], RATES["EUR"][0][0]])
    assert now.rate_dates == sorted([RATES["GBP"][0][0], RATES["EUR"][1][0]])
    # USD has no rate: listed, left out of every total (never summed as if in MAD).
    assert [row.code for row in then.not_converted] == [portfolio["USD"].code]
    assert then.currency == "MAD"


def test_portfolio_indices_sum_earned_value_in_one_currency_and_leave_out_the_unconverted(portfolio):
    snapshot = PortfolioFigures.for_everyone(today=TODAY).snapshot(AS_AT)
    ev = ac = pv = Decimal(0)
    for row in snapshot.rows:
        if (found := rate_on(row.currency, AS_AT)) is None or row.earned_value is None:
            continue
        rate = found[0]
        converted = (
            (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP) if row.currency != "MAD" else amount
            for amount in (row.earned_value.ev, row.earned_value.ac, row.earned_value.pv)
        )
        row_ev, row_ac, row_pv = converted
        ev, ac, pv = ev + row_ev, ac + row_ac, pv + row_pv
    assert snapshot.cpi == (ev / ac).quantize(Decimal("0.001"))
    assert snapshot.spi == (pv and (ev / pv).quantize(Decimal("0.001")))
    # The USD project's own figures, however large, do not move the portfolio's indices.
    StatusReport.objects.filter(project=portfolio["USD"]).update(actual_cost=Decimal(10**9))
    again = PortfolioFigures.for_everyone(today=TODAY).snapshot(AS_AT)
    assert again.cpi == snapshot.cpi


def test_dashboard_list_csv_pdf_and_api_give_the_same_total(portfolio, client, world, tmp_path):
    projects = list(portfolio.values())
    then, now = expected_total(projects, AS_AT), expected_total(projects, TODAY)
    raw = sum(BUDGETS.values())
    client.force_login(world.pmo)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"

    # The dashboard as at the monthly report's date: its tile and its budget card, with the basis.
    page = html.unescape(client.get("/dashboard/", {"as_at": AS_AT.isoformat()}).content.decode())
    with translation.override("fr"):
        assert money_short(then, "MAD") in page
        assert money_short(raw, "MAD") not in page
        assert money_short(now, "MAD") not in page  # not today's rate
    rate_days = sorted([RATES["GBP"][0][0], RATES["EUR"][0][0]])
    with translation.override("fr"):  # dates as the language writes them, never 2026-12-01
        rate_dates = ", ".join(date_format(day, "SHORT_DATE_FORMAT") for day in rate_days)
    assert f"en MAD, taux du {rate_dates}" in page
    assert "non converti : 1 projet" in page
    # "Not converted" links to the list of exactly those projects, at the same date.
    link = f"/dashboard/projects/?as_at={AS_AT.isoformat()}&amp;converted=no"
    assert link in client.get("/dashboard/", {"as_at": AS_AT.isoformat()}).content.decode()
    listed = client.get("/dashboard/projects/", {"as_at": AS_AT.isoformat(), "converted": "no"})
    assert listed.context["page"].paginator.count == 1
    assert portfolio["USD"].code in listed.content.decode()

    # The CSV export: each row its own currency and amount, plus the converted amount and rate date.
    sheet = read_csv(client.get("/dashboard/projects/", {"as_at": AS_AT.isoformat(), "export": "csv"}))
    records = {record["Code"]: record for record in sheet.records()}
    converted = [
        Decimal(value.replace(",", ".")) for value in sheet.column("Budget à terminaison en MAD") if value
    ]
    assert sum(converted) == then
    eur = records[portfolio["EUR"].code]
    assert (eur["Devise"], eur["Date du taux de change"]) == ("EUR", RATES["EUR"][0][0].isoformat())
    assert Decimal(eur["Budget à terminaison"].replace(",", ".")) == BUDGETS["EUR"]
    usd = records[portfolio["USD"].code]
    assert usd["Budget à terminaison en MAD"] == "" and usd["Converti"] == "Non (pas de taux)"

    # The monthly PDF of that month says the same total, its rate dates and the project left out.
    report = Report.objects.create(kind=Report.Kind.MONTHLY, language="en", period=MONTH.start)
    assert common.as_at(report) == AS_AT
    text = text_of(kinds.build(report).pdf, tmp_path)
    with translation.override("en"):
        assert f"for a budget of {money_short(then, 'MAD')}".replace("\N{NO-BREAK SPACE}", " ") in text
    with translation.override("en"):
        rate_dates = ", ".join(date_format(day, "SHORT_DATE_FORMAT") for day in rate_days)
    assert f"in MAD, rates of {rate_dates}" in text
    assert f"not converted: 1 project ({portfolio['USD'].code} USD)" in text

    # The API, today: the projects' converted budgets sum to today's dashboard total.
    token, _created = Token.objects.get_or_create(user=world.pmo)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    results = api.get("/api/projects/", {"state": "active", "page_size": 200}).json()["results"]
    amounts = [row["in_reporting_currency"] for row in results]
    assert sum(Decimal(a["budget"]) for a in amounts if a["budget"] is not None) == now
    by_code = {row["code"]: row for row in results}
    assert by_code[portfolio["EUR"].code]["budget"] == f"{BUDGETS['EUR']:.2f}"  # the original, kept
    # Converted amounts are decimal strings, as the schema says and as every other amount is.
    assert all(isinstance(a["budget"], str) for a in amounts if a["budget"] is not None)
    assert (
        by_code[portfolio["EUR"].code]["in_reporting_currency"]["rate_date"] == RATES["EUR"][1][0].isoformat()
    )
    assert by_code[portfolio["USD"].code]["in_reporting_currency"]["converted"] is False
    today_page = html.unescape(client.get("/dashboard/").content.decode())
    with translation.override("fr"):
        assert money_short(now, "MAD") in today_page


def test_an_all_gbp_portfolio_is_never_labelled_mad_without_a_rate_and_converted_with_one(
    world, client, settings
):
    """The GMPP-style import: every project in GBP while the organisation reports in MAD."""
    computed_kpi("budget_at_completion")
    projects = build_portfolio(count=3, weeks=4, today=TODAY, directorate=world.it, prefix="GMPP")
    Project.objects.filter(pk__in=[p.pk for p in projects]).update(currency="GBP")
    raw = sum(p.budget for p in projects)
    client.force_login(world.executive)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"

    page = html.unescape(client.get("/dashboard/").content.decode())
    with translation.override("fr"):
        assert money_short(raw, "MAD") not in page
    assert "non convertis : 3 projets" in page
    snapshot = PortfolioFigures.for_everyone(today=TODAY).snapshot(TODAY)
    assert snapshot.budget_at_completion is None  # n/a, not "0 MAD"
    assert len(snapshot.not_converted) == 3

    ExchangeRate.objects.create(currency="GBP", valid_from=TODAY - timedelta(days=7), rate=Decimal("12.5"))
    page = html.unescape(client.get("/dashboard/").content.decode())
    with translation.override("fr"):
        assert money_short(raw * Decimal("12.5"), "MAD") in page
        assert money_short(raw, "MAD") not in page
    assert "non converti" not in page
    with translation.override("fr"):
        assert f"en MAD, taux du {date_format(TODAY - timedelta(days=7), 'SHORT_DATE_FORMAT')}" in page


def test_a_rate_into_another_reporting_currency_is_never_used(world, settings):
    """Rates kept from before a change of REPORTING_CURRENCY convert nothing into the new one."""
    projects = build_portfolio(count=1, weeks=2, today=TODAY, directorate=world.it, prefix="OLD")
    Project.objects.filter(pk=projects[0].pk).update(currency="GBP")
    ExchangeRate.objects.create(currency="GBP", valid_from=TODAY - timedelta(days=7), rate=Decimal("12.5"))
    settings.REPORTING_CURRENCY = "EUR"

    snapshot = PortfolioFigures.for_everyone(today=TODAY).snapshot(TODAY)
    assert snapshot.currency == "EUR" and [row.code for row in snapshot.not_converted] == [projects[0].code]
