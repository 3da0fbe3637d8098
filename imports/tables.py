"""Reading an uploaded file as a table of rows: what kind of file it is, judged by its content, and its cells.

Pure functions over bytes (no Django request, no database), shared by the upload form, the
mapping screens, the dry run and `import_portfolio`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from imports.parsing import ParseError, normalise, text_of

CSV, XLSX = "csv", "xlsx"
MAX_ROWS = 20_000
MAX_COLUMNS = 200
# An .xlsx is a zip of XML: refuse one that would inflate far beyond its size (a "zip bomb").
MAX_INFLATION = 100
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_DELIMITERS = ",;\t|"


@dataclass
class Table:
    """The header and data rows of a sheet; `rows` pairs the spreadsheet row number with the cells."""

    headers: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    kind: str = CSV

    def column_index(self) -> dict[str, int]:
        """Each header's position, looked up by its normalised form (case, spaces)."""
        return {normalise(header): index for index, header in enumerate(self.headers)}

    def samples(self, index: int, count: int) -> list[str]:
        """The first distinct non-blank texts of a column, in the file's order."""
        found: list[str] = []
        for _number, cells in self.rows:
            text = text_of(cells[index]) if index < len(cells) else ""
            if text and text not in found:
                found.append(text)
                if len(found) == count:
                    break
        return found

    def distinct(self, index: int) -> dict[str, int]:
        """The distinct non-blank texts of a column and how many rows hold each, most frequent first."""
        counts: dict[str, int] = {}
        for _number, cells in self.rows:
            text = text_of(cells[index]) if index < len(cells) else ""
            if text:
                counts[text] = counts.get(text, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def sniff_kind(data: bytes) -> str:
    """ "xlsx" or "csv" from the bytes themselves, whatever the file's name says; ParseError otherwise."""
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                inflated = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, ValueError, OSError):
            raise ParseError(_("The file is a damaged zip archive, not an Excel workbook.")) from None
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise ParseError(_("The file is a zip archive but not an Excel workbook (.xlsx)."))
        # The declared sizes are a true bound: Python's zipfile stops a member at its declared size
        # (and fails its CRC check), so openpyxl can never read more than this.
        limit = settings.IMPORT_MAX_INFLATED_BYTES
        if inflated > limit:
            raise ParseError(
                _(
                    "The workbook would take %(size)s once unzipped; the most accepted is %(limit)s. "
                    "Save it as CSV, or split it into smaller files."
                )
                % {"size": filesizeformat(inflated), "limit": filesizeformat(limit)}
            )
        if inflated > max(len(data), 1) * MAX_INFLATION:
            raise ParseError(_("The workbook expands to far more than its size: it is refused."))
        return XLSX
    decode_text(data)
    return CSV


def decode_text(data: bytes) -> str:
    """A CSV file's text: UTF-8 (with or without a BOM), else Windows-1252 / Latin-1; never binary."""
    if b"\x00" in data:
        raise ParseError(_("The file is neither a CSV text file nor an Excel workbook (.xlsx)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    if _CONTROL.search(text):
        raise ParseError(_("The file is neither a CSV text file nor an Excel workbook (.xlsx)."))
    return text


def _unique_headers(raw: list[Any]) -> list[str]:
    headers: list[str] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(raw):
        name = " ".join(text_of(cell).split()) or str(_("Column %(number)s") % {"number": index + 1})
        key = normalise(name)
        if key in seen:
            seen[key] += 1
            name = f"{name} ({seen[key]})"
        else:
            seen[key] = 1
        headers.append(name)
    return headers


def _table(rows: Any, kind: str, header_row: int | None) -> Table:
    """The first non-empty row (or `header_row`, counted from 1) is the header; blank rows are skipped."""
    table: Table | None = None
    for number, cells in enumerate(rows, start=1):
        cells = list(cells)
        if table is None:
            if (header_row and number < header_row) or (
                not header_row and all(text_of(cell) == "" for cell in cells)
            ):
                continue
            while cells and text_of(cells[-1]) == "":
                cells.pop()
            if len(cells) > MAX_COLUMNS:
                raise ParseError(_("The file has more than %(count)s columns.") % {"count": MAX_COLUMNS})
            table = Table(headers=_unique_headers(cells), kind=kind)
            continue
        if all(text_of(cell) == "" for cell in cells):
            continue
        if len(table.rows) >= MAX_ROWS:
            raise ParseError(_("The file has more than %(count)s rows.") % {"count": MAX_ROWS})
        width = len(table.headers)
        table.rows.append((number, (cells + [None] * width)[:width]))
    if table is None:
        raise ParseError(_("The file is empty: no header row was found."))
    return table


def _csv_rows(text: str) -> Any:
    sample = text[:20_000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    # The header line decides between "," and ";" when the sniffer hesitates (French Excel writes ";").
    first_line = sample.split("\n", 1)[0]
    if delimiter not in first_line:
        delimiter = max(_DELIMITERS, key=first_line.count)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_rows(data: bytes, sheet: str | None) -> Any:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken workbook; all mean "cannot read"
        raise ParseError(_("The workbook cannot be read: %(error)s") % {"error": str(error)[:200]}) from None
    if sheet:
        if sheet not in workbook.sheetnames:
            raise ParseError(_("The workbook has no sheet named “%(sheet)s”.") % {"sheet": sheet})
        worksheet = workbook[sheet]
    else:
        worksheet = workbook.worksheets[0]
    for row in worksheet.iter_rows():
        yield [_cell_value(cell) for cell in row]
    workbook.close()


def _cell_value(cell: Any) -> Any:
    """A workbook cell's value; a percentage cell (0.45 shown as 45 %) as the text "45%"."""
    value = getattr(cell, "value", None)
    number_format = getattr(cell, "number_format", "") or ""
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in number_format:
        try:
            return f"{Decimal(repr(value)) * 100:f}%"
        except ArithmeticError:
            return value
    return value


def read_table(data: bytes, *, sheet: str | None = None, header_row: int | None = None) -> Table:
    """The table of a CSV or .xlsx file (judged by content); ParseError says what is wrong with it."""
    kind = sniff_kind(data)
    if kind == XLSX:
        return _table(_xlsx_rows(data, sheet), XLSX, header_row)
    try:
        return _table(_csv_rows(decode_text(data)), CSV, header_row)
    except csv.Error as error:
        raise ParseError(_("The CSV file cannot be read: %(error)s") % {"error": str(error)[:200]}) from None
