"""The portfolio's financial view by fiscal year (`finance:view`) and the projects behind it
(`finance:projects`, with its CSV and XLSX exports).

Both read one `finance.selectors.financial_view` for the same viewpoint (as-at date, directorate,
portfolio: the dashboard's `Viewpoint`) and fiscal year, so the list has as many rows as the page counts
projects and its converted amounts add up to the page's totals. Who may read them is the dashboard's rule
(`reporting.views.dashboard.require_reader`): the PMO, the executives and the administrators.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from finance import charts, exports
from finance.selectors import FinancialView, ProjectMoney, financial_view
from pmo import spreadsheets
from pmo.months import FiscalYear
from pmo.templatetags.pmo_tags import money as money_amount
from portfolio.access import can_edit_rates
from portfolio.models import Project
from reporting.forms import Viewpoint
from reporting.views.dashboard import require_reader

PAGE_SIZE = 50
YEARS_BACK, YEARS_AHEAD = 5, 2
NOT_CONVERTED, NOT_REFORECAST = "no", "no"


def fiscal_year_choices(today: date) -> list[tuple[int, str]]:
    current = FiscalYear.of(today).year
    years = range(current + YEARS_AHEAD, current - YEARS_BACK - 1, -1)
    return [(year, str(FiscalYear.named(year))) for year in years]


class FinanceForm(forms.Form):
    """What the financial view adds to the dashboard's viewpoint: the fiscal year, and for the list the
    projects left out of the totals or not re-forecast."""

    fy = forms.TypedChoiceField(label=gettext_lazy("Fiscal year"), coerce=int, required=False)
    converted = forms.ChoiceField(
        label=gettext_lazy("Currency"),
        choices=[("", gettext_lazy("Any currency")), (NOT_CONVERTED, gettext_lazy("Not converted"))],
        required=False,
    )
    reforecast = forms.ChoiceField(
        label=gettext_lazy("Forecast"),
        choices=[("", gettext_lazy("Any forecast")), (NOT_REFORECAST, gettext_lazy("Not re-forecast"))],
        required=False,
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fy"].choices = fiscal_year_choices(today)


def _read(request) -> tuple[Viewpoint, FiscalYear, dict, FinancialView]:
    """The viewpoint, the fiscal year (the as-at date's by default), the list's filters and the view."""
    require_reader(request.user)
    viewpoint = Viewpoint.from_request(request)
    form = FinanceForm(request.GET, today=viewpoint.today)
    chosen = form.cleaned_data if form.is_valid() else {}
    if not form.is_valid():
        viewpoint.problems.append(
            _("The fiscal year asked for was not understood: the as-at date's is shown.")
        )
    year = chosen.get("fy")
    fiscal_year = FiscalYear.named(year) if year else FiscalYear.of(viewpoint.as_at)
    scoped = None if viewpoint.scope.is_whole else viewpoint.scope.filter_projects(Project.objects.all())
    view = financial_view(user=request.user, fiscal_year=fiscal_year, on=viewpoint.as_at, projects=scoped)
    return viewpoint, fiscal_year, chosen, view


def _query(viewpoint: Viewpoint, fiscal_year: FiscalYear, **extra) -> str:
    params = viewpoint.params(**extra)
    if fiscal_year != FiscalYear.of(viewpoint.as_at):
        params["fy"] = fiscal_year.year
    return urlencode(params)


def _at(viewpoint: Viewpoint, day: date) -> Viewpoint:
    return Viewpoint(
        as_at=day, today=viewpoint.today, directorate=viewpoint.directorate, portfolio=viewpoint.portfolio
    )


@login_required
@require_GET
def view(request):
    """Budget, actual, forecast and variance of the fiscal year by directorate, portfolio and category."""
    viewpoint, fiscal_year, _chosen, money = _read(request)
    headers, rows = charts.burn_table(money, fmt=money_amount)
    return render(
        request,
        "finance/view.html",
        {
            "viewpoint": viewpoint,
            "form": viewpoint.form(),
            "extra_fields": [FinanceForm(initial={"fy": fiscal_year.year}, today=viewpoint.today)["fy"]],
            "fiscal_year": fiscal_year,
            "money": money,
            "total": money.total,
            "sections": [
                ("directorate", _("By directorate"), money.by_directorate()),
                ("portfolio", _("By portfolio"), money.by_portfolio()),
                ("category", _("By category"), money.by_category()),
            ],
            "burn_figure": charts.burn_figure(money),
            "monthly_figure": charts.monthly_figure(money),
            "burn_headers": headers,
            "burn_rows": rows,
            "can_edit_rates": can_edit_rates(request.user),
            "query": (query := _query(viewpoint, fiscal_year)),
            "list_query": query,
            "not_converted_query": _query(viewpoint, fiscal_year, converted=NOT_CONVERTED),
            "not_reforecast_query": _query(viewpoint, fiscal_year, reforecast=NOT_REFORECAST),
            "quick_dates": [
                (label, day, _query(_at(viewpoint, day), fiscal_year))
                for label, day in viewpoint.past_period_ends()
            ],
            "today_query": _query(_at(viewpoint, viewpoint.today), fiscal_year),
        },
    )


def _converted(key: str):
    def read(project: ProjectMoney):
        total = project.converted_total
        return None if total is None else getattr(total, key)

    return read


# The list's sort keys; a row whose key is None (not converted) goes last whichever the direction.
SORTS = {
    "code": lambda p: p.code,
    "name": lambda p: p.name.casefold(),
    "directorate": lambda p: p.directorate_code,
    "portfolio": lambda p: p.portfolio_code,
    "currency": lambda p: p.currency,
    "budget": _converted("budget"),
    "actual": _converted("actual"),
    "forecast": _converted("forecast"),
    "variance": _converted("variance"),
    "rate": lambda p: p.rate_date,
}


def sort_projects(projects: list[ProjectMoney], sort: str) -> list[ProjectMoney]:
    key = SORTS.get(sort.removeprefix("-"))
    if key is None:
        return projects
    present = [project for project in projects if key(project) is not None]
    present.sort(key=key, reverse=sort.startswith("-"))
    return present + [project for project in projects if key(project) is None]


@login_required
@require_GET
def projects(request):
    """The projects of the financial view, one row each (the view's project count), exportable."""
    viewpoint, fiscal_year, chosen, money = _read(request)
    rows = money.projects
    converted, reforecast = chosen.get("converted", ""), chosen.get("reforecast", "")
    if converted == NOT_CONVERTED:
        rows = money.not_converted
    if reforecast == NOT_REFORECAST:
        rows = [project for project in rows if not project.reforecast]
    sort = request.GET.get("sort", "")
    rows = sort_projects(list(rows), sort)
    if kind := spreadsheets.requested(request):
        return exports.export(rows, view=money, kind=kind)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/projects.html",
        {
            "viewpoint": viewpoint,
            "form": viewpoint.form(),
            "extra_fields": FinanceForm(
                initial={"fy": fiscal_year.year, "converted": converted, "reforecast": reforecast},
                today=viewpoint.today,
            ).visible_fields(),
            "fiscal_year": fiscal_year,
            "money": money,
            "converted": converted,
            "reforecast": reforecast,
            "filtered": bool(converted or reforecast),
            "can_edit_rates": can_edit_rates(request.user),
            "page": page,
            "sort": sort,
            "keep": [("sort", sort)],
            "view_query": _query(viewpoint, fiscal_year),
        },
    )
