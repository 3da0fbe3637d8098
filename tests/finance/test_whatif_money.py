"""A what-if moves a project's planned money across the fiscal year's edges, as applying it would."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from finance.models import CostCategory, MonthlyAmount
from finance.selectors import financial_view
from pmo.months import FiscalYear, add_months, month_of
from portfolio.adjustments import Adjustment
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_money_moved_into_the_year_from_the_next_one_is_counted_and_money_moved_out_is_not(world):
    today = timezone.localdate()
    year = FiscalYear.of(today)
    capex = CostCategory.objects.get(code="CAPEX")
    project = ProjectFactory(directorate=world.it, budget=Decimal(3000))
    # One amount in the next fiscal year's first month, one in this year's last month (unless that is
    # the current month, which a what-if from next month does not move).
    next_year, last_month = add_months(year.end, 1), year.end
    for month, amount in ((next_year, Decimal(1000)), (last_month, Decimal(2000))):
        MonthlyAmount.objects.create(
            project=project, category=capex, kind="budget", month=month, amount=amount
        )

    def budget(adjustments=None) -> Decimal:
        view = financial_view(
            user=world.pmo,
            fiscal_year=year,
            on=today,
            adjustments=adjustments,
            from_month=add_months(month_of(today), 1),
        )
        return view.total.budget

    assert budget() == Decimal(2000)
    # One month earlier: next year's first month lands in this year's last one.
    earlier = budget({project.pk: Adjustment(shift_months=-1)})
    later = budget({project.pk: Adjustment(shift_months=1)})
    if last_month > month_of(today):
        assert earlier == Decimal(3000)
        assert later == Decimal(0)  # this year's last month moves into the next year
    else:
        assert earlier == Decimal(3000) and later == Decimal(2000)
