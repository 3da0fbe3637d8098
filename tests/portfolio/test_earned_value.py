from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from portfolio.earned_value import (
    MONEY,
    EarnedValue,
    _index,
    _money,
    earned_value_at_status,
    planned_value,
    status_date,
)


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


def test_planned_value_follows_weighted_milestones_linearly_from_the_start():
    milestones = [
        (date(2026, 2, 1), Decimal(1)),
        (date(2026, 4, 1), Decimal(3)),
        (date(2026, 6, 1), Decimal(0)),
    ]

    def pv(at: date) -> Decimal:
        return planned_value(
            bac=Decimal(8000), at=at, start=date(2026, 1, 1), end=None, milestones=milestones
        )

    assert pv(date(2026, 1, 1)) == 0
    assert pv(date(2026, 2, 1)) == Decimal(2000)  # the first milestone's quarter of the weights
    # Half-way (in days) from the first milestone to the second: half of the second's share.
    assert pv(date(2026, 3, 2)) == Decimal(2000) + _money(Decimal(6000) * 29 / 59)
    assert pv(date(2026, 4, 1)) == Decimal(8000)
    assert pv(date(2026, 12, 1)) == Decimal(8000)


def test_planned_value_is_undefined_without_baseline_dates():
    milestones = [(date(2026, 2, 1), Decimal(1))]
    assert (
        planned_value(bac=Decimal(8000), at=date(2026, 3, 1), start=None, end=None, milestones=milestones)
        is None
    )
    assert planned_value(bac=Decimal(8000), at=date(2026, 3, 1), start=date(2026, 1, 1), end=None) is None
    assert planned_value(bac=Decimal(8000), at=date(2026, 3, 1), start=None, end=date(2026, 5, 1)) is None


STATUS = {
    "bac": Decimal(10000),
    "period": date(2026, 3, 2),  # a Monday: the status speaks for Sunday 8 March
    "percent_complete": Decimal(50),
    "actual_cost": Decimal(4000),
    "start": date(2026, 1, 1),
    "end": date(2026, 5, 2),
}


def test_a_status_is_valued_at_the_end_of_its_week_not_the_day_it_is_read():
    figures = earned_value_at_status(**STATUS)

    assert status_date(STATUS["period"]) == date(2026, 3, 8)
    expected_pv = planned_value(
        bac=Decimal(10000), at=date(2026, 3, 8), start=STATUS["start"], end=STATUS["end"]
    )
    assert figures.pv == expected_pv
    assert figures.ev == Decimal(5000)
    assert figures.spi == _index(Decimal(5000), expected_pv)


@pytest.mark.parametrize(
    "unknown",
    [{"bac": None}, {"bac": Decimal(0)}, {"percent_complete": None}, {"actual_cost": None}, {"start": None}],
)
def test_earned_value_is_undefined_when_anything_it_needs_is_unknown(unknown):
    assert earned_value_at_status(**{**STATUS, **unknown}) is None


def test_the_published_example_through_a_status():
    """BAC 4000 planned three quarters of the way by the status date, 62.5 % complete, 2800 spent."""
    figures = earned_value_at_status(
        bac=Decimal(4000),
        period=date(2026, 1, 5),  # status date Sunday 11 January: day 30 of 40
        percent_complete=Decimal("62.5"),
        actual_cost=Decimal(2800),
        start=date(2025, 12, 12),
        end=date(2026, 1, 21),
    )

    assert (figures.pv, figures.ev, figures.ac) == (Decimal(3000), Decimal(2500), Decimal(2800))
    assert (figures.cpi, figures.spi) == (Decimal("0.893"), Decimal("0.833"))
    assert figures.eac.quantize(Decimal(1)) == Decimal(4479)


# --- Properties of the planned value curve ---------------------------------------------------------

BAC = st.decimals(min_value=1, max_value=10**9, places=2)
START = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1))


@st.composite
def plans(draw):
    """A baseline start and weighted milestones at least two days apart after it (some weights 0)."""
    start = draw(START)
    gaps = draw(st.lists(st.integers(min_value=2, max_value=400), min_size=1, max_size=6))
    weights = draw(
        st.lists(st.decimals(min_value=0, max_value=100, places=1), min_size=len(gaps), max_size=len(gaps))
    )
    assume(any(weight > 0 for weight in weights))
    days, day = [], start
    for gap in gaps:
        day += timedelta(days=gap)
        days.append(day)
    return start, list(zip(days, weights, strict=True))


def steepest_day(bac: Decimal, start: date, milestones: list[tuple[date, Decimal]]) -> Decimal:
    """The most budget any one day of the plan plans to earn: the steepest stretch between milestones."""
    total = sum(weight for _day, weight in milestones)
    points = [(start, Decimal(0))]
    for day, weight in sorted(milestones):
        points.append((day, points[-1][1] + weight))
    return max(bac * (w1 - w0) / total / (d1 - d0).days for (d0, w0), (d1, w1) in pairwise(points))


@given(bac=BAC, plan=plans(), offset=st.integers(min_value=-30, max_value=3000))
def test_planned_value_is_0_before_the_start_bac_after_the_last_milestone_and_never_falls(bac, plan, offset):
    start, milestones = plan
    at = start + timedelta(days=offset)
    last = max(day for day, weight in milestones if weight > 0)

    pv = planned_value(bac=bac, at=at, start=start, end=None, milestones=milestones)
    following = planned_value(
        bac=bac, at=at + timedelta(days=1), start=start, end=None, milestones=milestones
    )

    assert 0 <= pv <= following <= _money(bac)
    if at <= start:
        assert pv == 0
    if at >= last:
        assert pv == _money(bac)


@given(bac=BAC, plan=plans(), offset=st.integers(min_value=-30, max_value=3000))
def test_planned_value_moves_a_day_at_a_time_without_a_jump_on_a_milestone_date(bac, plan, offset):
    """No day adds more than the steepest stretch of the plan plans for a day (a step at a milestone
    would add the milestone's whole share at once)."""
    start, milestones = plan
    at = start + timedelta(days=offset)

    pv = planned_value(bac=bac, at=at, start=start, end=None, milestones=milestones)
    following = planned_value(
        bac=bac, at=at + timedelta(days=1), start=start, end=None, milestones=milestones
    )

    assert following - pv <= steepest_day(bac, start, milestones) + MONEY


@given(
    bac=BAC,
    plan=plans(),
    offset=st.integers(min_value=0, max_value=3000),
    percent=st.decimals(min_value=1, max_value=100, places=1),
)
def test_spi_of_consecutive_weeks_moves_continuously(bac, plan, offset, percent):
    """The same progress reported a week later gives an SPI no lower than the week before and never
    more than the plan's steepest week can explain."""
    start, milestones = plan
    period = start + timedelta(days=offset)
    figures = [
        earned_value_at_status(
            bac=bac,
            period=period + timedelta(weeks=week),
            percent_complete=percent,
            actual_cost=Decimal(1),
            start=start,
            end=None,
            milestones=milestones,
        )
        for week in (0, 1)
    ]
    assume(figures[0].pv > 0 and figures[1].pv > 0)

    assert figures[1].spi <= figures[0].spi
    assert figures[1].pv - figures[0].pv <= 7 * steepest_day(bac, start, milestones) + MONEY
