"""The money and people exports are in the import's own layout: exported, imported back, nothing
changes; typed cells; the reader's projects only; query counts constant with rows."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from finance.models import CostCategory, MonthlyAmount
from resources.models import Capacity, Demand, ResourceRole
from tests.factories import ProjectFactory


def _state():
    money = sorted(
        (a.project_id, a.kind, a.category_id, a.month, a.amount, a.source, a.updated_at)
        for a in MonthlyAmount.objects.all()
    )
    capacity = sorted(
        (c.directorate_id, c.role_id, c.month, c.fte, c.updated_at) for c in Capacity.objects.all()
    )
    demand = sorted(
        (d.project_id, d.role_id, d.month, d.fte, d.person_id or 0, d.updated_at)
        for d in Demand.objects.all()
    )
    return money, capacity, demand


@pytest.fixture
def data(world):
    capex, opex = CostCategory.objects.get(code="CAPEX"), CostCategory.objects.get(code="OPEX")
    dev = ResourceRole.objects.create(code="DEV", name="Développeur", name_en="Developer")
    mine = ProjectFactory(code="P-1", directorate=world.it, project_manager=world.pm)
    secret = ProjectFactory(code="SECRET-9", directorate=world.finance, confidential=True)
    rows = []
    for project in (mine, secret):
        for month in (1, 2, 3):
            day = date(2026, month, 1)
            rows.append(
                MonthlyAmount(project=project, category=capex, kind="budget", month=day, amount=1000 + month)
            )
            rows.append(
                MonthlyAmount(
                    project=project, category=opex, kind="actual", month=day, amount=Decimal("-2.5")
                )
            )
            Demand.objects.create(project=project, role=dev, month=day, fte=Decimal("1.25"), person=world.pm)
            Demand.objects.create(project=project, role=dev, month=day, fte=2)
    MonthlyAmount.objects.bulk_create(rows)
    MonthlyAmount.objects.create(
        project=mine, category=capex, kind="budget", month=date(2027, 1, 1), amount=9
    )
    for month in (1, 2):
        Capacity.objects.create(
            directorate=world.it, role=dev, month=date(2026, month, 1), fte=Decimal("4.5")
        )
    return mine, secret


def _download(client, user, name, **query):
    client.force_login(user)
    response = client.get(reverse(name), query)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("language", ["en", "fr"])
def test_export_then_import_changes_nothing(client, world, data, tmp_path, language):
    before = _state()
    for name, file in (("finance:data_export", "money.xlsx"), ("resources:data_export", "people.xlsx")):
        client.cookies.load({"django_language": language})
        path = tmp_path / file
        path.write_bytes(_download(client, world.pmo, name, fy="2026"))
        titles = load_workbook(path).sheetnames
        assert (
            titles
            == {
                ("en", "money.xlsx"): ["Budgets"],
                ("fr", "money.xlsx"): ["Budget par mois"],
                ("en", "people.xlsx"): ["Capacity", "Demand"],
                ("fr", "people.xlsx"): ["Capacité", "Demande"],
            }[language, file]
        )
        call_command("import_portfolio", str(path), "--lang", language)
    assert _state() == before


def test_the_money_export_has_typed_cells_and_only_the_readers_projects(client, world, data):
    workbook = load_workbook(io.BytesIO(_download(client, world.pm, "finance:data_export", fy="2026")))
    (sheet,) = workbook.worksheets
    rows = list(sheet.iter_rows(values_only=True))
    assert (
        rows[0][:5] == ("Project code", "Month", "Cost category", "Kind", "Amount")
        or rows[0][0] == "Code projet"
    )
    assert {row[0] for row in rows[1:]} == {"P-1"}  # neither the confidential project nor 2027
    assert len(rows) == 1 + 6
    assert isinstance(rows[1][1], datetime) and rows[1][1].day == 1
    assert all(isinstance(row[4], int | float) for row in rows[1:])
    assert b"SECRET-9" not in _download(client, world.pm, "finance:data_export", fy="2026")


def test_the_people_export_gives_capacity_to_oversight_and_demand_of_visible_projects(client, world, data):
    def sheets(user):
        workbook = load_workbook(io.BytesIO(_download(client, user, "resources:data_export", fy="2026")))
        return [list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets]

    capacity, demand = sheets(world.pm)
    assert len(capacity) == 1  # the header only
    assert {row[0] for row in demand[1:]} == {"P-1"} and len(demand) == 1 + 6
    capacity, demand = sheets(world.pmo)
    assert len(capacity) == 3 and isinstance(capacity[1][3], float) and isinstance(capacity[1][2], datetime)
    assert {row[0] for row in demand[1:]} == {"P-1", "SECRET-9"}


@pytest.mark.parametrize("name", ["finance:data_export", "resources:data_export"])
def test_the_exports_query_counts_do_not_grow_with_rows(
    client, world, data, django_assert_max_num_queries, name
):
    client.force_login(world.pmo)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse(name), {"fy": "2026"})
    mine = data[0]
    dev = ResourceRole.objects.get()
    capex = CostCategory.objects.get(code="CAPEX")
    for n in range(40):
        project = ProjectFactory(directorate=world.it)
        MonthlyAmount.objects.create(
            project=project, category=capex, kind="budget", month=date(2026, 5, 1), amount=n
        )
        Demand.objects.create(project=project, role=dev, month=date(2026, 5, 1), fte=1)
    assert mine
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(name), {"fy": "2026"})
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(few.captured_queries) <= 6
