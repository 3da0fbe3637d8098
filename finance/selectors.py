"""The financial view: budget, actual and forecast of a fiscal year, as at a date, in the reporting
currency. The one function behind the page, its drill-down, the project's money panel, the PDFs, the
exports and the API (`financial_view`).

For each project the reader may see, created by the as-at date D, with money in the fiscal year:

- **budget**: its phased budget for the fiscal year's months (every category);
- **actual**: for each month of the year up to D's month, what the finance system's import (or an entry
  in the application) recorded for that month when there is anything, otherwise the weekly statuses'
  "spend this period" of the statuses dated in that month (a status speaks for its week's Sunday, see
  `portfolio.earned_value.status_date`) and dated by D, in the category that receives it;
- **forecast**: month by month, the actual of a closed month (before D's) that has one; for any other
  month the phased forecast when the project has one for that month, else its phased budget (a project
  with no forecast for D's month or later is flagged "not re-forecast": its forecast is its budget), as
  the weekly status falls back to the budget for its forecast at completion.

The phasing is read as it stood at the end of D (its history) when D is in the past. Every amount is in
its project's currency; each project's amount per category and kind (and per month, for the burn chart)
is converted at the rate in force on D and rounded to the cent, and every total is the sum of those
converted amounts, so that an export's rows add up to its totals. A project in a currency with no rate
then is listed as not converted and left out of every total.

A what-if (`adjustments`, see `portfolio.adjustments`) moves budget and forecast months, never actuals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models import Q
from django.utils import timezone

from finance.models import CostCategory, MonthlyAmount
from pmo.months import FiscalYear, add_months, end_of, month_of
from portfolio.adjustments import Adjustment, adjusted
from portfolio.earned_value import status_date
from portfolio.exchange import CENT, Rates
from portfolio.models import Project, StatusReport

ZERO = Decimal(0)
BUDGET, ACTUAL, FORECAST = MonthlyAmount.Kind.BUDGET, MonthlyAmount.Kind.ACTUAL, MonthlyAmount.Kind.FORECAST
KINDS = (BUDGET, ACTUAL, FORECAST)
# `financial_view(user=EVERYONE, ...)`: the whole record, for the reports that are the organisation's and
# not one reader's (as `reporting.selectors.PortfolioFigures.for_everyone`).
EVERYONE = object()


@dataclass
class Amounts:
    """Budget, actual and forecast, in one currency."""

    budget: Decimal = ZERO
    actual: Decimal = ZERO
    forecast: Decimal = ZERO

    def add(self, other: Amounts) -> None:
        self.budget += other.budget
        self.actual += other.actual
        self.forecast += other.forecast

    @property
    def variance(self) -> Decimal:
        """Forecast minus budget: above zero, an overrun."""
        return self.forecast - self.budget

    def get(self, kind: str) -> Decimal:
        return getattr(self, kind)


@dataclass
class ProjectMoney:
    """One project's fiscal year: its amounts in its own currency and converted (None: no rate on D)."""

    pk: int
    code: str
    name: str
    confidential: bool
    currency: str
    directorate_id: int | None
    directorate_code: str
    directorate_name: str
    portfolio_id: int | None
    portfolio_code: str
    portfolio_name: str
    reforecast: bool = False
    # {category id: Amounts}, in the project's currency, then converted.
    by_category: dict[int, Amounts] = field(default_factory=dict)
    converted_by_category: dict[int, Amounts] | None = None
    # {(kind, month): amount}, in the project's currency, then converted (the burn chart).
    by_month: dict[tuple[str, date], Decimal] = field(default_factory=dict)
    converted_by_month: dict[tuple[str, date], Decimal] | None = None
    rate_date: date | None = None

    @property
    def converted(self) -> bool:
        return self.converted_by_category is not None

    @property
    def total(self) -> Amounts:
        """In the project's currency."""
        total = Amounts()
        for amounts in self.by_category.values():
            total.add(amounts)
        return total

    @property
    def converted_total(self) -> Amounts | None:
        if self.converted_by_category is None:
            return None
        total = Amounts()
        for amounts in self.converted_by_category.values():
            total.add(amounts)
        return total


