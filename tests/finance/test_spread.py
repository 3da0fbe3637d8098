from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from finance import spread
from pmo.months import add_months

JAN = date(2026, 1, 1)


def months(count: int) -> list[date]:
    return [add_months(JAN, n) for n in range(count)]


def test_evenly_puts_the_cents_left_over_on_the_last_month():
    # 100.00 / 3 = 33.333...: 33.33, 33.33 and the remaining 33.34.
    assert spread.evenly(Decimal("100"), months(3)) == {
        date(2026, 1, 1): Decimal("33.33"),
        date(2026, 2, 1): Decimal("33.33"),
        date(2026, 3, 1): Decimal("33.34"),
    }


def test_front_loaded_declines_n_to_1():
    # Weights 4, 3, 2, 1 (total 10) on 1,000: 400, 300, 200, 100.
    parts = spread.front_loaded(Decimal("1000"), months(4))
    assert list(parts.values()) == [Decimal(400), Decimal(300), Decimal(200), Decimal(100)]


def test_from_milestones_follows_their_weights_and_baseline_months():
    milestones = [
        (date(2026, 1, 20), Decimal(1)),
        (date(2026, 3, 5), Decimal(2)),
        (date(2026, 3, 25), Decimal(1)),  # same month: 3 in March
        (date(2026, 9, 1), Decimal(5)),  # outside the range: left out
        (date(2026, 2, 1), Decimal(0)),  # no weight: nothing in February
    ]
    parts = spread.from_milestones(Decimal("900"), months(4), milestones)
    # 1/4 and 3/4 of 900.
    assert parts == {date(2026, 1, 1): Decimal("225.00"), date(2026, 3, 1): Decimal("675.00")}


def test_nothing_to_spread_on_without_a_weight():
    assert spread.from_milestones(Decimal(10), months(2), []) == {}
    assert spread.evenly(Decimal(10), []) == {}


@given(
    amount=st.decimals(min_value=0, max_value=Decimal("99999999999999.99"), places=2),
    count=st.integers(min_value=1, max_value=36),
    how=st.sampled_from(["evenly", "front_loaded"]),
)
def test_the_parts_always_add_up_to_the_amount(amount, count, how):
    parts = getattr(spread, how)(amount, months(count))
    assert sum(parts.values()) == amount
    assert all(part >= 0 and part == part.quantize(Decimal("0.01")) for part in parts.values())
    assert list(parts) == months(count)


@given(
    amount=st.decimals(min_value=0, max_value=Decimal("9999999.99"), places=2),
    weights=st.lists(
        st.tuples(st.integers(min_value=0, max_value=11), st.decimals(min_value=0, max_value=100, places=2)),
        max_size=8,
    ),
)
def test_milestone_parts_add_up_too(amount, weights):
    milestones = [(add_months(JAN, month).replace(day=15), weight) for month, weight in weights]
    parts = spread.from_milestones(amount, months(12), milestones)
    if any(weight > 0 for _m, weight in weights):
        assert sum(parts.values()) == amount
    else:
        assert parts == {}
