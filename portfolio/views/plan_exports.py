"""One project's plan as a workbook (portfolio.plan_export): for whoever may read the project."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from portfolio.access import project_for
from portfolio.plan_export import plan_export


@login_required
@require_GET
def project_plan_export(request, code: str):
    return plan_export(project_for(request.user, code), request.user)
