"""Stage gates: a project asks a committee to let it leave its phase; the review, once decided."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from governance.extensions import gate_extras, mark_automatic
from governance.forms.gates import GateRequestForm
from governance.models import GateCriterion, GateReview
from governance.project_panel import can_request_gate
from governance.services import GovernanceError, gate_review_request, next_phase
from portfolio.access import project_for
from portfolio.models import Project


@login_required
@require_http_methods(["GET", "POST"])
def gate_request(request, code):
    project = project_for(
        request.user, code, queryset=Project.objects.select_related("phase", "portfolio", "project_manager")
    )
    if not can_request_gate(request.user, project):
        raise PermissionDenied
    form = GateRequestForm(request.POST or None, project=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            review = gate_review_request(
                project=project, committee=form.cleaned_data["committee"], by=request.user
            )
        except GovernanceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Stage gate review requested from %(committee)s: %(from)s → %(to)s.")
                % {"committee": review.committee, "from": review.from_phase, "to": review.to_phase},
            )
            return redirect("governance:gate_detail", pk=review.pk)
    pending = project.gate_reviews.filter(state=GateReview.State.PENDING).select_related("committee").first()
    criteria = list(GateCriterion.objects.for_project(project))
    mark_automatic(criteria, project)
    return render(
        request,
        "governance/gate_request.html",
        {
            "project": project,
            "form": form,
            "criteria": criteria,
            "to_phase": next_phase(project.phase) if project.phase_id else None,
            "pending": pending,
            "extras": gate_extras(project, user=request.user, phase=project.phase, review=None),
        },
    )


@login_required
def gate_detail(request, pk):
    """Whoever may see the project reads its gate reviews."""
    review = get_object_or_404(
        GateReview.objects.filter(project__in=Project.objects.visible_to(request.user)).select_related(
            "project__phase",
            "committee",
            "from_phase",
            "to_phase",
            "requested_by",
            "agenda_item__meeting",
            "decision",
        ),
        pk=pk,
    )
    decision = getattr(review, "decision", None)
    checks = list(review.checks.select_related("criterion"))
    mark_automatic(checks, review.project, criterion_of=lambda check: check.criterion)
    return render(
        request,
        "governance/gate_detail.html",
        {
            "review": review,
            "project": review.project,
            "checks": checks,
            "decision": decision,
            "conditions": list(decision.actions.select_related("owner")) if decision else [],
            "extras": gate_extras(review.project, user=request.user, phase=review.from_phase, review=review),
        },
    )


urlpatterns = [
    path("gates/request/<str:code>/", gate_request, name="gate_request"),
    path("gates/<int:pk>/", gate_detail, name="gate_detail"),
]
