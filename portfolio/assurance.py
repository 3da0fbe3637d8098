"""Reads and writes of the PMO's review of statuses and of its delivery confidence assessments.

The one place each of these figures is computed (`portfolio.models.assurance` says what they mean):

- `confidence_as_at(projects, on)` (`confidence_on_days` for several dates at once): each project's
  assessed delivery confidence as at a date (its latest
  assessment dated then or before), read by the project page, the lists, the dashboard and its drill-down,
  the exports, the API and the reports;
- `review_states(reports)`: the review state of each status period (unreviewed, challenged, answered,
  validated), read by the review queue, the status page and *My projects*;
- `follow_ups_due(on)`: the follow-up reviews due, read by the PMO's queue and the committee's preparation.

Each costs one query whatever the number of projects. Writes go through the services below, which keep
the thread and the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery

from pmo import audit
from portfolio.models import DeliveryConfidence, Project, StatusReport, StatusReview
from portfolio.models.assurance import (
    CONFIDENCE_STEP,
    Confidence,
    ReviewState,
    assessed_worse,
    disagrees,
    review_state,
)

__all__ = [
    "CONFIDENCE_STEP",
    "Confidence",
    "ReviewState",
    "assessed_worse",
    "confidence_as_at",
    "confidence_on_days",
    "confidence_record",
    "disagrees",
    "follow_ups_due",
    "review_states",
    "status_answer",
    "status_challenge",
    "status_validate",
    "with_confidence",
]


def confidence_as_at(project_ids: Iterable[int], on: date) -> dict[int, DeliveryConfidence]:
    """Each project's latest assessment dated `on` or before, by project id (absent: not assessed)."""
    return confidence_on_days(project_ids, [on])[on]


def confidence_on_days(
    projects: Iterable[int] | QuerySet[Project], days: Iterable[date]
) -> dict[date, dict[int, DeliveryConfidence]]:
    """`confidence_as_at` for several dates at once (the dashboard reads its date and its trends' dates),
    in one query: the projects' assessments dated by the last of `days`, the latest by each date kept.
    `projects`: ids, or a queryset of projects (read as a subquery, for thousands of them)."""
    days = sorted(set(days))
    found: dict[date, dict[int, DeliveryConfidence]] = {day: {} for day in days}
    ids = projects.values("pk") if isinstance(projects, QuerySet) else list(projects)
    if not days or (isinstance(ids, list) and not ids):
        return found
    # Oldest first: a later assessment of the same project (by date, then by record) replaces the earlier.
    for assessment in DeliveryConfidence.objects.filter(
        project_id__in=ids, assessed_on__lte=days[-1]
    ).order_by("assessed_on", "pk"):
        for day in days:
            if assessment.assessed_on <= day:
                found[day][assessment.project_id] = assessment
    return found


def with_confidence(projects: QuerySet[Project], *, on: date) -> QuerySet[Project]:
    """Annotate `confidence` (the latest assessment's level as at `on`, None when not assessed) and
    `confidence_on` (its date): the project list, its filters and its exports read these."""
    latest = DeliveryConfidence.objects.filter(project_id=OuterRef("pk"), assessed_on__lte=on).order_by(
        "-assessed_on", "-pk"
    )
    return projects.annotate(
        confidence=Subquery(latest.values("rating")[:1]),
        confidence_on=Subquery(latest.values("assessed_on")[:1]),
    )


def follow_ups_due(on: date, *, projects: QuerySet[Project] | None = None) -> QuerySet[DeliveryConfidence]:
    """The follow-up reviews due by `on` (a Red or Amber/Red assessment not yet followed by another),
    soonest first, for the projects given (all of them otherwise)."""
    due = DeliveryConfidence.objects.follow_ups_due(on)
    if projects is not None:
        due = due.filter(project__in=projects)
    return due.select_related("project").order_by("follow_up_due", "project__code")


def review_states(reports: Iterable[StatusReport]) -> dict[tuple[int, date], ReviewState]:
    """The review state of each report's period, by (project id, period). The reports are latest
    revisions; one query for all of them."""
    reports = list(reports)
    if not reports:
        return {}
    latest_revision = {(r.project_id, r.period): r.pk for r in reports}
    entries = StatusReview.objects.filter(
        project_id__in={r.project_id for r in reports}, period__in={r.period for r in reports}
    ).order_by("created_at", "pk")
    last: dict[tuple[int, date], StatusReview] = {}
    for entry in entries:
        last[(entry.project_id, entry.period)] = entry
    return {
        key: review_state(last.get(key), latest_revision_id=revision_id)
        for key, revision_id in latest_revision.items()
    }


def _entry(*, report: StatusReport, user, verdict: str, message: str = "", request: str = "") -> StatusReview:
    entry = StatusReview(
        report=report,
        project_id=report.project_id,
        period=report.period,
        verdict=verdict,
        request=request,
        message=message.strip(),
        author=user,
    )
    entry.full_clean(exclude=["report", "project", "author"])
    entry.save()
    return entry


def status_validate(*, report: StatusReport, user) -> StatusReview:
    """The PMO validates a status revision as it stands."""
    return _entry(report=report, user=user, verdict=StatusReview.Verdict.VALIDATED)


def status_challenge(*, report: StatusReport, user, message: str, request: str) -> StatusReview:
    """The PMO challenges a status revision: a comment, a question, or a request for a revision."""
    return _entry(
        report=report, user=user, verdict=StatusReview.Verdict.CHALLENGED, message=message, request=request
    )


def status_answer(*, report: StatusReport, user, message: str) -> StatusReview:
    """The project manager's answer to a challenge, kept with the revision that carries it."""
    return _entry(report=report, user=user, verdict=StatusReview.Verdict.ANSWERED, message=message)


def confidence_record(
    *,
    project: Project,
    rating: str,
    assessed_on: date,
    reason: str,
    user,
    source: str = DeliveryConfidence.Source.PMO,
) -> DeliveryConfidence:
    """Record an assessment; a Red or Amber/Red one schedules its follow-up review. An earlier
    assessment's follow-up is done by this one (the queue reads "not followed by a later one")."""
    with transaction.atomic():
        assessment = DeliveryConfidence(
            project=project,
            rating=rating,
            assessed_on=assessed_on,
            reason=reason.strip(),
            source=source,
            assessed_by=user,
            follow_up_due=DeliveryConfidence.follow_up_date(rating, assessed_on),
        )
        audit.note(assessment, by=user).save()
    return assessment