@dataclass
class Line:
    """A total over some projects (a directorate, a portfolio, a category, the whole view)."""

    key: object
    label: str
    amounts: Amounts = field(default_factory=Amounts)
    projects: int = 0


@dataclass
class FinancialView:
    fiscal_year: FiscalYear
    on: date
    currency: str
    categories: list[CostCategory]
    projects: list[ProjectMoney]

    @property
    def converted(self) -> list[ProjectMoney]:
        return [project for project in self.projects if project.converted]

    @property
    def not_converted(self) -> list[ProjectMoney]:
        return [project for project in self.projects if not project.converted]

    @property
    def total(self) -> Amounts:
        total = Amounts()
        for project in self.converted:
            total.add(project.converted_total)
        return total

    @property
    def not_reforecast(self) -> list[ProjectMoney]:
        """The projects whose forecast for the rest of the year is their budget (no phased forecast)."""
        return [project for project in self.projects if not project.reforecast]

    @property
    def rate_dates(self) -> list[date]:
        """The dates of the rates the totals used (none when every project is in the reporting currency)."""
        return sorted({project.rate_date for project in self.converted if project.rate_date})

    def _lines(self, key_of) -> list[Line]:
        lines: dict[object, Line] = {}
        for project in self.converted:
            key, label = key_of(project)
            line = lines.setdefault(key, Line(key, label))
            line.amounts.add(project.converted_total)
            line.projects += 1
        return sorted(lines.values(), key=lambda line: line.label)

    def by_directorate(self) -> list[Line]:
        return self._lines(lambda p: (p.directorate_id, f"{p.directorate_code} {p.directorate_name}".strip()))

    def by_portfolio(self) -> list[Line]:
        return self._lines(lambda p: (p.portfolio_id, f"{p.portfolio_code} {p.portfolio_name}".strip()))

    def by_category(self) -> list[Line]:
        lines = {
            category.pk: Line(category.pk, str(category))
            for category in self.categories
            if category.is_active
        }
        names = {category.pk: str(category) for category in self.categories}
        for project in self.converted:
            for category_id, amounts in project.converted_by_category.items():
                line = lines.get(category_id)
                if line is None:  # an inactive category that still holds money
                    line = lines[category_id] = Line(category_id, names.get(category_id, str(category_id)))
                line.amounts.add(amounts)
                line.projects += 1
        return list(lines.values())

    def monthly(self) -> list[tuple[date, Amounts]]:
        """Each month of the fiscal year: the converted budget, actual (up to D's month) and forecast of
        that month, over the converted projects."""
        return [(month, Amounts(*amounts)) for month, amounts in self._monthly_sums]

    @cached_property
    def _monthly_sums(self) -> list[tuple[date, tuple[Decimal, Decimal, Decimal]]]:
        """Added up once per view (a page reads `monthly` three times: the table and two charts); the
        view is not changed once built."""
        # Plain sums first (a cell per project, kind and month over a portfolio).
        sums: dict[tuple[str, date], Decimal] = defaultdict(Decimal)
        for project in self.converted:
            for key, amount in project.converted_by_month.items():
                sums[key] += amount
        return [
            (month, tuple(sums.get((kind, month), ZERO) for kind in KINDS))
            for month in self.fiscal_year.months
        ]

    def cumulative(self) -> list[tuple[date, Amounts]]:
        """The burn chart: `monthly` added up month by month (actual stops at D's month)."""
        running, points, last = Amounts(), [], month_of(self.on)
        for month, amounts in self.monthly():
            running.add(amounts)
            points.append(
                (month, Amounts(running.budget, running.actual if month <= last else None, running.forecast))
            )
        return points


