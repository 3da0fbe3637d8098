"""Lessons on other apps' pages, through their registries (none of them depends on benefits):

- the project page's panel: the project's lessons, the "Record a lesson" button, its risks closed or
  occurred that have no lesson yet (how a lesson is captured when a risk closes or occurs: the risks app
  cannot depend on benefits), and its closure report or the button to close it;
- beside a gate's checklist (gate request and review pages): the lessons of similar projects for the
  phase being left, and on a review the link to record a lesson from it;
- on the live meeting page, under a gate review's item: the same similar lessons.

Each function owns a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from benefits.lesson_services import CLOSABLE_STATES
from benefits.lessons import can_record, is_pmo, similar_lessons
from benefits.models import ClosureReport
from portfolio.models import Project
from risks.models import Risk

PANEL_TEMPLATE = "benefits/_lesson_panel.html"
GATE_TEMPLATE = "benefits/_lesson_gate.html"
LIVE_TEMPLATE = "benefits/_lesson_live.html"
PANEL_LESSONS = 10


def project_panel(*, project: Project, user, today: date) -> dict[str, Any]:
    """Queries: the lessons (and their count), the risks without a lesson, whether the user may record
    (one or two), the closure report."""
    lessons = list(
        project.lessons.select_related("phase").order_by("-recorded_at", "-pk")[: PANEL_LESSONS + 1]
    )
    may_record = can_record(user, project)
    risks = (
        list(
            Risk.objects.filter(project=project, state__in=(Risk.State.CLOSED, Risk.State.OCCURRED))
            .exclude(lessons__isnull=False)
            .order_by("reference")
        )
        if may_record
        else []
    )
    report = ClosureReport.objects.filter(project=project).only("pk", "submitted_at").first()
    return {
        "project": project,
        "lessons": lessons[:PANEL_LESSONS],
        "more": len(lessons) > PANEL_LESSONS,
        "may_record": may_record,
        "risks": risks,
        "report": report,
        "is_pmo": is_pmo(user),
        "may_close": report is None
        and project.state in CLOSABLE_STATES
        and (project.project_manager_id == user.pk or is_pmo(user)),
    }


def gate_extra(project: Project, *, user, phase, review=None) -> dict[str, Any] | None:
    """Queries: the similar lessons (two), and on a review whether the user may record a lesson."""
    return {
        "project": project,
        "phase": phase,
        "lessons": similar_lessons(project, phase=phase, user=user),
        "review": review,
        "may_record": review is not None and can_record(user, project),
    }


def live_extra(item, *, user, today: date) -> dict[str, Any] | None:
    """Under a gate review's item, for who may see its project. None, without a query, otherwise."""
    review = item.gate_review if item.gate_review_id else None
    if review is None:
        return None
    project = item.project if item.project_id == review.project_id else review.project
    if not Project.objects.visible_to(user).filter(pk=project.pk).exists():
        return None
    return {
        "phase": review.from_phase,
        "lessons": similar_lessons(project, phase=review.from_phase, user=user),
    }


def _closure_url(project) -> str:
    """The project page's "Close" leads to the closure report (portfolio.panels.register_closure_page)."""
    from django.urls import reverse

    return reverse("benefits:project_close", kwargs={"code": project.code})


def register() -> None:
    from governance.extensions import register_gate_extra, register_live_extra
    from portfolio.panels import register_closure_page, register_panel

    register_panel(PANEL_TEMPLATE, project_panel, order=60)
    register_closure_page(_closure_url)
    register_gate_extra(GATE_TEMPLATE, gate_extra, order=20)
    register_live_extra(LIVE_TEMPLATE, live_extra, order=40)
