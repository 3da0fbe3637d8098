"""A project's money by month: the budget and forecast grid of one fiscal year, its actuals, the spread
helper. Whoever may edit the project edits the grid; whoever reads it reads it; others get 404.

The grid is saved whole in one POST, all or nothing; a grid changed meanwhile by someone else answers 409
with their values beside the ones typed (kept in the form), as the weekly status and the plan do. With
htmx the grid's section is swapped; without, the page is drawn again or redirected to.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from finance import services, spread
from finance.forms import MoneyGridForm, SpreadForm
from finance.grid import Grid, field_name, read_grid
from pmo.months import FiscalYear
from portfolio.access import project_for
from portfolio.models import Milestone, Project

PAGE, GRID = "finance/project_money.html", "finance/project_money_grid.html"


def fiscal_year_of(request, today: date) -> FiscalYear:
    """?fy=2027, else the fiscal year of today."""
    try:
        year = int(request.GET.get("fy", ""))
    except ValueError:
        return FiscalYear.of(today)
    if not 1900 < year < 3000:
        return FiscalYear.of(today)
    return FiscalYear.named(year)


def money_url(project: Project, fiscal_year: FiscalYear | None = None) -> str:
    url = reverse("finance:project_money", args=[project.code])
    return f"{url}?fy={fiscal_year.year}" if fiscal_year else url


def _amount(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def _differences(form: MoneyGridForm, current: dict) -> list[tuple[str, str, str]]:
    """(cell, their value now, the value typed) where they differ."""
    rows = []
    for name, cell in form.cells.items():
        theirs, mine = current.get(cell), form.cleaned_data.get(name)
        if theirs != mine:
            rows.append((str(form.fields[name].label), _amount(theirs), _amount(mine)))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def project_money(request, code: str):
    project = project_for(request.user, code, queryset=Project.objects.select_related("directorate"))
    can_edit = Project.objects.editable_by(request.user).filter(pk=project.pk).exists()
    today = timezone.localdate()
    fiscal_year = fiscal_year_of(request, today)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    grid = read_grid(project=project, user=request.user, fiscal_year=fiscal_year, on=today)
    categories = [rows.category for rows in grid.categories]
    context = {"conflict": False, "differences": [], "saved": False}
    form = spread_form = None
    status = 200
    if request.method == "POST" and request.POST.get("action") == "spread":
        spread_form = SpreadForm(request.POST, categories=categories, fiscal_year=fiscal_year)
        if spread_form.is_valid():
            return _spread(request, project, grid, spread_form)
    elif request.method == "POST":
        form = MoneyGridForm(request.POST, categories=categories, fiscal_year=fiscal_year)
        if form.is_valid():
            try:
                changed = services.save_grid(
                    project=project,
                    fiscal_year=fiscal_year,
                    values=form.values(),
                    version=form.cleaned_data["version"],
                    by=request.user,
                )
            except services.StaleGridError as stale:
                context.update(conflict=True, differences=_differences(form, stale.current))
                # Keep what was typed, now based on the stored grid: saving again is a deliberate choice.
                data = request.POST.copy()
                data["version"] = services.grid_version(stale.current)
                form = MoneyGridForm(data, categories=categories, fiscal_year=fiscal_year)
                form.is_valid()
                status = 409
            else:
                message = _("Money by month of %(code)s saved (%(count)s cells changed).") % {
                    "code": project.code,
                    "count": changed,
                }
                if not request.htmx:
                    messages.success(request, message)
                    return redirect(money_url(project, fiscal_year))
                grid = read_grid(project=project, user=request.user, fiscal_year=fiscal_year, on=today)
                form, context["saved"] = None, message
    if form is None:
        form = MoneyGridForm(
            initial={
                "version": services.grid_version(grid.planned),
                **{field_name(*cell): amount for cell, amount in grid.planned.items()},
            },
            categories=categories,
            fiscal_year=fiscal_year,
        )
    if spread_form is None and can_edit:
        spread_form = SpreadForm(categories=categories, fiscal_year=fiscal_year)
    context.update(
        project=project,
        grid=grid,
        form=form,
        spread_form=spread_form,
        can_edit=can_edit,
        rows=_rows(grid, form),
        previous_year=FiscalYear.named(fiscal_year.year - 1),
        next_year=FiscalYear.named(fiscal_year.year + 1),
        money_url=money_url(project),
    )
    return render(request, GRID if request.htmx else PAGE, context, status=status)


def _spread(request, project: Project, grid: Grid, form: SpreadForm):
    data = form.cleaned_data
    months, amount = data["months"], data["amount"]
    method = data["method"]
    if method == SpreadForm.MILESTONES:
        milestones = Milestone.objects.filter(project=project).values_list("baseline_date", "weight")
        parts = spread.from_milestones(amount, months, milestones)
    elif method == SpreadForm.FRONT_LOADED:
        parts = spread.front_loaded(amount, months)
    else:
        parts = spread.evenly(amount, months)
    if not parts:
        messages.error(request, _("No milestone with a weight falls in these months: nothing was spread."))
    else:
        category = form.categories[data["category"]]
        services.spread_into(
            project=project, category=category, kind=data["kind"], parts=parts, by=request.user
        )
        messages.success(
            request,
            _("%(amount)s spread over %(count)s months.") % {"amount": _amount(amount), "count": len(parts)},
        )
    response = redirect(money_url(project, grid.fiscal_year))
    if request.htmx:
        response["HX-Redirect"] = response["Location"]
    return response


def _rows(grid: Grid, form: MoneyGridForm) -> list[dict]:
    """The grid's rows in display order: per category, budget, forecast (fields) and actual (read only)."""
    rows = []
    for category_rows in grid.categories:
        category = category_rows.category
        for kind, label in (("budget", _("Budget")), ("forecast", _("Forecast"))):
            cells = [form[field_name(category.pk, kind, month)] for month in grid.months]
            total = sum(
                (grid.planned.get((category.pk, kind, month), Decimal(0)) for month in grid.months),
                Decimal(0),
            )
            rows.append({"category": category, "kind": kind, "label": label, "cells": cells, "total": total})
        rows.append(
            {
                "category": category,
                "kind": "actual",
                "label": _("Actual"),
                "actuals": category_rows.actuals,
                "total": category_rows.actual_total,
            }
        )
    return rows
