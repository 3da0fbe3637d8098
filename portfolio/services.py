"""Workflows that write several portfolio models at once."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_noop

from pmo import audit
from portfolio import assurance
from portfolio.models import Milestone, Project, StatusReport
from portfolio.signals import notices, status_submitted


class StaleStatusError(Exception):
    """Someone submitted a status for the project after this form was opened."""

    def __init__(self, *, current: StatusReport | None) -> None:
        super().__init__("A newer status report exists for this project.")
        self.current = current


def submit_status_report(
    *,
    project: Project,
    author,
    period: date,
    based_on: int | None,
    data: dict[str, Any],
    milestone_dates: dict[int, tuple[date, date | None]],
    answer: str = "",
) -> StatusReport:
    """Record a status for `period` as a new revision; never overwrite an earlier one.

    `answer`: the project manager's answer to the PMO's challenge of the period, kept in the review
    thread with the new revision (written in the same transaction: no answer without its revision).

    `based_on` is the project's latest report when the form was opened: if another
    report was saved since, nothing is written and StaleStatusError carries it. (A
    project without any report has nothing a submission could overwrite.)
    """
    with transaction.atomic():
        # The row lock serialises concurrent submits for the project, so the
        # staleness check and the revision number cannot race.
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if locked.last_report_id is not None and locked.last_report_id != based_on:
            current = (
                StatusReport.objects.select_related("submitted_by").filter(pk=locked.last_report_id).first()
            )
            raise StaleStatusError(current=current)

        previous = (
            StatusReport.objects.select_for_update()
            .filter(project=locked, period=period, is_latest=True)
            .first()
        )
        revision = 1
        if previous is not None:
            revision = previous.revision + 1
            previous.is_latest = False
            # The new revision's own record says it all; `is_latest` is not part of the trail.
            previous.save_without_historical_record(update_fields=["is_latest"])
        report = StatusReport(project=locked, period=period, revision=revision, submitted_by=author, **data)
        audit.note(report, by=author).save(force_insert=True)

        last = locked.last_report
        fields = ["version", "updated_at"]
        if last is None or report.period >= last.period:
            locked.last_report = report
            fields.append("last_report")
        locked.version = F("version") + 1
        # Only the lock counter and the latest-report cache change: nothing for the project's trail.
        locked.save_without_historical_record(update_fields=fields)

        for milestone in Milestone.objects.filter(project=locked, pk__in=milestone_dates):
            forecast, actual = milestone_dates[milestone.pk]
            if (milestone.forecast_date, milestone.actual_date) != (forecast, actual):
                milestone.forecast_date, milestone.actual_date = forecast, actual
                # A plan page opened before this status now holds a stale milestone (optimistic locking).
                milestone.version += 1
                audit.note(milestone, by=author, reason=gettext_noop("with the weekly status"))
                milestone.save(update_fields=["forecast_date", "actual_date", "version"])

        if answer.strip():
            assurance.status_answer(report=report, user=author, message=answer)

        # Other apps react in the same transaction (standards: the tolerance check); their notices are
        # for the author, shown once the status is saved.
        report.notices = notices(
            status_submitted.send(sender=StatusReport, report=report, project=locked, by=author)
        )

    project.refresh_from_db(fields=["version", "last_report", "updated_at"])
    return report
