"""The project money page's grid: one fiscal year, rows = cost category x kind, columns = the months.

Budget and forecast are the project's phasing as entered (`finance.services.planned_cells`); the actuals
are the financial view's (`finance.selectors.financial_view`, the project's row), so that the page and the
portfolio view agree: per month, the finance system's import when there is one for that month (booked to
its categories), else the weekly statuses' spend (booked to the category that receives it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from finance.models import CostCategory, MonthlyAmount
from finance.selectors import financial_view
from finance.services import Cell, planned_cells
from pmo.months import FiscalYear, month_of
from portfolio.earned_value import phased_budgets
from portfolio.models import Project

ZERO = Decimal(0)
BUDGET, ACTUAL, FORECAST = MonthlyAmount.Kind.BUDGET, MonthlyAmount.Kind.ACTUAL, MonthlyAmount.Kind.FORECAST
IMPORTED, SPEND = "imported", "spend"


def field_name(category_id: int, kind: str, month: date) -> str:
    """The grid input's name: c<category>-<kind>-<YYYY-MM>."""
    return f"c{category_id}-{kind}-{month:%Y-%m}"


@dataclass
class ActualCell:
    amount: Decimal
    source: str  # IMPORTED or SPEND


@dataclass
class CategoryRows:
    category: CostCategory
    actuals: list[ActualCell | None] = field(default_factory=list)

    @property
    def actual_total(self) -> Decimal:
        return sum((cell.amount for cell in self.actuals if cell), ZERO)


@dataclass
class Grid:
    project: Project
    fiscal_year: FiscalYear
    on: date
    categories: list[CategoryRows]
    planned: dict[Cell, Decimal]
    phased_total: Decimal  # the budget phased over every month, every year
    pv_follows_phasing: bool
    currency: str

    @property
    def months(self) -> list[date]:
        return self.fiscal_year.months

    @property
    def budget_differs(self) -> bool:
        """The phased total is not the budget (BAC): the page warns (PV keeps BAC, scaled to the phasing's
        shape: see `portfolio.earned_value.baseline_curve`)."""
        return self.pv_follows_phasing and (self.project.budget or ZERO) != self.phased_total

    def total(self, kind: str) -> Decimal:
        return sum((amount for (_c, k, _m), amount in self.planned.items() if k == kind), ZERO)

    @property
    def actual_total(self) -> Decimal:
        return sum((rows.actual_total for rows in self.categories), ZERO)

    @property
    def total_budget(self) -> Decimal:
        return self.total(BUDGET)

    @property
    def total_forecast(self) -> Decimal:
        return self.total(FORECAST)


def read_grid(*, project: Project, user, fiscal_year: FiscalYear, on: date) -> Grid:
    """Queries: the categories, the planned cells, the phased budget (every month), the imported
    actuals' months, and the financial view's own (see there)."""
    planned = planned_cells(project=project, fiscal_year=fiscal_year)
    view = financial_view(
        user=user, fiscal_year=fiscal_year, on=on, projects=Project.objects.filter(pk=project.pk)
    )
    categories = view.categories
    used = {category_id for category_id, _k, _m in planned}
    imported: dict[tuple[int, date], Decimal] = {}
    for category_id, month, amount in (
        MonthlyAmount.objects.actual()
        .filter(project=project, month__gte=fiscal_year.start, month__lte=min(fiscal_year.end, month_of(on)))
        .values("category_id", "month")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("category_id", "month", "total")
    ):
        imported[category_id, month] = amount
        used.add(category_id)
    row = next((item for item in view.projects if item.pk == project.pk), None)
    receiving = next(
        (c.pk for c in categories if c.receives_status_spend), categories[0].pk if categories else None
    )
    imported_months = {month for _c, month in imported}
    rows = [
        CategoryRows(category)
        for category in categories
        if category.is_active or category.pk in used or category.pk == receiving
    ]
    for rows_of in rows:
        for month in fiscal_year.months:
            cell = None
            if (rows_of.category.pk, month) in imported:
                cell = ActualCell(imported[rows_of.category.pk, month], IMPORTED)
            elif month not in imported_months and rows_of.category.pk == receiving and row is not None:
                spend = row.by_month.get((ACTUAL, month))
                if spend is not None and month <= month_of(on):
                    cell = ActualCell(spend, SPEND)
            rows_of.actuals.append(cell)
    curve = phased_budgets([project.pk]).get(project.pk, [])
    return Grid(
        project=project,
        fiscal_year=fiscal_year,
        on=on,
        categories=rows,
        planned=planned,
        phased_total=sum((amount for _month, amount in curve), ZERO),
        pv_follows_phasing=bool(curve),
        currency=project.currency,
    )
