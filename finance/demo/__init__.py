"""Demo money by month (see pmo.demo for how seed_demo runs the seeders).

Every project with a budget has it phased by month over its baseline dates, split between CAPEX and OPEX
in a proportion of its own, the months adding up to its budget exactly (the rounding on the last month).
About half the projects that have started get the finance system's monthly import of their actuals for
the months closed and imported by now (on the 5th of the next month); the others' actuals are the
weekly statuses' "spend this period" (portfolio.demo.status), cleared here on the imported ones so that
each project's actuals come from one place. Some live projects were re-forecast lately (their remaining
months), a few of them with an overrun; one small project is kept in euros, with the PMO's EUR rates.
The audit trail (`seed_history`) dates each amount when it was entered: the budget when the project
was created, each import on its day, each re-forecast on its day; so the financial view as at a past
date shows what was known then.
"""

from __future__ import annotations

from pmo.audit import forget_history
from pmo.demo import DemoContext


def has_data() -> bool:
    from finance.models import MonthlyAmount

    return MonthlyAmount.objects.exists()


def reset() -> None:
    from finance.models import MonthlyAmount
    from portfolio.models import ExchangeRate

    forget_history(MonthlyAmount)
    MonthlyAmount.objects.all().delete()
    # The demo's EUR rates go with it (seeded again, dated from the new run's day).
    ExchangeRate.objects.filter(currency="EUR").delete()


def seed(ctx: DemoContext) -> None:
    from finance.demo.seeder import Seeder

    Seeder(ctx).run()


def seed_history(ctx: DemoContext) -> None:
    from finance.demo.seeder import seed_history as seed_finance_history

    seed_finance_history(ctx)
