"""Whatever a cell holds, the parsers give a value or a clean error; whatever a file holds, the importer
reports row by row and saves all of it or none of it."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports.mapping import Mapping
from imports.parsing import ParseError, parse_bool, parse_date, parse_money, parse_number, parse_percent
from imports.services import import_table
from imports.tables import read_table
from portfolio.models import Project, StatusReport
from tests.factories import DirectorateFactory
from tests.imports.conftest import csv_bytes

RIGHT_TO_LEFT = st.text(alphabet=st.characters(min_codepoint=0x0590, max_codepoint=0x06FF), max_size=30)
NUMBERISH = st.text(alphabet="0123456789 .,'()-+£€$%kmMbnDHMAD\u00a0\u202f\u2212", max_size=40)
CELLS = st.one_of(
    st.none(),
    st.text(max_size=300),
    RIGHT_TO_LEFT,
    NUMBERISH,
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)


def value_or_clean_error(parse, value, **options):
    try:
        return parse(value, **options)
    except ParseError as error:
        assert str(error.message)
        return None


@given(CELLS, st.sampled_from([None, ".", ","]), st.sampled_from([None, Decimal(1000), Decimal(10) ** 9]))
def test_an_amount_is_a_decimal_to_the_cent_or_a_clean_error(value, separator, unit):
    money = value_or_clean_error(parse_money, value, unit=unit, decimal_separator=separator)
    if money is not None:
        assert isinstance(money.amount, Decimal) and money.amount.is_finite()
        assert money.amount == money.amount.quantize(Decimal("0.01"))


@given(CELLS, st.sampled_from([None, ".", ","]))
def test_numbers_and_percentages_are_decimals_or_clean_errors(value, separator):
    for parse in (parse_number, parse_percent):
        number = value_or_clean_error(parse, value, decimal_separator=separator)
        assert number is None or (isinstance(number, Decimal) and number.is_finite())


@given(CELLS, st.lists(st.sampled_from(["%m/%d/%Y", "excel", "%Y%m%d", "%d %B"]), max_size=2))
def test_a_date_is_a_plausible_date_or_a_clean_error(value, formats):
    day = value_or_clean_error(parse_date, value, formats=formats)
    assert day is None or (
        isinstance(day, date) and not isinstance(day, datetime) and 1900 <= day.year <= 2199
    )


@given(CELLS)
def test_yes_no_is_a_boolean_or_a_clean_error(value):
    answer = value_or_clean_error(parse_bool, value)
    assert answer in (None, True, False)


@given(st.integers(min_value=-(10**15), max_value=10**15), st.integers(min_value=0, max_value=99))
def test_amounts_written_the_french_or_the_english_way_read_the_same(units, cents):
    english = f"{units:,}.{cents:02d}"
    french = english.replace(",", "\u202f").replace(".", ",")

    expected = Decimal(units) + (Decimal(cents) / 100 if units >= 0 else -Decimal(cents) / 100)
    assert parse_money(english).amount == parse_money(french).amount == expected


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2199, 12, 31)))
def test_a_date_reads_back_in_every_format_it_may_be_written_in(day):
    serial = (day - date(1899, 12, 30)).days
    written = [
        day.isoformat(),
        day.strftime("%d/%m/%Y"),
        day.strftime("%d.%m.%Y"),
        serial,
        datetime(day.year, day.month, day.day),
    ]

    assert {parse_date(value) for value in written} == {day}


@settings(max_examples=200)
@given(st.one_of(st.binary(max_size=2000), st.text(max_size=2000).map(str.encode)))
def test_any_bytes_are_a_table_or_a_clean_refusal(data):
    try:
        table = read_table(data)
    except ParseError as error:
        assert str(error.message)
    else:
        assert all(len(cells) == len(table.headers) for _number, cells in table.rows)


# What a spreadsheet cell holds: any printable text (a control character makes the file not a text file,
# refused whole: see the test above), right-to-left scripts, things that look like numbers.
PRINTABLE = st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs")), max_size=120)
ROW_TEXT = st.one_of(PRINTABLE, RIGHT_TO_LEFT, NUMBERISH, st.just(""), st.just("Exempt under Section 43"))
MAPPING = Mapping.from_dict(
    {
        "columns": {
            "Code": "code",
            "Name": "name",
            "Budget": "budget",
            "Start": "baseline_start",
            "RAG": "overall_rag",
        },
        "values": {"overall_rag": {"Amber/Red": "red"}, "budget": {"Exempt*": None}},
        "defaults": {"directorate": "DSI", "percent_complete": "0", "actual_cost": "0", "explanation": "x"},
        "status_period": "2026-03-02",
    }
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(ROW_TEXT, ROW_TEXT, ROW_TEXT, ROW_TEXT, ROW_TEXT), min_size=1, max_size=6),
    st.booleans(),
)
def test_the_importer_reports_every_row_and_saves_all_or_nothing(rows, commit):
    DirectorateFactory(code="DSI")
    Project.objects.all().delete()
    table = read_table(csv_bytes([["Code", "Name", "Budget", "Start", "RAG"], *[list(row) for row in rows]]))

    report = import_table(table=table, mapping=MAPPING, commit=commit)

    assert len(report.rows) == len(table.rows)
    for result in report.rows:
        assert result.action in ("create", "update", "unchanged", "error")
        assert (result.action == "error") == bool(result.errors)
        for error in result.errors:
            assert error.row == result.row and isinstance(error.message, str) and error.message
    assert report.committed == (commit and report.ok)
    if report.committed:
        assert Project.objects.count() == sum(result.action == "create" for result in report.rows)
    else:
        assert not Project.objects.exists() and not StatusReport.objects.exists()