def _amount_rows(projects, fiscal_year: FiscalYear, on: date, *, reach: int = 0):
    """(project id, category id, kind, month, amount) of the fiscal year, and `reach` months either side
    (what a what-if may move into it), as they stood at the end of `on`."""
    first, last = add_months(fiscal_year.start, -reach), add_months(fiscal_year.end, reach)
    window = Q(month__gte=first, month__lte=last, project__in=projects)
    if on >= timezone.localdate():
        rows = MonthlyAmount.objects.filter(window)
    else:
        rows = MonthlyAmount.history.as_of(end_of(on)).filter(window)
    return rows.values_list("project_id", "category_id", "kind", "month", "amount").order_by()


def _status_spend(projects, fiscal_year: FiscalYear, on: date) -> dict[tuple[int, date], Decimal]:
    """{(project id, month): spend} from the weekly statuses dated in the fiscal year and by `on`.

    At a past date, each period's revision is the one in force at the end of `on` (the highest revision
    submitted by then), so that a correction submitted later does not rewrite the past."""
    first, last = fiscal_year.start - timedelta(days=6), min(on, fiscal_year.end + timedelta(days=31))
    window = StatusReport.objects.filter(project__in=projects, period__gte=first, period__lte=last)
    if on >= timezone.localdate():
        revisions = window.latest_revisions().filter(spend_this_period__isnull=False).order_by()
    else:
        revisions = window.filter(submitted_at__lte=end_of(on)).order_by("revision")
    in_force: dict[tuple[int, date], Decimal | None] = {}
    for project_id, period, amount in revisions.values_list("project_id", "period", "spend_this_period"):
        in_force[project_id, period] = amount  # ordered by revision: the highest wins
    spend: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
    for (project_id, period), amount in in_force.items():
        day = status_date(period)
        if amount is not None and day <= on and day in fiscal_year:
            spend[project_id, month_of(day)] += amount
    return spend


