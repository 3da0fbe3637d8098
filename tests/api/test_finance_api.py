"""Money by month through the API: categories, monthly amounts (read by who sees the project, budgets
and forecasts written by who changes it, actuals by the PMO), the financial view as the page reads it."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from finance.models import CostCategory, MonthlyAmount
from finance.selectors import financial_view
from pmo.months import FiscalYear
from tests.factories import ProjectFactory

YEAR = timezone.localdate().year


@pytest.fixture
def money(world):
    capex = CostCategory.objects.get(code="CAPEX")
    mine = ProjectFactory(code="P-MINE", directorate=world.it, project_manager=world.pm)
    theirs = ProjectFactory(code="P-THEIRS", directorate=world.finance, project_manager=world.other_pm)
    secret = ProjectFactory(
        code="P-SECRET", directorate=world.it, project_manager=world.other_pm, confidential=True
    )
    amounts = {}
    for project in (mine, theirs, secret):
        amounts[project.code] = MonthlyAmount.objects.create(
            project=project, category=capex, kind="budget", month=date(YEAR, 1, 1), amount=Decimal(1000)
        )
    return amounts


def test_categories_are_read_by_everyone(api, world):
    body = api(world.member).get("/api/cost-categories/").json()
    assert [row["code"] for row in body["results"]] == ["CAPEX", "OPEX"]
    assert api(world.member).post("/api/cost-categories/", {}, format="json").status_code == 405


def test_amounts_are_listed_for_the_projects_the_reader_sees(api, world, money):
    def codes(user, **query):
        return {row["project"] for row in api(user).get("/api/monthly-amounts/", query).json()["results"]}

    assert codes(world.pm) == {"P-MINE", "P-THEIRS"}
    assert codes(world.pmo) == {"P-MINE", "P-THEIRS", "P-SECRET"}
    assert codes(world.pmo, project="P-MINE") == {"P-MINE"}
    assert codes(world.pmo, kind="actual") == set()
    assert codes(world.pmo, month_after=f"{YEAR}-02-01") == set()
    secret = money["P-SECRET"]
    assert api(world.pm).get(f"/api/monthly-amounts/{secret.pk}/").status_code == 404
    assert (
        api(world.pm).patch(f"/api/monthly-amounts/{secret.pk}/", {"amount": 1}, format="json").status_code
        == 404
    )
    assert b"P-SECRET" not in api(world.pm).get("/api/monthly-amounts/").content


def test_a_manager_writes_budgets_and_forecasts_of_their_project_the_pmo_writes_actuals(api, world, money):
    new = {
        "project": "P-MINE",
        "kind": "forecast",
        "category": "OPEX",
        "month": f"{YEAR}-03-17",
        "amount": "12.50",
    }
    created = api(world.pm).post("/api/monthly-amounts/", new, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["month"] == f"{YEAR}-03-01" and created.json()["source"] == "api"
    record = MonthlyAmount.objects.get(pk=created.json()["id"])
    assert record.updated_by == world.pm and record.history.first().history_user == world.pm
    replaced = api(world.pm).post("/api/monthly-amounts/", {**new, "amount": "20"}, format="json")
    assert replaced.status_code == 200 and replaced.json()["id"] == record.pk
    assert (
        api(world.pm).post("/api/monthly-amounts/", {**new, "amount": "-1"}, format="json").status_code == 400
    )
    assert (
        api(world.pm).post("/api/monthly-amounts/", {**new, "kind": "actual"}, format="json").status_code
        == 403
    )
    assert (
        api(world.pm).post("/api/monthly-amounts/", {**new, "project": "P-THEIRS"}, format="json").status_code
        == 403
    )
    hidden = api(world.pm).post("/api/monthly-amounts/", {**new, "project": "P-SECRET"}, format="json")
    assert hidden.status_code == 400 and "project" in hidden.json()
    actual = api(world.pmo).post(
        "/api/monthly-amounts/", {**new, "kind": "actual", "amount": "-3"}, format="json"
    )
    assert actual.status_code == 201
    assert (
        api(world.executive)
        .patch(f"/api/monthly-amounts/{record.pk}/", {"amount": 1}, format="json")
        .status_code
        == 403
    )
    assert (
        api(world.pm)
        .patch(f"/api/monthly-amounts/{record.pk}/", {"amount": "7"}, format="json")
        .json()["amount"]
        == "7.00"
    )
    assert api(world.pm).delete(f"/api/monthly-amounts/{actual.json()['id']}/").status_code == 403
    assert api(world.pm).delete(f"/api/monthly-amounts/{record.pk}/").status_code == 204
    assert not MonthlyAmount.objects.filter(pk=record.pk).exists()


def test_the_amounts_list_costs_the_same_queries_whatever_its_length(api, world, money):
    client = api(world.pmo)
    client.get("/api/monthly-amounts/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/monthly-amounts/").status_code == 200
    capex = CostCategory.objects.get(code="CAPEX")
    for month in range(2, 13):
        for project_amount in money.values():
            MonthlyAmount.objects.create(
                project=project_amount.project,
                category=capex,
                kind="budget",
                month=date(YEAR, month, 1),
                amount=1,
            )
    with CaptureQueriesContext(connection) as many:
        body = client.get("/api/monthly-amounts/").json()
    assert body["count"] == 36
    assert len(many.captured_queries) == len(few.captured_queries) <= 6


def test_the_financial_view_is_the_pages_totals_for_the_reader(api, world, money):
    body = api(world.pm).get("/api/finance/view/", {"fiscal_year": YEAR}).json()
    view = financial_view(user=world.pm, fiscal_year=FiscalYear.named(YEAR), on=timezone.localdate())
    assert Decimal(body["total"]["budget"]) == view.total.budget == Decimal(2000)
    assert {project["code"] for project in body["projects"]} == {"P-MINE", "P-THEIRS"}
    assert b"P-SECRET" not in api(world.pm).get("/api/finance/view/", {"fiscal_year": YEAR}).content
    everyone = api(world.pmo).get("/api/finance/view/", {"fiscal_year": YEAR}).json()
    assert Decimal(everyone["total"]["budget"]) == Decimal(3000)
    narrowed = api(world.pmo).get("/api/finance/view/", {"fiscal_year": YEAR, "directorate": "DF"}).json()
    assert [project["code"] for project in narrowed["projects"]] == ["P-THEIRS"]
    assert len(everyone["monthly"]) == 12
    assert api(world.pmo).get("/api/finance/view/", {"directorate": "NOPE"}).status_code == 400
    assert api(world.pmo).get("/api/finance/view/", {"as_at": "1999-01-01"}).status_code == 400
    assert api().get("/api/finance/view/").status_code == 401


def test_the_financial_views_queries_do_not_grow_with_projects(api, world, money):
    client = api(world.pmo)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/finance/view/", {"fiscal_year": YEAR})
    capex = CostCategory.objects.get(code="CAPEX")
    for _n in range(20):
        project = ProjectFactory(directorate=world.it)
        MonthlyAmount.objects.create(
            project=project, category=capex, kind="budget", month=date(YEAR, 5, 1), amount=1
        )
    with CaptureQueriesContext(connection) as many:
        client.get("/api/finance/view/", {"fiscal_year": YEAR})
    assert len(many.captured_queries) == len(few.captured_queries)
