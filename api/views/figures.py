"""Read-only figures: the portfolio's financial view and the people allocation, each through its one
function (finance.selectors.financial_view, resources.allocation.allocation), so the API says what the
pages say.

- `/api/finance/view/?fiscal_year=&as_at=&directorate=&portfolio=`: the projects the user may see, their
  totals in the reporting currency, by directorate, portfolio, category and month;
- `/api/resources/allocation/?start=YYYY-MM&months=12&directorate=&role=`: the cells (directorate,
  role, month) with capacity, demand, load and level for every signed-in user (the totals are true for
  everyone); a cell names only the projects the reader may see, the rest is `other_fte`, never named.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.serializers.figures import (
    AllocationQuery,
    AllocationSerializer,
    FinancialViewQuery,
    FinancialViewSerializer,
)
from finance.selectors import financial_view
from pmo.models import Directorate
from pmo.months import FiscalYear, add_months, month_of
from portfolio.models import Portfolio, Project
from resources.allocation import allocation
from resources.models import ResourceRole

ZERO = Decimal(0)


def _one(model, code: str, field: str):
    found = model.objects.filter(code=code).first()
    if found is None:
        raise ValidationError({field: [_("Nothing has the code “%(code)s”.") % {"code": code}]})
    return found


@extend_schema(parameters=[FinancialViewQuery], responses={200: FinancialViewSerializer})
@api_view(["GET"])
def finance_view(request):
    """The fiscal year's budget, actual and forecast as at a date, in the reporting currency."""
    query = FinancialViewQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    values = query.validated_data
    on = values.get("as_at") or timezone.localdate()
    year = FiscalYear.named(values["fiscal_year"]) if "fiscal_year" in values else FiscalYear.of(on)
    projects = None
    if values.get("directorate"):
        projects = Project.objects.filter(directorate=_one(Directorate, values["directorate"], "directorate"))
    if values.get("portfolio"):
        projects = (projects if projects is not None else Project.objects.all()).filter(
            portfolio=_one(Portfolio, values["portfolio"], "portfolio")
        )
    view = financial_view(user=request.user, fiscal_year=year, on=on, projects=projects)
    body = {
        "fiscal_year": view.fiscal_year,
        "on": view.on,
        "currency": view.currency,
        "total": view.total,
        "by_directorate": view.by_directorate(),
        "by_portfolio": view.by_portfolio(),
        "by_category": view.by_category(),
        "monthly": [{"month": month, "amounts": amounts} for month, amounts in view.monthly()],
        "cumulative": [{"month": month, "amounts": amounts} for month, amounts in view.cumulative()],
        "projects": view.projects,
        "not_converted": [project.code for project in view.not_converted],
    }
    return Response(FinancialViewSerializer(body).data)


@extend_schema(parameters=[AllocationQuery], responses={200: AllocationSerializer})
@api_view(["GET"])
def resources_allocation(request):
    """Capacity against demand by directorate, role and month."""
    query = AllocationQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    values = query.validated_data
    start = month_of(timezone.localdate())
    if values.get("start"):
        year, month = values["start"].split("-")
        start = date(int(year), int(month), 1)
    months = [add_months(start, n) for n in range(values["months"])]
    directorates = roles = None
    if values.get("directorate"):
        directorates = [_one(Directorate, values["directorate"], "directorate").pk]
    if values.get("role"):
        roles = [_one(ResourceRole, values["role"], "role").pk]
    figures = allocation(months=months, directorates=directorates, roles=roles)
    cells = sorted(figures.cells.values(), key=lambda c: (c.directorate_id, c.role_id, c.month))
    project_ids = {pk for cell in cells for pk in cell.projects}
    visible = dict(
        Project.objects.visible_to(request.user).filter(pk__in=project_ids).values_list("pk", "code")
    )
    directorate_codes = dict(
        Directorate.objects.filter(pk__in={c.directorate_id for c in cells}).values_list("pk", "code")
    )
    role_codes = dict(
        ResourceRole.objects.filter(pk__in={c.role_id for c in cells}).values_list("pk", "code")
    )
    body = {
        "months": months,
        "cells": [
            {
                "directorate": directorate_codes[cell.directorate_id],
                "role": role_codes[cell.role_id],
                "month": cell.month,
                "capacity": cell.capacity,
                "demand": cell.demand,
                "load": cell.load,
                "level": cell.level,
                "projects": sorted(
                    ({"code": visible[pk], "fte": fte} for pk, fte in cell.projects.items() if pk in visible),
                    key=lambda item: item["code"],
                ),
                "other_fte": sum((fte for pk, fte in cell.projects.items() if pk not in visible), ZERO),
            }
            for cell in cells
        ],
    }
    return Response(AllocationSerializer(body).data)
