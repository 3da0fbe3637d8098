"""Lists as spreadsheets: CSV for any tool, XLSX for Excel.

A list export is a header and rows of plain values (text in the active
language, numbers, dates); these writers only format them. Text cells that a
spreadsheet would read as a formula are neutralised (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.formats import get_format
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from pmo import xlsx_stream

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = ("csv", "xlsx")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# Amounts: Excel shows them grouped with two decimals, in the reader's own separators.
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0"  # a percentage stored as 0..100, not as a fraction
COUNT_FORMAT = "0"
INDEX_FORMAT = "0.000"


@dataclass(frozen=True)
class Column:
    """A column of an export: its header (translatable), its width in characters in the XLSX, and the
    number format of its numbers and dates there (dates get an ISO format when none is given)."""

    header: Any
    width: int = 15
    number_format: str | None = None


def choice_labels(model: type[Model], *names: str) -> dict[str, dict[Any, str]]:
    """The labels of these fields' choices in the active language, read once for a whole export, to use
    as `Model.get_FOO_display()` would: that hashes every lazy label anew at each call, which was a third
    of the time of the project list's 1,000-row export."""
    fields = [model._meta.get_field(name) for name in names]
    return {field.name: {value: str(text) for value, text in field.flatchoices} for field in fields}


def label(labels: dict[Any, str], value: Any) -> str:
    """`get_FOO_display()` from `choice_labels`: the label, or the value itself when it has none."""
    return labels.get(value, "" if value is None else str(value))


@dataclass(frozen=True)
class Formatted:
    """A number whose XLSX format is its own, not its column's: a column of KPI values holds
    percentages, counts and amounts side by side."""

    value: Decimal | int | float | None
    number_format: str


def requested(request) -> str | None:
    """The export a list page is asked for (`?export=csv` or `xlsx`), or None for the page itself."""
    kind = request.GET.get("export")
    return kind if kind in KINDS else None


def export_response(
    kind: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    filename: str,
    title: str,
    stream: bool = False,
) -> HttpResponse | FileResponse:
    if kind == "csv":
        return csv_response(columns, rows, filename=filename)
    return xlsx_response(columns, rows, filename=filename, title=title, stream=stream)


def neutralise(value: Any) -> Any:
    """A text that starts like a formula gets a leading apostrophe, so a spreadsheet shows it as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def _local(value: datetime) -> datetime:
    """Spreadsheets know no time zones: an aware moment is written as the organisation's local time."""
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def csv_response(columns: Sequence[Column], rows: Iterable[Sequence[Any]], *, filename: str) -> HttpResponse:
    """UTF-8 with a BOM so that Excel reads the accents; a language with a decimal comma gets semicolons,
    as its Excel expects."""
    decimal_separator = get_format("DECIMAL_SEPARATOR")
    delimiter = ";" if decimal_separator == "," else ","
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=delimiter)
    writer.writerow([neutralise(str(column.header)) for column in columns])
    for row in rows:
        writer.writerow([_csv_cell(neutralise(value), decimal_separator) for value in row])
    return response


def _csv_cell(value: Any, decimal_separator: str) -> str:
    if isinstance(value, Formatted):
        value = value.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, Decimal | float):
        return str(value).replace(".", decimal_separator)
    if isinstance(value, datetime):
        return f"{_local(value):%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def xlsx_response(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    filename: str,
    title: str,
    stream: bool = False,
) -> HttpResponse | FileResponse:
    """One sheet: a bold, frozen header row with an autofilter; numbers and dates stay typed.

    `stream`, for the exports of tens of thousands of rows: the same sheet written by `pmo.xlsx_stream`
    (ten times faster than openpyxl) into a temporary file and sent from it, so that neither the time
    nor the memory outgrow a request (`rows` should come from a queryset's iterator())."""
    if stream:
        handle = xlsx_stream.temporary_xlsx(
            title=str(title),
            headers=[neutralise(str(column.header)) for column in columns],
            widths=[column.width for column in columns],
            formats=[column.number_format for column in columns],
            rows=rows,
            cell_format=_plain_cell,
        )
        return FileResponse(handle, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE)
    return xlsx_sheets_response([(title, columns, rows)], filename=filename)


def xlsx_sheets_response(
    sheets: Sequence[tuple[Any, Sequence[Column], Iterable[Sequence[Any]]]], *, filename: str
) -> HttpResponse:
    """A workbook of several sheets (title, columns, rows), each laid out as `xlsx_response`'s one."""
    workbook = Workbook(write_only=True)
    for title, columns, rows in sheets:
        _write_sheet(workbook, title, columns, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _write_sheet(
    workbook: Workbook, title: Any, columns: Sequence[Column], rows: Iterable[Sequence[Any]]
) -> None:
    sheet = workbook.create_sheet(title=str(title)[:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=neutralise(str(column.header)))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 1
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value, column) for value, column in zip(row, columns, strict=True)])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count}"


def _plain_cell(value: Any, number_format: str | None) -> tuple[Any, str | None]:
    """A value as `pmo.xlsx_stream` writes it, and its number format: as `_xlsx_cell` does for openpyxl."""
    if isinstance(value, Formatted):
        value, number_format = value.value, value.number_format
    if isinstance(value, datetime):
        value = _local(value)
    return neutralise(value), number_format


def _xlsx_cell(sheet, value: Any, column: Column) -> WriteOnlyCell:
    number_format = column.number_format
    if isinstance(value, Formatted):
        value, number_format = value.value, value.number_format
    if isinstance(value, datetime):
        value = _local(value)
    cell = WriteOnlyCell(sheet, value=neutralise(value))
    if value is None or isinstance(value, str | bool):
        return cell
    if number_format:
        cell.number_format = number_format
    elif isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    return cell
