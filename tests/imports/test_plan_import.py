"""Milestones and dependencies imported with the projects: second sheets of a workbook (or CSV files),
mapped like the projects, all or nothing with the whole file."""

import io
import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from imports.mapping import Mapping
from imports.models import ColumnMapping, Import
from imports.plan import plan_sheets
from imports.runs import run_request
from imports.services import import_table
from imports.tables import read_table
from imports.tasks import run_import_task
from imports.uploads import store_upload
from pmo.roles import Role
from portfolio.models import Milestone, Project, ProjectDependency
from tests.factories import DirectorateFactory, ProjectFactory, UserFactory
from tests.imports.conftest import csv_bytes

PROJECTS = [["Code", "Name"], ["ALPHA", "Alpha"], ["BETA", "Beta"]]
MILESTONES = [
    ["Project code", "Milestone", "Baseline date", "Forecast date", "Actual date", "Weight", "Owner"],
    ["ALPHA", "Design", "2026-03-01", "2026-03-15", "", "2", "salma"],
    ["ALPHA", "Go-live", "2026-09-01", "", "", "", ""],
    ["BETA", "Interface ready", "2026-05-01", "2026-06-15", "", "1", ""],
]
DEPENDENCIES = [
    ["Consumer project", "Consumer milestone", "Provider project", "Provider milestone", "Needed by", "Kind"],
    ["ALPHA", "Go-live", "BETA", "Interface ready", "2026-06-01", "Needs a deliverable from"],
]
MAPPING = {"columns": {"Code": "code", "Name": "name"}, "defaults": {"directorate": "DSI"}}


