"""The fast XLSX writer of the long exports writes the workbook openpyxl would: typed cells, formats, a
bold frozen header with an autofilter, text that cannot run as a formula."""

import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from pmo.spreadsheets import MONEY_FORMAT, PERCENT_FORMAT, Column, Formatted, xlsx_response

COLUMNS = [
    Column("Name", 30),
    Column("Period", 11, "yyyy-mm-dd"),
    Column("Budget", 16, MONEY_FORMAT),
    Column("Completion", 10, PERCENT_FORMAT),
    Column("Value", 12),
    Column("When", 16),
    Column("Done", 6),
]


def workbook(rows):
    response = xlsx_response(COLUMNS, iter(rows), filename="x", title="Historique des statuts", stream=True)
    assert response.streaming and response["Content-Disposition"] == 'attachment; filename="x.xlsx"'
    return load_workbook(io.BytesIO(response.getvalue())).active


def test_cells_keep_their_types_and_formats():
    sheet = workbook(
        [
            [
                "=cmd|' /C calc'!A0",
                date(2026, 3, 2),
                Decimal("1250000.50"),
                Decimal("32.5"),
                7,
                datetime(2026, 3, 2, 9, 30),
                True,
            ],
            [
                "Ligne\x01 <deux> & « trois »",
                None,
                0,
                0.25,
                Formatted(Decimal("0.125"), "0.000"),
                None,
                False,
            ],
        ]
    )

    first, second = list(sheet.iter_rows(min_row=2))
    assert first[0].value == "'=cmd|' /C calc'!A0"
    assert first[1].value == datetime(2026, 3, 2) and first[1].number_format == "yyyy-mm-dd"
    assert first[2].value == 1250000.5 and first[2].number_format == MONEY_FORMAT
    assert first[3].value == 32.5 and first[3].number_format == PERCENT_FORMAT
    assert first[4].value == 7
    assert first[5].value == datetime(2026, 3, 2, 9, 30) and first[5].number_format == "yyyy-mm-dd hh:mm"
    assert first[6].value is True and second[6].value is False
    assert second[0].value == "Ligne <deux> & « trois »"
    assert second[1].value is None and second[2].value == 0
    assert second[4].value == 0.125 and second[4].number_format == "0.000"


def test_the_sheet_has_a_bold_frozen_header_an_autofilter_widths_and_its_title():
    sheet = workbook([["A", None, None, None, None, None, None]] * 3)

    assert sheet.title == "Historique des statuts"
    assert [cell.value for cell in sheet[1]] == [str(column.header) for column in COLUMNS]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:G4"
    assert sheet.column_dimensions["A"].width == 30 and sheet.column_dimensions["C"].width == 16
