"""Files are judged by their content, not their name, and read into a header and rows."""

import io
import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook

from imports.parsing import ParseError
from imports.tables import CSV, XLSX, read_table, sniff_kind

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def workbook_bytes(rows, *, title="Projets", percent_cell=None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if percent_cell:
        sheet[percent_cell].number_format = "0%"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_workbook_is_read_with_its_typed_cells():
    data = workbook_bytes(
        [["Code", "Budget", "Start", "Done"], ["PRJ-1", 12.5, datetime(2026, 3, 2), 0.45]], percent_cell="D2"
    )

    table = read_table(data)

    assert sniff_kind(data) == XLSX
    assert table.headers == ["Code", "Budget", "Start", "Done"]
    assert table.rows == [(2, ["PRJ-1", 12.5, datetime(2026, 3, 2), "45.00%"])]


def test_a_csv_in_utf8_with_a_bom_french_excel_semicolons():
    data = "\ufeffCode;Nom;Budget\r\nPRJ-1;Refonte;1 234,50\r\n".encode()

    table = read_table(data)

    assert table.kind == CSV
    assert table.headers == ["Code", "Nom", "Budget"]
    assert table.rows == [(2, ["PRJ-1", "Refonte", "1 234,50"])]


def test_a_csv_in_windows_1252_is_read_too():
    data = "Code,Nom\nPRJ-1,Créances échues \u2013 2€\n".encode("cp1252")

    assert read_table(data).rows == [(2, ["PRJ-1", "Créances échues \u2013 2€"])]


def test_blank_rows_are_skipped_and_row_numbers_are_the_spreadsheets():
    table = read_table(b"\n\nCode,Name\n\nA,1\n,\nB,2\n")

    assert table.headers == ["Code", "Name"]
    assert [number for number, _cells in table.rows] == [5, 7]


def test_duplicate_and_empty_headers_get_names_of_their_own():
    table = read_table(b"Code,Name,,Name\nA,1,2,3\n")

    assert table.headers == ["Code", "Name", "Column 3", "Name (2)"]


@pytest.mark.parametrize(
    "data",
    [
        PNG,
        b"GIF89a\x01\x00\x01\x00\x00\xff\x00,",
        b"%PDF-1.7\n\x00\x01binary",
        b"Code,Name\nA\x00,B\n",  # a NUL byte: not a text file
        b"Code,Name\x07\nA,B\n",  # control characters
    ],
)
def test_anything_but_a_workbook_or_a_text_file_is_refused_whatever_its_name(data):
    with pytest.raises(ParseError):
        sniff_kind(data)


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")

    with pytest.raises(ParseError, match="not an Excel workbook"):
        sniff_kind(buffer.getvalue())


def test_a_zip_that_would_inflate_a_hundred_times_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 5_000_000)

    with pytest.raises(ParseError, match="expands"):
        sniff_kind(buffer.getvalue())


def test_a_workbook_with_its_parts_but_broken_inside_is_refused_when_read():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "not xml")
        archive.writestr("xl/workbook.xml", "not xml either")

    with pytest.raises(ParseError, match="cannot be read"):
        read_table(buffer.getvalue())


def test_an_empty_file_has_no_header():
    with pytest.raises(ParseError, match="empty"):
        read_table(b"\n\n")


def test_a_named_sheet_is_read_and_a_missing_one_is_said():
    data = workbook_bytes([["Code"], ["A"]], title="Portefeuille")

    assert read_table(data, sheet="Portefeuille").rows == [(2, ["A"])]
    with pytest.raises(ParseError, match="no sheet named"):
        read_table(data, sheet="Budget")


def test_distinct_values_with_their_counts_most_frequent_first_and_samples_in_file_order():
    table = read_table(b"Rating\nRed\nAmber\nAmber\n\nGreen\nAmber\n")

    assert table.distinct(0) == {"Amber": 3, "Green": 1, "Red": 1}
    assert table.samples(0, 2) == ["Red", "Amber"]
