"""A project's demand: role lines (optionally naming a person), a twelve-month window of FTE cells.

Whoever may see the project reads it (404 for an outsider, `portfolio.access.project_for`); whoever may
edit the project changes it (403 for a reader), one POST for the whole window, all or nothing
(`resources.services.demand_save`; the grid rules are `resources.grids`'). A few blank lines under the
stored ones take new roles; a person is picked among the active users.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import localize_input
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pmo.models import User
from portfolio.access import project_for
from portfolio.models import Project
from resources.grids import fingerprint, month_key, read_fte, window
from resources.models import Demand, ResourceRole
from resources.services import demand_save

BLANK_LINES = 3
MAX_LINES = 300


def _stored(project: Project, months: list) -> dict:
    """One query: {(role id, person id, month): Demand} of the window, the person read with it."""
    return {
        (d.role_id, d.person_id, d.month): d
        for d in Demand.objects.filter(project=project, month__in=months).select_related("person")
    }


def _lines_of(stored: dict, roles: dict, months: list) -> list[dict]:
    lines: dict[tuple, dict] = {}
    for (role_id, person_id, month), demand in stored.items():
        line = lines.setdefault(
            (role_id, person_id),
            {
                "role": str(role_id),
                "person": "" if person_id is None else str(person_id),
                "values": {},
                "person_name": str(demand.person.get_full_name() or demand.person) if demand.person else "",
            },
        )
        line["values"][month_key(month)] = localize_input(demand.fte)
    order = {pk: n for n, pk in enumerate(roles)}
    return sorted(lines.values(), key=lambda line: (order.get(int(line["role"]), 0), line["person_name"]))


def _typed_lines(post) -> list[dict] | None:
    try:
        count = min(int(post.get("lines", "")), MAX_LINES)
    except ValueError:
        return None
    lines = []
    for i in range(count):
        prefix = f"l-{i}-"
        values = {key[len(prefix) :]: value for key, value in post.items() if key.startswith(prefix)}
        lines.append({"role": values.pop("role", ""), "person": values.pop("person", ""), "values": values})
    return lines


def _validate(lines: list[dict], months: list, roles: dict, people: dict) -> tuple[dict, dict]:
    """({(role, person, month): FTE}, {(line index, field or month key): message})."""
    values, errors, seen = {}, {}, {}
    for i, line in enumerate(lines):
        cells = {}
        for month in months:
            fte, error = read_fte(line["values"].get(month_key(month), ""))
            if error:
                errors[i, month_key(month)] = error
            cells[month] = fte
        filled = any(line["values"].get(month_key(m), "").strip() for m in months)
        if not line["role"]:
            if filled or line["person"]:
                errors[i, "role"] = _("Choose the role these FTE are for.")
            continue
        if not line["role"].isdigit() or int(line["role"]) not in roles:
            errors[i, "role"] = _("Choose a role of the list.")
            continue
        person = None
        if line["person"]:
            if not line["person"].isdigit() or int(line["person"]) not in people:
                errors[i, "person"] = _("Choose an active user of the list, or nobody.")
                continue
            person = int(line["person"])
        key = (int(line["role"]), person)
        if key in seen:
            errors[i, "role"] = _("This role and person are already on line %(line)s: add the FTE there.") % {
                "line": seen[key] + 1
            }
            continue
        seen[key] = i
        for month, fte in cells.items():
            if fte:
                values[key[0], key[1], month] = fte
    return values, errors


@login_required
@require_http_methods(["GET", "POST"])
def project_demand(request, code):
    project = project_for(request.user, code)
    editable = Project.objects.editable_by(request.user).filter(pk=project.pk).exists()
    months = window(request)
    stored = _stored(project, months.months)
    version = fingerprint((r, p, m, d.fte) for (r, p, m), d in stored.items())
    used_roles = {r for r, _p, _m in stored}
    roles = {r.pk: r for r in ResourceRole.objects.filter(Q(is_active=True) | Q(pk__in=used_roles))}
    named = {p for _r, p, _m in stored if p}
    people = (
        {
            u.pk: u
            for u in User.objects.filter(Q(is_active=True) | Q(pk__in=named)).order_by(
                "last_name", "first_name", "username"
            )
        }
        if editable
        else {}
    )
    status, errors, conflict = 200, {}, False
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        lines = _typed_lines(request.POST)
        if lines is None or "version" not in request.POST:
            return HttpResponseBadRequest(_("This form is not the demand grid."))
        active_people = {pk: u for pk, u in people.items() if u.is_active or pk in named}
        values, errors = _validate(lines, months.months, roles, active_people)
        if request.POST["version"] != version:
            conflict, status = True, 409
            messages.warning(
                request,
                _(
                    "Someone saved this demand while you were typing: nothing was saved. What is stored "
                    "now is listed under the grid; check, then save again."
                ),
            )
        elif errors:
            messages.error(
                request,
                _("Nothing was saved: %(count)s cells or lines need a correction.") % {"count": len(errors)},
            )
        else:
            changed = demand_save(project=project, months=months.months, values=values, by=request.user)
            messages.success(request, _("Demand saved (%(count)s cells changed).") % {"count": changed})
            return redirect(request.get_full_path())
    else:
        lines = _lines_of(stored, roles, months.months)
        if editable:
            lines += [{"role": "", "person": "", "values": {}} for _n in range(BLANK_LINES)]
    rows = []
    for i, line in enumerate(lines):
        role = roles.get(int(line["role"])) if line["role"].isdigit() else None
        person = people.get(int(line["person"])) if line["person"].isdigit() else None
        rows.append(
            {
                "index": i,
                "role": line["role"],
                "role_label": str(role) if role else "",
                "person": line["person"],
                "person_name": line.get("person_name")
                or (str(person.get_full_name() or person) if person else ""),
                "role_error": errors.get((i, "role")),
                "person_error": errors.get((i, "person")),
                "cells": [
                    {
                        "name": f"l-{i}-{month_key(m)}",
                        "month": m,
                        "text": line["values"].get(month_key(m), ""),
                        "error": errors.get((i, month_key(m))),
                    }
                    for m in months.months
                ],
            }
        )
    totals = [sum((d.fte for (_r, _p, mm), d in stored.items() if mm == m), start=0) for m in months.months]
    context = {
        "project": project,
        "window": months,
        "months": months.months,
        "rows": rows,
        "roles": list(roles.values()),
        "people": list(people.values()),
        "editable": editable,
        "errors": errors,
        "version": version,
        "conflict": [
            {"role": roles.get(r), "person": d.person, "month": m, "fte": d.fte}
            for (r, _p, m), d in sorted(stored.items(), key=lambda item: (item[0][2], item[0][0]))
        ]
        if conflict
        else None,
        "totals": totals,
        "action": reverse("resources:project_demand", args=[project.code])
        + f"?{urlencode({'from': months.param})}",
    }
    return render(request, "resources/demand.html", context, status=status)
