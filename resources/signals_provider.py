"""Over-allocation as a derived signal on the project page (portfolio.indicators' provider
"over_allocation"): a project with demand in an over-allocated cell (its directorate, a role, a month) in
the next months (resources.meetings.HORIZON_MONTHS) is amber, red when a cell is above `RED_LOAD` (or has
demand and no capacity). The rule is resources.allocation's.

Queries: one (the project's demand in those months) when it has none; otherwise the allocation of its
directorate and roles (2) and the roles' names (1).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from portfolio.indicators import AMBER, RED, Signal
from resources import texts
from resources.allocation import CONSUMING_STATES, allocation
from resources.meetings import horizon
from resources.models import Demand, ResourceRole

RED_LOAD = Decimal("1.2")
LISTED = 3


def over_allocation_signal(*, project, user, today: date) -> list[Signal]:
    if project.directorate_id is None or project.state not in CONSUMING_STATES:
        return []
    months = horizon(today)
    mine = set(
        Demand.objects.filter(project=project.pk, month__in=months, fte__gt=0)
        .values_list("role_id", "month")
        .distinct()
    )
    if not mine:
        return []
    result = allocation(months=months, directorates=[project.directorate_id], roles={r for r, _m in mine})
    over = sorted(
        (
            cell
            for cell in result.over_cells()
            if (cell.role_id, cell.month) in mine and cell.projects.get(project.pk)
        ),
        key=lambda cell: cell.month,
    )
    if not over:
        return []
    roles = {role.pk: str(role) for role in ResourceRole.objects.filter(pk__in={c.role_id for c in over})}
    code = project.directorate.code
    parts = [
        f"{code} / {roles[cell.role_id]} {texts.month_label(cell.month)} "
        f"({texts.load_label(round(cell.load * 100) if cell.load is not None else None)})"
        for cell in over[:LISTED]
    ]
    more = "…" if len(over) > LISTED else ""
    level = RED if any(cell.load is None or cell.load > RED_LOAD for cell in over) else AMBER
    message = _("Demand in over-allocated cells: %(cells)s") % {"cells": ", ".join(parts) + more}
    return [Signal("over_allocation", level, message)]
