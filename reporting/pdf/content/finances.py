"""The reports' "Finances" section: the fiscal year holding the report's as-at date, as at that date,
by directorate and by category, with the burn chart, all from `finance.selectors.financial_view` (the
page's one function) over the report's scope. The report is the organisation's: every project is read
(`EVERYONE`), as the rest of the report reads them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from finance.charts import burn_figure, burn_table
from finance.selectors import EVERYONE, financial_view
from pmo.months import FiscalYear
from pmo.templatetags.pmo_tags import money
from portfolio.models import Project
from reporting.pdf.content import common
from reporting.selectors import PortfolioFigures


def finances(figures: PortfolioFigures, *, on: date) -> dict[str, Any]:
    """The section's context (five queries, and the exported chart)."""
    scope = figures.scope
    projects = None if scope.is_whole else scope.filter_projects(Project.objects.all())
    view = financial_view(
        user=EVERYONE, fiscal_year=FiscalYear.of(on), on=on, projects=projects, rates=figures.rates
    )
    headers, rows = burn_table(view, fmt=lambda value: money(value))
    return {
        "view": view,
        "total": view.total,
        "tables": [
            (_("By directorate"), view.by_directorate()),
            (_("By category"), view.by_category()),
        ],
        "burn": common.chart(
            _("Burn: cumulative budget, actual and forecast (%(currency)s)") % {"currency": view.currency},
            burn_figure(view),
            size=common.WIDE_LOW,
            headers=headers,
            rows=rows,
        ),
    }