def workbook(sheets: dict[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(data: bytes, *, commit: bool = True, mapping: dict | None = None, files=None):
    parsed = Mapping.from_dict(mapping or MAPPING)
    plan = plan_sheets(data, parsed.plan_columns, parsed.plan_sheets, files=files)
    return import_table(
        table=read_table(data), mapping=parsed, commit=commit, plan=plan, today=date(2026, 4, 1)
    )


@pytest.fixture
def world(db):
    DirectorateFactory(code="DSI")
    return UserFactory(username="salma")


def test_a_workbook_imports_projects_milestones_and_dependencies_together(world):
    data = workbook({"Projects": PROJECTS, "Milestones": MILESTONES, "Dependencies": DEPENDENCIES})

    report = run(data)

    assert report.ok and report.committed, report.errors
    design = Milestone.objects.get(project__code="ALPHA", name="Design")
    assert (design.baseline_date, design.forecast_date, design.weight) == (
        date(2026, 3, 1),
        date(2026, 3, 15),
        2,
    )
    assert design.owner == world
    assert Milestone.objects.get(name="Go-live").forecast_date == date(2026, 9, 1)  # blank: the baseline
    dependency = ProjectDependency.objects.get()
    assert (dependency.from_project.code, dependency.to_project.code) == ("ALPHA", "BETA")
    assert dependency.provider_milestone.name == "Interface ready"
    assert dependency.kind == ProjectDependency.Kind.DELIVERABLE
    assert dependency.is_broken  # forecast 15 June, needed by 1 June


def test_french_sheet_names_and_headers_are_recognised(world):
    jalons = [["Code projet", "Jalon", "Date de référence", "Date prévue", "Poids", "Livrable"]]
    jalons.append(["ALPHA", "Recette", "01/06/2026", "15/06/2026", "1", "PV de recette"])
    data = workbook({"Projets": PROJECTS, "Jalons": jalons})

    assert run(data).committed
    assert Milestone.objects.get(name="Recette").deliverable == "PV de recette"


def test_a_bad_date_in_the_milestones_sheet_names_sheet_line_and_column_and_saves_nothing(world):
    bad = [*MILESTONES[:2], ["ALPHA", "Go-live", "31/02/2026", "", "", "", ""]]
    data = workbook({"Projects": PROJECTS, "Milestones": bad, "Dependencies": DEPENDENCIES})

    report = run(data)

    assert not report.ok and not report.committed
    [error] = [error for error in report.errors if error.sheet == "Milestones"]
    assert (error.sheet, error.row, error.column) == ("Milestones", 3, "Baseline date")
    assert error.value == "31/02/2026"
    assert not Project.objects.exists() and not Milestone.objects.exists()
    assert not ProjectDependency.objects.exists()


def test_reimporting_updates_milestones_by_project_and_name(world):
    data = workbook({"Projects": PROJECTS, "Milestones": MILESTONES})
    run(data)
    moved = [MILESTONES[0], ["ALPHA", "Design", "2026-03-01", "2026-04-30", "", "2", "salma"]]

    report = run(workbook({"Projects": PROJECTS, "Milestones": moved}))

    assert report.committed
    assert Milestone.objects.filter(project__code="ALPHA", name="Design").count() == 1
    design = Milestone.objects.get(name="Design")
    assert design.forecast_date == date(2026, 4, 30) and design.version == 2
    assert Milestone.objects.count() == 3  # the others are left as they were


def test_a_baselined_projects_baseline_dates_change_only_through_a_change_request(world):
    project = ProjectFactory(code="ALPHA", baseline_version=1, directorate=DirectorateFactory(code="DSI"))
    Milestone.objects.create(
        project=project, name="Design", baseline_date=date(2026, 3, 1), forecast_date=date(2026, 3, 1)
    )
    rows = [MILESTONES[0], ["ALPHA", "Design", "2026-05-01", "2026-05-01", "", "", ""]]

    report = run(workbook({"Projects": [["Code", "Name"], ["ALPHA", "Alpha"]], "Milestones": rows}))

    assert not report.committed
    [error] = report.errors
    assert error.column == "Baseline date" and "change request" in error.message
    assert Milestone.objects.get().forecast_date == date(2026, 3, 1)


def test_an_imported_needed_by_date_asks_the_provider_to_accept_again(world):
    run(workbook({"Projects": PROJECTS, "Milestones": MILESTONES, "Dependencies": DEPENDENCIES}))
    ProjectDependency.objects.update(accepted_by=world, accepted_at="2026-03-01T10:00:00Z")
    later = [*DEPENDENCIES[:1], [*DEPENDENCIES[1][:4], "2026-07-01", DEPENDENCIES[1][5]]]

    report = run(workbook({"Projects": PROJECTS, "Dependencies": later}))

    assert report.committed, report.errors
    dependency = ProjectDependency.objects.get()
    assert dependency.needed_by == date(2026, 7, 1) and not dependency.is_accepted


def test_a_blank_needed_by_date_is_the_consumer_milestones_forecast(world):
    blank = [*DEPENDENCIES[:1], [*DEPENDENCIES[1][:4], "", DEPENDENCIES[1][5]]]

    report = run(workbook({"Projects": PROJECTS, "Milestones": MILESTONES, "Dependencies": blank}))

    assert report.committed, report.errors
    assert ProjectDependency.objects.get().needed_by == date(2026, 9, 1)  # Go-live's forecast


def test_an_unknown_provider_milestone_is_an_error_on_its_cell(world):
    bad = [DEPENDENCIES[0], ["ALPHA", "Go-live", "BETA", "No such thing", "2026-06-01", ""]]
    report = run(workbook({"Projects": PROJECTS, "Milestones": MILESTONES, "Dependencies": bad}))

    [error] = report.errors
    assert (error.sheet, error.row, error.column) == ("Dependencies", 2, "Provider milestone")
    assert not Milestone.objects.exists()


def test_the_command_takes_csv_files_and_prints_errors_with_their_sheet_in_french(world, tmp_path):
    projects, milestones = tmp_path / "projects.csv", tmp_path / "milestones.csv"
    projects.write_bytes(csv_bytes(PROJECTS))
    milestones.write_bytes(csv_bytes([*MILESTONES[:2], ["ALPHA", "Go-live", "demain", "", "", "", ""]]))
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(MAPPING), encoding="utf-8")
    err = StringIO()

    with pytest.raises(CommandError):
        call_command(
            "import_portfolio",
            str(projects),
            "--mapping",
            str(mapping),
            "--milestones",
            str(milestones),
            "--lang",
            "fr",
            stdout=StringIO(),
            stderr=err,
        )

    assert "Feuille « Jalons », ligne 3, colonne « Baseline date », valeur « demain »" in err.getvalue()
    assert not Project.objects.exists()


def test_the_command_imports_csv_plan_files(world, tmp_path):
    projects, milestones = tmp_path / "projects.csv", tmp_path / "milestones.csv"
    dependencies = tmp_path / "dependencies.csv"
    projects.write_bytes(csv_bytes(PROJECTS))
    milestones.write_bytes(csv_bytes(MILESTONES))
    dependencies.write_bytes(csv_bytes(DEPENDENCIES))
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(MAPPING), encoding="utf-8")

    call_command(
        "import_portfolio",
        str(projects),
        "--mapping",
        str(mapping),
        "--milestones",
        str(milestones),
        "--dependencies",
        str(dependencies),
        "--lang",
        "en",
        stdout=StringIO(),
        stderr=StringIO(),
    )

    assert Milestone.objects.count() == 3
    assert ProjectDependency.objects.get().consumer_milestone.name == "Go-live"


