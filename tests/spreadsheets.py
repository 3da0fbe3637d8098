"""Reading an export back as a spreadsheet program would, for the export tests of every app."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from numbers import Number

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Sheet:
    sheet: Worksheet
    header: list[str]
    rows: list[list]

    def column(self, name: str) -> list:
        index = self.header.index(name)
        return [row[index] for row in self.rows]

    def cells(self, name: str) -> list:
        """The openpyxl cells of a column below the header (for their number formats)."""
        index = self.header.index(name) + 1
        return [self.sheet.cell(row=number, column=index) for number in range(2, len(self.rows) + 2)]

    def records(self) -> list[dict]:
        return [dict(zip(self.header, row, strict=True)) for row in self.rows]


def read_xlsx(response) -> Sheet:
    """The workbook of an XLSX export, checked for what makes it a usable register: a bold, frozen
    header row with an autofilter over the header and every row."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX_TYPE
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.getvalue())).active  # streamed or not
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header, rows = [str(value) for value in values[0]], values[1:]
    assert sheet.freeze_panes == "A2", "the header row stays on screen while scrolling"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(row=1, column=len(header)).column_letter}{len(rows) + 1}"
    assert all(cell.font.bold for cell in sheet[1])
    return Sheet(sheet, header, rows)


def read_csv(response) -> Sheet:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the BOM to read UTF-8"
    delimiter = ";" if ";" in text.splitlines()[0] else ","
    header, *rows = list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))
    return Sheet(None, header, rows)


def assert_dates(sheet: Sheet, *names: str) -> None:
    """Dates are dates in the workbook (openpyxl reads them back as datetimes), shown as dates."""
    for name in names:
        cells = [cell for cell in sheet.cells(name) if cell.value is not None]
        assert cells, f"no value in {name}"
        for cell in cells:
            assert isinstance(cell.value, datetime | date), (name, cell.value)
            assert cell.is_date and "yy" in cell.number_format, (name, cell.number_format)


def assert_amounts(sheet: Sheet, *names: str) -> None:
    """Amounts are numbers with a grouped two-decimal format, not text."""
    for name in names:
        cells = [cell for cell in sheet.cells(name) if cell.value is not None]
        assert cells, f"no value in {name}"
        for cell in cells:
            assert isinstance(cell.value, Number) and not isinstance(cell.value, bool), (name, cell.value)
            assert cell.number_format == "#,##0.00", (name, cell.number_format)


def assert_numbers(sheet: Sheet, *names: str) -> None:
    for name in names:
        cells = [cell for cell in sheet.cells(name) if cell.value is not None]
        assert cells, f"no value in {name}"
        for cell in cells:
            assert isinstance(cell.value, Number) and not isinstance(cell.value, bool), (name, cell.value)
            assert cell.number_format != "General", (name, cell.number_format)
