from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path

from pmo.roles import Role
from portfolio.models import Project
from portfolio.selectors import late_projects, portfolio_totals, totals_by_directorate


@login_required
def dashboard(request):
    """The portfolio at a glance, for executives and the PMO."""
    if not request.user.has_role(Role.PMO, Role.EXECUTIVE, Role.ADMINISTRATOR):
        raise PermissionDenied
    projects = Project.objects.visible_to(request.user)
    return render(
        request,
        "reporting/dashboard.html",
        {
            "totals": portfolio_totals(projects),
            "by_directorate": totals_by_directorate(projects),
            "late_projects": late_projects(projects),
        },
    )


@login_required
def projects(request):
    return render(request, "base.html")  # placeholder: the portfolio as at a date, behind the tiles


@login_required
def milestones(request):
    return render(request, "base.html")  # placeholder: the milestones due in a period


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("projects/", projects, name="projects"),
    path("milestones/", milestones, name="milestones"),
]
