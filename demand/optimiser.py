"""The choice of a portfolio scenario: which candidates to fund, as a 0/1 integer programme solved by CBC
(bundled with PuLP). Pure: items in, a `Choice` out; no database.

The model:

    x_i in {0, 1}                               one per item (1: selected)
    maximise    sum_i score_i * x_i  -  sum_i eps_i * x_i
    subject to  sum_i cost_i,y * x_i   <= cap_y        for every year y with a cap
                sum_i people_i,r,y * x_i <= cap_r,y    for every (role r, year y) with a capacity
                x_i = 1 for the items forced in, x_i = 0 for those forced out
                x_i = 0 for an unscored item or one with an unknown cost, unless forced in

- Scores are out of 100 to a tenth; the optimiser works in tenths (integers), so "the best total score"
  is exact. An unscored item scores 0 and is never chosen unless forced in.
- An unknown cost (an amount with no exchange rate: None) leaves the item out unless it is forced in;
  then it counts 0 in that year, and the item is reported in `uncosted`.
- The tie-break: eps_i grows with the item's rank by (total cost, code), and all of them together stay
  under half a tenth of a point, so among the sets of the best score the cheaper ones win, and the
  same inputs (whatever their order) give the same set: CBC itself is deterministic on the same model.
- Infeasible: every cost and need is zero or more, so forcing an item out never breaks a cap; the only
  way to have no solution is that the items forced in already break one. That is checked before
  solving, and the caps they break are named (`broken`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import pulp

OPTIMAL, INFEASIBLE, NOT_SOLVED = "optimal", "infeasible", "not_solved"
TIME_LIMIT = 15  # seconds; hundreds of candidates take well under one (demand.scenarios)
TENTHS = Decimal(10)


@dataclass(frozen=True)
class Item:
    key: str
    score: Decimal | None
    cost: Mapping[int, Decimal | None] = field(default_factory=dict)  # year -> amount (None: unknown)
    people: Mapping[tuple[Hashable, int], Decimal] = field(default_factory=dict)  # (role, year) -> need
    code: str = ""

    @property
    def costed(self) -> bool:
        return all(value is not None for value in self.cost.values())

    @property
    def known_cost(self) -> Decimal:
        return sum((value for value in self.cost.values() if value is not None), Decimal(0))


@dataclass(frozen=True)
class Broken:
    """A cap the items forced in break by themselves: kind "budget" (role None) or "capacity"."""

    kind: str
    year: int
    used: Decimal
    limit: Decimal
    role: Hashable | None = None


@dataclass
class Choice:
    status: str
    selected: list[str]
    score: Decimal
    cost: dict[int, Decimal]
    people: dict[tuple[Hashable, int], Decimal]
    broken: list[Broken] = field(default_factory=list)
    uncosted: list[str] = field(default_factory=list)  # items with an unknown cost (left out unless forced)


def _units(value: Decimal) -> float:
    """Hundredths (cents, hundredths of a person-month) as whole numbers: CBC's tolerances are far below
    one unit, so a set it finds within a cap is within it in decimals too."""
    return float(value * 100)


def _usage(items: Iterable[Item]) -> tuple[dict[int, Decimal], dict[tuple[Hashable, int], Decimal]]:
    cost: dict[int, Decimal] = {}
    people: dict[tuple[Hashable, int], Decimal] = {}
    for item in items:
        for year, amount in item.cost.items():
            cost[year] = cost.get(year, Decimal(0)) + (amount or Decimal(0))
        for key, need in item.people.items():
            people[key] = people.get(key, Decimal(0)) + need
    return cost, people


def _broken(cost, people, budget_caps, capacity) -> list[Broken]:
    broken = [
        Broken("budget", year, cost.get(year, Decimal(0)), cap)
        for year, cap in sorted(budget_caps.items())
        if cost.get(year, Decimal(0)) > cap
    ]
    for (role, year), available in sorted(
        (capacity or {}).items(), key=lambda pair: (str(pair[0][0]), pair[0][1])
    ):
        if people.get((role, year), Decimal(0)) > available:
            broken.append(Broken("capacity", year, people[role, year], available, role))
    return broken


def _result(status: str, chosen: list[Item], budget_caps, capacity, uncosted, broken=()) -> Choice:
    cost, people = _usage(chosen)
    score = sum((item.score or Decimal(0) for item in chosen), Decimal(0))
    return Choice(status, sorted(item.key for item in chosen), score, cost, people, list(broken), uncosted)


def choose(
    items: Iterable[Item],
    *,
    budget_caps: Mapping[int, Decimal],
    capacity: Mapping[tuple[Hashable, int], Decimal] | None = None,
    forced_in: Iterable[str] = (),
    forced_out: Iterable[str] = (),
    time_limit: int = TIME_LIMIT,
) -> Choice:
    """The set of items of the best total score within the caps (see the module's docstring)."""
    items = sorted(items, key=lambda item: item.key)
    forced_in, forced_out = set(forced_in), set(forced_out)
    if forced_in & forced_out:
        raise ValueError(f"forced both in and out: {sorted(forced_in & forced_out)}")
    uncosted = [item.key for item in items if not item.costed]
    capacity = capacity or {}
    must = [item for item in items if item.key in forced_in]
    cost, people = _usage(must)
    broken = _broken(cost, people, budget_caps, capacity)
    if broken:
        return _result(INFEASIBLE, must, budget_caps, capacity, uncosted, broken)

    free = [
        item
        for item in items
        if item.key not in forced_in and item.key not in forced_out and item.costed and item.score
    ]
    # Rank 1 for the cheapest (then the first code): the smallest penalty among equal scores.
    ranked = sorted(free, key=lambda item: (item.known_cost, item.code, item.key))
    n = len(ranked)
    eps = {item.key: (rank + 1) / ((n + 1) * (n + 2)) for rank, item in enumerate(ranked)}

    if not free:
        return _result(OPTIMAL, must, budget_caps, capacity, uncosted)
    problem = pulp.LpProblem("portfolio", pulp.LpMaximize)
    chosen = {
        item.key: problem.add_variable(f"x{index}", 0, 1, cat=pulp.LpBinary)
        for index, item in enumerate(free)
    }
    problem += pulp.lpSum((int(item.score * TENTHS) - eps[item.key]) * chosen[item.key] for item in free)
    for year, cap in budget_caps.items():
        terms = [_units(item.cost[year]) * chosen[item.key] for item in free if item.cost.get(year)]
        if terms:
            problem += pulp.lpSum(terms) <= _units(cap - cost.get(year, Decimal(0))), f"budget_{year}"
    for index, ((role, year), available) in enumerate(capacity.items()):
        terms = [
            _units(item.people[role, year]) * chosen[item.key]
            for item in free
            if item.people.get((role, year))
        ]
        if terms:
            problem += (
                pulp.lpSum(terms) <= _units(available - people.get((role, year), Decimal(0))),
                f"cap_{index}",
            )
    problem.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, gapAbs=0.49, threads=1))
    # At the time limit CBC keeps the best set found so far: shown, but not called the best.
    status = OPTIMAL if problem.sol_status == pulp.LpSolutionOptimal else NOT_SOLVED
    picked = [item for item in free if (chosen[item.key].value() or 0) > 0.5]
    return _result(status, must + picked, budget_caps, capacity, uncosted)
