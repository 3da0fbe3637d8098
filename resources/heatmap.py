"""The allocation heatmap's rows: one per directorate and role, a cell per month (`resources.allocation`).

The page, the what-if's before / after and the committee's card draw these rows with
`resources/_heatmap.html`. A row's cells are written by `cells_html` (the partial's `heatmap_cells` tag),
not by a template loop: at a thousand cells the template's tags cost more than the rest of the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

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


def _number(value: Decimal) -> str:
    """An FTE as the data attributes carry it: plain, a dot, no trailing zeros beyond the cents."""
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def cells_html(row: HeatmapRow, *, drill: bool) -> SafeString:
    """The <td>s of a row: the level as class and `data-level`, the month, demand and capacity as data
    attributes, the load in per cent (or "demand / 0" with no capacity), an icon and a hidden word for
    the over-allocated and near cells (colour is never the only cue), each a link to its drill-down."""
    base = reverse("resources:cell") if drill else ""
    over, near = escape(_("over")), escape(_("near"))
    directorate, role = row.directorate.pk, row.role.pk
    parts = []
    for cell in row.cells:
        month = f"{cell.month:%Y-%m}"
        capacity = "" if cell.capacity is None else _number(cell.capacity)
        head = (
            f'<td class="text-end heat heat-{cell.level}" data-level="{cell.level}" data-month="{month}" '
            f'data-demand="{_number(cell.demand)}" data-capacity="{capacity}">'
        )
        if cell.level == "empty":
            parts.append(head + "</td>")
            continue
        percent = cell.percent
        if percent is not None:
            text = f"{percent}&nbsp;%"
        else:
            text = f"{cell.demand.quantize(Decimal('0.1'))}&nbsp;/&nbsp;0"
        if cell.level == "over":
            text = (
                f'<i class="bi bi-exclamation-triangle-fill" aria-hidden="true"></i>'
                f'<span class="visually-hidden">{over}:</span> {text}'
            )
        elif cell.level == "near":
            text = f'<span class="visually-hidden">{near}:</span>{text}'
        if drill:
            text = f'<a href="{base}?directorate={directorate}&amp;role={role}&amp;month={month}">{text}</a>'
        parts.append(f"{head}{text}</td>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is a number, a date or escaped
