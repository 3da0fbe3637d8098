"""The status history as a spreadsheet: the portfolio's (filtered like the project list) or one
project's. Every revision of every week of the projects the reader may see; a confidential project's
reports are left out for those who may not see it, as the project is."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.views.decorators.http import require_GET

from pmo import spreadsheets
from portfolio.access import project_for
from portfolio.exports import status_history_export
from portfolio.filters import ProjectFilter
from portfolio.models import Project
from portfolio.models.status import current_period
from portfolio.selectors import status_history, with_assessed, with_current_rag


@login_required
@require_GET
def portfolio_status_history(request):
    """The project list's filters (directorate, portfolio, state, RAG...) choose the projects."""
    visible = Project.objects.visible_to(request.user)
    listing = with_current_rag(visible, period=current_period())
    listing = with_assessed(listing, on=timezone.localdate())  # the list's confidence filters (issue 21)
    filterset = ProjectFilter(request.GET, queryset=listing, request=request)
    projects = filterset.qs if filterset.is_valid() else visible.none()
    kind = spreadsheets.requested(request) or "xlsx"
    return status_history_export(status_history(projects), kind=kind)


@login_required
@require_GET
def project_status_history(request, code: str):
    project = project_for(request.user, code)
    kind = spreadsheets.requested(request) or "xlsx"
    reports = status_history(Project.objects.filter(pk=project.pk))
    return status_history_export(reports, kind=kind, name=project.code)
