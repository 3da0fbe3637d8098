import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from pmo.spreadsheets import choice_labels, label
from portfolio.exports import neutralise
from portfolio.models import Project, Rag
from tests.factories import ProjectFactory, StatusReportFactory
from tests.portfolio.test_project_list import reported_projects

pytestmark = pytest.mark.django_db

END = date.today() + timedelta(days=100)


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the BOM to read UTF-8"
    delimiter = ";" if ";" in text.splitlines()[0] else ","
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def exported(world):
    project = ProjectFactory(
        code="PRJ-0007",
        name='=HYPERLINK("http://evil")',
        directorate=world.it,
        project_manager=world.pm,
        sponsor=world.executive,
        budget=Decimal("1250000.00"),
        baseline_end=END,
        forecast_end=END + timedelta(days=15),
        methodology=Project.Methodology.AGILE,
    )
    StatusReportFactory(project=project, rag=Rag.AMBER, percent_complete=Decimal(45))
    ProjectFactory(code="PRJ-0008", name="Autre projet", state=Project.State.CLOSED)
    return project


def test_csv_export_has_translated_headers_labels_and_neutralised_formulas(client, world, exported):
    client.force_login(world.pmo)

    response = client.get("/portfolio/", {"export": "csv", "state": "active"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[:3] == ["Code", "Project name", "Directorate"]
    assert "Overall RAG" in header and "Slip (days)" in header
    assert len(rows) == 1, "the filter on the state applies to the export"
    row = dict(zip(header, rows[0], strict=True))
    assert row["Project name"] == '\'=HYPERLINK("http://evil")'
    assert row["Methodology"] == "Agile"
    assert row["State"] == "Active"
    assert row["Overall RAG"] == "Amber" and row["Cost RAG"] == "Green"
    assert row["Completion"] == "45.00"
    assert row["Period of last report"] == exported.last_report.period.isoformat()
    assert row["Forecast end"] == (END + timedelta(days=15)).isoformat() and row["Slip (days)"] == "15"
    assert row["Budget"] == "1250000.00"
    assert row["Project manager"] == str(world.pm)


def test_csv_export_in_french_uses_french_labels_and_semicolons(client, world, exported):
    client.force_login(world.pmo)

    response = client.get("/portfolio/", {"export": "csv", "state": "active"}, HTTP_ACCEPT_LANGUAGE="fr")

    header, row = csv_rows(response)
    assert response.content.decode("utf-8").splitlines()[0].count(";") == len(header) - 1
    assert header[0] == "Code" and "Directorate" not in header
    assert "1250000,00" in row


def test_xlsx_export_has_the_same_rows_with_numbers_and_dates(client, world, exported):
    client.force_login(world.pmo)
    params = {"state": "active", "sort": "-budget"}
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    csv_header, *csv_data = csv_rows(client.get("/portfolio/", {**params, "export": "csv"}, **english))

    response = client.get("/portfolio/", {**params, "export": "xlsx"}, **english)

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    header, *rows = xlsx_rows(response)
    assert header == csv_header
    assert [row[0] for row in rows] == [row[0] for row in csv_data] == ["PRJ-0007"]
    row = dict(zip(header, rows[0], strict=True))
    assert row["Project name"] == '\'=HYPERLINK("http://evil")'
    assert row["Budget"] == 1250000
    assert row["Slip (days)"] == 15
    assert row["Completion"] == 45
    assert row["Forecast end"].date() == END + timedelta(days=15)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold


def test_the_export_holds_every_filtered_row_not_one_page(client, world):
    client.force_login(world.pmo)
    ProjectFactory.create_batch(30, directorate=world.it, project_manager=world.pm, sponsor=world.executive)

    _header, *rows = csv_rows(client.get("/portfolio/", {"export": "csv", "page": "1"}))

    assert len(rows) == 30


def test_export_query_count_is_the_same_for_10_and_200_projects(client, world):
    client.force_login(world.pmo)
    fields = {"directorate": world.it, "project_manager": world.pm, "sponsor": world.executive}

    def queries(export: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/portfolio/", {"export": export}).status_code == 200
        return len(captured)

    reported_projects(10, **fields)
    ten = queries("csv"), queries("xlsx")
    reported_projects(190, **fields)

    # session, user, groups (roles), the status policy (when a rating is stale), the projects with every
    # joined relation and their last report in one query. The filter form is bound but never rendered,
    # so its choice lists are not read; every project is in the reporting currency, so no rate is read.
    assert (queries("csv"), queries("xlsx")) == ten == (5, 5)


@pytest.mark.parametrize("text", ["=1+1", "+33 6", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_reads_as_a_formula_is_neutralised(text):
    assert neutralise(text) == f"'{text}"


@pytest.mark.parametrize("value", ["Plain", "", -2, Decimal("-1.5"), None, date(2026, 1, 1)])
def test_other_values_are_left_alone(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_labels_read_once_for_an_export_are_those_each_row_would_display(language):
    project = Project(state=Project.State.ON_HOLD, methodology=Project.Methodology.AGILE, priority=1)
    with translation.override(language):
        labels = choice_labels(Project, "state", "methodology", "priority")
        for name in ("state", "methodology", "priority"):
            assert label(labels[name], getattr(project, name)) == getattr(project, f"get_{name}_display")()
        assert label(labels["state"], "unknown") == "unknown" and label(labels["state"], None) == ""
