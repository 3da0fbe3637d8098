"""The financial view's page and its project list: who reads them, what they show, and a query count that
does not grow with the number of projects or months."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from finance.models import CostCategory, MonthlyAmount
from pmo.months import FiscalYear, add_months
from pmo.roles import Role
from portfolio.models import ExchangeRate
from tests.factories import ProjectFactory, UserFactory
from tests.spreadsheets import read_xlsx

pytestmark = pytest.mark.django_db


def phase(projects, months: list[date]) -> None:
    categories = list(CostCategory.objects.all())
    MonthlyAmount.objects.bulk_create(
        MonthlyAmount(project=project, category=category, kind=kind, month=month, amount=Decimal(1000 + n))
        for n, project in enumerate(projects)
        for category in categories
        for month in months
        for kind in ("budget", "actual", "forecast")
    )


def portfolio(count: int, months: int) -> list:
    year = FiscalYear.of(timezone.localdate())
    projects = [ProjectFactory(currency=("MAD", "EUR", "USD")[n % 3]) for n in range(count)]
    phase(projects, [add_months(year.start, n) for n in range(months)])
    return projects


@pytest.fixture
def reader(client):
    ExchangeRate.objects.create(currency="EUR", valid_from=date(2000, 1, 1), rate=Decimal("10.9"))
    client.force_login(UserFactory(username="fin-reader", roles=[Role.PMO]))
    return client


@pytest.mark.parametrize("name", ["finance:view", "finance:projects"])
def test_the_query_count_does_not_grow_with_projects_or_months(reader, name, django_assert_max_num_queries):
    portfolio(2, 3)
    with CaptureQueriesContext(connection) as small:
        assert reader.get(reverse(name)).status_code == 200
    portfolio(12, 12)
    with CaptureQueriesContext(connection) as large:
        response = reader.get(reverse(name))
    assert response.status_code == 200
    assert len(large) == len(small), [query["sql"][:120] for query in large.captured_queries]
    with django_assert_max_num_queries(len(small)):
        reader.get(
            reverse(name), {"export": "csv"} if name == "finance:projects" else {"as_at": "2026-01-31"}
        )


def test_the_pinned_query_counts(reader, django_assert_num_queries):
    portfolio(5, 12)
    with django_assert_num_queries(PINNED["finance:view"]):
        reader.get(reverse("finance:view"))
    with django_assert_num_queries(PINNED["finance:projects"]):
        reader.get(reverse("finance:projects"))


# Both pages: the session, the user, the user's roles (3); the financial view: the categories, the
# amounts, the statuses' spend, the projects with their directorate and portfolio, the exchange rates (5,
# the projects' and the amounts' scope a subquery of each); the viewpoint form's directorates and
# portfolios (2). The list pages its rows in Python (the view is one read).
PINNED = {"finance:view": 10, "finance:projects": 10}


def test_the_list_has_as_many_rows_as_the_page_counts_and_exports_typed_cells(reader):
    projects = portfolio(4, 6)
    page = reader.get(reverse("finance:view")).content.decode()
    assert '<span class="list-count-number">4</span>' in page
    assert "not converted: 1 project" in page or "non converti" in page
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    sheet = read_xlsx(reader.get(reverse("finance:projects"), {"export": "xlsx"}))
    assert sorted(sheet.column("Project code")) == sorted(project.code for project in projects)
    assert all(isinstance(value, int | float) for value in sheet.column("Budget"))
    assert all(
        value is None
        for code, value in zip(sheet.column("Currency"), sheet.column("Budget (MAD)"), strict=True)
        if code == "USD"
    )
    first = sheet.column("First month")
    assert all(value.date() == FiscalYear.of(timezone.localdate()).start for value in first)


@pytest.mark.parametrize("role", [Role.PROJECT_MANAGER, Role.COMMITTEE_MEMBER])
def test_who_is_not_a_reader_of_the_dashboard_is_refused(client, role):
    client.force_login(UserFactory(username=f"fin-{role}", roles=[role]))
    assert client.get(reverse("finance:view")).status_code == 403
    assert client.get(reverse("finance:projects"), {"export": "csv"}).status_code == 403


def test_the_filters_narrow_the_page_and_the_list_alike(reader):
    projects = portfolio(6, 4)
    chosen = projects[0]
    scope = {"directorate": chosen.directorate_id}
    page = reader.get(reverse("finance:view"), scope).content.decode()
    assert '<span class="list-count-number">1</span>' in page
    listed = reader.get(reverse("finance:projects"), {**scope, "sort": "-variance"}).content.decode()
    assert chosen.code in listed and projects[1].code not in listed
    not_converted = reader.get(reverse("finance:projects"), {"converted": "no"}).content.decode()
    assert {p.code for p in projects if p.currency == "USD"} == {
        p.code for p in projects if p.code in not_converted
    }


def test_what_is_not_understood_is_said_and_left_out(reader):
    portfolio(2, 2)
    response = reader.get(reverse("finance:view"), {"fy": "abc", "as_at": "31/01/2026", "directorate": "999"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "fiscal year asked for was not understood" in text or "exercice demandé" in text
    other_year = FiscalYear.of(timezone.localdate()).year - 1
    response = reader.get(reverse("finance:projects"), {"fy": other_year})
    assert response.status_code == 200
    assert '<span class="list-count-number">0</span>' in response.content.decode()
