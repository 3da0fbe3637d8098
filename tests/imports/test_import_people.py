"""Capacity (HR's CSV) and demand imported."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from imports.datasheets import data_sheets, import_data
from resources.models import Capacity, Demand, ResourceRole
from tests.factories import ProjectFactory
from tests.imports.conftest import csv_bytes

CAPACITY = ["Directorate code", "Role", "Month", "FTE"]
DEMAND = ["Project code", "Role", "Month", "FTE", "Person"]


@pytest.fixture
def setup(world):
    ResourceRole.objects.create(code="DEV", name="Développeur", name_en="Developer", order=1)
    ResourceRole.objects.create(code="BA", name="Analyste métier", name_en="Business analyst", order=2)
    return (
        ProjectFactory(code="P-1", directorate=world.it, project_manager=world.pm),
        ProjectFactory(code="P-2", directorate=world.finance, project_manager=world.other_pm),
    )


def run(kind, header, rows, *, by=None, commit=True):
    return import_data(sheets=data_sheets(None, {kind: csv_bytes([header, *rows])}), author=by, commit=commit)


def test_capacity_rows_upsert_per_directorate_role_and_month(setup, world):
    report = run(
        "capacity",
        CAPACITY,
        [["DSI", "DEV", "2026-03", "4.5"], ["DF", "Business analyst", "2026-03-15", "2"]],
        by=world.pmo,
    )
    assert report.ok and report.committed, report.as_dict()
    got = {(c.directorate.code, c.role.code, c.month): c.fte for c in Capacity.objects.all()}
    assert got == {
        ("DSI", "DEV", date(2026, 3, 1)): Decimal("4.5"),
        ("DF", "BA", date(2026, 3, 1)): Decimal(2),
    }
    assert Capacity.objects.get(role__code="DEV").history.first().history_user == world.pmo
    again = run("capacity", CAPACITY, [["DSI", "DEV", "2026-03", "5"]], by=world.pmo)
    assert [row.action for row in again.rows] == ["update"]
    assert Capacity.objects.count() == 2


def test_each_bad_capacity_row_has_its_message_and_nothing_is_saved(setup, world):
    report = run(
        "capacity",
        CAPACITY,
        [
            ["DSI", "DEV", "2026-03", "1"],
            ["XX", "DEV", "2026-03", "1"],
            ["DSI", "Astronaut", "2026-03", "1"],
            ["DSI", "BA", "2026-13", "1"],
            ["DSI", "BA", "2026-04", "-1"],
            ["DSI", "DEV", "2026-03", "2"],
        ],
        by=world.pmo,
    )
    messages = {(error.row, error.column): error.message for error in report.errors}
    assert messages[(3, "Directorate code")] == "No directorate has this code."
    assert messages[(4, "Role")] == "No role has this code or name."
    assert messages[(5, "Month")] == "Not a month (YYYY-MM)."
    assert messages[(6, "FTE")] == "Between 0 and 10000 FTE."
    assert messages[(7, "Month")] == "Line 2 of this sheet says it already."
    assert Capacity.objects.count() == 0


def test_only_the_pmo_and_administrators_import_capacity(setup, world):
    report = run("capacity", CAPACITY, [["DSI", "DEV", "2026-03", "1"]], by=world.pm)
    assert [error.message for error in report.errors] == ["Only the PMO and administrators change capacity."]


def test_demand_rows_with_and_without_a_person(setup, world):
    report = run(
        "demand",
        DEMAND,
        [
            ["P-1", "DEV", "2026-03", "1", ""],
            ["P-1", "DEV", "2026-03", "0.5", "pm@example.test"],
            ["P-2", "BA", "2026-04", "2", "other_pm"],
        ],
        by=world.pmo,
    )
    assert report.ok, report.as_dict()
    got = {
        (d.project.code, d.role.code, d.month, d.person.username if d.person else None): d.fte
        for d in Demand.objects.all()
    }
    assert got == {
        ("P-1", "DEV", date(2026, 3, 1), None): Decimal(1),
        ("P-1", "DEV", date(2026, 3, 1), "pm"): Decimal("0.5"),
        ("P-2", "BA", date(2026, 4, 1), "other_pm"): Decimal(2),
    }


def test_a_bad_demand_row_and_a_managers_other_project(setup, world):
    report = run(
        "demand",
        DEMAND,
        [
            ["P-1", "DEV", "2026-03", "1", "nobody"],
            ["P-2", "DEV", "2026-03", "1", ""],
            ["P-1", "DEV", "2026-04", "1", ""],
        ],
        by=world.pm,
    )
    messages = {(error.row, error.column): error.message for error in report.errors}
    assert messages == {
        (2, "Person"): "No active user has this username or email.",
        (3, "Project code"): "You may not change this project's demand.",
    }
    assert Demand.objects.count() == 0


def test_french_headers_and_sheet_names_in_a_workbook(setup, world, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Capacité"
    sheet.append(["Code direction", "Rôle", "Mois", "ETP"])
    sheet.append(["DSI", "Développeur", date(2026, 3, 1), 3])
    demand = workbook.create_sheet("Demande")
    demand.append(["Code projet", "Rôle", "Mois", "ETP", "Personne"])
    demand.append(["P-1", "DEV", "2026-03", 1.5, None])
    path = tmp_path / "people.xlsx"
    workbook.save(path)
    call_command("import_portfolio", str(path))
    assert Capacity.objects.get().fte == 3
    assert Demand.objects.get().fte == Decimal("1.5")
