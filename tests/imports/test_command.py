"""`import_portfolio FILE [--mapping M.json] [--dry-run]`: the same core, a summary, non-zero on errors."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from portfolio.models import Project
from tests.factories import DirectorateFactory, ProjectFactory
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
    call_command(
        "import_portfolio", *args, *(() if "--lang" in args else ("--lang", "en")), stdout=out, stderr=err
    )
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
            "import_portfolio",
            files["bad"],
            "--mapping",
            files["mapping"],
            "--lang",
            "en",
            stdout=StringIO(),
            stderr=err,
        )

    assert "Row 3, column “Budget”, value “n/a”: Not an amount." in err.getvalue()
    assert not Project.objects.exists()


def test_without_a_mapping_the_columns_are_guessed_from_the_headers(files):
    with pytest.raises(CommandError):  # no directorate column: each row says so
        out = StringIO()
        call_command("import_portfolio", files["good"], "--lang", "en", stdout=out, stderr=StringIO())
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


def test_the_summary_and_the_errors_speak_the_language_asked_for_and_the_sites_by_default(files, settings):
    settings.LANGUAGE_CODE = "fr"
    with pytest.raises(CommandError) as refused:
        call_command(
            "import_portfolio",
            files["bad"],
            "--mapping",
            files["mapping"],
            stdout=StringIO(),
            stderr=StringIO(),
        )
    assert "Rien n'a été enregistré" in str(refused.value)

    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="Nothing was saved"):
        call_command(
            "import_portfolio",
            files["bad"],
            "--mapping",
            files["mapping"],
            "--lang",
            "en",
            stdout=out,
            stderr=err,
        )
    assert "Rows: 2;" in out.getvalue() and "Not an amount." in err.getvalue()

    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_portfolio",
            files["bad"],
            "--mapping",
            files["mapping"],
            "--lang",
            "fr",
            stdout=out,
            stderr=err,
        )
    assert "Lignes : 2" in out.getvalue() and "Rows:" not in out.getvalue()
    assert "Ligne 3, colonne « Budget », valeur « n/a » : Ce n'est pas un montant." in err.getvalue()


def test_a_multi_line_cell_and_header_print_on_one_line(files):
    wrapped = files["dir"] / "wrapped.csv"
    wrapped.write_bytes(csv_bytes([["Code", "Name", "Budget\n(k€)"], ["A", "Alpha", "twelve\nthousand"]]))
    mapping = files["dir"] / "wrapped.json"
    mapping.write_text(
        json.dumps({**MAPPING, "columns": {"Code": "code", "Name": "name", "Budget (k€)": "budget"}}),
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_portfolio",
            str(wrapped),
            "--mapping",
            str(mapping),
            "--lang",
            "en",
            stdout=StringIO(),
            stderr=err,
        )

    assert (
        "Row 2, column “Budget (k€)”, value “twelve thousand”: Not an amount." in err.getvalue().splitlines()
    )


def test_codes_follow_the_mapping_pattern_after_the_highest_existing_one_and_the_dry_run_shows_them(files):
    ProjectFactory(code="PRJ-0041")
    ProjectFactory(code="PRJ-12")  # of the pattern too: the numbers are compared, not the texts
    ProjectFactory(code="OTHER-0999")
    named = files["dir"] / "named.csv"
    named.write_bytes(csv_bytes([["Name", "Budget"], ["Alpha", "1 000"], ["Beta", "2 000"]]))
    mapping = files["dir"] / "pattern.json"
    mapping.write_text(
        json.dumps(
            {**MAPPING, "columns": {"Name": "name", "Budget": "budget"}, "code_pattern": "PRJ-{n:04}"}
        ),
        encoding="utf-8",
    )

    out, _err = run(str(named), "--mapping", str(mapping), "--dry-run")

    assert "Row 2: new code PRJ-0042 for “Alpha”." in out
    assert "Row 3: new code PRJ-0043 for “Beta”." in out
    assert not Project.objects.filter(name__in=["Alpha", "Beta"]).exists()

    run(str(named), "--mapping", str(mapping))
    assert dict(Project.objects.filter(name__in=["Alpha", "Beta"]).values_list("name", "code")) == {
        "Alpha": "PRJ-0042",
        "Beta": "PRJ-0043",
    }
    out, _err = run(str(named), "--mapping", str(mapping))  # again: matched by name, no new code
    assert "unchanged: 2" in out and "new code" not in out
