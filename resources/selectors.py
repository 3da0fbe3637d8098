"""Reads of the heatmap page, its drill-down and the plan panel; the rule itself is
`resources.allocation`'s, read here and nowhere else.

The drill-down names each project behind a cell as its reader may see it: a confidential project they may
not open is "a confidential project", with its FTE (never its code, name or people), so the lines still
add up to the cell's demand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from pmo.models import Directorate
from pmo.months import add_months, month_of
from portfolio.models import Project
from resources.allocation import Cell, allocation
from resources.heatmap import HeatmapRow, heatmap_rows, over_count
from resources.models import Demand, ResourceRole


@dataclass
class Heatmap:
    months: list[date]
    rows: list[HeatmapRow]
    directorates: list[Directorate]
    roles: list[ResourceRole]

    @property
    def over_count(self) -> int:
        return over_count(self.rows)


def heatmap(*, months: list[date], directorate: int | None = None, role: int | None = None) -> Heatmap:
    """Four queries: the directorates, the roles, the capacity, the demand summed by the database."""
    directorates = list(Directorate.objects.filter(is_active=True).order_by("code"))
    roles = list(ResourceRole.objects.all())
    shown_d = [d for d in directorates if directorate in (None, d.pk)]
    shown_r = [r for r in roles if role in (None, r.pk)]
    cells = allocation(
        months=months,
        directorates=[d.pk for d in shown_d] if directorate else None,
        roles=[r.pk for r in shown_r] if role else None,
        detail=False,
    )
    return Heatmap(months, heatmap_rows(cells, directorates=shown_d, roles=shown_r), directorates, roles)


@dataclass
class CellLine:
    fte: Decimal
    project: Project | None  # None: a confidential project the reader may not see
    people: list[tuple[str, Decimal]] = field(default_factory=list)


@dataclass
class CellDetail:
    directorate: Directorate
    role: ResourceRole
    cell: Cell
    lines: list[CellLine]


def cell_detail(*, user, directorate: Directorate, role: ResourceRole, month: date) -> CellDetail:
    """Four queries: the capacity, the demand by project (allocation), the projects the reader may see
    among them, the named people of those."""
    cell = allocation(months=[month], directorates=[directorate.pk], roles=[role.pk]).cell(
        directorate.pk, role.pk, month
    )
    ids = [pk for pk, fte in cell.projects.items() if fte]
    visible = {p.pk: p for p in Project.objects.visible_to(user).filter(pk__in=ids)} if ids else {}
    people: dict[int, list[tuple[str, Decimal]]] = {}
    if visible:
        named = (
            Demand.objects.filter(project__in=list(visible), role=role, month=month, person__isnull=False)
            .select_related("person")
            .order_by("-fte", "person__last_name")
        )
        for demand in named:
            person = demand.person
            people.setdefault(demand.project_id, []).append(
                (person.get_full_name() or person.get_username(), demand.fte)
            )
    lines = [CellLine(fte, visible.get(pk), people.get(pk, [])) for pk, fte in cell.projects.items() if fte]
    lines.sort(key=lambda line: (-line.fte, line.project.code if line.project else "~"))
    return CellDetail(directorate, role, cell, lines)


def plan_demand(project: Project, *, today: date, months: int = 6) -> dict:
    """One query: the project's FTE by role over the next `months` months (this one included)."""
    first = month_of(today)
    window = [add_months(first, n) for n in range(months)]
    totals: dict[int, dict] = {}
    for role_id, name, name_en, _order, month, fte in (
        Demand.objects.filter(project=project, month__gte=first, month__lte=window[-1])
        .values("role_id", "role__name", "role__name_en", "role__order", "month")
        .annotate(fte=Sum("fte"))
        .order_by("role__order", "role__name", "month")
        .values_list("role_id", "role__name", "role__name_en", "role__order", "month", "fte")
    ):
        row = totals.setdefault(role_id, {"name": name, "name_en": name_en, "cells": dict.fromkeys(window)})
        row["cells"][month] = fte
    return {"months": window, "rows": list(totals.values())}
