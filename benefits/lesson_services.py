"""Writing lessons and closing a project with its closure report.

A lesson keeps the project's phase, directorate and methodology as they were when it was learnt (copied
from the project when the form leaves them blank), so that it is found later by what made it.

Closing: the report's final cost and dates are snapshots of the project's own figures when it is
submitted (the actual cost of its latest status, its forecast end against its baseline end and budget),
the project becomes closed through an audited save (its history says who and why, as portfolio's own
closing does), and the lessons are recorded with the closure as their source, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils.translation import gettext_noop

from benefits.models import ClosureReport, Lesson
from pmo import audit
from portfolio.models import Project

CLOSABLE_STATES = (Project.State.ACTIVE, Project.State.ON_HOLD)


class ClosureError(Exception):
    pass


def lesson_prepare(lesson: Lesson, *, project: Project) -> Lesson:
    """Fill what the form left blank from the project as it is now."""
    lesson.project = project
    if lesson.phase_id is None:
        lesson.phase_id = project.phase_id
    if lesson.directorate_id is None:
        lesson.directorate_id = project.directorate_id
    if not lesson.methodology:
        lesson.methodology = project.methodology
    return lesson


def lesson_record(lesson: Lesson, *, project: Project, by) -> Lesson:
    lesson_prepare(lesson, project=project)
    lesson.recorded_by = by
    lesson.save()
    return lesson


def closure_figures(project: Project) -> dict:
    """What the report keeps of the project's figures: the actual cost of its latest status (the AC of
    its earned value), its end (forecast, the actual end once closed) against its baseline end and
    budget. Unknown stays blank. `project.last_report` is the status service's latest revision."""
    report = project.last_report
    return {
        "baseline_end": project.baseline_end,
        "actual_end": project.forecast_end,
        "baseline_budget": project.budget,
        "final_cost": report.actual_cost if report is not None else None,
        "currency": project.currency,
    }


def project_close(
    *,
    project: Project,
    report: ClosureReport,
    lessons: Iterable[Lesson],
    by,
    today: date,
) -> ClosureReport:
    """Close `project` with `report` and its `lessons` (source: closure), in one transaction."""
    with transaction.atomic():
        project = (
            Project.objects.select_for_update(of=("self",)).select_related("last_report").get(pk=project.pk)
        )
        if project.state not in CLOSABLE_STATES:
            raise ClosureError(project.get_state_display())
        for name, value in closure_figures(project).items():
            setattr(report, name, value)
        if report.actual_end is None or report.actual_end > today:
            report.actual_end = today
        # A project reopened and closed again: the new report replaces the one of its first closure.
        ClosureReport.objects.filter(project=project).delete()
        report.project = project
        report.submitted_by = by
        report.save()
        for lesson in lessons:
            lesson.source = Lesson.Source.CLOSURE
            lesson_record(lesson, project=project, by=by)
        project.state = Project.State.CLOSED
        project.version += 1
        audit.note(project, by=by, reason=gettext_noop("project closed"))
        project.save(update_fields=["state", "version", "updated_at"])
    return report
