"""The data sheets of an import: money by month, capacity and demand, beside the projects.

`imports` comes before `finance` and `resources` in the apps' order and imports neither: each kind of
data sheet is REGISTERED here by the app that owns its rows (`finance.integration`,
`resources.integration`), with its columns and the applier that checks and writes one row through
that app's own services. This module reads the sheets (headers in English or French, cells typed:
text, month, number) and runs the appliers in one transaction: any error on any row and nothing is
saved, as for the projects' sheet.

A workbook may hold a sheet per kind, recognised by its name (see each kind's `sheet_names`: e.g.
"Budgets" / "Budget par mois", "Capacity" / "Capacité", "Demand" / "Demande"); a CSV import takes
them as separate files (`import_portfolio --money FILE --capacity FILE --demand FILE`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from imports.cells import ParseError, normalise, text_of
from imports.dates import parse_date
from imports.parsing import parse_number
from imports.results import ERROR, ImportReport, RowResult
from imports.rows import CellError, shown
from imports.tables import XLSX, Table, _table, _xlsx_rows, read_table, sniff_kind

TEXT, MONTH, NUMBER = "text", "month", "number"
_YEAR_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")


@dataclass(frozen=True)
class DataField:
    name: str
    label: Any  # translatable: its English and French forms are both recognised as headers
    kind: str = TEXT
    synonyms: tuple[str, ...] = ()
    required: bool = True

    def headers(self) -> set[str]:
        names = {normalise(self.name.replace("_", " ")), *(normalise(s) for s in self.synonyms)}
        for language in ("en", "fr"):
            with override(language):
                names.add(normalise(str(self.label)))
        return names


class Applier(Protocol):
    def row(self, row: DataRow, result: RowResult) -> str: ...

    def finish(self) -> None: ...


@dataclass(frozen=True)
class DataKind:
    """One kind of data sheet: its name in the command and the mapping ("money"), its title in
    messages, the sheet names that hold it, its columns, and `applier(by=user)` -> an Applier."""

    name: str
    title: Any
    sheet_names: tuple[str, ...]
    fields: tuple[DataField, ...]
    applier: Callable[..., Applier]
    order: int = 0


_KINDS: dict[str, DataKind] = {}


def register_data_kind(kind: DataKind) -> None:
    """Called by the app that owns the rows (its integration's register()); idempotent."""
    _KINDS[kind.name] = kind


def data_kinds() -> list[DataKind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.name))


def data_kind(name: str) -> DataKind:
    return _KINDS[name]


@dataclass
class DataSheet:
    kind: DataKind
    title: str
    table: Table
    columns: dict[str, str]  # field -> header


class DataRow:
    """One row being read: its typed values, and errors naming the sheet, the line and the column."""

    def __init__(self, sheet: DataSheet, number: int, cells: list[Any]) -> None:
        self.sheet, self.number = sheet, number
        index = sheet.table.column_index()
        self.cells: dict[str, tuple[str, Any]] = {}
        for name, header in sheet.columns.items():
            position = index[normalise(header)]
            self.cells[name] = (header, cells[position] if position < len(cells) else None)
        self.errors: list[CellError] = []
        self.values: dict[str, Any] = {}
        for field in sheet.kind.fields:
            self.values[field.name] = self._read(field)

    def error(self, name: str, message: Any) -> None:
        header, raw = self.cells.get(name, ("", None))
        self.errors.append(CellError(self.number, header, shown(raw), str(message), sheet=self.sheet.title))

    def given(self, name: str) -> bool:
        return name in self.cells and text_of(self.cells[name][1]) != ""

    def value(self, name: str) -> Any:
        return self.values.get(name)

    def _read(self, field: DataField) -> Any:
        if not self.given(field.name):
            if field.required:
                self.error(field.name, _("The %(field)s is missing.") % {"field": str(field.label).lower()})
            return None
        raw = self.cells[field.name][1]
        try:
            if field.kind == MONTH:
                return parse_month(raw)
            if field.kind == NUMBER:
                return parse_number(raw)
        except ParseError as error:
            self.error(field.name, error.message)
            return None
        return " ".join(text_of(raw).split())


class ProjectsByCode:
    """The projects a data sheet names by code, each read once; with `by`, one they may not edit is refused
    on its row with `refusal` (the import's rule: whoever may edit a project may load its rows)."""

    def __init__(self, *, by, refusal: str) -> None:
        self.by, self.refusal = by, refusal
        self.found: dict[str, Any] = {}
        self.editable: set[int] | None = None

    def __call__(self, row: DataRow):
        from portfolio.models import Project

        code = row.value("project")
        if not code:
            return None
        if code not in self.found:
            self.found[code] = Project.objects.filter(code=code).first()
        project = self.found[code]
        if project is None:
            row.error("project", _("No project has this code."))
            return None
        if self.by is not None:
            if self.editable is None:
                self.editable = set(Project.objects.editable_by(self.by).values_list("pk", flat=True))
            if project.pk not in self.editable:
                row.error("project", self.refusal)
                return None
        return project


