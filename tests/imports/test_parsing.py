"""Reading cells as spreadsheets hold them: amounts, numbers, dates, yes/no, value mappings."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from imports.parsing import (
    BILLION,
    MILLION,
    THOUSAND,
    Money,
    ParseError,
    ValueMap,
    header_unit,
    parse_bool,
    parse_date,
    parse_money,
    parse_number,
    parse_percent,
)

NBSP, NARROW_NBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("£1,234.5m", "1234500000.00", "GBP"),
        ("1 234,50 MAD", "1234.50", "MAD"),
        ("12.5", "12.50", None),
        ("12,5", "12.50", None),
        ("(1,234)", "-1234.00", None),
        ("-12", "-12.00", None),
        ("\u221212", "-12.00", None),  # the minus sign, not a hyphen
        ("-£12", "-12.00", "GBP"),
        ("£(12)", "-12.00", "GBP"),
        (f"1{NBSP}234{NBSP}567,89", "1234567.89", None),
        (f"1{NARROW_NBSP}234,5 €", "1234.50", "EUR"),
        ("1.234,56", "1234.56", None),  # French with a dot for thousands
        ("1,234,567.89", "1234567.89", None),
        ("1'234.50", "1234.50", None),
        ("1,234", "1234.00", None),  # three digits after one separator: thousands
        ("1.234", "1234.00", None),
        ("0,123", "0.12", None),  # a leading zero is never a thousands group
        ("12.5 bn", "12500000000.00", None),
        ("1,2 M€", "1200000.00", "EUR"),
        ("5 MDH", "5000000.00", "MAD"),
        ("3 kDH", "3000.00", "MAD"),
        ("MAD 1 234", "1234.00", "MAD"),
        ("EUR 1.2 bn", "1200000000.00", "EUR"),
        ("2 millions", "2000000.00", None),
        ("1,5 milliard", "1500000000.00", None),
        ("45 DH", "45.00", "MAD"),
        ("£278", "278.00", "GBP"),
        ("  12.5  ", "12.50", None),
        ("12.345 USD", "12345.00", "USD"),
        ("0.005", "0.01", None),  # rounded half up to the cent
    ],
)
def test_amounts_are_read_as_spreadsheets_write_them(text, amount, currency):
    assert parse_money(text) == Money(Decimal(amount), currency)


@pytest.mark.parametrize(
    ("value", "amount"),
    [(12.5, "12.50"), (3, "3.00"), (Decimal("7.125"), "7.13"), (0.1 + 0.2, "0.30"), (-4, "-4.00")],
)
def test_number_cells_of_a_workbook_are_amounts_as_they_are(value, amount):
    assert parse_money(value).amount == Decimal(amount)


@pytest.mark.parametrize(
    ("value", "unit", "amount"),
    [
        ("12.5", MILLION, "12500000.00"),
        (12.5, MILLION, "12500000.00"),
        ("3", THOUSAND, "3000.00"),
        ("£2m", THOUSAND, "2000000.00"),
    ],
)
def test_the_unit_of_the_header_multiplies_unless_the_cell_names_its_own(value, unit, amount):
    assert parse_money(value, unit=unit).amount == Decimal(amount)


@pytest.mark.parametrize(
    "text",
    [
        "Exempt under Section 43",
        "n/a",
        "N/A",
        "-",
        "—",
        "TBC",
        "12 5",  # a space that is not a thousands separator
        "1,23,456",
        "1.234.56",
        "1,234.5.6",
        "1e5",
        "12%",
        "١٢",  # Arabic-Indic digits are not read as a number silently
        "£12 €",
        "99999999999999999999999999",
        "1" * 250,
        "",
        "   ",
    ],
)
def test_text_that_is_not_an_amount_is_an_error_never_zero(text):
    with pytest.raises(ParseError) as error:
        parse_money(text)
    assert str(error.value.message)


@pytest.mark.parametrize("value", [True, False, float("nan"), float("inf"), Decimal("NaN"), 1e30])
def test_cells_that_are_not_numbers_are_refused(value):
    with pytest.raises(ParseError):
        parse_money(value)


def test_a_huge_multiplied_amount_is_refused_not_rounded_away():
    with pytest.raises(ParseError):
        parse_money("99999999999999999999", unit=BILLION)


@pytest.mark.parametrize(
    ("text", "separator", "number"),
    [
        ("1,234", ",", "1.234"),  # the mapping settles the three-decimal case
        ("1.234", ".", "1.234"),
        ("1 234,5", ",", "1234.5"),
        ("1,234.5", ".", "1234.5"),
        ("(3)", None, "-3"),
        ("45", None, "45"),
    ],
)
def test_numbers_follow_the_declared_decimal_separator(text, separator, number):
    assert parse_number(text, decimal_separator=separator) == Decimal(number)


def test_a_declared_separator_refuses_the_other_convention():
    with pytest.raises(ParseError):
        parse_number("12,5", decimal_separator=".")


@pytest.mark.parametrize(
    ("text", "number"), [("45", "45"), ("45 %", "45"), ("45,5%", "45.5"), ("0.5%", "0.5")]
)
def test_percentages(text, number):
    assert parse_percent(text) == Decimal(number)


@pytest.mark.parametrize(
    ("header", "unit", "currency"),
    [
        ("Financial Year Baseline (£m) (including Non-Government Costs)", MILLION, "GBP"),
        ("TOTAL Baseline Whole Life Costs (£m)", MILLION, "GBP"),
        ("Budget (MAD)", None, "MAD"),
        ("Budget (m)", MILLION, None),
        ("Coût en millions de dirhams", MILLION, "MAD"),
        ("Budget en milliers d'euros", THOUSAND, "EUR"),
        ("Budget K€", THOUSAND, "EUR"),
        ("Budget (€bn)", BILLION, "EUR"),
        ("Budget MDH", MILLION, "MAD"),
        ("Budget", None, None),
    ],
)
def test_a_header_gives_the_unit_and_currency_of_its_amounts(header, unit, currency):
    assert header_unit(header) == (unit, currency)


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2022-03-31", date(2022, 3, 31)),
        ("2022-03-31T10:15:00", date(2022, 3, 31)),
        ("2022-03-31 00:00:00", date(2022, 3, 31)),
        ("31/03/2022", date(2022, 3, 31)),
        ("31.03.2022", date(2022, 3, 31)),
        ("31-03-2022", date(2022, 3, 31)),
        ("1/3/2022", date(2022, 3, 1)),  # day first
        ("31/03/22", date(2022, 3, 31)),
        ("31/03/2022 14:30", date(2022, 3, 31)),
        ("31 March 2022", date(2022, 3, 31)),
        ("31 mars 2022", date(2022, 3, 31)),
        ("1 février 2023", date(2023, 2, 1)),
        ("2022/03/31", date(2022, 3, 31)),
        (44651, date(2022, 3, 31)),  # an Excel serial
        (44651.75, date(2022, 3, 31)),  # with a time of day
        (59, date(1900, 2, 28)),
        (61, date(1900, 3, 1)),  # after Lotus's 29 February 1900
        (datetime(2022, 3, 31, 9, 0), date(2022, 3, 31)),
        (date(2022, 3, 31), date(2022, 3, 31)),
    ],
)
def test_dates_as_spreadsheets_hold_them(value, day):
    assert parse_date(value) == day


@pytest.mark.parametrize(
    ("value", "formats", "day"),
    [
        ("03/31/2022", ["%m/%d/%Y"], date(2022, 3, 31)),
        ("03/04/2022", ["%m/%d/%Y"], date(2022, 3, 4)),
        ("44651", ["excel"], date(2022, 3, 31)),
        ("20220331", ["%Y%m%d"], date(2022, 3, 31)),
    ],
)
def test_the_mapping_declares_other_date_formats(value, formats, day):
    assert parse_date(value, formats=formats) == day


@pytest.mark.parametrize(
    "value",
    [
        "2022-02-30",
        "31/13/2022",
        "Exempt under Section 24",
        "44651",  # digits as text are a serial only when the mapping says "excel"
        "0001-01-01",
        "31/03/2300",
        60,  # 29 February 1900, which never was
        0,
        10**9,
        True,
        float("nan"),
        "",
        "x" * 500,
    ],
)
def test_what_is_not_a_date_is_an_error(value):
    with pytest.raises(ParseError):
        parse_date(value)


@pytest.mark.parametrize(
    ("text", "answer"),
    [("Yes", True), ("oui", True), ("X", True), ("no", False), ("Non", False), ("0", False)],
)
def test_yes_and_no_in_both_languages(text, answer):
    assert parse_bool(text) is answer


def test_anything_else_is_neither_yes_nor_no():
    with pytest.raises(ParseError):
        parse_bool("maybe")


def test_a_value_map_compares_folded_text_and_tries_exact_entries_before_patterns():
    value_map = ValueMap({"Amber/Red": "red", "Exempt*": None, "Exempt under Section 43": "amber"})

    assert value_map.lookup("amber/red") == (True, "red")
    assert value_map.lookup("  AMBER/RED ") == (True, "red")
    assert value_map.lookup("Exempt under  Section 43") == (True, "amber")
    assert value_map.lookup("Exempt under Section 24 of the Act") == (True, None)
    assert value_map.lookup("Amber") == (False, None)
    assert value_map.pattern_for("exempt, really") == ("Exempt*", None)


def test_a_pattern_is_only_a_star_wildcard_not_a_regular_expression():
    value_map = ValueMap({"[Draft]*": "amber", "a.c": "red"})

    assert value_map.lookup("[draft] v2") == (True, "amber")
    assert value_map.lookup("abc") == (False, None)
