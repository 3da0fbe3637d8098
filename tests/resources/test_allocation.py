"""The allocation rule's reach: with a what-if, demand outside the window that the adjustment moves into it
is counted, demand moved out of it is not, and months before `from_month` never move."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pmo.months import add_months
from portfolio.adjustments import Adjustment
from resources.allocation import allocation
from resources.models import Capacity, Demand, ResourceRole
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

FIRST = date(2027, 1, 1)
WINDOW = [add_months(FIRST, n) for n in range(3)]  # January to March 2027


def test_a_what_if_brings_in_the_months_it_moves_into_the_window_and_only_those(world):
    role = ResourceRole.objects.create(code="DEV", name="Développeur", name_en="Developer")
    earlier = ProjectFactory(directorate=world.it)  # moved 3 months earlier: its May lands in February
    later = ProjectFactory(directorate=world.it)  # moved 2 months later: its November 2026 lands in January
    still = ProjectFactory(directorate=world.it)
    Demand.objects.create(project=earlier, role=role, month=date(2027, 5, 1), fte=Decimal(2))
    Demand.objects.create(project=later, role=role, month=date(2026, 11, 1), fte=Decimal(3))
    Demand.objects.create(project=later, role=role, month=date(2027, 2, 1), fte=Decimal(1))  # moves to April
    Demand.objects.create(project=still, role=role, month=date(2027, 2, 1), fte=Decimal("0.5"))
    Capacity.objects.create(directorate=world.it, role=role, month=FIRST, fte=Decimal(2))
    adjustments = {earlier.pk: Adjustment(shift_months=-3), later.pk: Adjustment(shift_months=2)}

    plain = allocation(months=WINDOW)
    moved = allocation(months=WINDOW, adjustments=adjustments, from_month=date(2026, 10, 1))
    summed = allocation(months=WINDOW, detail=False)

    demand = {m: plain.cell(world.it.pk, role.pk, m).demand for m in WINDOW}
    assert demand == {FIRST: 0, date(2027, 2, 1): Decimal("1.5"), date(2027, 3, 1): 0}
    assert {m: summed.cell(world.it.pk, role.pk, m).demand for m in WINDOW} == demand
    assert moved.cell(world.it.pk, role.pk, FIRST).projects == {later.pk: Decimal(3)}
    assert moved.cell(world.it.pk, role.pk, FIRST).over  # 3 FTE against 2
    assert moved.cell(world.it.pk, role.pk, date(2027, 2, 1)).projects == {
        earlier.pk: Decimal(2),
        still.pk: Decimal("0.5"),
    }
    # From February on only: November 2026 stays where it was (outside the window).
    kept = allocation(months=WINDOW, adjustments=adjustments, from_month=date(2027, 2, 1))
    assert kept.cell(world.it.pk, role.pk, FIRST).demand == 0
