"""The finance demo's rows and their audit trail (see finance.demo for the story they tell).

Every row is built in memory and bulk-inserted; the statuses of the imported projects lose their weekly
spend in one UPDATE. Amounts are whole units of the project's currency.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils.translation import gettext_noop

from finance.models import CostCategory, MonthlyAmount
from pmo import audit
from pmo.demo import DemoContext
from pmo.months import add_months, month_of, months_between
from portfolio.demo.projects import progress
from portfolio.models import ExchangeRate, Project, StatusReport

Kind, Source = MonthlyAmount.Kind, MonthlyAmount.Source
CAPEX_SHARES = [Decimal("0.1"), Decimal("0.2"), Decimal("0.4"), Decimal("0.6"), Decimal("0.75")]
IMPORTED_SHARE = 0.5  # of the projects that have started: actuals from the finance system's import
IMPORT_DAY = 5  # a month's actuals are imported on this day of the next month
REFORECAST_SHARE = 0.3  # of the live projects with months to come
OVERRUN_SHARE = 0.25  # of the re-forecasts: an overrun
# The PMO's EUR rates: (months before this one, rate into the reporting currency).
EUR_RATES = [(14, Decimal("10.8500")), (8, Decimal("10.9200")), (0, Decimal("11.0100"))]
UNIT = Decimal(1)
COLUMNS = ["project", "category", "kind", "month", "amount", "source", "updated_at", "updated_by"]


def shape(count: int) -> list[float]:
    """Weights of `count` months: a bell, light at both ends, as a project spends (its S-curve)."""
    return [math.sin(math.pi * (index + 0.5) / count) + 0.3 for index in range(count)]


def spread(total: Decimal, weights: list[float]) -> list[Decimal]:
    """`total` over months by `weights`, in whole units, the rounding on the last month: sums exactly."""
    whole = sum(weights)
    amounts = [(total * Decimal(weight / whole)).quantize(UNIT) for weight in weights[:-1]]
    return [*amounts, total - sum(amounts, Decimal(0))]


class Seeder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx, self.rng, self.today = ctx, ctx.rng, ctx.today
        self.this_month, self.morning = month_of(ctx.today), ctx.morning
        # A test that emptied the database since its migrations left no category: the defaults again.
        CostCategory.ensure_defaults()
        categories = list(CostCategory.objects.active().order_by("order", "pk"))
        self.capex = next((c for c in categories if c.code == "CAPEX"), categories[0])
        self.opex = next((c for c in categories if c.code == "OPEX"), categories[-1])
        self.rows: list[tuple] = []
        self.imported: list[int] = []

    def run(self) -> None:
        ctx = self.ctx
        funded = [p for p in ctx.projects if p.budget and p.baseline_end >= p.baseline_start]
        for project in funded:
            share = self.rng.choice(CAPEX_SHARES)
            self.budget(project, share)
            started = project.state != Project.State.PROPOSED and project.baseline_start < self.this_month
            if started and self.rng.random() < IMPORTED_SHARE:
                self.imported.append(project.pk)
                self.actuals(project, share)
            live = project.state in (Project.State.ACTIVE, Project.State.ON_HOLD)
            if live and self.rng.random() < REFORECAST_SHARE:
                self.reforecast(project, share)
        ctx.count(MonthlyAmount, audit.insert(MonthlyAmount, COLUMNS, self.rows))
        # The imported projects' actuals are the import's: their statuses carry no weekly spend.
        for start in range(0, len(self.imported), 500):
            StatusReport.objects.filter(project_id__in=self.imported[start : start + 500]).update(
                spend_this_period=None
            )
        self.euros(funded)

    def add(self, project: Project, category: CostCategory, kind: str, month: date, amount, **extra) -> None:
        self.rows.append(
            (
                project.pk,
                category.pk,
                kind,
                month,
                amount,
                extra.get("source", Source.ENTERED),
                self.morning,
                extra.get("updated_by_id"),
            )
        )

    def split(self, total: Decimal, share: Decimal) -> list[tuple[CostCategory, Decimal]]:
        capex = (total * share).quantize(UNIT)
        return [(c, amount) for c, amount in ((self.capex, capex), (self.opex, total - capex)) if amount]

    def budget(self, project: Project, share: Decimal) -> None:
        months = months_between(project.baseline_start, project.baseline_end)
        weights = shape(len(months))
        for category, total in self.split(project.budget, share):
            for month, amount in zip(months, spread(total, weights), strict=True):
                self.add(
                    project, category, Kind.BUDGET, month, amount, updated_by_id=project.project_manager_id
                )

    def actuals(self, project: Project, share: Decimal) -> None:
        """The import of each month closed and imported by today, at the pace of the forecast dates and a
        cost performance of the project's own."""
        months = months_between(project.baseline_start, max(project.forecast_end, project.baseline_start))
        factor = Decimal(str(round(self.rng.uniform(0.88, 1.12), 3)))
        weights = shape(len(months))
        for category, total in self.split(project.budget * factor, share):
            for month, amount in zip(months, spread(total.quantize(UNIT), weights), strict=True):
                if self.imported_on(month) > self.today:
                    break
                noise = Decimal(str(round(self.rng.uniform(0.9, 1.1), 3)))
                self.add(
                    project,
                    category,
                    Kind.ACTUAL,
                    month,
                    (amount * noise).quantize(UNIT),
                    source=Source.IMPORTED,
                )

    @staticmethod
    def imported_on(month: date) -> date:
        return add_months(month, 1).replace(day=IMPORT_DAY)

    def reforecast(self, project: Project, share: Decimal) -> None:
        """What is left to spend, over the months from next to the forecast end; more than the budget
        left for an overrun."""
        months = months_between(add_months(self.this_month, 1), project.forecast_end)
        if not months:
            return
        overrun = self.rng.random() < OVERRUN_SHARE
        factor = self.rng.uniform(1.2, 1.45) if overrun else self.rng.uniform(0.95, 1.05)
        left = project.budget * Decimal(str(round((1 - progress(project, self.today)) * factor, 4)))
        weights = [1.0] * len(months)
        for category, total in self.split(left.quantize(UNIT), share):
            for month, amount in zip(months, spread(total, weights), strict=True):
                self.add(
                    project, category, Kind.FORECAST, month, amount, updated_by_id=project.project_manager_id
                )

    def euros(self, funded: list[Project]) -> None:
        """The smallest active project with a budget and no baseline yet (a baseline keeps the currency it
        was taken in) is in euros; the PMO keeps the EUR rates."""
        live = [p for p in funded if p.state == Project.State.ACTIVE and not p.baseline_version]
        if not live:
            return
        project = min(live, key=lambda p: (p.budget, p.code))
        project.currency = "EUR"
        Project.objects.filter(pk=project.pk).update(currency="EUR")
        ExchangeRate.objects.bulk_create(
            [
                ExchangeRate(currency="EUR", valid_from=add_months(self.this_month, -back), rate=rate)
                for back, rate in EUR_RATES
            ],
            ignore_conflicts=True,
        )


