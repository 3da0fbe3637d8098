"""The requests' pages: the list (filters, exports), submitting, the request's page, editing, the PMO's
qualification and withdrawing. One read rule (`visible_to`: 404 otherwise) and one write rule each
(`editable_by`, `access.can_qualify`, `access.can_withdraw`: 403 for a reader)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from demand import exports, selectors, services
from demand.access import can_qualify, can_submit, can_withdraw
from demand.filters import MINE, RequestFilter
from demand.forms import (
    AttachmentForm,
    CostGridForm,
    PeopleGridForm,
    QualifyForm,
    RequestForm,
    grid_years,
    strategic_objectives,
)
from demand.models import ProjectRequest
from pmo.spreadsheets import requested
from resources.models import ResourceRole

PAGE_SIZE = 25


@login_required
@require_GET
def request_list(request):
    visible = selectors.for_listing(ProjectRequest.objects.visible_to(request.user))
    filterset = RequestFilter(request.GET, queryset=visible, request=request)
    requests = filterset.qs if filterset.is_valid() else visible.none()
    kind = requested(request)
    if kind:
        filename = f"{_('requests')}-{timezone.localdate():%Y-%m-%d}"
        return exports.export(kind, requests, filename=filename)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "demand/request_list.html",
        {
            "filter": filterset,
            "page": page,
            "sort": request.GET.get("sort", ""),
            "mine": request.GET.get("mine") == MINE,
            "can_submit": can_submit(request.user),
        },
    )


def _grids(data=None, *, project_request: ProjectRequest | None = None):
    years = grid_years(timezone.localdate())
    roles = list(ResourceRole.objects.active())
    cost_initial = CostGridForm.initial_of(project_request) if project_request else None
    people_initial = PeopleGridForm.initial_of(project_request) if project_request else None
    return (
        CostGridForm(data, years=years, initial=cost_initial),
        PeopleGridForm(data, years=years, roles=roles, initial=people_initial),
    )


def _render_form(request, form, costs, people, *, project_request=None, status=200, conflict=None):
    return render(
        request,
        "demand/request_form.html",
        {
            "form": form,
            "costs": costs,
            "people": people,
            "project_request": project_request,
            "objectives": strategic_objectives(request.user),
            "conflict": conflict,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request):
    if not can_submit(request.user):
        raise PermissionDenied
    if request.method == "GET":
        form = RequestForm(user=request.user)
        costs, people = _grids()
        return _render_form(request, form, costs, people)
    form = RequestForm(request.POST, user=request.user)
    costs, people = _grids(request.POST)
    if not all([form.is_valid(), costs.is_valid(), people.is_valid()]):
        return _render_form(request, form, costs, people)
    values = dict(form.cleaned_data)
    values.setdefault("directorate", request.user.directorate)
    project_request = services.request_submit(
        by=request.user, values=values, costs=costs.values(), needs=people.values()
    )
    messages.success(request, _("Request %(code)s submitted to the PMO.") % {"code": project_request.code})
    return redirect("demand:request_detail", code=project_request.code)


def _visible(request, code: str) -> ProjectRequest:
    return get_object_or_404(selectors.for_page(ProjectRequest.objects.visible_to(request.user)), code=code)


def render_detail(request, project_request: ProjectRequest, *, status=200, **forms):
    costs, total = selectors.cost_by_year(project_request)
    years, people_rows = selectors.people_table(project_request)
    user = request.user
    may_edit = ProjectRequest.objects.editable_by(user).filter(pk=project_request.pk).exists()
    may_qualify = can_qualify(user) and project_request.state in (
        ProjectRequest.State.SUBMITTED,
        ProjectRequest.State.INCOMPLETE,
    )
    context = {
        "project_request": project_request,
        "costs": costs,
        "total_cost": total,
        "people_years": years,
        "people_rows": people_rows,
        "attachments": list(project_request.attachments.all()),
        "can_edit": may_edit,
        "can_qualify": may_qualify,
        "can_withdraw": can_withdraw(user, project_request),
        "qualify_form": forms.get("qualify_form") or (QualifyForm() if may_qualify else None),
        "attachment_form": forms.get("attachment_form") or (AttachmentForm() if may_edit else None),
    }
    return render(request, "demand/request_detail.html", context, status=status)


@login_required
@require_GET
def request_detail(request, code):
    return render_detail(request, _visible(request, code))


@login_required
@require_http_methods(["GET", "POST"])
def request_edit(request, code):
    project_request = _visible(request, code)
    if not ProjectRequest.objects.editable_by(request.user).filter(pk=project_request.pk).exists():
        raise PermissionDenied
    if request.method == "GET":
        form = RequestForm(
            instance=project_request, user=request.user, initial={"version": project_request.version}
        )
        costs, people = _grids(project_request=project_request)
        return _render_form(request, form, costs, people, project_request=project_request)
    form = RequestForm(request.POST, instance=project_request, user=request.user)
    costs, people = _grids(request.POST, project_request=project_request)
    if not all([form.is_valid(), costs.is_valid(), people.is_valid()]):
        return _render_form(request, form, costs, people, project_request=project_request)
    try:
        services.request_update(
            project_request=project_request,
            # The page always sends the version it showed: none is as stale as an old one.
            version=form.cleaned_data["version"] or 0,
            values=form.cleaned_data,
            costs=costs.values(),
            needs=people.values(),
            by=request.user,
        )
    except services.StaleRequestError as stale:
        # What was typed stays, now based on the stored version: saving again is a deliberate choice.
        data = request.POST.copy()
        data["version"] = stale.current.version
        form = RequestForm(data, instance=stale.current, user=request.user)
        costs, people = _grids(data, project_request=project_request)
        form.is_valid(), costs.is_valid(), people.is_valid()
        return _render_form(
            request, form, costs, people, project_request=project_request, status=409, conflict=stale.current
        )
    messages.success(request, _("Request %(code)s saved.") % {"code": project_request.code})
    return redirect("demand:request_detail", code=project_request.code)


@login_required
@require_POST
def request_qualify(request, code):
    project_request = _visible(request, code)
    if not can_qualify(request.user):
        raise PermissionDenied
    form = QualifyForm(request.POST)
    if not form.is_valid():
        return render_detail(request, project_request, status=400, qualify_form=form)
    try:
        services.request_qualify(
            request=project_request,
            complete=form.complete,
            comment=form.cleaned_data["comment"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("demand:request_detail", code=code)
    if form.complete:
        messages.success(request, _("Request %(code)s qualified.") % {"code": code})
    else:
        messages.success(
            request, _("Request %(code)s sent back to the requester as incomplete.") % {"code": code}
        )
    return redirect("demand:request_detail", code=code)


@login_required
@require_POST
def request_withdraw(request, code):
    project_request = _visible(request, code)
    if not can_withdraw(request.user, project_request):
        raise PermissionDenied
    services.request_withdraw(request=project_request, by=request.user)
    messages.success(request, _("Request %(code)s withdrawn.") % {"code": code})
    return redirect(reverse("demand:request_detail", kwargs={"code": code}))


urlpatterns = [
    path("requests/", request_list, name="request_list"),
    path("requests/new/", request_new, name="request_new"),
    path("requests/<str:code>/", request_detail, name="request_detail"),
    path("requests/<str:code>/edit/", request_edit, name="request_edit"),
    path("requests/<str:code>/qualify/", request_qualify, name="request_qualify"),
    path("requests/<str:code>/withdraw/", request_withdraw, name="request_withdraw"),
]
