"""Reads and writes of the PMO's review of statuses and of its delivery confidence assessments.

The one place each of these figures is computed (`portfolio.models.assurance` says what they mean):

- `confidence_as_at(projects, on)` (`confidence_on_days` for several dates at once): each project's
  assessed delivery confidence as at a date (its latest
  assessment dated then or before), read by the project page, the lists, the dashboard and its drill-down,
  the exports, the API and the reports;
- `review_states(reports)`, `with_review(reports)` (the same rule as SQL annotations, which the queue
  filters, counts and sorts on) and `review_state(latest entry)` for one period whose thread is
  already read: the review state of each status period (unreviewed, challenged, answered, validated),
  read by the review queue, the project page and *My projects*; `thread` and `challenges`, a period's
  entries and those the project manager's next revision answers;
- `follow_ups_due(on)`: the follow-up reviews due, read by the PMO's queue and the committee's preparation.

Each costs one query whatever the number of projects. Writes go through the services below. A review
entry (`status_validate`, `status_challenge`, `status_answer`) is appended to its period's thread and
never edited or deleted: the thread is its own record. An assessment (`confidence_record`) is kept with
django-simple-history, its historical record naming who recorded it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Case, CharField, F, OuterRef, Q, QuerySet, Subquery, Value, When

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
    "challenges",
    "confidence_as_at",
    "confidence_on_days",
    "confidence_record",
    "disagrees",
    "follow_ups_due",
    "review_state",
    "review_states",
    "status_answer",
    "status_challenge",
    "status_validate",
    "thread",
    "with_confidence",
    "with_review",
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


def with_review(reports: QuerySet[StatusReport]) -> QuerySet[StatusReport]:
    """Annotate each report, a latest revision, with its period's review, in the same query:
    `review_state` (`portfolio.models.assurance.review_state`'s rule: the latest entry's verdict,
    "unreviewed" when there is none or when it validated an older revision), `review_request` (what
    that entry asks for, a challenge's) and `review_message` / `review_author` (the thread's latest
    message and its author's id). The queue filters, counts and sorts on them in SQL."""
    entries = StatusReview.objects.filter(project_id=OuterRef("project_id"), period=OuterRef("period"))
    latest = entries.order_by("-created_at", "-pk")
    said = latest.exclude(message="")
    return reports.annotate(
        review_verdict=Subquery(latest.values("verdict")[:1]),
        review_of=Subquery(latest.values("report_id")[:1]),
        review_request=Subquery(latest.values("request")[:1]),
        review_message=Subquery(said.values("message")[:1]),
        review_author=Subquery(said.values("author_id")[:1]),
    ).annotate(
        review_state=Case(
            When(review_verdict__isnull=True, then=Value(ReviewState.UNREVIEWED)),
            When(
                Q(review_verdict=StatusReview.Verdict.VALIDATED) & ~Q(review_of=F("pk")),
                then=Value(ReviewState.UNREVIEWED),
            ),
            default=F("review_verdict"),
            output_field=CharField(),
        )
    )


def review_states(reports: Iterable[StatusReport]) -> dict[tuple[int, date], ReviewState]:
    """The review state of each report's period, by (project id, period). The reports are latest
    revisions; one query for all of them (`with_review`'s)."""
    ids = [r.pk for r in reports]
    if not ids:
        return {}
    rows = with_review(StatusReport.objects.filter(pk__in=ids)).values_list(
        "project_id", "period", "review_state"
    )
    return {(project_id, period): ReviewState(state) for project_id, period, state in rows}


def challenges(*, project_id: int, period: date) -> list[StatusReview]:
    """The challenges of a period's thread not answered yet (those after its latest answer or
    validation), oldest first: what the project manager's next revision answers."""
    pending: list[StatusReview] = []
    for entry in StatusReview.objects.of_period(project_id, period).select_related("author"):
        if entry.verdict == StatusReview.Verdict.CHALLENGED:
            pending.append(entry)
        else:
            pending = []
    return pending


def thread(*, project_id: int, period: date) -> list[StatusReview]:
    """A period's thread, oldest first, with each entry's author and revision (one query)."""
    return list(StatusReview.objects.of_period(project_id, period).select_related("author", "report"))


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
