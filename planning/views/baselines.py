"""A project's baselines (v1..vn, the variance table, what changed between versions) and the PMO's
"take baseline v1" for a project under way without one. Whoever reads the project reads its baselines."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from planning import services
from planning.models import Baseline, ChangeRequest
from planning.selectors import baseline_history, baselines_of, may_decide, may_edit_project, variance_of
from planning.services import PlanningError
from portfolio.access import project_for
from portfolio.models import Milestone, Project

PROJECT_JOINS = ("directorate", "project_manager", "last_report")


def _project(user, code: str) -> Project:
    return project_for(user, code, queryset=Project.objects.select_related(*PROJECT_JOINS))


@login_required
@require_GET
def baselines(request, code: str):
    project = _project(request.user, code)
    versions = baselines_of(project)
    milestones = list(Milestone.objects.filter(project=project).order_by("position", "baseline_date", "pk"))
    return render(
        request,
        "planning/baselines.html",
        {
            "project": project,
            "baselines": versions,
            "variance": variance_of(project, versions, milestones),
            "history": baseline_history(versions),
            "may_take": not versions and may_decide(request.user),
            "may_raise": bool(versions) and may_edit_project(request.user, project),
            "open_requests": list(
                ChangeRequest.objects.filter(project=project).open().order_by("-raised_at", "-pk")
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def baseline_take(request, code: str):
    """GET: the confirmation; POST: the PMO takes v1 of a project under way without a baseline."""
    project = _project(request.user, code)
    if not may_decide(request.user):
        raise PermissionDenied
    error = None
    if request.method == "POST":
        try:
            services.baseline_take(project=project, by=request.user, origin=Baseline.Origin.PMO)
        except PlanningError as refused:
            error = str(refused)
        else:
            messages.success(request, _("Baseline v1 taken."))
            return redirect("planning:baselines", code=project.code)
    return render(request, "planning/baseline_take.html", {"project": project, "error": error})
