"""The project list as a spreadsheet: CSV for any tool, XLSX for Excel.

`project_rows` builds the rows once, in the active language; the writers only
format them. Text cells that a spreadsheet would read as a formula are
neutralised (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from portfolio.models import Project, StatusReport

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# (header, width in characters in the XLSX, number format for numbers and dates)
COLUMNS = [
    (_("Code"), 11, None),
    (_("Project name"), 45, None),
    (_("Directorate"), 30, None),
    (_("Portfolio"), 25, None),
    (_("Phase"), 13, None),
    (_("Methodology"), 18, None),
    (_("Priority"), 10, None),
    (_("State"), 11, None),
    (_("Project manager"), 22, None),
    (_("Sponsor"), 22, None),
    (_("Overall RAG"), 10, None),
    (_("Schedule RAG"), 10, None),
    (_("Cost RAG"), 10, None),
    (_("Scope RAG"), 10, None),
    (_("Resources RAG"), 10, None),
    (_("Completion"), 11, "0.0"),
    (_("Period of last report"), 13, "yyyy-mm-dd"),
    (_("Baseline end"), 12, "yyyy-mm-dd"),
    (_("Forecast end"), 12, "yyyy-mm-dd"),
    (_("Slip (days)"), 10, "0"),
    (_("Budget"), 16, "#,##0"),
    (_("Currency"), 9, None),
]
RAGS = ("overall_rag", *StatusReport.DIMENSIONS)


def project_rows(projects: Iterable[Project]) -> Iterator[list[Any]]:
    """The header, then one row per project: labels in the active language, numbers and dates as such.

    `projects` should come from `Project.objects.for_listing()`: a row reads only joined relations.
    """
    yield [str(header) for header, _width, _format in COLUMNS]
    for project in projects:
        report = project.last_report
        yield [
            project.code,
            project.name,
            _name(project.directorate),
            _name(project.portfolio),
            _name(project.phase),
            project.get_methodology_display(),
            project.get_priority_display(),
            project.get_state_display(),
            _name(project.project_manager),
            _name(project.sponsor),
            *(getattr(report, f"get_{rag}_display")() if report else "" for rag in RAGS),
            report.percent_complete if report else None,
            report.period if report else None,
            project.baseline_end,
            project.forecast_end,
            project.slip_days,
            project.budget,
            project.currency,
        ]


def _name(thing: object | None) -> str:
    return "" if thing is None else str(thing)


def neutralise(value: Any) -> Any:
    """A text that starts like a formula gets a leading apostrophe, so a spreadsheet shows it as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def csv_response(projects: Iterable[Project], *, filename: str) -> HttpResponse:
    """UTF-8 with a BOM so that Excel reads the accents; a language with a decimal comma gets semicolons,
    as its Excel expects."""
    decimal_separator = get_format("DECIMAL_SEPARATOR")
    delimiter = ";" if decimal_separator == "," else ","
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=delimiter)
    for row in project_rows(projects):
        writer.writerow([_csv_cell(neutralise(value), decimal_separator) for value in row])
    return response


def _csv_cell(value: Any, decimal_separator: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value).replace(".", decimal_separator)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def xlsx_response(projects: Iterable[Project], *, filename: str, title: str) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    for index, (_header, width, _format) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    rows = project_rows(projects)
    header = []
    for text in next(rows):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for value, (_header, _width, number_format) in zip(row, COLUMNS, strict=True):
            cell = WriteOnlyCell(sheet, value=neutralise(value))
            if number_format and value is not None:
                cell.number_format = number_format
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
