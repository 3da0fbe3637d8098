"""Money by month as a workbook laid out as the import reads it (imports.datasheets, the "Budgets"
sheet): project code, month, category, kind, amount, so that what goes out comes back in unchanged.

Rows: every budget, forecast and imported or entered actual row (MonthlyAmount) of the fiscal year, of
the projects the reader may see (`Project.objects.visible_to`); a confidential project they may not
open is not in the file. The weekly statuses' spend is not a row here (finance.selectors reads it where
no actual row is): exporting it would turn it into an imported actual on the way back. Cells are typed:
months are dates, amounts numbers; the currency column says each amount's project currency (the import
ignores it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext, gettext_lazy

from finance.models import MonthlyAmount
from pmo.months import FiscalYear
from pmo.spreadsheets import MONEY_FORMAT, Column, choice_labels, label, xlsx_sheets_response
from portfolio.models import Project

MONTH_FORMAT = "yyyy-mm"
MONEY_COLUMNS = (
    Column(gettext_lazy("Project code"), 16),
    Column(gettext_lazy("Month"), 10, MONTH_FORMAT),
    Column(gettext_lazy("Cost category"), 14),
    Column(gettext_lazy("Kind"), 12),
    Column(gettext_lazy("Amount"), 16, MONEY_FORMAT),
    Column(gettext_lazy("Currency"), 9),
)


def money_rows(user, fiscal_year: FiscalYear) -> Iterator[list[Any]]:
    kinds = choice_labels(MonthlyAmount, "kind")["kind"]
    amounts = (
        MonthlyAmount.objects.filter(
            project__in=Project.objects.visible_to(user).values("pk"),
            month__gte=fiscal_year.start,
            month__lte=fiscal_year.end,
        )
        .select_related("category")
        .only("month", "kind", "amount", "category__code", "project__code", "project__currency")
        .select_related("project")
        .order_by("project__code", "kind", "month", "category__order", "category__code")
    )
    for amount in amounts.iterator(chunk_size=2000):
        yield [
            amount.project.code,
            amount.month,
            amount.category.code,
            label(kinds, amount.kind),
            amount.amount,
            amount.project.currency,
        ]


def money_export(user, fiscal_year: FiscalYear) -> HttpResponse:
    return xlsx_sheets_response(
        [(gettext("Budgets"), MONEY_COLUMNS, money_rows(user, fiscal_year))],
        filename=f"{gettext('money')}-{fiscal_year}",
    )
