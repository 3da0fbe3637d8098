"""Writes of a project's phasing (budget and forecast by month and category).

Every write goes through `save()` / `delete()` one row at a time, so that the history the financial view
reads as at a past date keeps each change, with `updated_by` set and the source "entered".
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from django.db import transaction

from finance.models import CostCategory, MonthlyAmount
from pmo.months import FiscalYear
from portfolio.models import Project

PLANNED = (MonthlyAmount.Kind.BUDGET, MonthlyAmount.Kind.FORECAST)
# (category id, kind, month) -> amount; None: no amount (the cell is blank).
Cell = tuple[int, str, date]


class StaleGridError(Exception):
    """The grid changed since the page was drawn; `current` is what is stored now."""

    def __init__(self, current: dict[Cell, Decimal]) -> None:
        super().__init__("stale grid")
        self.current = current


def planned_cells(*, project: Project, fiscal_year: FiscalYear) -> dict[Cell, Decimal]:
    """The project's budget and forecast amounts of the fiscal year (one query)."""
    return {
        (category_id, kind, month): amount
        for category_id, kind, month, amount in MonthlyAmount.objects.filter(
            project=project, kind__in=PLANNED, month__gte=fiscal_year.start, month__lte=fiscal_year.end
        )
        .order_by()
        .values_list("category_id", "kind", "month", "amount")
    }


def grid_version(cells: Mapping[Cell, Decimal]) -> str:
    """A fingerprint of the stored grid: the page carries it, a save compares it (optimistic concurrency:
    a grid saved meanwhile by someone else is refused, not overwritten)."""
    text = "|".join(
        f"{category}:{kind}:{month:%Y-%m}:{amount:.2f}"
        for (category, kind, month), amount in sorted(cells.items())
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _write(
    project: Project, stored: dict[Cell, MonthlyAmount], cell: Cell, amount: Decimal | None, by
) -> bool:
    """Put `amount` in the cell (None: remove it); whether anything changed."""
    row = stored.get(cell)
    if amount is None:
        if row is None:
            return False
        row.delete()
        return True
    if row is not None and row.amount == amount:
        return False
    if row is None:
        category_id, kind, month = cell
        row = MonthlyAmount(project=project, category_id=category_id, kind=kind, month=month)
    row.amount, row.source, row.updated_by = amount, MonthlyAmount.Source.ENTERED, by
    row.save()
    return True


def _stored(project: Project, cells: Iterable[Cell]) -> dict[Cell, MonthlyAmount]:
    cells = list(cells)
    months = [month for _c, _k, month in cells]
    if not cells:
        return {}
    rows = MonthlyAmount.objects.select_for_update().filter(
        project=project, kind__in=PLANNED, month__gte=min(months), month__lte=max(months)
    )
    return {(row.category_id, row.kind, row.month): row for row in rows}


def save_grid(
    *,
    project: Project,
    fiscal_year: FiscalYear,
    values: Mapping[Cell, Decimal | None],
    version: str,
    by,
) -> int:
    """Save a fiscal year's budget and forecast grid at once (all or nothing): each cell of `values`
    becomes its amount, a blank one (None) is removed. Refused (StaleGridError) when the grid stored is
    not the one `version` fingerprints. Returns how many cells changed."""
    with transaction.atomic():
        stored = _stored(project, [(0, "", fiscal_year.start), (0, "", fiscal_year.end)])
        current = {cell: row.amount for cell, row in stored.items()}
        if grid_version(current) != version:
            raise StaleGridError(current)
        return sum(_write(project, stored, cell, amount, by) for cell, amount in values.items())


def spread_into(
    *, project: Project, category: CostCategory, kind: str, parts: Mapping[date, Decimal], by
) -> int:
    """Put each month's part (`finance.spread`) into the category's budget or forecast row, replacing what
    those months held. Returns how many cells changed."""
    if kind not in PLANNED:
        raise ValueError(f"not a planned kind: {kind}")
    cells = {(category.pk, kind, month): amount for month, amount in parts.items()}
    with transaction.atomic():
        stored = _stored(project, cells)
        return sum(_write(project, stored, cell, amount, by) for cell, amount in cells.items())
