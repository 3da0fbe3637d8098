from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

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
