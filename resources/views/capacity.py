"""The capacity grid: directorate x role rows, a twelve-month window of FTE cells (`resources.grids`).

The oversight roles and project managers read it; the PMO and administrators change it, one POST for the
whole grid shown (all or nothing, `resources.services.capacity_save`). Rows: the active directorates
(or the one filtered on) by the active roles, plus any role that still has capacity in the window.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import localize_input
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pmo.models import Directorate
from resources.access import can_manage, require_allocation_reader, require_manager
from resources.grids import Window, fingerprint, month_key, read_fte, window
from resources.models import Capacity, ResourceRole
from resources.services import capacity_save


def _directorate_filter(request) -> int | None:
    value = request.GET.get("directorate", "")
    return int(value) if value.isdigit() else None


def _grid(window_: Window, directorate_id: int | None):
    """Three queries: the directorates, the roles, the stored capacity of the window."""
    directorates = list(Directorate.objects.filter(is_active=True).order_by("code"))
    shown = [d for d in directorates if directorate_id in (None, d.pk)]
    stored = {
        (c.directorate_id, c.role_id, c.month): c.fte
        for c in Capacity.objects.filter(
            month__in=window_.months, directorate__in=[d.pk for d in shown]
        ).only("directorate_id", "role_id", "month", "fte")
    }
    used = {role_id for _d, role_id, _m in stored}
    roles = list(ResourceRole.objects.filter(Q(is_active=True) | Q(pk__in=used)))
    return directorates, shown, roles, stored


def cell_name(directorate_id: int, role_id: int, month) -> str:
    return f"c-{directorate_id}-{role_id}-{month_key(month)}"


def _rows(shown, roles, months, stored, *, typed: Mapping[str, str] | None, errors, conflict) -> list[dict]:
    rows = []
    for directorate in shown:
        for role in roles:
            cells = []
            for month in months:
                name = cell_name(directorate.pk, role.pk, month)
                value = stored.get((directorate.pk, role.pk, month))
                shown = "" if value is None else localize_input(value)
                text = typed.get(name, "") if typed is not None else shown
                cells.append(
                    {
                        "name": name,
                        "month": month,
                        "text": text,
                        "stored": value,
                        "error": errors.get(name),
                        "now": conflict and text.strip() != shown,
                    }
                )
            rows.append({"directorate": directorate, "role": role, "cells": cells})
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def capacity(request):
    require_allocation_reader(request.user)
    months = window(request)
    directorate_id = _directorate_filter(request)
    directorates, shown, roles, stored = _grid(months, directorate_id)
    version = fingerprint((*key, fte) for key, fte in stored.items())
    typed, errors, status, conflict = None, {}, 200, False
    editable = can_manage(request.user)
    if request.method == "POST":
        require_manager(request.user)
        if "version" not in request.POST:
            return HttpResponseBadRequest(_("This form is not the capacity grid."))
        typed, values = {}, {}
        for directorate in shown:
            for role in roles:
                for month in months.months:
                    name = cell_name(directorate.pk, role.pk, month)
                    if name not in request.POST:
                        continue
                    typed[name] = request.POST[name]
                    value, error = read_fte(typed[name])
                    if error:
                        errors[name] = error
                    values[directorate.pk, role.pk, month] = value
        if request.POST["version"] != version:
            conflict, status = True, 409
            messages.warning(
                request,
                _(
                    "Someone saved this grid while you were typing: nothing was saved. What is stored now "
                    "is shown under each cell that differs; check, then save again."
                ),
            )
        elif errors:
            messages.error(
                request, _("Nothing was saved: %(count)s cells need a correction.") % {"count": len(errors)}
            )
        else:
            changed = capacity_save(values=values, by=request.user)
            messages.success(request, _("Capacity saved (%(count)s cells changed).") % {"count": changed})
            return redirect(request.get_full_path())
    query = {"from": months.param, **({"directorate": directorate_id} if directorate_id else {})}
    context = {
        "window": months,
        "months": months.months,
        "directorates": directorates,
        "directorate_id": directorate_id,
        "rows": _rows(shown, roles, months.months, stored, typed=typed, errors=errors, conflict=conflict),
        "version": version,
        "editable": editable,
        "errors": errors,
        "action": f"{reverse('resources:capacity')}?{urlencode(query)}",
        "filter_query": urlencode({"directorate": directorate_id}) if directorate_id else "",
    }
    return render(request, "resources/capacity.html", context, status=status)
