"""The PMO's templates and a project's deliverables.

- `/standards/templates/`: every signed-in user lists the templates by deliverable type (current version
  and every earlier one) and downloads them; the PMO uploads a new version.
- `/standards/projects/<code>/deliverables/`: what the project owes (`standards.selectors.deliverables_due`,
  the one reading), by phase, with each deliverable's state; one page per due deliverable where its
  manager provides it, its approver (or the PMO) reviews it, the PMO waives it, and its history shows.
- `/standards/deliverables/<pk>/file/`: the file, for who may see the project (404 otherwise).

Who may do what is `standards.services_deliverable`'s; the project's rule (404 / 403) comes first.
"""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pmo.models import User
from portfolio.access import project_for
from portfolio.models import Project
from standards import services_deliverable as services
from standards.files import download
from standards.forms_deliverable import DeliverableForm, ReviewForm, TemplateForm, WaiverForm
from standards.models import Deliverable, DeliverableType, Template
from standards.selectors import DueDeliverable, deliverables_due


def current_templates(type_ids) -> dict[int, Template]:
    """{deliverable type id: its latest template version}. One query."""
    latest: dict[int, Template] = {}
    for template in Template.objects.filter(deliverable_type__in=set(type_ids)).order_by(
        "deliverable_type", "-version"
    ):
        latest.setdefault(template.deliverable_type_id, template)
    return latest


# --- Templates -----------------------------------------------------------------------------------------


