"""The weighted score: each value placed on its scale, weighted, out of 100; an inverted criterion
counts a high value against."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from demand.models import Criterion
from demand.scoring import SubjectScore, weighted


def criterion(pk: int, weight: int, scale_max: int = 5, inverted: bool = False) -> Criterion:
    return Criterion(pk=pk, code=f"c{pk}", name="c", name_en="c", weight=weight, scale_max=scale_max,
                     inverted=inverted)  # fmt: skip


def test_the_top_of_every_scale_scores_100_and_the_bottom_0():
    criteria = [criterion(1, 3), criterion(2, 1, scale_max=10)]
    assert weighted({1: 5, 2: 10}, criteria) == Decimal("100.0")
    assert weighted({1: 1, 2: 1}, criteria) == Decimal("0.0")


def test_the_weights_decide_how_much_each_criterion_counts():
    criteria = [criterion(1, 3), criterion(2, 1)]
    # 1 at the top (weight 3), 2 at the bottom: three quarters of the weight.
    assert weighted({1: 5, 2: 1}, criteria) == Decimal("75.0")
    assert weighted({1: 3, 2: 1}, criteria) == Decimal("37.5")


def test_an_inverted_criterion_counts_a_high_value_against():
    criteria = [criterion(1, 1), criterion(2, 1, inverted=True)]
    assert weighted({1: 5, 2: 1}, criteria) == Decimal("100.0")
    assert weighted({1: 5, 2: 5}, criteria) == Decimal("50.0")
    assert weighted({1: 1, 2: 5}, criteria) == Decimal("0.0")


def test_a_missing_value_gives_no_score_rather_than_a_wrong_one():
    assert weighted({1: 5}, [criterion(1, 1), criterion(2, 1)]) is None


def test_mean_and_spread_of_two_scorers():
    subject = SubjectScore(by_scorer={1: Decimal("80.0"), 2: Decimal("55.0")})
    assert subject.mean == Decimal("67.5")
    assert subject.spread == Decimal("25.0")
    assert SubjectScore().mean is None


@st.composite
def criteria_and_values(draw):
    count = draw(st.integers(min_value=1, max_value=6))
    criteria, values = [], {}
    for pk in range(1, count + 1):
        scale = draw(st.integers(min_value=2, max_value=10))
        criteria.append(criterion(pk, draw(st.integers(1, 100)), scale, draw(st.booleans())))
        values[pk] = draw(st.integers(min_value=1, max_value=scale))
    return criteria, values


@given(criteria_and_values())
def test_the_score_is_always_between_0_and_100(case):
    criteria, values = case
    assert Decimal(0) <= weighted(values, criteria) <= Decimal(100)


@given(criteria_and_values(), st.data())
def test_raising_a_value_never_lowers_the_score_unless_the_criterion_is_inverted(case, data):
    criteria, values = case
    chosen = data.draw(st.sampled_from(criteria))
    if values[chosen.pk] == chosen.scale_max:
        return
    higher = {**values, chosen.pk: values[chosen.pk] + 1}
    before, after = weighted(values, criteria), weighted(higher, criteria)
    if chosen.inverted:
        assert after <= before
    else:
        assert after >= before
