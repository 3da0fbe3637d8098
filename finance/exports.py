"""The financial view's drill-down as a spreadsheet: one row per project of `FinancialView.projects`,
its amounts in its own currency and converted (blank when no rate was in force: never summed), so that
the converted columns add up to the page's totals. Numbers stay numbers, months and dates stay dates
(`pmo.spreadsheets`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finance.selectors import FinancialView, ProjectMoney
from pmo import spreadsheets
from pmo.spreadsheets import DATE_FORMAT, MONEY_FORMAT, Column


def columns(currency: str) -> list[Column]:
    return [
        Column(gettext_lazy("Project code"), 11),
        Column(gettext_lazy("Project name"), 40),
        Column(gettext_lazy("Directorate"), 25),
        Column(gettext_lazy("Portfolio"), 25),
        Column(gettext_lazy("Currency"), 8),
        Column(gettext_lazy("Budget"), 15, MONEY_FORMAT),
        Column(gettext_lazy("Actual"), 15, MONEY_FORMAT),
        Column(gettext_lazy("Forecast"), 15, MONEY_FORMAT),
        Column(_("Budget (%(currency)s)") % {"currency": currency}, 15, MONEY_FORMAT),
        Column(_("Actual (%(currency)s)") % {"currency": currency}, 15, MONEY_FORMAT),
        Column(_("Forecast (%(currency)s)") % {"currency": currency}, 15, MONEY_FORMAT),
        Column(_("Variance (%(currency)s)") % {"currency": currency}, 15, MONEY_FORMAT),
        Column(gettext_lazy("Rate date"), 11, DATE_FORMAT),
        Column(gettext_lazy("Re-forecast"), 10),
        Column(gettext_lazy("First month"), 11, DATE_FORMAT),
        Column(gettext_lazy("Last month"), 11, DATE_FORMAT),
        Column(gettext_lazy("As at"), 11, DATE_FORMAT),
    ]


def rows(projects: Iterable[ProjectMoney], view: FinancialView) -> Iterator[list[Any]]:
    yes, no = _("Yes"), _("No")
    for project in projects:
        own, converted = project.total, project.converted_total
        yield [
            project.code,
            project.name,
            project.directorate_name,
            project.portfolio_name,
            project.currency,
            own.budget,
            own.actual,
            own.forecast,
            converted.budget if converted else None,
            converted.actual if converted else None,
            converted.forecast if converted else None,
            converted.variance if converted else None,
            project.rate_date,
            yes if project.reforecast else no,
            view.fiscal_year.start,
            view.fiscal_year.end,
            view.on,
        ]


def export(projects: Iterable[ProjectMoney], *, view: FinancialView, kind: str) -> HttpResponse:
    filename = f"{_('finances')}-{view.fiscal_year}-{view.on:%Y-%m-%d}"
    return spreadsheets.export_response(
        kind,
        columns(view.currency),
        rows(projects, view),
        filename=filename,
        title=_("Finances by project"),
    )
