"""The optimiser finds the best set: on small random portfolios its total score is the one a search over
every subset finds, its set keeps within every cap, and forced sets that break a cap are named."""

from __future__ import annotations

from decimal import Decimal
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from demand.optimiser import INFEASIBLE, OPTIMAL, Item, choose

amounts = st.integers(min_value=0, max_value=50).map(Decimal)
scores = st.one_of(
    st.none(), st.integers(min_value=0, max_value=1000).map(lambda tenths: Decimal(tenths) / 10)
)


@st.composite
def portfolios(draw):
    years = list(range(2027, 2027 + draw(st.integers(1, 3))))
    roles = ["dev", "ops"][: draw(st.integers(0, 2))]
    count = draw(st.integers(1, 10))
    items = []
    for index in range(count):
        cost = {
            year: draw(st.one_of(amounts, st.just(None)) if draw(st.integers(0, 9)) == 0 else amounts)
            for year in years
        }
        people = {(role, year): draw(amounts) for role in roles for year in years}
        items.append(Item(f"k{index}", draw(scores), cost, people, code=f"C{index:02}"))
    caps = {year: draw(st.integers(0, 150).map(Decimal)) for year in years if draw(st.booleans())}
    capacity = {(role, year): draw(st.integers(0, 100).map(Decimal)) for role in roles for year in years}
    keys = [item.key for item in items]
    forced_in = draw(st.lists(st.sampled_from(keys), max_size=3, unique=True))
    forced_out = draw(
        st.lists(
            st.sampled_from([k for k in keys if k not in forced_in] or ["none"]), max_size=3, unique=True
        )
    )
    return items, caps, capacity or None, forced_in, forced_out


def fits(chosen, caps, capacity) -> bool:
    for year, cap in caps.items():
        if sum((item.cost[year] or 0 for item in chosen), Decimal(0)) > cap:
            return False
    for (role, year), available in (capacity or {}).items():
        if sum((item.people.get((role, year), 0) for item in chosen), Decimal(0)) > available:
            return False
    return True


def brute_force(items, caps, capacity, forced_in, forced_out) -> Decimal | None:
    """The best total score over every allowed subset; None when none fits."""
    must = [item for item in items if item.key in forced_in]
    optional = [
        item
        for item in items
        if item.key not in forced_in and item.key not in forced_out and item.costed and item.score is not None
    ]
    best = None
    for size in range(len(optional) + 1):
        for extra in combinations(optional, size):
            chosen = must + list(extra)
            if fits(chosen, caps, capacity):
                total = sum((item.score or 0 for item in chosen), Decimal(0))
                best = total if best is None or total > best else best
    return best


@settings(max_examples=60, deadline=None)
@given(portfolios())
def test_the_optimiser_finds_the_best_score_a_search_of_every_subset_finds(case):
    items, caps, capacity, forced_in, forced_out = case
    choice = choose(items, budget_caps=caps, capacity=capacity, forced_in=forced_in, forced_out=forced_out)
    best = brute_force(items, caps, capacity, forced_in, forced_out)

    if best is None:
        assert choice.status == INFEASIBLE
        assert choice.broken, "an infeasible choice names the caps its forced set breaks"
        return
    assert choice.status == OPTIMAL
    assert choice.score == best
    chosen = [item for item in items if item.key in choice.selected]
    assert fits(chosen, caps, capacity)
    assert set(forced_in) <= set(choice.selected)
    assert not set(forced_out) & set(choice.selected)
    assert all(item.score or item.key in forced_in for item in chosen), "unscored items only when forced in"


def test_the_same_inputs_in_another_order_give_the_same_set_the_cheaper_one_among_equal_scores():
    items = [
        Item("a", Decimal(50), {2027: Decimal(80)}, code="A"),
        Item("b", Decimal(50), {2027: Decimal(60)}, code="B"),
        Item("c", Decimal(50), {2027: Decimal(60)}, code="C"),
    ]
    first = choose(items, budget_caps={2027: Decimal(100)})
    again = choose(list(reversed(items)), budget_caps={2027: Decimal(100)})

    assert first.selected == again.selected == ["b"]


def test_forced_in_items_that_break_a_cap_alone_are_reported_with_the_cap():
    items = [Item("a", Decimal(50), {2027: Decimal(80)}), Item("b", Decimal(40), {2027: Decimal(60)})]

    choice = choose(items, budget_caps={2027: Decimal(100)}, forced_in=["a", "b"])

    assert choice.status == INFEASIBLE
    assert [(b.kind, b.year, b.used, b.limit) for b in choice.broken] == [
        ("budget", 2027, Decimal(140), Decimal(100))
    ]


def test_an_item_of_unknown_cost_is_left_out_unless_forced_and_reported():
    items = [Item("a", Decimal(90), {2027: None}), Item("b", Decimal(10), {2027: Decimal(10)})]

    assert choose(items, budget_caps={2027: Decimal(100)}).selected == ["b"]
    forced = choose(items, budget_caps={2027: Decimal(100)}, forced_in=["a"])
    assert forced.selected == ["a", "b"]
    assert forced.uncosted == ["a"]
    assert forced.cost == {2027: Decimal(10)}
