"""Money by month imported: budgets, forecasts and the finance system's monthly actuals."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from finance.models import CostCategory, MonthlyAmount
from imports.datasheets import data_sheets, import_data
from tests.factories import ProjectFactory
from tests.imports.conftest import csv_bytes

HEADER = ["Project code", "Month", "Category", "Kind", "Amount"]


@pytest.fixture
def projects(world):
    return (
        ProjectFactory(code="P-1", directorate=world.it, project_manager=world.pm),
        ProjectFactory(code="P-2", directorate=world.finance, project_manager=world.other_pm),
    )


def money(rows, *, header=HEADER, by=None, commit=True):
    return import_data(
        sheets=data_sheets(None, {"money": csv_bytes([header, *rows])}), author=by, commit=commit
    )


def amounts():
    return {
        (a.project.code, a.kind, a.category.code, a.month): a.amount
        for a in MonthlyAmount.objects.select_related("project", "category")
    }


def test_valid_rows_upsert_budgets_and_forecasts_per_project_kind_category_and_month(projects, world):
    report = money(
        [
            ["P-1", "2026-03", "CAPEX", "budget", "1000"],
            ["P-1", "2026-04-17", "OPEX", "forecast", "250.5"],
            ["P-2", "2026-03", "Capex", "Budget", "40"],
        ],
        by=world.pmo,
    )
    assert report.ok and report.committed, report.as_dict()
    assert amounts() == {
        ("P-1", "budget", "CAPEX", date(2026, 3, 1)): Decimal("1000"),
        ("P-1", "forecast", "OPEX", date(2026, 4, 1)): Decimal("250.5"),
        ("P-2", "budget", "CAPEX", date(2026, 3, 1)): Decimal("40"),
    }
    record = MonthlyAmount.objects.get(kind="forecast")
    assert record.source == MonthlyAmount.Source.IMPORTED and record.updated_by == world.pmo
    assert record.history.first().history_user == world.pmo

    again = money([["P-1", "2026-03", "CAPEX", "budget", "1200"]], by=world.pmo)
    assert [row.action for row in again.rows] == ["update"]
    assert MonthlyAmount.objects.count() == 3
    assert MonthlyAmount.objects.get(project__code="P-1", kind="budget").amount == Decimal("1200")


def test_each_bad_row_has_its_message_and_nothing_is_saved(projects, world):
    report = money(
        [
            ["P-1", "2026-03", "CAPEX", "budget", "1000"],
            ["NOPE", "2026-03", "CAPEX", "budget", "1"],
            ["P-1", "March", "CAPEX", "budget", "1"],
            ["P-1", "2026-03", "TRAVEL", "budget", "1"],
            ["P-1", "2026-03", "CAPEX", "guess", "1"],
            ["P-1", "2026-05", "CAPEX", "budget", "-5"],
            ["P-1", "2026-03", "CAPEX", "budget", "7"],
            ["P-1", "2026-06", "CAPEX", "budget", ""],
        ],
        by=world.pmo,
    )
    assert not report.ok and not report.committed
    messages = {(error.row, error.column): error.message for error in report.errors}
    assert messages[(3, "Project code")] == "No project has this code."
    assert (4, "Month") in messages
    assert messages[(5, "Category")] == "No cost category has this code or name."
    assert messages[(6, "Kind")].startswith("Not one of")
    assert messages[(7, "Amount")] == "A budget or a forecast is never negative (an actual may be)."
    assert messages[(8, "Month")] == "Line 2 of this sheet says it already."
    assert messages[(9, "Amount")] == "The amount is missing."
    assert all(error.sheet == "Budgets" for error in report.errors)
    assert MonthlyAmount.objects.count() == 0  # row 2 was valid: all or nothing


def test_a_project_manager_imports_only_their_own_projects_money(projects, world):
    report = money(
        [["P-1", "2026-03", "CAPEX", "budget", "1"], ["P-2", "2026-03", "CAPEX", "budget", "1"]], by=world.pm
    )
    assert [error.row for error in report.errors] == [3]
    assert report.errors[0].message == "You may not change this project's money."


def test_the_finance_systems_actuals_replace_the_projects_actuals_of_each_month_they_name(projects, world):
    opex = CostCategory.objects.get(code="OPEX")
    capex = CostCategory.objects.get(code="CAPEX")
    p1, p2 = projects
    for project, category, month, amount in (
        (p1, capex, date(2026, 3, 1), 10),
        (p1, opex, date(2026, 3, 1), 20),
        (p1, opex, date(2026, 4, 1), 30),
        (p2, opex, date(2026, 3, 1), 40),
    ):
        MonthlyAmount.objects.create(
            project=project, category=category, kind="actual", month=month, amount=amount
        )
    header = ["Project code", "Month", "Category", "Amount"]  # no kind: the finance system's CSV
    report = money([["P-1", "2026-03-01", "OPEX", "25"]], header=header, by=world.pmo)
    assert report.ok and report.committed, report.as_dict()
    assert {k: v for k, v in amounts().items() if k[1] == "actual"} == {
        ("P-1", "actual", "OPEX", date(2026, 3, 1)): Decimal("25"),  # updated
        ("P-1", "actual", "OPEX", date(2026, 4, 1)): Decimal("30"),  # another month: kept
        ("P-2", "actual", "OPEX", date(2026, 3, 1)): Decimal("40"),  # another project: kept
    }  # P-1's CAPEX of March: replaced by the file's month, which has none
    assert "CAPEX" in " ".join(report.rows[0].notes) or "Capex" in " ".join(report.rows[0].notes)
    assert MonthlyAmount.history.filter(history_type="-").count() == 1


def test_french_headers_and_kinds(projects, world):
    header = ["Code projet", "Mois", "Catégorie", "Type", "Montant"]
    report = money(
        [["P-1", "2026-03", "CAPEX", "prévision", "5"], ["P-1", "2026-03", "CAPEX", "réalisé", "-2"]],
        header=header,
        by=world.pmo,
    )
    assert report.ok, report.as_dict()
    assert {k[1] for k in amounts()} == {"forecast", "actual"}


def test_a_dry_run_saves_nothing(projects, world):
    report = money([["P-1", "2026-03", "CAPEX", "budget", "1"]], by=world.pmo, commit=False)
    assert report.ok and not report.committed
    assert MonthlyAmount.objects.count() == 0


def test_the_command_imports_a_money_csv_and_prints_errors_in_french(projects, tmp_path):
    good = tmp_path / "money.csv"
    good.write_bytes(csv_bytes([HEADER, ["P-1", "2026-03", "CAPEX", "budget", "1000"]]))
    call_command("import_portfolio", "--money", str(good), "--dry-run")
    assert MonthlyAmount.objects.count() == 0
    call_command("import_portfolio", "--money", str(good))
    assert MonthlyAmount.objects.count() == 1
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([HEADER, ["NOPE", "2026-03", "CAPEX", "budget", "1"]]))
    with pytest.raises(CommandError), translation.override("fr"):
        call_command("import_portfolio", "--money", str(bad), "--lang", "fr")


def test_a_projects_workbook_with_a_budgets_sheet_imports_both_in_one_transaction(world, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    projects = workbook.active
    projects.title = "Projets"
    projects.append(["Code", "Nom", "Direction", "Chef de projet"])
    projects.append(["NEW-1", "Nouveau", "DSI", "pm"])
    budgets = workbook.create_sheet("Budget par mois")
    budgets.append(["Code projet", "Mois", "Catégorie", "Type", "Montant"])
    budgets.append(["NEW-1", date(2026, 3, 9), "CAPEX", "budget", 300])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    call_command("import_portfolio", str(path))
    assert amounts() == {("NEW-1", "budget", "CAPEX", date(2026, 3, 1)): Decimal(300)}


def test_a_bad_budget_row_keeps_the_projects_sheet_from_being_saved_too(world, tmp_path):
    from openpyxl import Workbook

    from portfolio.models import Project

    workbook = Workbook()
    projects = workbook.active
    projects.title = "Projects"
    projects.append(["Code", "Name", "Directorate", "Project manager"])
    projects.append(["NEW-2", "New", "DSI", "pm"])
    budgets = workbook.create_sheet("Budgets")
    budgets.append(HEADER)
    budgets.append(["NEW-2", "2026-03", "CAPEX", "budget", "-1"])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    with pytest.raises(CommandError):
        call_command("import_portfolio", str(path), "--lang", "en")
    assert not Project.objects.filter(code="NEW-2").exists()
    assert MonthlyAmount.objects.count() == 0