def parse_month(value: Any) -> date:
    """A month: "2026-03", "2026/03", or any date (its month): the first day of that month."""
    if not isinstance(value, date):
        found = _YEAR_MONTH.match(text_of(value).strip())
        if found:
            year, month = int(found[1]), int(found[2])
            if 1 <= month <= 12 and 1900 <= year <= 2200:
                return date(year, month, 1)
            raise ParseError(_("Not a month (YYYY-MM)."))
    day = parse_date(value)
    return day.replace(day=1)


def guess_columns(kind: DataKind, headers: list[str]) -> dict[str, str]:
    columns: dict[str, str] = {}
    for header in headers:
        text = normalise(header)
        for field in kind.fields:
            if field.name not in columns and text in field.headers():
                columns[field.name] = header
                break
    return columns


def problems_with(sheet: DataSheet) -> list[str]:
    """A required column the sheet lacks keeps the whole file from being read."""
    return [
        _("Sheet “%(sheet)s”: no column gives the %(field)s.")
        % {"sheet": sheet.title, "field": str(field.label).lower()}
        for field in sheet.kind.fields
        if field.required and field.name not in sheet.columns
    ]


def _sheet_names(data: bytes) -> list[str]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True)
        names = list(workbook.sheetnames)
        workbook.close()
    except Exception:
        return []
    return names


def is_data_workbook(data: bytes) -> bool:
    """A workbook whose every sheet is a data sheet (an export of finance or resources): it has no
    projects' sheet, and its import is its data sheets alone."""
    try:
        if sniff_kind(data) != XLSX:
            return False
    except ParseError:  # the projects' reading says what is wrong with the file
        return False
    known = {normalise(name) for kind in data_kinds() for name in kind.sheet_names}
    names = _sheet_names(data)
    return bool(names) and all(normalise(name) in known for name in names)


def data_sheets(data: bytes | None, files: dict[str, bytes] | None = None) -> list[DataSheet]:
    """The data sheets to import: a workbook's own (by their names), or the separate files given per
    kind name. ParseError when a file given cannot be read."""
    found: dict[str, tuple[str, Table]] = {}
    if data and sniff_kind(data) == XLSX:
        names = _sheet_names(data)
        for kind in data_kinds():
            wanted = {normalise(name) for name in kind.sheet_names}
            sheet = next((name for name in names if normalise(name) in wanted), None)
            if sheet is not None:
                found[kind.name] = (sheet, _table(_xlsx_rows(data, sheet), XLSX, None))
    for name, content in (files or {}).items():
        found[name] = (str(data_kind(name).title), read_table(content))
    sheets = []
    for kind in data_kinds():
        if kind.name in found:
            title, table = found[kind.name]
            sheets.append(DataSheet(kind, title, table, guess_columns(kind, table.headers)))
    return sheets


def apply_data(sheets: list[DataSheet], *, author) -> list[RowResult]:
    """Check and write every row of the sheets, each in its savepoint; the caller's transaction decides
    whether any of it is kept (nothing when any row has an error)."""
    results: list[RowResult] = []
    for sheet in sheets:
        applier = sheet.kind.applier(by=author)
        for number, cells in sheet.table.rows:
            if not any(text_of(cell) for cell in cells):
                continue
            row = DataRow(sheet, number, cells)
            result = RowResult(row=number, sheet=sheet.title)
            try:
                with transaction.atomic():
                    result.action = applier.row(row, result) if not row.errors else ERROR
            except DatabaseError as error:
                row.error("", _("The database refused the row: %(error)s") % {"error": error})
            if row.errors:
                result.action = ERROR
            result.errors = row.errors
            results.append(result)
        applier.finish()
    return results


def import_data(*, sheets: list[DataSheet], author=None, commit: bool = False) -> ImportReport:
    """The data sheets alone (no projects' sheet): all or nothing, a dry run rolled back."""
    problems = [problem for sheet in sheets for problem in problems_with(sheet)]
    if problems:
        return ImportReport(problems=problems)
    with transaction.atomic():
        report = ImportReport(rows=apply_data(sheets, author=author))
        report.committed = commit and report.ok
        if not report.committed:
            transaction.set_rollback(True)
    return report
