"""Two directorate-DSI projects over-allocating its developers for three months, a confidential one beside
them, their budget, forecast and actuals, and the portfolio committee that covers the first two."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from finance.models import CostCategory, MonthlyAmount
from governance.models import Committee
from pmo.months import add_months, month_of
from resources.models import Capacity, Demand, ResourceRole
from tests.factories import CommitteeFactory, PortfolioFactory, ProjectFactory

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def months_from(first, count):
    return [add_months(first, n) for n in range(count)]


@pytest.fixture
def load(world):
    """Next month (M1) on: DSI has 2 developers a month for a year. PRJ-A asks 1.5 for six months, PRJ-B 1
    for three, CONF-C (confidential) 0.5 for three: M1..M3 are over-allocated (3.0 / 2 = 150 %)."""
    today = timezone.localdate()
    m1 = add_months(month_of(today), 1)
    dev = ResourceRole.objects.create(code="DEV", name="Développeur", name_en="Developer", order=1)
    portfolio = PortfolioFactory(code="PF-DSI", name="Portefeuille DSI", directorate=world.it)
    a = ProjectFactory(code="PRJ-A", name="Alpha", directorate=world.it, portfolio=portfolio,
                       project_manager=world.pm)  # fmt: skip
    b = ProjectFactory(code="PRJ-B", name="Bravo", directorate=world.it, portfolio=portfolio)
    c = ProjectFactory(code="CONF-C", name="Projet secret", directorate=world.it, confidential=True)
    for month in months_from(m1, 12):
        Capacity.objects.create(directorate=world.it, role=dev, month=month, fte=Decimal(2))
    for month in months_from(m1, 6):
        Demand.objects.create(project=a, role=dev, month=month, fte=Decimal("1.5"))
    for month in months_from(m1, 3):
        Demand.objects.create(project=b, role=dev, month=month, fte=Decimal(1))
        Demand.objects.create(project=c, role=dev, month=month, fte=Decimal("0.5"))
    opex = CostCategory.objects.get(code="OPEX")
    MonthlyAmount.objects.create(
        project=a, category=opex, kind="actual", month=month_of(today), amount=Decimal(900)
    )
    for month in months_from(month_of(today), 7):
        MonthlyAmount.objects.create(
            project=a, category=opex, kind="budget", month=month, amount=Decimal(1000)
        )
    for month in months_from(m1, 3):
        MonthlyAmount.objects.create(
            project=a, category=opex, kind="forecast", month=month, amount=Decimal(1200)
        )
    committee = CommitteeFactory(
        code="cp", name="Comité de portefeuille", kind=Committee.Kind.PORTFOLIO, scope_portfolio=portfolio,
        members=[world.member], quorum=1,
    )  # fmt: skip
    return SimpleNamespace(today=today, m1=m1, dev=dev, a=a, b=b, c=c, opex=opex, committee=committee)
