"""The allocation heatmap's rows: one per directorate and role, a cell per month (`resources.allocation`).

The page, the what-if's before / after and the committee's card draw these rows with
`resources/_heatmap.html`.
"""

from __future__ import annotations

from dataclasses import dataclass

from pmo.models import Directorate
from resources.allocation import Allocation, Cell
from resources.models import ResourceRole


@dataclass
class HeatmapRow:
    directorate: Directorate
    role: ResourceRole
    cells: list[Cell]

    @property
    def over(self) -> bool:
        return any(cell.over for cell in self.cells)


def heatmap_rows(
    allocation: Allocation,
    *,
    directorates: list[Directorate],
    roles: list[ResourceRole],
    keep_empty: bool = False,
) -> list[HeatmapRow]:
    """Directorate by directorate, role by role (in the order given); rows with neither capacity nor demand
    in any month are left out unless `keep_empty`."""
    rows = []
    for directorate in directorates:
        for role in roles:
            cells = [allocation.cell(directorate.pk, role.pk, month) for month in allocation.months]
            if keep_empty or any(cell.level != "empty" for cell in cells):
                rows.append(HeatmapRow(directorate, role, cells))
    return rows


def over_count(rows: list[HeatmapRow]) -> int:
    """How many cells of these rows are over-allocated (the count the page prints above the map)."""
    return sum(1 for row in rows for cell in row.cells if cell.over)
