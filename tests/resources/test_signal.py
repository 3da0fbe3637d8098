"""Over-allocation as a derived signal on the project page: amber, red above 120 %, at a fixed cost."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from resources.models import Capacity, Demand
from resources.signals_provider import over_allocation_signal
from tests.factories import ProjectFactory
from tests.resources.conftest import EN

pytestmark = pytest.mark.django_db


def signals(project, user, today):
    with translation.override("en"):
        return over_allocation_signal(project=project, user=user, today=today)


def test_demand_in_an_over_allocated_cell_is_red_above_120_percent(world, load):
    (signal,) = signals(load.a, world.pmo, load.today)
    assert signal.level == "red"  # 3.0 FTE for 2: 150 %
    assert signal.message.startswith("Demand in over-allocated cells: DSI / Developer ")
    assert "(150 %)" in signal.message and signal.message.endswith("…") is False


def test_amber_up_to_120_percent(world, load):
    Capacity.objects.filter(month=load.m1).update(fte=Decimal("2.75"))  # 3.0 / 2.75: 109 %
    Capacity.objects.exclude(month=load.m1).update(fte=Decimal(4))
    (signal,) = signals(load.a, world.pmo, load.today)
    assert (signal.level, "(109 %)" in signal.message) == ("amber", True)


def test_no_signal_without_demand_in_an_over_allocated_cell(world, load):
    Capacity.objects.update(fte=Decimal(4))
    assert signals(load.a, world.pmo, load.today) == []
    assert signals(ProjectFactory(directorate=world.it), world.pmo, load.today) == []


def test_the_signal_on_the_project_page_and_its_fixed_cost(client, world, load):
    client.force_login(world.pm)
    page = client.get(reverse("portfolio:project_detail", args=[load.a.code]), **EN).content.decode()
    assert "Demand in over-allocated cells: DSI / Developer" in page

    def cost(project):
        with CaptureQueriesContext(connection) as captured:
            signals(project, world.pm, load.today)
        return len(captured)

    # The project's demand; its directorate's allocation for its roles (2); the roles' names.
    assert cost(load.a) == 4
    for month in [load.m1]:
        for n in range(5):
            role = load.dev.__class__.objects.create(code=f"R{n}", name=f"R{n}", name_en=f"R{n}")
            Demand.objects.create(project=load.a, role=role, month=month, fte=Decimal(1))
    assert cost(load.a) == 4  # more roles, more cells: the same queries
    assert cost(ProjectFactory(directorate=world.it)) == 1  # no demand: one query
