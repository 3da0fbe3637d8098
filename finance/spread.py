"""Spreading an amount over months: pure functions, in Decimal, whose parts add up to the amount exactly.

Each month gets the amount times its weight over the total weight, rounded down to the cent; what the
rounding leaves (a few cents) goes on the last month, so that the parts always add up to the amount.

- `evenly`: every month weighs the same;
- `front_loaded`: declining weights n, n-1, ..., 1 over n months (more spent early);
- `from_milestones`: each milestone's weight goes to the month of its baseline date (milestones outside
  the range are left out); with no weight inside the range, nothing can be spread (an empty result).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_DOWN, Decimal

from pmo.months import month_of

CENT = Decimal("0.01")


def by_weights(amount: Decimal, weights: Sequence[tuple[date, Decimal]]) -> dict[date, Decimal]:
    """{month: part}: `amount` shared by the weights (months with a weight of 0 get nothing), the
    remainder of the rounding on the last month that has a weight. Empty without a positive weight."""
    weighted = [(month, Decimal(weight)) for month, weight in weights if weight > 0]
    total = sum((weight for _month, weight in weighted), Decimal(0))
    if not weighted or total <= 0:
        return {}
    amount = Decimal(amount).quantize(CENT)
    parts: dict[date, Decimal] = {}
    for month, weight in weighted:
        parts[month] = parts.get(month, Decimal(0)) + (amount * weight / total).quantize(CENT, ROUND_DOWN)
    last = weighted[-1][0]
    parts[last] += amount - sum(parts.values(), Decimal(0))
    return parts


def evenly(amount: Decimal, months: Sequence[date]) -> dict[date, Decimal]:
    """The same share each month (the cents left over on the last)."""
    return by_weights(amount, [(month, Decimal(1)) for month in months])


def front_loaded(amount: Decimal, months: Sequence[date]) -> dict[date, Decimal]:
    """Declining shares: weights n, n-1, ..., 1 over the n months."""
    count = len(months)
    return by_weights(amount, [(month, Decimal(count - index)) for index, month in enumerate(months)])


def from_milestones(
    amount: Decimal, months: Sequence[date], milestones: Iterable[tuple[date, Decimal]]
) -> dict[date, Decimal]:
    """Each milestone's weight on the month of its baseline date, within `months`."""
    wanted = set(months)
    weights: dict[date, Decimal] = {}
    for day, weight in milestones:
        month = month_of(day)
        if month in wanted and weight:
            weights[month] = weights.get(month, Decimal(0)) + Decimal(weight)
    return by_weights(amount, sorted(weights.items()))
