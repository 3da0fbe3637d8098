"""`import_portfolio FILE [--mapping M.json] [--dry-run]`: the same core, a summary, non-zero on errors."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from portfolio.models import Project
from tests.factories import DirectorateFactory
from tests.imports.conftest import csv_bytes
from tests.imports.test_tables import PNG

MAPPING = {
    "columns": {"Code": "code", "Name": "name", "Budget": "budget"},
    "defaults": {"directorate": "DSI"},
}


@pytest.fixture
def files(tmp_path, db):
    DirectorateFactory(code="DSI")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(MAPPING), encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([["Code", "Name", "Budget"], ["A", "Alpha", "1 000"], ["B", "Beta", "2,5"]]))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["Code", "Name", "Budget"], ["A", "Alpha", "1 000"], ["B", "Beta", "n/a"]]))
    return {"mapping": str(mapping), "good": str(good), "bad": str(bad), "dir": tmp_path}


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_portfolio", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_and_prints_the_summary(files):
    out, _err = run(files["good"], "--mapping", files["mapping"])

    assert "Imported." in out
    assert "Rows: 2; created: 2; updated: 0; unchanged: 0; rows with errors: 0; errors: 0;" in out
    assert sorted(Project.objects.values_list("code", flat=True)) == ["A", "B"]


def test_a_dry_run_saves_nothing(files):
    out, _err = run(files["good"], "--mapping", files["mapping"], "--dry-run")

    assert "Dry run: nothing saved." in out and "created: 2" in out
    assert not Project.objects.exists()


def test_errors_are_printed_with_row_column_value_and_nothing_is_saved(files):
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was saved"):
        call_command(
            "import_portfolio", files["bad"], "--mapping", files["mapping"], stdout=StringIO(), stderr=err
        )

    assert "Row 3, column “Budget”, value “n/a”: Not an amount." in err.getvalue()
    assert not Project.objects.exists()


def test_without_a_mapping_the_columns_are_guessed_from_the_headers(files):
    with pytest.raises(CommandError):  # no directorate column: each row says so
        out = StringIO()
        call_command("import_portfolio", files["good"], stdout=out, stderr=StringIO())
    assert "Code -> code" in out.getvalue() and "Budget -> budget" in out.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ('{"columns": {"Code": "colour"}}', "“colour” is not a field that can be imported"),
    ],
)
def test_a_broken_mapping_file_is_refused(files, content, message):
    mapping = files["dir"] / "broken.json"
    mapping.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match=message):
        run(files["good"], "--mapping", str(mapping))


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(files):
    picture = files["dir"] / "portfolio.csv"
    picture.write_bytes(PNG)

    with pytest.raises(CommandError, match="neither a CSV text file nor an Excel workbook"):
        run(str(picture), "--mapping", files["mapping"])
