"""Methodologies as configuration: everyone signed in reads the PMO's standard (the methodologies, what
each asks of each phase, their tolerances, the deliverable types); the PMO and administrators change it.
A project's methodology is read by whoever sees the project and changed by the PMO."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.models import GateCriterion
from pmo.roles import Role
from portfolio.access import project_for
from portfolio.models import Project
from standards.forms_methodology import (
    CriterionForm,
    DeliverableTypeForm,
    MethodologyForm,
    ProjectMethodologyForm,
    RequirementForm,
    ToleranceFormSet,
)
from standards.models import DeliverableRequirement, DeliverableType, Methodology
from standards.selectors import tolerance_band
from standards.services_methodology import (
    followed_and_assigned,
    methodology_history,
    methodology_listing,
    phases_of,
    project_methodology_set,
    tolerances_for,
)

EDITORS = (Role.PMO, Role.ADMINISTRATOR)


def can_edit_standard(user) -> bool:
    """The standard is the PMO's (and administrators'): they alone change it."""
    return user.is_authenticated and user.has_role(*EDITORS)


def _require_editor(user) -> None:
    if not can_edit_standard(user):
        raise PermissionDenied


def _methodology(code: str) -> Methodology:
    return get_object_or_404(Methodology, code=code)


def _methodology_criterion(pk: int) -> GateCriterion:
    """One of a methodology's own gate criteria; every project's criteria are set in the administration."""
    criterion = get_object_or_404(GateCriterion.objects.filter(scope__startswith="methodology:"), pk=pk)
    criterion.methodology = get_object_or_404(Methodology, code=criterion.scope.removeprefix("methodology:"))
    return criterion


# --- The standard, read by all ---------------------------------------------------------------------------


@login_required
@require_GET
def methodology_list(request):
    return render(
        request,
        "standards/methodology_list.html",
        {"methodologies": list(methodology_listing()), "can_edit": can_edit_standard(request.user)},
    )


@login_required
@require_GET
def methodology_detail(request, code):
    methodology = _methodology(code)
    return render(
        request,
        "standards/methodology_detail.html",
        {
            "methodology": methodology,
            "phases": phases_of(methodology),
            "tolerances": tolerances_for(methodology),
            "can_edit": can_edit_standard(request.user),
        },
    )


# --- The PMO's sheets ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def methodology_create(request):
    _require_editor(request.user)
    return _methodology_sheet(request, Methodology())


@login_required
@require_http_methods(["GET", "POST"])
def methodology_edit(request, code):
    methodology = _methodology(code)
    _require_editor(request.user)
    return _methodology_sheet(request, methodology)


def _methodology_sheet(request, methodology: Methodology):
    creating = methodology.pk is None
    form = MethodologyForm(request.POST or None, instance=methodology)
    if request.method == "POST" and form.is_valid():
        methodology = form.save()
        text = _("Methodology %(name)s created.") if creating else _("Methodology %(name)s saved.")
        messages.success(request, text % {"name": methodology})
        return redirect("standards:methodology_detail", code=methodology.code)
    return render(
        request,
        "standards/methodology_form.html",
        {"form": form, "methodology": None if creating else methodology},
    )


@login_required
@require_http_methods(["GET", "POST"])
def methodology_requirement_add(request, code):
    methodology = _methodology(code)
    _require_editor(request.user)
    form = RequirementForm(request.POST or None, methodology=methodology, initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid():
        requirement = form.save()
        messages.success(
            request,
            _("%(deliverable)s is now required in the phase %(phase)s.")
            % {"deliverable": requirement.deliverable_type, "phase": requirement.phase},
        )
        if "another" in request.POST:
            return redirect(
                f"{request.path}?phase={requirement.phase_id}&required_at_gate={requirement.required_at_gate}"
            )
        return redirect("standards:methodology_detail", code=methodology.code)
    return render(
        request,
        "standards/methodology_requirement_form.html",
        {"form": form, "methodology": methodology},
    )


@login_required
@require_POST
def requirement_delete(request, pk):
    requirement = get_object_or_404(
        DeliverableRequirement.objects.select_related("methodology", "phase", "deliverable_type"), pk=pk
    )
    _require_editor(request.user)
    requirement.delete()
    messages.success(
        request,
        _("%(deliverable)s is no longer required in the phase %(phase)s.")
        % {"deliverable": requirement.deliverable_type, "phase": requirement.phase},
    )
    return redirect("standards:methodology_detail", code=requirement.methodology.code)


@login_required
@require_http_methods(["GET", "POST"])
def methodology_criterion_add(request, code):
    methodology = _methodology(code)
    _require_editor(request.user)
    return _criterion_sheet(request, GateCriterion(), methodology)


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request, pk):
    criterion = _methodology_criterion(pk)
    _require_editor(request.user)
    return _criterion_sheet(request, criterion, criterion.methodology)


def _criterion_sheet(request, criterion: GateCriterion, methodology: Methodology):
    creating = criterion.pk is None
    form = CriterionForm(request.POST or None, instance=criterion, methodology=methodology)
    if request.method == "POST" and form.is_valid():
        criterion = form.save()
        text = _("Gate criterion added.") if creating else _("Gate criterion saved.")
        messages.success(request, text)
        return redirect("standards:methodology_detail", code=methodology.code)
    return render(
        request,
        "standards/methodology_criterion_form.html",
        {"form": form, "methodology": methodology, "criterion": None if creating else criterion},
    )


@login_required
@require_POST
def criterion_delete(request, pk):
    criterion = _methodology_criterion(pk)
    _require_editor(request.user)
    try:
        with transaction.atomic():
            criterion.delete()
    except ProtectedError:
        # Gate reviews checked it: their record stays, the criterion stops applying.
        criterion.is_active = False
        criterion.save(update_fields=["is_active"])
        messages.info(
            request, _("Gate reviews already checked this criterion: it was deactivated rather than removed.")
        )
    else:
        messages.success(request, _("Gate criterion removed."))
    return redirect("standards:methodology_detail", code=criterion.methodology.code)


@login_required
@require_http_methods(["GET", "POST"])
def methodology_tolerances(request, code):
    methodology = _methodology(code)
    _require_editor(request.user)
    formset = ToleranceFormSet(request.POST or None, instance=methodology, prefix="bands")
    if request.method == "POST" and formset.is_valid():
        formset.save()
        messages.success(request, _("Tolerances of %(name)s saved.") % {"name": methodology})
        return redirect("standards:methodology_detail", code=methodology.code)
    return render(
        request, "standards/methodology_tolerances.html", {"formset": formset, "methodology": methodology}
    )


# --- Deliverable types -----------------------------------------------------------------------------------


@login_required
@require_GET
def deliverable_type_list(request):
    return render(
        request,
        "standards/methodology_deliverable_types.html",
        {"types": list(DeliverableType.objects.all()), "can_edit": can_edit_standard(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def deliverable_type_create(request):
    _require_editor(request.user)
    return _deliverable_type_sheet(request, DeliverableType())


@login_required
@require_http_methods(["GET", "POST"])
def deliverable_type_edit(request, pk):
    deliverable_type = get_object_or_404(DeliverableType, pk=pk)
    _require_editor(request.user)
    return _deliverable_type_sheet(request, deliverable_type)


def _deliverable_type_sheet(request, deliverable_type: DeliverableType):
    creating = deliverable_type.pk is None
    form = DeliverableTypeForm(request.POST or None, instance=deliverable_type)
    if request.method == "POST" and form.is_valid():
        deliverable_type = form.save()
        text = _("Deliverable type %(name)s created.") if creating else _("Deliverable type %(name)s saved.")
        messages.success(request, text % {"name": deliverable_type})
        return redirect("standards:deliverable_type_list")
    return render(
        request,
        "standards/methodology_deliverable_type_form.html",
        {"form": form, "deliverable_type": None if creating else deliverable_type},
    )


# --- A project's methodology -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def project_methodology(request, code):
    """Whoever sees the project reads the methodology it follows and its history; the PMO changes it."""
    project = project_for(request.user, code, queryset=Project.objects.select_related("phase"))
    can_change = can_edit_standard(request.user)
    if request.method == "POST" and not can_change:
        raise PermissionDenied
    followed, assigned = followed_and_assigned(project)
    form = (
        ProjectMethodologyForm(request.POST or None, followed=followed, assigned=assigned)
        if can_change
        else None
    )
    if form is not None and request.method == "POST" and form.is_valid():
        project_methodology_set(
            project=project,
            methodology=form.cleaned_data["methodology"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
        messages.success(
            request,
            _("%(project)s now follows %(methodology)s.")
            % {"project": project.code, "methodology": form.cleaned_data["methodology"]},
        )
        return redirect("standards:project_methodology", code=project.code)
    return render(
        request,
        "standards/methodology_project.html",
        {
            "project": project,
            "followed": followed,
            "assigned": assigned,
            "tolerance": tolerance_band(followed.tolerances.all(), project.budget) if followed else None,
            "history": methodology_history(project),
            "form": form,
        },
    )


urlpatterns = [
    path("methodologies/", methodology_list, name="methodology_list"),
    path("methodologies/new/", methodology_create, name="methodology_create"),
    path("methodologies/<slug:code>/", methodology_detail, name="methodology_detail"),
    path("methodologies/<slug:code>/edit/", methodology_edit, name="methodology_edit"),
    path(
        "methodologies/<slug:code>/deliverables/new/",
        methodology_requirement_add,
        name="methodology_requirement_add",
    ),
    path(
        "methodologies/<slug:code>/criteria/new/", methodology_criterion_add, name="methodology_criterion_add"
    ),
    path("methodologies/<slug:code>/tolerances/", methodology_tolerances, name="methodology_tolerances"),
    path("required-deliverables/<int:pk>/delete/", requirement_delete, name="requirement_delete"),
    path("gate-criteria/<int:pk>/edit/", criterion_edit, name="criterion_edit"),
    path("gate-criteria/<int:pk>/delete/", criterion_delete, name="criterion_delete"),
    path("deliverable-types/", deliverable_type_list, name="deliverable_type_list"),
    path("deliverable-types/new/", deliverable_type_create, name="deliverable_type_create"),
    path("deliverable-types/<int:pk>/edit/", deliverable_type_edit, name="deliverable_type_edit"),
    path("projects/<str:code>/methodology/", project_methodology, name="project_methodology"),
]
