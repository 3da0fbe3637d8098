"""Capacity against demand: the one rule the heatmap, its drill-down, the signal, the agenda and the
what-if read.

A cell is a directorate, a role and a month. Its **capacity** is what the directorate recorded for that
role and month (None when nothing was recorded: unknown, not 0); its **demand** is the sum of the FTE asked
for that role and month by the projects of that directorate that still consume people (proposed or
active: not on hold, closed or cancelled), every project counted, confidential ones included (the totals
are true for everyone; naming them is the drill-down's business). Its **load** is demand / capacity.

- over-allocated: demand above capacity, or demand where no capacity (or 0) was recorded;
- near: load at or above NEAR_LOAD (90 %);
- otherwise fine; a cell with neither capacity nor demand is empty.

A what-if passes `adjustments` ({project id: `portfolio.adjustments.Adjustment`}): the demand of those
projects moves (from `from_month` on) before anything is summed, so the heatmap shows the scenario
exactly as applying it would leave the demand. Two queries, whatever the number of rows.

Only the months that can land in the window are read: the window itself, widened by the adjustments'
largest shifts (a project moved earlier brings later months in, one moved later brings earlier ones).
The heatmap page, which names no project, asks `detail=False`: the demand is then summed by the database
per directorate, role and month (a thousand rows instead of a hundred thousand), `projects` left empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from pmo.months import add_months, month_of
from portfolio.adjustments import Adjustment, adjusted
from portfolio.models import Project
from resources.models import Capacity, Demand

NEAR_LOAD = Decimal("0.9")
CONSUMING_STATES = (Project.State.PROPOSED, Project.State.ACTIVE)
ZERO = Decimal(0)


@dataclass
class Cell:
    directorate_id: int
    role_id: int
    month: date
    capacity: Decimal | None = None
    demand: Decimal = ZERO
    # {project id: FTE} behind the demand (the drill-down names them, as the reader may see them).
    projects: dict[int, Decimal] = field(default_factory=dict)

    @property
    def load(self) -> Decimal | None:
        """Demand / capacity, None when there is no capacity to divide by."""
        if not self.capacity:
            return None
        return self.demand / self.capacity

    @property
    def percent(self) -> int | None:
        """The load in whole per cent (what the heatmap prints), None without capacity."""
        load = self.load
        return None if load is None else int((load * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def over(self) -> bool:
        return self.demand > (self.capacity or ZERO)

    @property
    def level(self) -> str:
        """ "over", "near", "fine" or "empty"."""
        if self.over:
            return "over"
        if not self.capacity and not self.demand:
            return "empty"
        load = self.load
        return "near" if load is not None and load >= NEAR_LOAD else "fine"


@dataclass
class Allocation:
    months: list[date]
    cells: dict[tuple[int, int, date], Cell]

    def cell(self, directorate_id: int, role_id: int, month: date) -> Cell:
        return self.cells.get((directorate_id, role_id, month)) or Cell(directorate_id, role_id, month)

    def over_cells(self) -> list[Cell]:
        return [cell for cell in self.cells.values() if cell.over]

    def over_projects(self) -> set[int]:
        """The projects with demand in an over-allocated cell."""
        return {pk for cell in self.over_cells() for pk, fte in cell.projects.items() if fte}


def demand_rows(
    *,
    months: list[date],
    directorates: Iterable[int] | None = None,
    project_ids: Iterable[int] | None = None,
    last: date | None = None,
) -> list[tuple[int, tuple[int, int], date, Decimal]]:
    """(project id, (directorate id, role id), month, FTE) of the consuming projects, persons added up; one
    query. Months from the first asked to `last` (no end when None: a what-if may bring any later month)."""
    demands = Demand.objects.filter(project__state__in=CONSUMING_STATES, month__gte=months[0])
    if last is not None:
        demands = demands.filter(month__lte=last)
    if directorates is not None:
        demands = demands.filter(project__directorate__in=directorates)
    if project_ids is not None:
        demands = demands.filter(project__in=project_ids)
    return [
        (project_id, (directorate_id, role_id), month, fte)
        for project_id, directorate_id, role_id, month, fte in demands.values(
            "project_id", "project__directorate_id", "role_id", "month"
        )
        .annotate(fte=Sum("fte"))
        .order_by()
        .values_list("project_id", "project__directorate_id", "role_id", "month", "fte")
    ]


def _reach(months: list[date], adjustments: Mapping[int, Adjustment], from_month: date) -> tuple[date, date]:
    """The first and last months whose demand may land in `months` once adjusted."""
    shifts = [a.shift_months for a in adjustments.values() if not a.pause]
    later, earlier = max([0, *shifts]), max([0, *(-s for s in shifts)])
    first = max(min(months[0], from_month), add_months(months[0], -later)) if later else months[0]
    return min(first, months[0]), add_months(months[-1], earlier)


def allocation(
    *,
    months: list[date],
    directorates: Iterable[int] | None = None,
    roles: Iterable[int] | None = None,
    adjustments: Mapping[int, Adjustment] | None = None,
    from_month: date | None = None,
    detail: bool = True,
) -> Allocation:
    """The cells of these months (first days, in order), for these directorates and roles (all when None),
    with `adjustments` applied from `from_month` (the first month by default). Two queries. Without
    `detail` (and without adjustments) each cell's `projects` stays empty: see the module docstring."""
    months = list(months)
    wanted, roles = set(months), set(roles) if roles is not None else None
    adjustments = adjustments or {}
    from_month = month_of(from_month or months[0])
    cells: dict[tuple[int, int, date], Cell] = {}
    capacities = Capacity.objects.filter(month__in=months)
    if directorates is not None:
        directorates = list(directorates)
        capacities = capacities.filter(directorate__in=directorates)
    if roles is not None:
        capacities = capacities.filter(role__in=roles)
    for directorate_id, role_id, month, fte in capacities.values_list(
        "directorate_id", "role_id", "month", "fte"
    ):
        cells[directorate_id, role_id, month] = Cell(directorate_id, role_id, month, capacity=fte)

    def cell_of(directorate_id: int, role_id: int, month: date) -> Cell:
        key = (directorate_id, role_id, month)
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = Cell(directorate_id, role_id, month)
        return cell

    if not detail and not adjustments:
        totals = Demand.objects.filter(
            project__state__in=CONSUMING_STATES,
            project__directorate__isnull=False,
            month__gte=months[0],
            month__lte=months[-1],
        )
        if directorates is not None:
            totals = totals.filter(project__directorate__in=directorates)
        if roles is not None:
            totals = totals.filter(role__in=roles)
        for directorate_id, role_id, month, fte in (
            totals.values("project__directorate_id", "role_id", "month")
            .annotate(fte=Sum("fte"))
            .order_by()
            .values_list("project__directorate_id", "role_id", "month", "fte")
        ):
            if month in wanted:
                cell_of(directorate_id, role_id, month).demand += fte
        return Allocation(months=months, cells=cells)

    first, last = _reach(months, adjustments, from_month)
    rows = demand_rows(months=[first], directorates=directorates, last=last)
    rows = adjusted(rows, adjustments, from_month=from_month)
    for project_id, (directorate_id, role_id), month, fte in rows:
        if month not in wanted or (roles is not None and role_id not in roles) or directorate_id is None:
            continue
        cell = cell_of(directorate_id, role_id, month)
        cell.demand += fte
        cell.projects[project_id] = cell.projects.get(project_id, ZERO) + fte
    return Allocation(months=months, cells=cells)