def financial_view(
    *,
    user,
    fiscal_year: FiscalYear,
    on: date,
    projects=None,
    adjustments: Mapping[int, Adjustment] | None = None,
    from_month: date | None = None,
    rates: Rates | None = None,
) -> FinancialView:
    """The fiscal year's money as at `on` for the projects `user` may see (narrowed to `projects`, a
    queryset, when given), with a what-if's `adjustments` applied from `from_month` (the month after
    `on`'s by default). Five queries: the projects, the categories, the amounts, the statuses' spend,
    the exchange rates (none when every project is in the reporting currency)."""
    readable = Project.objects.all() if user is EVERYONE else Project.objects.visible_to(user)
    scope = readable.filter(created_at__lte=end_of(on))
    if projects is not None:
        scope = scope.filter(pk__in=projects.values("pk"))
    categories = list(CostCategory.objects.all())
    receiving = next(
        (c.pk for c in categories if c.receives_status_spend), categories[0].pk if categories else None
    )
    rates = rates or Rates()
    last_actual = month_of(on)
    year_months = set(fiscal_year.months)
    ids = scope.values("pk")

    # A what-if may move money into the year from the months around it: those are read too.
    reach = max((abs(a.shift_months) for a in (adjustments or {}).values()), default=0)
    # One pass over the amounts (tens of thousands of rows at a portfolio's scale): the plan (budget and
    # forecast, which a what-if moves), the year's actuals, the months with an imported actual, and the
    # projects re-forecast from D's month.
    planned, actuals, imported_months, reforecast = [], [], set(), set()
    for pk, category, kind, month, amount in _amount_rows(ids, fiscal_year, on, reach=reach):
        if kind == ACTUAL:
            if month in year_months:
                imported_months.add((pk, month))
                if month <= last_actual:
                    actuals.append((pk, category, month, amount))
            continue
        if kind == FORECAST and month >= last_actual and month in year_months:
            reforecast.add(pk)
        planned.append((pk, (category, kind), month, amount))
    spend = _status_spend(ids, fiscal_year, on)
    if adjustments:
        start = month_of(from_month) if from_month else add_months(month_of(on), 1)
        planned = adjusted(planned, adjustments, from_month=max(start, month_of(on)))
    # {project: {(category, kind, month): amount}}, the kinds as the view reads them.
    money: dict[int, dict[tuple[int, str, date], Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for pk, (category, kind), month, amount in planned:
        if month in year_months:
            money[pk][category, kind, month] += amount
    for pk, category, month, amount in actuals:
        money[pk][category, ACTUAL, month] += amount
    if receiving is not None:
        for (pk, month), amount in spend.items():
            if (pk, month) not in imported_months and month <= last_actual:
                money[pk][receiving, ACTUAL, month] += amount

    found = []
    # Plain values, not model instances: a thousand projects with their directorate and portfolio.
    for row in (
        scope.filter(pk__in=list(money))
        .order_by("code")
        .values_list(
            "pk", "code", "name", "confidential", "currency", "directorate_id", "directorate__code",
            "directorate__name", "portfolio_id", "portfolio__code", "portfolio__name",
        )
    ):  # fmt: skip
        (
            pk,
            code,
            name,
            confidential,
            currency,
            directorate_id,
            d_code,
            d_name,
            portfolio_id,
            p_code,
            p_name,
        ) = row
        item = ProjectMoney(
            pk=pk,
            code=code,
            name=name,
            confidential=confidential,
            currency=currency,
            directorate_id=directorate_id,
            directorate_code=d_code or "",
            directorate_name=d_name or "",
            portfolio_id=portfolio_id,
            portfolio_code=p_code or "",
            portfolio_name=p_name or "",
            reforecast=pk in reforecast,
        )
        _fill(item, money[pk], last_actual=last_actual)
        _convert(item, rates, on=on)
        found.append(item)
    return FinancialView(
        fiscal_year=fiscal_year, on=on, currency=rates.currency, categories=categories, projects=found
    )


def _fill(item: ProjectMoney, cells: dict[tuple[int, str, date], Decimal], *, last_actual: date) -> None:
    """Budget, actual and forecast by category and by month, from the project's cells.

    The forecast of a closed month (before D's) with an actual is that actual; of any other month (D's
    own, still running, the later ones, and a closed month nobody reported: unknown is not zero) the
    plan: the month's phased forecast when the project has one for that month, else its phased budget."""
    spent, forecast_months = set(), set()
    for _category, kind, month in cells:
        if kind == FORECAST:
            forecast_months.add(month)
        elif kind == ACTUAL and month < last_actual:
            spent.add(month)
    # Plain dicts first (tens of thousands of cells over a portfolio), the Amounts at the end; one pass,
    # the rule spelt per kind (the hot loop of the financial view).
    by_category: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    by_month: dict[tuple[str, date], Decimal] = defaultdict(Decimal)
    for (category, kind, month), amount in cells.items():
        if kind == FORECAST:  # the month's plan, unless the month is closed and reported
            counts = month not in spent
        else:
            by_category[category, kind] += amount
            by_month[kind, month] += amount
            # A closed month reported: its actual; any other month: the plan (the budget when the
            # month has no phased forecast).
            counts = month in spent if kind == ACTUAL else month not in spent and month not in forecast_months
        if counts:
            by_category[category, FORECAST] += amount
            by_month[FORECAST, month] += amount
    for (category, kind), amount in by_category.items():
        setattr(item.by_category.setdefault(category, Amounts()), kind, amount)
    item.by_month = dict(by_month)


def _convert(item: ProjectMoney, rates: Rates, *, on: date) -> None:
    rate = rates.rate(item.currency, on=on)
    if rate is None:
        return
    item.rate_date = rate.valid_from
    if rate.valid_from is None:  # the reporting currency: the amounts as they are
        item.converted_by_category = {
            category: Amounts(a.budget, a.actual, a.forecast) for category, a in item.by_category.items()
        }
        item.converted_by_month = dict(item.by_month)
        return
    value = rate.value

    def convert(amount: Decimal) -> Decimal:
        return (amount * value).quantize(CENT, rounding=ROUND_HALF_UP)  # as portfolio.exchange does

    item.converted_by_category = {
        category: Amounts(convert(a.budget), convert(a.actual), convert(a.forecast))
        for category, a in item.by_category.items()
    }
    item.converted_by_month = {key: convert(amount) for key, amount in item.by_month.items()}
