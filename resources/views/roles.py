"""The roles catalogue: every signed-in user reads it, the PMO and administrators add and change roles.
A role is never deleted (capacity and demand point at it): it is deactivated."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from resources.access import can_manage, require_manager
from resources.forms import RoleForm
from resources.models import ResourceRole


@login_required
@require_GET
def roles(request):
    """One query: the roles with how many capacity and demand rows use them."""
    rows = ResourceRole.objects.annotate(
        capacities_count=Count("capacities", distinct=True), demands_count=Count("demands", distinct=True)
    )
    show = request.GET.get("show", "")
    if show != "all":
        rows = rows.filter(Q(is_active=True))
    return render(
        request,
        "resources/roles.html",
        {"roles": list(rows), "can_manage": can_manage(request.user), "show_all": show == "all"},
    )


def _form_page(request, form: RoleForm, role: ResourceRole | None):
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        if role is None:
            messages.success(request, _("Role “%(name)s” added.") % {"name": saved})
        elif not saved.is_active:
            messages.success(request, _("Role “%(name)s” saved; it is inactive.") % {"name": saved})
        else:
            messages.success(request, _("Role “%(name)s” saved.") % {"name": saved})
        return redirect("resources:roles")
    return render(request, "resources/role_form.html", {"form": form, "role": role})


@login_required
@require_http_methods(["GET", "POST"])
def role_create(request):
    require_manager(request.user)
    form = RoleForm(request.POST or None)
    return _form_page(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def role_edit(request, pk):
    require_manager(request.user)
    role = get_object_or_404(ResourceRole, pk=pk)
    form = RoleForm(request.POST or None, instance=role)
    return _form_page(request, form, role)
