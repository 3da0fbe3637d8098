"""The allocation heatmap's rows: one per directorate and role, a cell per month (`resources.allocation`).

The page, the what-if's before / after and the committee's card draw these rows with
`resources/_heatmap.html`. A row's cells are written by `cells_html` (the partial's `heatmap_cells` tag),
not by a template loop: at a thousand cells the template's tags cost more than the rest of the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
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
    the over-allocated and near cells (colour is never the only cue), each a link to its drill-down.
    Written with format_html, not a template per cell: a two-year map has thousands of cells."""
    base = reverse("resources:cell") if drill else ""
    over, near = _("over"), _("near")
    directorate, role = row.directorate.pk, row.role.pk
    parts = []
    for cell in row.cells:
        month = f"{cell.month:%Y-%m}"
        capacity = "" if cell.capacity is None else _number(cell.capacity)
        text: SafeString = SafeString("")
        if cell.level != "empty":
            percent = cell.percent
            if percent is not None:
                text = format_html("{}&nbsp;%", percent)
            else:
                text = format_html("{}&nbsp;/&nbsp;0", cell.demand.quantize(Decimal("0.1")))
            if cell.level == "over":
                text = format_html(
                    '<i class="bi bi-exclamation-triangle-fill" aria-hidden="true"></i>'
                    '<span class="visually-hidden">{}:</span> {}',
                    over,
                    text,
                )
            elif cell.level == "near":
                text = format_html('<span class="visually-hidden">{}:</span>{}', near, text)
            if drill:
                text = format_html(
                    '<a href="{}?directorate={}&amp;role={}&amp;month={}">{}</a>',
                    base,
                    directorate,
                    role,
                    month,
                    text,
                )
        parts.append(
            (cell.level, cell.level, month, _number(cell.demand), capacity, text),
        )
    return format_html_join(
        "",
        '<td class="text-end heat heat-{}" data-level="{}" data-month="{}" data-demand="{}" '
        'data-capacity="{}">{}</td>',
        parts,
    )
