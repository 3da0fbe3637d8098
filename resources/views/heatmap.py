"""The allocation heatmap (`/resources/`) and its drill-down (`/resources/cell/`), with their exports.

Read by the oversight roles and project managers (`resources.access`). The page names no project; the
drill-down names those its reader may see and counts the others as "a confidential project"
(`resources.selectors.cell_detail`). `?export=xlsx|csv` on either: the same figures, typed.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from pmo import spreadsheets
from pmo.models import Directorate
from pmo.spreadsheets import DATE_FORMAT, Column
from resources.access import can_manage, require_allocation_reader
from resources.allocation import NEAR_LOAD
from resources.grids import WINDOW, parse_month, window
from resources.models import ResourceRole
from resources.selectors import cell_detail
from resources.selectors import heatmap as heatmap_of

LONG_WINDOW = 24

FTE_FORMAT = "0.00"
LEVELS = {
    "over": gettext_lazy("Over-allocated"),
    "near": gettext_lazy("Near capacity"),
    "fine": gettext_lazy("Within capacity"),
    "empty": gettext_lazy("Nothing recorded"),
}
HEATMAP_COLUMNS = [
    Column(gettext_lazy("Directorate"), 12),
    Column(gettext_lazy("Directorate name"), 30),
    Column(gettext_lazy("Role"), 12),
    Column(gettext_lazy("Role name"), 25),
    Column(gettext_lazy("Month"), 11, DATE_FORMAT),
    Column(gettext_lazy("Capacity (FTE)"), 12, FTE_FORMAT),
    Column(gettext_lazy("Demand (FTE)"), 12, FTE_FORMAT),
    Column(gettext_lazy("Load (%)"), 9, "0"),
    Column(gettext_lazy("Level"), 18),
]
CELL_COLUMNS = [
    Column(gettext_lazy("Project code"), 12),
    Column(gettext_lazy("Project name"), 35),
    Column(gettext_lazy("Demand (FTE)"), 12, FTE_FORMAT),
    Column(gettext_lazy("Named people"), 40),
]


def _id(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


@login_required
@require_GET
def heatmap(request):
    require_allocation_reader(request.user)
    # A year by default; two years ahead on request (the what-if's longest window).
    length = LONG_WINDOW if request.GET.get("months") == str(LONG_WINDOW) else WINDOW
    months = window(request, length=length)
    directorate, role = _id(request, "directorate"), _id(request, "role")
    data = heatmap_of(months=months.months, directorate=directorate, role=role)
    kind = spreadsheets.requested(request)
    if kind:
        labels = {key: str(text) for key, text in LEVELS.items()}
        rows = (
            [
                row.directorate.code,
                row.directorate.name,
                row.role.code,
                str(row.role),
                cell.month,
                cell.capacity,
                cell.demand,
                cell.percent,
                labels[cell.level],
            ]
            for row in data.rows
            for cell in row.cells
        )
        return spreadsheets.export_response(
            kind,
            HEATMAP_COLUMNS,
            rows,
            filename=f"heatmap-{months.param}",
            title=_("Allocation heatmap"),
        )
    filters = {key: value for key, value in (("directorate", directorate), ("role", role)) if value}
    if length != WINDOW:
        filters["months"] = length
    context = {
        "window": months,
        "months": months.months,
        "heatmap": data,
        "rows": data.rows,
        "directorate_id": directorate,
        "role_id": role,
        "filter_query": urlencode(filters),
        "export_query": urlencode({"from": months.param, **filters}),
        "near_percent": int(NEAR_LOAD * 100),
        "length": length,
        "lengths": (WINDOW, LONG_WINDOW),
        "can_manage": can_manage(request.user),
    }
    return render(request, "resources/heatmap.html", context)


@login_required
@require_GET
def cell(request):
    require_allocation_reader(request.user)
    month = parse_month(request.GET.get("month"))
    directorate_id, role_id = _id(request, "directorate"), _id(request, "role")
    if month is None or directorate_id is None or role_id is None:
        raise Http404(_("A cell is named by its directorate, role and month."))
    directorate = get_object_or_404(Directorate, pk=directorate_id)
    role = get_object_or_404(ResourceRole, pk=role_id)
    detail = cell_detail(user=request.user, directorate=directorate, role=role, month=month)
    kind = spreadsheets.requested(request)
    if kind:
        hidden = _("a confidential project")
        rows = (
            [
                line.project.code if line.project else "",
                line.project.name if line.project else hidden,
                line.fte,
                ", ".join(f"{name} ({fte:f})" for name, fte in line.people),
            ]
            for line in detail.lines
        )
        return spreadsheets.export_response(
            kind,
            CELL_COLUMNS,
            rows,
            filename=f"cell-{directorate.code}-{role.code}-{month:%Y-%m}",
            title=_("Demand behind a cell"),
        )
    query = urlencode({"directorate": directorate.pk, "role": role.pk, "month": f"{month:%Y-%m}"})
    context = {
        "detail": detail,
        "cell": detail.cell,
        "month": month,
        "query": query,
        "heatmap_query": urlencode({"from": f"{month:%Y-%m}", "directorate": directorate.pk}),
        "level_label": LEVELS[detail.cell.level],
    }
    return render(request, "resources/cell.html", context)