def seed_history(ctx: DemoContext) -> None:
    """One "created" record per amount: the budget when its project was created (portfolio.demo.history),
    by its project manager; each import on its day at seven; each project's re-forecast by its project
    manager, on one day of the last weeks."""
    rng, morning = ctx.rng, ctx.morning
    created = dict(Project.objects.values_list("pk", "created_at"))
    reforecast: dict[int, datetime] = {}
    rows = []
    for row in MonthlyAmount.objects.order_by("pk").values():
        pk = row["project_id"]
        if row["kind"] == Kind.BUDGET:
            rows.append((row, "+", created[pk], row["updated_by_id"], ""))
        elif row["kind"] == Kind.ACTUAL:
            when = audit.local(Seeder.imported_on(row["month"]), 7)
            rows.append(
                (row, "+", min(max(when, created[pk]), morning), None, gettext_noop("monthly import"))
            )
        else:
            if pk not in reforecast:
                day = ctx.today - timedelta(days=rng.randint(3, 75))
                reforecast[pk] = min(max(audit.local(day, 16), created[pk] + timedelta(hours=1)), morning)
            rows.append((row, "+", reforecast[pk], row["updated_by_id"], gettext_noop("re-forecast")))
    ctx.history_records += audit.record(MonthlyAmount, rows)
