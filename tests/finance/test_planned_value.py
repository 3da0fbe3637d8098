"""PV from a phased budget matches a hand-worked example (issue 20), on the project page and on the
dashboard's snapshot: both surfaces follow the phasing (`portfolio.earned_value.phased_curve`)."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from finance.models import CostCategory, MonthlyAmount
from portfolio.earned_value import phased_budgets, planned_value
from reporting.selectors import PortfolioFigures
from tests.factories import ProjectFactory, StatusReportFactory

pytestmark = pytest.mark.django_db

# BAC 120,000 phased over 2026: January 10,000, February 20,000, March 30,000, April 60,000.
BAC = Decimal("120000")
PHASING = {
    date(2026, 1, 1): "10000",
    date(2026, 2, 1): "20000",
    date(2026, 3, 1): "30000",
    date(2026, 4, 1): "60000",
}
# The status of ISO week 2026-W07 is named by its Monday, 9 February 2026, and speaks for its Sunday,
# 15 February 2026. Each month's amount is planned evenly over its days and wholly by its last day, so by
# 15 February: all of January (10,000) plus 15 of February's 28 days of its 20,000:
#   PV = 10,000 + 20,000 x 15 / 28 = 10,000 + 10,714.2857... = 20,714.29 (to the cent).
# The phased total is the BAC here, so the curve's share (20,714.2857 / 120,000) times BAC is the same.
PERIOD = date(2026, 2, 9)
EXPECTED_PV = Decimal("20714.29")
# 25 % complete: EV = 25 % x 120,000 = 30,000; SV = EV - PV = 9,285.71; SPI = 30,000 / 20,714.29 = 1.448.
PERCENT = Decimal(25)
EXPECTED_EV, EXPECTED_SV, EXPECTED_SPI = Decimal("30000.00"), Decimal("9285.71"), Decimal("1.448")


@pytest.fixture
def phased(world):
    # Baseline dates that alone would give another PV (a straight line over 2026): the phasing wins.
    project = ProjectFactory(
        project_manager=world.pm,
        directorate=world.it,
        budget=BAC,
        baseline_start=date(2026, 1, 1),
        baseline_end=date(2026, 12, 31),
    )
    opex, capex = CostCategory.objects.get(code="OPEX"), CostCategory.objects.get(code="CAPEX")
    for month, amount in PHASING.items():
        # Split over two categories: the phasing is the budget of every category of the month.
        half = Decimal(amount) / 2
        for category in (opex, capex):
            MonthlyAmount.objects.create(
                project=project, category=category, kind="budget", month=month, amount=half
            )
    # A forecast is no budget: it does not move PV.
    MonthlyAmount.objects.create(
        project=project, category=opex, kind="forecast", month=date(2026, 1, 1), amount=99
    )
    StatusReportFactory(project=project, period=PERIOD, percent_complete=PERCENT, actual_cost=Decimal(25000))
    return project


def test_the_hand_worked_example():
    months = [(month, Decimal(amount)) for month, amount in PHASING.items()]
    at = date(2026, 2, 15)
    assert planned_value(bac=BAC, at=at, start=None, end=None, phased=months) == EXPECTED_PV
    # Without the phasing, the same project's straight line over 2026 gives another figure.
    straight = planned_value(bac=BAC, at=at, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert straight != EXPECTED_PV


def test_the_project_page_follows_the_phasing(client, world, phased):
    assert phased_budgets([phased.pk])[phased.pk] == [(m, Decimal(a)) for m, a in PHASING.items()]
    client.force_login(world.pm)
    ev = client.get(phased.get_absolute_url()).context["earned_value"]
    assert (ev.pv, ev.ev, ev.sv, ev.spi) == (EXPECTED_PV, EXPECTED_EV, EXPECTED_SV, EXPECTED_SPI)


def test_the_dashboard_snapshot_follows_the_phasing(world, phased):
    snapshot = PortfolioFigures.for_user(world.pmo, today=timezone.localdate()).snapshot(timezone.localdate())
    (row,) = [row for row in snapshot.rows if row.pk == phased.pk]
    ev = row.earned_value
    assert (ev.pv, ev.ev, ev.sv, ev.spi) == (EXPECTED_PV, EXPECTED_EV, EXPECTED_SV, EXPECTED_SPI)


def test_without_a_phasing_pv_follows_the_baseline_dates(client, world, phased):
    MonthlyAmount.objects.filter(project=phased, kind="budget").delete()
    straight = planned_value(bac=BAC, at=date(2026, 2, 15), start=date(2026, 1, 1), end=date(2026, 12, 31))
    client.force_login(world.pm)
    assert client.get(phased.get_absolute_url()).context["earned_value"].pv == straight
    snapshot = PortfolioFigures.for_user(world.pmo, today=timezone.localdate()).snapshot(timezone.localdate())
    (row,) = [row for row in snapshot.rows if row.pk == phased.pk]
    assert row.earned_value.pv == straight