def test_a_mapping_names_plan_columns_and_sheets(world):
    rows = [["Projet X", "Étape", "Base"], ["ALPHA", "Kick-off", "2026-01-10"]]
    mapping = {
        **MAPPING,
        "plan_sheets": {"milestones": "Étapes"},
        "plan_columns": {"milestones": {"Projet X": "project", "Étape": "name", "Base": "baseline_date"}},
    }

    report = run(workbook({"Projects": PROJECTS, "Étapes": rows}), mapping=mapping)

    assert report.committed, report.errors
    assert Milestone.objects.get().baseline_date == date(2026, 1, 10)
    assert Mapping.from_dict(mapping).to_dict()["plan_columns"] == mapping["plan_columns"]


def test_an_actual_date_in_the_future_is_refused(world):
    future = (date(2026, 4, 1) + timedelta(days=3)).isoformat()
    rows = [MILESTONES[0], ["ALPHA", "Design", "2026-03-01", "", future, "", ""]]
    report = run(workbook({"Projects": PROJECTS, "Milestones": rows}))
    [error] = report.errors
    assert error.column == "Actual date"


def test_the_browser_imports_dry_run_shows_the_milestones_sheets_errors_and_its_commit_saves_them(
    client, world
):
    pmo = UserFactory(username="pmo-plan", roles=[Role.PMO])
    bad = [*MILESTONES[:2], ["ALPHA", "Go-live", "31/02/2026", "", "", "", ""]]
    upload = store_upload(
        data=workbook({"Projects": PROJECTS, "Milestones": bad}),
        kind="xlsx",
        original_name="plan.xlsx",
        user=pmo,
        start_from=None,
    )
    upload.mapping = {**upload.mapping, **MAPPING}
    upload.state = Import.State.MAPPED
    upload.save()

    run_request(upload, commit=False, by=pmo)
    run_import_task.delay(upload.pk, upload.run)
    client.force_login(pmo)
    page = client.get(
        reverse("imports:dry_run", args=[upload.pk]), {"show": "error"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    upload.refresh_from_db()
    assert upload.summary["counts"]["errors"] == 1
    [row] = [row for row in upload.results if row["errors"]]
    assert (row["sheet"], row["row"], row["errors"][0][1]) == ("Milestones", 3, "Baseline date")
    assert "Milestones" in page.content.decode() and "31/02/2026" in page.content.decode()
    assert not Milestone.objects.exists()


def test_the_columns_step_saves_the_plan_sheets_columns_with_the_mapping(client, world):
    pmo = UserFactory(username="pmo-plan", roles=[Role.PMO])
    upload = store_upload(
        data=workbook({"Projects": PROJECTS, "Jalons": MILESTONES}),
        kind="xlsx",
        original_name="plan.xlsx",
        user=pmo,
        start_from=None,
    )
    client.force_login(pmo)

    response = client.post(
        reverse("imports:columns", args=[upload.pk]),
        {"column_0": "code", "column_1": "name", "save_as": "Plans"},
    )

    assert response.status_code == 302
    saved = ColumnMapping.objects.get(name="Plans").definition
    assert saved["plan_columns"]["milestones"]["Baseline date"] == "baseline_date"
    assert saved["plan_columns"]["milestones"]["Project code"] == "project"
    assert "dependencies" not in saved["plan_columns"]


def test_a_project_depending_on_itself_is_an_error_on_the_provider_cell(world):
    itself = [*DEPENDENCIES[:1], ["ALPHA", "Go-live", "ALPHA", "Design", "", ""]]

    report = run(workbook({"Projects": PROJECTS, "Milestones": MILESTONES, "Dependencies": itself}))

    assert not report.committed
    assert [(e.column, e.message) for e in report.errors] == [
        ("Provider project", "A project cannot depend on itself.")
    ]
