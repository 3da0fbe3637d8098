"""A what-if on a project's plan by month: its remaining months moved by N months, or paused.

The heatmap (demand), the financial view (budget and forecast) and a scenario's application all move
months with this one rule, so what the committee saw before deciding is what is applied. Months before
`from_month` (the past, the actuals) never move. A pause removes every month from `from_month` on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from pmo.months import add_months

Key = TypeVar("Key")


@dataclass(frozen=True)
class Adjustment:
    shift_months: int = 0
    pause: bool = False

    @property
    def is_change(self) -> bool:
        return self.pause or self.shift_months != 0

    def moved(self, month: date, *, from_month: date) -> date | None:
        """Where `month` goes: itself before `from_month`, None when paused, else shifted."""
        if month < from_month:
            return month
        if self.pause:
            return None
        return add_months(month, self.shift_months)


def adjusted(
    rows: Iterable[tuple[int, Key, date, Decimal]],
    adjustments: Mapping[int, Adjustment],
    *,
    from_month: date,
) -> list[tuple[int, Key, date, Decimal]]:
    """(project id, key, month, amount) rows with each adjusted project's months moved; rows that land in
    the same (project, key, month) are added together."""
    if not adjustments:
        return list(rows)
    merged: dict[tuple[int, Key, date], Decimal] = {}
    for project_id, key, month, amount in rows:
        adjustment = adjustments.get(project_id)
        target = month if adjustment is None else adjustment.moved(month, from_month=from_month)
        if target is None:
            continue
        merged[project_id, key, target] = merged.get((project_id, key, target), Decimal(0)) + amount
    return [(project_id, key, month, amount) for (project_id, key, month), amount in merged.items()]
