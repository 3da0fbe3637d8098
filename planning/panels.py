"""What planning shows on the project's page and on its plan page (portfolio's registries, registered in
planning.integration): the current baseline against v1 and the open change requests. A fixed number of
queries each, whatever the number of rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from planning.models import Baseline, ChangeRequest
from planning.selectors import may_edit_project
from portfolio.models import Project

PROJECT_PANEL = "planning/_project_panel.html"
PLAN_PANEL = "planning/_plan_panel.html"
TOP = 5


def _open_requests(project: Project) -> list[ChangeRequest]:
    return list(
        ChangeRequest.objects.filter(project=project)
        .open()
        .select_related("committee")
        .order_by("-raised_at", "-pk")[: TOP + 1]
    )


def plan_panel(*, project: Project, user, today: date) -> dict[str, Any]:
    """Three queries (two before the first baseline): v1 and the current version, the open requests,
    whether the user may raise one."""
    versions = {
        b.number: b
        for b in Baseline.objects.filter(project=project, number__in={1, project.baseline_version})
    }
    first, current = versions.get(1), versions.get(project.baseline_version)
    requests = _open_requests(project)
    summary = None
    if first and current:
        summary = {
            "end_days": (current.end - first.end).days if current.end and first.end else None,
            "forecast_days": (project.forecast_end - first.end).days
            if project.forecast_end and first.end
            else None,
            "budget": current.budget - first.budget
            if current.budget is not None and first.budget is not None
            else None,
        }
    return {
        "project": project,
        "current": current,
        "summary": summary,
        "requests": requests[:TOP],
        "more": len(requests) > TOP,
        "may_raise": bool(project.baseline_version) and may_edit_project(user, project),
    }


def project_panel(*, project: Project, user, today: date) -> dict[str, Any] | None:
    """Two queries: the open change requests, whether the user may raise one. None (not shown, no
    query) before the project's first baseline: until then its plan changes directly, and a draft
    raised early stays on the change-request list."""
    if not project.baseline_version:
        return None
    requests = _open_requests(project)
    return {
        "project": project,
        "requests": requests[:TOP],
        "more": len(requests) > TOP,
        "may_raise": may_edit_project(user, project),
    }
