"""The PMO's exchange rates: one conversion, a page to keep them, and a CSV import that previews before it
saves and saves nothing from a file with an error."""

from __future__ import annotations

import html
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portfolio.exchange import Rates, convert
from portfolio.models import ExchangeRate

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _currencies(settings):
    settings.DEFAULT_CURRENCY = settings.REPORTING_CURRENCY = "MAD"


def rate(currency: str, valid_from: date, value: str) -> ExchangeRate:
    return ExchangeRate.objects.create(currency=currency, valid_from=valid_from, rate=Decimal(value))


# --- The conversion --------------------------------------------------------------------------------


def test_convert_uses_the_latest_rate_from_the_date_or_before_and_says_its_date():
    rate("EUR", DAY - timedelta(days=30), "10.80")
    rate("EUR", DAY, "11.00")

    before = convert(Decimal("100.00"), "EUR", on=DAY - timedelta(days=1))
    on_the_day = convert(Decimal("100.00"), "EUR", on=DAY)
    assert (before.amount, before.rate_date) == (Decimal("1080.00"), DAY - timedelta(days=30))
    assert (on_the_day.amount, on_the_day.rate_date) == (Decimal("1100.00"), DAY)


def test_convert_says_no_rate_before_the_first_one_and_for_an_unknown_currency():
    rate("EUR", DAY, "11.00")

    for result in (
        convert(Decimal(5), "EUR", on=DAY - timedelta(days=1)),
        convert(Decimal(5), "USD", on=DAY),
    ):
        assert result.converted is False and result.amount is None and result.rate_date is None


def test_an_amount_in_the_reporting_currency_needs_no_rate_and_costs_no_query(django_assert_num_queries):
    rates = Rates()
    with django_assert_num_queries(0):
        result = rates.convert(Decimal("12.34"), "MAD", on=DAY)
    assert (result.amount, result.converted, result.rate_date) == (Decimal("12.34"), True, None)


def test_converted_amounts_are_rounded_to_the_cent():
    rate("GBP", DAY, "12.345678")
    assert convert(Decimal("1.00"), "GBP", on=DAY).amount == Decimal("12.35")


# --- The page ----------------------------------------------------------------------------------------


def test_the_pmo_adds_a_rate_and_sees_it_listed_with_the_projects_currencies(client, world):
    client.force_login(world.pmo)
    response = client.post(
        "/portfolio/exchange-rates/new/", {"currency": "eur", "valid_from": "2026-11-30", "rate": "10,85"}
    )
    assert response.status_code == 302
    saved = ExchangeRate.objects.get()
    assert (saved.currency, saved.valid_from, saved.rate, saved.reporting_currency) == (
        "EUR",
        DAY,
        Decimal("10.85"),
        "MAD",
    )
    page = client.get("/portfolio/exchange-rates/").content.decode()
    assert "2026-11-30" in page and "10,85" in page


def test_a_second_rate_for_the_same_currency_and_day_is_refused_and_the_form_keeps_the_input(client, world):
    rate("EUR", DAY, "10.85")
    client.force_login(world.pmo)
    response = client.post(
        "/portfolio/exchange-rates/new/", {"currency": "EUR", "valid_from": "2026-11-30", "rate": "10.99"}
    )
    assert response.status_code == 200
    assert "valid_from" in response.context["form"].errors
    assert 'value="10.99"' in response.content.decode()
    assert ExchangeRate.objects.get().rate == Decimal("10.85")


def test_a_rate_for_the_reporting_currency_itself_is_refused(client, world):
    client.force_login(world.pmo)
    response = client.post(
        "/portfolio/exchange-rates/new/", {"currency": "MAD", "valid_from": "2026-11-30", "rate": "1"}
    )
    assert response.status_code == 200 and "currency" in response.context["form"].errors
    assert not ExchangeRate.objects.exists()


def test_a_project_manager_may_not_see_nor_change_the_rates(client, world):
    client.force_login(world.pm)
    assert client.get("/portfolio/exchange-rates/").status_code == 403
    response = client.post(
        "/portfolio/exchange-rates/new/", {"currency": "EUR", "valid_from": "2026-11-30", "rate": "10"}
    )
    assert response.status_code == 403 and not ExchangeRate.objects.exists()


# --- The CSV import ------------------------------------------------------------------------------------

GOOD = "currency,valid_from,rate\nEUR,2026-11-30,10.85\nGBP,2026-11-30,12.60\nEUR,2026-10-31,10.80\n"


def test_the_import_previews_first_and_saves_only_on_confirmation(client, world):
    rate("EUR", date(2026, 10, 31), "10.70")
    rate("GBP", DAY, "12.60")
    client.force_login(world.pmo)

    preview = client.post("/portfolio/exchange-rates/import/", {"content": GOOD})
    assert preview.status_code == 200
    outcomes = {(row.currency, row.valid_from): row.outcome for row in preview.context["preview"].rows}
    assert outcomes == {
        ("EUR", DAY): "new",
        ("GBP", DAY): "unchanged",
        ("EUR", date(2026, 10, 31)): "changed",
    }
    assert ExchangeRate.objects.count() == 2  # nothing saved yet
    assert ExchangeRate.objects.get(currency="EUR").rate == Decimal("10.70")

    saved = client.post("/portfolio/exchange-rates/import/", {"content": GOOD, "confirm": "1"})
    assert saved.status_code == 302
    assert dict(ExchangeRate.objects.filter(currency="EUR").values_list("valid_from", "rate")) == {
        DAY: Decimal("10.85"),
        date(2026, 10, 31): Decimal("10.80"),
    }


def test_an_uploaded_french_file_with_semicolons_and_decimal_commas_is_read(client, world):
    client.force_login(world.pmo)
    upload = SimpleUploadedFile("taux.csv", b"Devise;Date;Taux\nEUR;30/11/2026;10,85\n")
    preview = client.post("/portfolio/exchange-rates/import/", {"file": upload})
    rows = preview.context["preview"].rows
    assert [(row.currency, row.valid_from, row.rate) for row in rows] == [("EUR", DAY, Decimal("10.85"))]
    # The uploaded text travels with the confirmation: the file need not be chosen again.
    assert preview.context["import_form"].initial["content"].startswith("Devise;Date;Taux")


def test_a_file_with_an_error_saves_nothing_names_line_and_column_and_keeps_the_text(client, world):
    client.force_login(world.pmo)
    bad = (
        "currency,valid_from,rate\nEUR,2026-11-30,10.85\nEURO,2026-11-31,-2\nGBP,2026-11-30,abc\n"
        "MAD,2026-11-30,1\n"
    )

    response = client.post("/portfolio/exchange-rates/import/", {"content": bad, "confirm": "1"})
    assert response.status_code == 400
    errors = {(error.line, error.column) for error in response.context["preview"].errors}
    assert errors == {(3, "currency"), (3, "valid_from"), (3, "rate"), (4, "rate"), (5, "currency")}
    assert not ExchangeRate.objects.exists()
    page = html.unescape(response.content.decode())
    assert "EURO,2026-11-31,-2" in page  # the text is still there to correct


def test_a_file_without_the_columns_is_refused_with_the_header_named(client, world):
    client.force_login(world.pmo)
    response = client.post("/portfolio/exchange-rates/import/", {"content": "code;montant\nEUR;3\n"})
    assert response.status_code == 400
    assert [error.line for error in response.context["preview"].errors] == [1]
    assert not ExchangeRate.objects.exists()
