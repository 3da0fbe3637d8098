"""Capacity and demand as a workbook laid out as the import reads it (imports.datasheets: the
"Capacity" and "Demand" sheets), so that what goes out comes back in unchanged.

The months: twelve from `from` (a fiscal year by default). Capacity (directorates' FTE by role, no
project named) is in the file of the oversight roles (administrators, PMO, executives), who read it on
the API too; for anyone else its sheet has its header only. Demand: the lines of the projects the reader
may see (`Project.objects.visible_to`), the person by their username. Cells are typed: months are
dates, FTE numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext, gettext_lazy

from pmo.months import add_months
from pmo.roles import Role
from pmo.spreadsheets import Column, xlsx_sheets_response
from portfolio.models import Project
from resources.models import Capacity, Demand

MONTH_FORMAT = "yyyy-mm"
FTE_FORMAT = "0.00"
CAPACITY_COLUMNS = (
    Column(gettext_lazy("Directorate code"), 16),
    Column(gettext_lazy("Role"), 14),
    Column(gettext_lazy("Month"), 10, MONTH_FORMAT),
    Column(gettext_lazy("FTE"), 8, FTE_FORMAT),
)
DEMAND_COLUMNS = (
    Column(gettext_lazy("Project code"), 16),
    Column(gettext_lazy("Role"), 14),
    Column(gettext_lazy("Month"), 10, MONTH_FORMAT),
    Column(gettext_lazy("FTE"), 8, FTE_FORMAT),
    Column(gettext_lazy("Person"), 16),
)


def sees_capacity(user) -> bool:
    return user.has_role(Role.ADMINISTRATOR, Role.PMO, Role.EXECUTIVE)


def capacity_rows(user, start: date, months: int) -> Iterator[list[Any]]:
    if not sees_capacity(user):
        return
    rows = (
        Capacity.objects.filter(month__gte=start, month__lt=add_months(start, months))
        .select_related("directorate", "role")
        .order_by("directorate__code", "role__order", "role__code", "month")
    )
    for capacity in rows.iterator(chunk_size=2000):
        yield [capacity.directorate.code, capacity.role.code, capacity.month, capacity.fte]


def demand_rows(user, start: date, months: int) -> Iterator[list[Any]]:
    rows = (
        Demand.objects.filter(
            project__in=Project.objects.visible_to(user).values("pk"),
            month__gte=start,
            month__lt=add_months(start, months),
        )
        .select_related("project", "role", "person")
        .order_by("project__code", "role__order", "role__code", "month", "person__username")
    )
    for demand in rows.iterator(chunk_size=2000):
        yield [
            demand.project.code,
            demand.role.code,
            demand.month,
            demand.fte,
            demand.person.username if demand.person else "",
        ]


def people_export(user, start: date, months: int) -> HttpResponse:
    return xlsx_sheets_response(
        [
            (gettext("Capacity"), CAPACITY_COLUMNS, capacity_rows(user, start, months)),
            (gettext("Demand"), DEMAND_COLUMNS, demand_rows(user, start, months)),
        ],
        filename=f"{gettext('resources')}-{start:%Y-%m}",
    )
