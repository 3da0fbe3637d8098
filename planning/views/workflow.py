"""Submitting, deciding and withdrawing a change request (POST only; each goes back to its page).

The author, the project's manager and the PMO submit a draft; the PMO decides a request routed to it (a
committee decides the others in a meeting); the author, the manager and the PMO withdraw an open one. A
refused form or a `PlanningError` is shown on the request's page, never a server error.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from planning import services
from planning.forms import DecideForm, WithdrawForm
from planning.models import ChangeRequest
from planning.selectors import change_request_for, may_decide, may_edit_project
from planning.services import PlanningError
from planning.views.change_requests import detail_context


def _refusal(change_request: ChangeRequest) -> str | None:
    """Why the PMO may not decide this request here, if it may not."""
    if change_request.route == ChangeRequest.Route.COMMITTEE:
        return _("%(committee)s decides this change request in a meeting.") % {
            "committee": change_request.committee
        }
    if not change_request.is_pending:
        return _("This change request is not waiting for a decision.")
    return None


def _acted_on(request, reference: str) -> ChangeRequest:
    """The request its author or the project's editors submit or withdraw (403 for anyone else)."""
    change_request = change_request_for(request.user, reference)
    user = request.user
    if not (change_request.raised_by_id == user.pk or may_edit_project(user, change_request.project)):
        raise PermissionDenied
    return change_request


@login_required
@require_POST
def change_request_submit(request, reference: str):
    change_request = _acted_on(request, reference)
    try:
        change_request = services.change_request_submit(change_request=change_request, by=request.user)
    except PlanningError as error:
        messages.error(request, str(error))
    else:
        if change_request.route == ChangeRequest.Route.COMMITTEE:
            message = _("%(reference)s is beyond tolerance: proposed to %(committee)s.") % {
                "reference": reference,
                "committee": change_request.committee,
            }
        else:
            message = _("%(reference)s is within tolerance: submitted to the PMO.") % {"reference": reference}
        messages.success(request, message)
    return redirect(change_request)


@login_required
@require_POST
def change_request_decide(request, reference: str):
    change_request = change_request_for(request.user, reference)
    if not may_decide(request.user):
        raise PermissionDenied
    form = DecideForm(request.POST)
    if form.is_valid() and (refusal := _refusal(change_request)):
        form.add_error(None, refusal)
    elif form.is_valid():
        try:
            services.change_request_decide(
                change_request=change_request,
                state=form.cleaned_data["state"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except PlanningError as error:
            form.add_error(None, str(error))
        else:
            change_request.refresh_from_db()
            messages.success(
                request,
                _("%(reference)s: %(state)s.")
                % {"reference": reference, "state": change_request.get_state_display()},
            )
            return redirect(change_request)
    context = detail_context(request, change_request, decide_form=form)
    return render(request, "planning/change_request_detail.html", context)


@login_required
@require_POST
def change_request_withdraw(request, reference: str):
    change_request = _acted_on(request, reference)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.change_request_withdraw(
                change_request=change_request, by=request.user, reason=form.cleaned_data["reason"]
            )
        except PlanningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(reference)s withdrawn.") % {"reference": reference})
            return redirect(change_request)
    context = detail_context(request, change_request, withdraw_form=form)
    return render(request, "planning/change_request_detail.html", context)
