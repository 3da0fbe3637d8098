"""Change requests: the list, raising one from a project (or from one of its risks or issues), editing a
draft, a request's page.

Whoever reads the project reads its change requests (404 otherwise); its manager and the PMO raise and
edit them (403 otherwise). Errors of the services (`PlanningError`) come back as form errors.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from planning import services
from planning.exports import change_requests_export
from planning.filters import ChangeRequestFilter
from planning.forms import ChangeRequestForm, DecideForm, WithdrawForm
from planning.impact import Impact, impact_of, needs_committee
from planning.models import ChangeRequest, PlanPolicy
from planning.selectors import (
    change_request_for,
    changes_of,
    impact_for,
    may_decide,
    may_edit_project,
)
from planning.services import PlanningError, deciding_committee
from pmo import spreadsheets
from portfolio.access import project_for
from portfolio.models import Milestone
from risks.models import Issue, Risk

PAGE_SIZE = 25


@login_required
def change_request_list(request):
    listing = ChangeRequest.objects.visible_to(request.user).for_listing()
    filterset = ChangeRequestFilter(request.GET, queryset=listing, request=request, user=request.user)
    found = filterset.qs if filterset.is_valid() else listing.none()
    if kind := spreadsheets.requested(request):
        # The whole filtered, sorted list, not one page.
        return change_requests_export(found, kind=kind, today=timezone.localdate())
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/change_request_list.html",
        {
            "filter": filterset,
            "page": page,
            "sort": request.GET.get("sort", ""),
            "may_set_policy": may_decide(request.user),
        },
    )


def _source(request, project) -> dict:
    """The risk or issue the request is raised from (`?risk=` / `?issue=`), if the user may read it and it
    is about this project; otherwise none."""
    source = {}
    if reference := request.GET.get("risk"):
        source["risk"] = (
            Risk.objects.visible_to(request.user).filter(project=project, reference=reference).first()
        )
    if reference := request.GET.get("issue"):
        source["issue"] = (
            Issue.objects.visible_to(request.user).filter(project=project, reference=reference).first()
        )
    return {name: thing for name, thing in source.items() if thing is not None}


def _milestones(project) -> list[Milestone]:
    return list(Milestone.objects.filter(project=project).order_by("position", "baseline_date", "pk"))


@login_required
@require_http_methods(["GET", "POST"])
def change_request_create(request, code: str):
    project = project_for(request.user, code, edit=True)
    source = _source(request, project)
    form = ChangeRequestForm(request.POST or None, milestones=_milestones(project))
    if request.method == "POST" and form.is_valid():
        fields, moves = form.fields_and_moves()
        try:
            change_request = services.change_request_create(
                project=project, by=request.user, moves=moves, **fields, **source
            )
        except PlanningError as error:
            form.refused(error)
        else:
            messages.success(
                request, _("Change request %(reference)s drafted.") % {"reference": change_request.reference}
            )
            return redirect(change_request)
    return render(
        request,
        "planning/change_request_form.html",
        {"form": form, "project": project, "change_request": None, "source": source},
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_request_edit(request, reference: str):
    change_request = change_request_for(request.user, reference)
    project = change_request.project
    if not may_edit_project(request.user, project):
        raise PermissionDenied
    if change_request.state != ChangeRequest.State.DRAFT:
        messages.warning(
            request, _("Only a draft change request can be edited; withdraw it and raise another.")
        )
        return redirect(change_request)
    form = ChangeRequestForm(request.POST or None, instance=change_request, milestones=_milestones(project))
    if request.method == "POST" and form.is_valid():
        fields, moves = form.fields_and_moves()
        try:
            services.change_request_update(
                change_request=change_request, by=request.user, moves=moves, **fields
            )
        except PlanningError as error:
            form.refused(error)
        else:
            messages.success(request, _("Change request %(reference)s saved.") % {"reference": reference})
            return redirect(change_request)
    source = {
        name: thing
        for name, thing in (("risk", change_request.risk), ("issue", change_request.issue))
        if thing is not None
    }
    return render(
        request,
        "planning/change_request_form.html",
        {"form": form, "project": project, "change_request": change_request, "source": source},
    )


def detail_context(request, change_request: ChangeRequest, **forms) -> dict:
    """What the request's page shows; `forms` replace the empty decision and withdrawal forms (a refused
    one comes back with its errors)."""
    user = request.user
    lines = list(change_request.milestone_changes.select_related("milestone"))
    editor = may_edit_project(user, change_request.project)
    is_draft = change_request.state == ChangeRequest.State.DRAFT
    may_submit = is_draft and (editor or change_request.raised_by_id == user.pk)
    live_impact = impact_of(change_request) if change_request.is_open else None
    destination = None
    if may_submit and change_request.project.baseline_version:
        destination = _destination(change_request, live_impact)
    history = list(
        change_request.history.select_related("history_user").order_by("history_date", "history_id")
    )
    return {
        "change_request": change_request,
        "project": change_request.project,
        "changes": changes_of(change_request, lines),
        **impact_for(change_request, user, live_impact=live_impact),
        "may_edit": is_draft and editor,
        "may_submit": may_submit,
        "destination": destination,
        "may_decide": change_request.is_pending
        and change_request.route == ChangeRequest.Route.PMO
        and may_decide(user),
        "may_withdraw": change_request.is_open and (editor or change_request.raised_by_id == user.pk),
        "decide_form": forms.get("decide_form") or DecideForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "history": history,
    }


def _destination(change_request: ChangeRequest, impact: Impact) -> dict:
    """Where submitting sends the request, as `change_request_submit` will route it."""
    if needs_committee(impact, policy=PlanPolicy.current()):
        return {
            "route": ChangeRequest.Route.COMMITTEE,
            "committee": deciding_committee(change_request.project),
        }
    return {"route": ChangeRequest.Route.PMO, "committee": None}


@login_required
@require_GET
def change_request_detail(request, reference: str):
    change_request = change_request_for(request.user, reference)
    return render(request, "planning/change_request_detail.html", detail_context(request, change_request))