@login_required
@require_GET
def template_list(request):
    types = DeliverableType.objects.filter(is_active=True).prefetch_related(
        Prefetch("templates", queryset=Template.objects.select_related("uploaded_by").order_by("-version"))
    )
    return render(
        request,
        "standards/template_list.html",
        {"types": types, "may_manage": services.can_manage_templates(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_new(request):
    if not services.can_manage_templates(request.user):
        raise PermissionDenied
    form = TemplateForm(
        request.POST or None, request.FILES or None, initial={"deliverable_type": request.GET.get("type")}
    )
    if request.method == "POST" and form.is_valid():
        template = services.template_add(
            deliverable_type=form.cleaned_data["deliverable_type"],
            upload=form.cleaned_data["file"],
            content_type=form.content_type,
            notes=form.cleaned_data["notes"],
            by=request.user,
        )
        messages.success(
            request,
            _("Version %(version)s of the template of “%(type)s” published.")
            % {"version": template.version, "type": template.deliverable_type},
        )
        return redirect("standards:template_list")
    return render(request, "standards/template_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_GET
def template_download(request, pk: int):
    template = get_object_or_404(Template.objects.select_related("deliverable_type"), pk=pk)
    return download(template.file, filename=template.file_name, content_type=template.content_type)


# --- A project's deliverables ----------------------------------------------------------------------------


def _project(request, code: str) -> Project:
    return project_for(request.user, code, queryset=Project.objects.select_related("phase"))


def _due(project: Project, requirement: int) -> DueDeliverable:
    """The due deliverable of this requirement; 404 for one the project does not owe (no deliverable is
    created outside what its methodology requires of the phases it reached)."""
    row = next((r for r in deliverables_due([project])[project.pk] if r.requirement.pk == requirement), None)
    if row is None:
        raise Http404
    return row


def _approvers(rows) -> dict[int, User]:
    ids = {r.deliverable.approver_id for r in rows if r.deliverable and r.deliverable.approver_id}
    return User.objects.in_bulk(ids) if ids else {}


@login_required
@require_GET
def project_deliverables(request, code: str):
    project = _project(request, code)
    rows = deliverables_due([project])[project.pk]
    templates = current_templates(r.requirement.deliverable_type_id for r in rows)
    approvers = _approvers(rows)
    shown = [
        {
            "due": row,
            "template": templates.get(row.requirement.deliverable_type_id),
            "approver": approvers.get(row.deliverable.approver_id) if row.deliverable else None,
        }
        for row in rows
    ]
    phases = [
        {"phase": phase, "rows": list(items)}
        for phase, items in groupby(shown, key=lambda r: r["due"].requirement.phase)
    ]
    return render(
        request,
        "standards/deliverable_list.html",
        {
            "project": project,
            "phases": phases,
            "done": sum(1 for row in rows if row.is_done),
            "total": len(rows),
            "may_provide": services.can_provide(request.user, project),
        },
    )


def _render_detail(request, project, row: DueDeliverable, *, status=200, form=None, review=None, waiver=None):
    deliverable = row.deliverable
    may_provide = services.can_provide(request.user, project)
    may_review = (
        services.can_review(request.user, deliverable) and deliverable.state == Deliverable.State.SUBMITTED
    )
    may_waive = services.can_waive(request.user) and row.state != Deliverable.State.WAIVED
    type_id = row.requirement.deliverable_type_id
    template = current_templates([type_id]).get(type_id)
    if may_provide and form is None:
        form = DeliverableForm(
            deliverable=deliverable, deliverable_type=type_id, initial={"template": template}
        )
    history = (
        list(
            deliverable.history.select_related("history_user", "approver").order_by(
                "-history_date", "-history_id"
            )
        )
        if deliverable
        else []
    )
    return render(
        request,
        "standards/deliverable_detail.html",
        {
            "project": project,
            "due": row,
            "deliverable": deliverable,
            "template": template,
            "history": history,
            "form": form if may_provide else None,
            "review_form": (review or ReviewForm()) if may_review else None,
            "waiver_form": (waiver or WaiverForm()) if may_waive else None,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def deliverable_detail(request, code: str, requirement: int):
    project = _project(request, code)
    row = _due(project, requirement)
    if request.method == "GET":
        return _render_detail(request, project, row)
    if not services.can_provide(request.user, project):
        raise PermissionDenied
    form = DeliverableForm(
        request.POST,
        request.FILES,
        deliverable=row.deliverable,
        deliverable_type=row.requirement.deliverable_type_id,
    )
    if form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.deliverable_provide(
                project=project,
                requirement=row.requirement,
                upload=form.cleaned_data["file"],
                content_type=form.content_type,
                link=form.cleaned_data["link"],
                approver=form.cleaned_data["approver"],
                template=form.cleaned_data["template"],
                submit=submit,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = _("“%(type)s” submitted for approval.") if submit else _("“%(type)s” saved as a draft.")
            messages.success(request, done % {"type": row.requirement.deliverable_type})
            return redirect("standards:deliverable", code=project.code, requirement=requirement)
    return _render_detail(request, project, row, status=400, form=form)


@login_required
@require_POST
def deliverable_review(request, code: str, requirement: int):
    project = _project(request, code)
    row = _due(project, requirement)
    if not services.can_review(request.user, row.deliverable):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["verdict"] == ReviewForm.APPROVE:
                services.deliverable_approve(
                    deliverable=row.deliverable, by=request.user, comment=form.cleaned_data["comment"]
                )
                messages.success(
                    request, _("“%(type)s” approved.") % {"type": row.requirement.deliverable_type}
                )
            else:
                services.deliverable_send_back(
                    deliverable=row.deliverable, by=request.user, comment=form.cleaned_data["comment"]
                )
                messages.success(
                    request, _("“%(type)s” sent back to draft.") % {"type": row.requirement.deliverable_type}
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("standards:deliverable", code=project.code, requirement=requirement)
    return _render_detail(request, project, row, status=400, review=form)


@login_required
@require_POST
def deliverable_waive(request, code: str, requirement: int):
    project = _project(request, code)
    row = _due(project, requirement)
    if not services.can_waive(request.user):
        raise PermissionDenied
    form = WaiverForm(request.POST)
    if form.is_valid():
        services.deliverable_waive(
            project=project, requirement=row.requirement, reason=form.cleaned_data["reason"], by=request.user
        )
        messages.success(request, _("“%(type)s” waived.") % {"type": row.requirement.deliverable_type})
        return redirect("standards:deliverable", code=project.code, requirement=requirement)
    return _render_detail(request, project, row, status=400, waiver=form)


@login_required
@require_GET
def deliverable_file(request, pk: int):
    """404 for who may not see the project, as for the project itself."""
    deliverable = get_object_or_404(
        Deliverable.objects.filter(project__in=Project.objects.visible_to(request.user)).exclude(file=""),
        pk=pk,
    )
    return download(deliverable.file, filename=deliverable.file_name, content_type=deliverable.content_type)


urlpatterns = [
    path("templates/", template_list, name="template_list"),
    path("templates/new/", template_new, name="template_new"),
    path("templates/<int:pk>/download/", template_download, name="template_download"),
    path("projects/<str:code>/deliverables/", project_deliverables, name="project_deliverables"),
    path("projects/<str:code>/deliverables/<int:requirement>/", deliverable_detail, name="deliverable"),
    path(
        "projects/<str:code>/deliverables/<int:requirement>/review/",
        deliverable_review,
        name="deliverable_review",
    ),
    path(
        "projects/<str:code>/deliverables/<int:requirement>/waive/",
        deliverable_waive,
        name="deliverable_waive",
    ),
    path("deliverables/<int:pk>/file/", deliverable_file, name="deliverable_file"),
]
