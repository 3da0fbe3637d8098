"""A what-if's before / after, computed and never written: the heatmap of the months it touches (the
directorates of the projects it moves), the over-allocated cells counted, and the fiscal year's budget and
forecast (`finance.selectors.financial_view`, the one money rule) for the moved projects and the portfolio.

The same comparison is shown by the what-if page, a scenario's page, the committee's card and the agenda
item's reason, so that what the committee approves is what it was shown. Queries, whatever the number of
projects and changes: the directorates and roles (2), the allocation before and after (2 each), the
financial view before and after (5 each at most).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from finance.selectors import financial_view
from pmo.models import Directorate
from pmo.months import FiscalYear, add_months, month_of
from portfolio.adjustments import Adjustment
from resources.allocation import allocation
from resources.heatmap import HeatmapRow, heatmap_rows
from resources.models import ResourceRole

WINDOW_MONTHS = 12
MAX_WINDOW_MONTHS = 24
ZERO = Decimal(0)


def next_month(today: date) -> date:
    return add_months(month_of(today), 1)


def window(from_month: date, adjustments: Mapping[int, Adjustment]) -> list[date]:
    """The months affected: a year from `from_month`, longer by the largest later shift (two years at
    most)."""
    longest = max((a.shift_months for a in adjustments.values() if not a.pause), default=0)
    count = min(WINDOW_MONTHS + max(longest, 0), MAX_WINDOW_MONTHS)
    return [add_months(from_month, n) for n in range(count)]


@dataclass
class ChangedCell:
    row: HeatmapRow
    month: date
    before: object
    after: object


@dataclass
class Money:
    budget: Decimal = ZERO
    forecast: Decimal = ZERO
    # The moved projects only.
    moved_budget: Decimal = ZERO
    moved_forecast: Decimal = ZERO
    monthly: list[tuple[date, Decimal]] = field(default_factory=list)  # the moved projects' forecast


@dataclass
class Comparison:
    from_month: date
    months: list[date]
    before: list[HeatmapRow]
    after: list[HeatmapRow]
    over_before: int
    over_after: int
    changed: list[ChangedCell]
    fiscal_year: FiscalYear
    currency: str
    money_before: Money
    money_after: Money

    @property
    def monthly(self) -> list[tuple[date, Decimal, Decimal]]:
        return [
            (month, before, after)
            for (month, before), (_m, after) in zip(
                self.money_before.monthly, self.money_after.monthly, strict=True
            )
        ]


def _money(view, moved: set[int]) -> Money:
    total = view.total
    money = Money(budget=total.budget, forecast=total.forecast)
    months = dict.fromkeys(view.fiscal_year.months, ZERO)
    for project in view.converted:
        if project.pk not in moved:
            continue
        amounts = project.converted_total
        money.moved_budget += amounts.budget
        money.moved_forecast += amounts.forecast
        for (kind, month), amount in project.converted_by_month.items():
            if kind == "forecast" and month in months:
                months[month] += amount
    money.monthly = list(months.items())
    return money


def compare(
    *,
    user,
    adjustments: Mapping[int, Adjustment],
    directorate_ids: set[int],
    from_month: date,
    today: date,
) -> Comparison:
    """Before and after `adjustments` (from `from_month`), for the directorates of the moved projects."""
    adjustments = {pk: a for pk, a in adjustments.items() if a.is_change}
    months = window(from_month, adjustments)
    directorates = list(Directorate.objects.filter(pk__in=directorate_ids).order_by("code"))
    roles = list(ResourceRole.objects.active())
    ids = [d.pk for d in directorates]
    before = allocation(months=months, directorates=ids)
    after = allocation(months=months, directorates=ids, adjustments=adjustments, from_month=from_month)
    rows_before = heatmap_rows(before, directorates=directorates, roles=roles)
    rows_after = heatmap_rows(after, directorates=directorates, roles=roles, keep_empty=True)
    kept = {(r.directorate.pk, r.role.pk) for r in rows_before} | {
        (r.directorate.pk, r.role.pk) for r in rows_after if any(c.level != "empty" for c in r.cells)
    }
    rows_before = heatmap_rows(before, directorates=directorates, roles=roles, keep_empty=True)
    rows_before = [r for r in rows_before if (r.directorate.pk, r.role.pk) in kept]
    rows_after = [r for r in rows_after if (r.directorate.pk, r.role.pk) in kept]
    changed = [
        ChangedCell(row=row, month=cell.month, before=old, after=cell)
        for row, old_row in zip(rows_after, rows_before, strict=True)
        for cell, old in zip(row.cells, old_row.cells, strict=True)
        if cell.demand != old.demand
    ]
    fiscal_year = FiscalYear.of(from_month)
    view_before = financial_view(user=user, fiscal_year=fiscal_year, on=today)
    view_after = financial_view(
        user=user, fiscal_year=fiscal_year, on=today, adjustments=adjustments, from_month=from_month
    )
    moved = set(adjustments)
    return Comparison(
        from_month=from_month,
        months=months,
        before=rows_before,
        after=rows_after,
        over_before=len(before.over_cells()),
        over_after=len(after.over_cells()),
        changed=changed,
        fiscal_year=fiscal_year,
        currency=view_after.currency,
        money_before=_money(view_before, moved),
        money_after=_money(view_after, moved),
    )
