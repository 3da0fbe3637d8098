"""Committees: the list, a committee's page, and the PMO's sheet to set one up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from governance.extensions import committee_extras
from governance.forms.committees import CommitteeForm, MembershipFormSet
from governance.models import Committee
from governance.selectors import committee_listing, committee_page_data
from pmo.roles import Role


def committee_for(user, code: str) -> Committee:
    """The committee if `user` may see it (404 otherwise)."""
    committees = Committee.objects.visible_to(user).select_related(
        "chair", "secretary", "scope_portfolio", "scope_directorate"
    )
    return get_object_or_404(committees, code=code)


def _require_pmo(user) -> None:
    """Setting committees up is the PMO's (and administrators') job; secretaries run meetings."""
    if not user.has_role(Role.PMO, Role.ADMINISTRATOR):
        raise PermissionDenied


@login_required
@require_GET
def committee_list(request):
    return render(
        request,
        "governance/committee_list.html",
        {
            "committees": list(committee_listing(request.user)),
            "can_create": request.user.has_role(Role.PMO, Role.ADMINISTRATOR),
        },
    )


@login_required
@require_GET
def committee_detail(request, code):
    committee = committee_for(request.user, code)
    return render(
        request,
        "governance/committee_detail.html",
        {
            "committee": committee,
            "can_manage": committee.is_managed_by(request.user),
            "can_edit": request.user.has_role(Role.PMO, Role.ADMINISTRATOR),
            **committee_page_data(committee, user=request.user),
            "extras": committee_extras(committee, user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def committee_create(request):
    _require_pmo(request.user)
    return _committee_sheet(request, Committee())


@login_required
@require_http_methods(["GET", "POST"])
def committee_edit(request, code):
    committee = committee_for(request.user, code)
    _require_pmo(request.user)
    return _committee_sheet(request, committee)


def _committee_sheet(request, committee: Committee):
    creating = committee.pk is None
    data = request.POST if request.method == "POST" else None
    form = CommitteeForm(data, instance=committee)
    members = MembershipFormSet(data, instance=committee, prefix="members")
    if data is not None and form.is_valid() and members.is_valid() and form.check_quorum(members):
        with transaction.atomic():
            committee = form.save()
            members.instance = committee
            members.save()
        text = _("Committee %(name)s created.") if creating else _("Committee %(name)s saved.")
        messages.success(request, text % {"name": committee.name})
        return redirect(committee)
    return render(
        request,
        "governance/committee_form.html",
        {"form": form, "members": members, "committee": None if creating else committee},
    )


urlpatterns = [
    path("committees/", committee_list, name="committee_list"),
    path("committees/new/", committee_create, name="committee_create"),
    path("committees/<slug:code>/", committee_detail, name="committee_detail"),
    path("committees/<slug:code>/edit/", committee_edit, name="committee_edit"),
]
