from datetime import date
from decimal import Decimal

import pytest

from portfolio.earned_value import EarnedValue, planned_value


def test_the_published_example():
    """BAC 4000, PV 3000, EV 2500, AC 2800 (PMI's worked example)."""
    figures = EarnedValue(bac=Decimal(4000), pv=Decimal(3000), ev=Decimal(2500), ac=Decimal(2800))

    assert figures.cv == Decimal(-300)
    assert figures.sv == Decimal(-500)
    assert figures.cpi == Decimal("0.893")
    assert figures.spi == Decimal("0.833")
    assert figures.eac.quantize(Decimal(1)) == Decimal(4479)
    assert figures.etc.quantize(Decimal(1)) == Decimal(1679)
    assert figures.vac.quantize(Decimal(1)) == Decimal(-479)
    assert figures.tcpi == Decimal("1.250")


def test_earned_value_is_percent_complete_of_the_budget():
    figures = EarnedValue.of(
        bac=Decimal(4000), pv=Decimal(3000), percent_complete=Decimal("62.5"), ac=Decimal(2800)
    )

    assert figures.ev == Decimal(2500)


def test_undefined_ratios_are_none_not_zero():
    nothing_spent = EarnedValue(bac=Decimal(1000), pv=Decimal(0), ev=Decimal(0), ac=Decimal(0))

    assert nothing_spent.cpi is None
    assert nothing_spent.spi is None
    assert nothing_spent.eac is None and nothing_spent.etc is None and nothing_spent.vac is None
    assert nothing_spent.tcpi == Decimal("1.000")
    spent_everything = EarnedValue(bac=Decimal(1000), pv=Decimal(1000), ev=Decimal(900), ac=Decimal(1000))
    assert spent_everything.tcpi is None


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (date(2026, 1, 1), Decimal(0)),
        (date(2026, 3, 2), Decimal("4958.68")),  # 10,000 x 60 of 121 days
        (date(2026, 5, 2), Decimal(10000)),
        (date(2025, 12, 1), Decimal(0)),
    ],
)
def test_planned_value_spreads_the_budget_over_the_baseline(at, expected):
    assert planned_value(bac=Decimal(10000), at=at, start=date(2026, 1, 1), end=date(2026, 5, 2)) == expected


def test_planned_value_follows_weighted_milestones():
    milestones = [
        (date(2026, 2, 1), Decimal(1)),
        (date(2026, 4, 1), Decimal(3)),
        (date(2026, 6, 1), Decimal(0)),
    ]

    pv = planned_value(bac=Decimal(8000), at=date(2026, 3, 1), start=None, end=None, milestones=milestones)

    assert pv == Decimal(2000)
