"""Reads of the portfolio that pages, exports and reports share."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum, Value, When

from portfolio.agile import release_of
from portfolio.assurance import (
    CONFIDENCE_STEP,
    Confidence,
    assessed_worse,
    confidence_as_at,
    disagrees,
    with_confidence,
)
from portfolio.dependencies import dependency_signals
from portfolio.earned_value import EarnedValue, phased_budgets
from portfolio.indicators import contradiction, derived_signals, project_earned_value, provided_signals
from portfolio.models import Project, Rag, StatusReport

LIVE = Q(state__in=[Project.State.ACTIVE, Project.State.ON_HOLD])
LATE = LIVE & Q(forecast_end__gt=F("baseline_end"))


def portfolio_totals(projects: QuerySet[Project]) -> dict:
    """Counts per lifecycle state and the budget of the live projects, in one query."""
    totals = projects.aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(state=Project.State.ACTIVE)),
        proposed=Count("id", filter=Q(state=Project.State.PROPOSED)),
        on_hold=Count("id", filter=Q(state=Project.State.ON_HOLD)),
        closed=Count("id", filter=Q(state__in=[Project.State.CLOSED, Project.State.CANCELLED])),
        live_budget=Sum("budget", filter=LIVE),
        late=Count("id", filter=LATE),
    )
    totals["live_budget"] = totals["live_budget"] or Decimal(0)
    return totals


def totals_by_directorate(projects: QuerySet[Project]) -> list[dict]:
    return list(
        projects.values("directorate", "directorate__code", "directorate__name")
        .annotate(
            live=Count("id", filter=LIVE),
            active=Count("id", filter=Q(state=Project.State.ACTIVE)),
            proposed=Count("id", filter=Q(state=Project.State.PROPOSED)),
            late=Count("id", filter=LATE),
            budget=Sum("budget", filter=LIVE),
        )
        .order_by("directorate__name")
    )


def late_projects(projects: QuerySet[Project], *, limit: int = 8) -> list[Project]:
    """Live projects whose forecast end is past their baseline end, the worst slip first."""
    slip = ExpressionWrapper(F("forecast_end") - F("baseline_end"), output_field=DurationField())
    return list(projects.filter(LATE).for_listing().annotate(slip=slip).order_by("-slip", "code")[:limit])


TREND_PERIODS = 12


def project_page_data(project: Project, *, user, today: date) -> dict:
    """Everything the project page shows about one project, in a fixed number of queries.

    `project` should come from `Project.objects.for_listing()` so that its
    last report is already joined. Linked projects the user may not see are
    left out: a confidential project's name is itself confidential.
    """
    visible = Project.objects.visible_to(user).values("pk")
    reports = list(
        StatusReport.objects.latest_revisions().filter(project=project).order_by("-period")[:TREND_PERIODS]
    )
    reports.reverse()
    milestones = list(project.milestones.all())
    for milestone in milestones:
        milestone.overdue = milestone.is_overdue(today)
    report = project.last_report
    # The phased budget PV follows when the project has one (one query).
    phased = phased_budgets([project.pk]).get(project.pk, [])
    # An agile project's release plan (joined with the project by the page: no query) makes its earned
    # value AgileEVM's.
    release = release_of(project)
    signals = [
        *derived_signals(
            project=project, report=report, milestones=milestones, today=today, phased=phased, release=release
        ),
        *provided_signals(project=project, user=user, today=today),
        *dependency_signals([project], user=user).get(project.pk, []),
    ]
    return {
        "reports": reports,
        "trend": [
            {
                "label": StatusReport._meta.get_field(name).verbose_name,
                "rags": [getattr(r, name) for r in reports],
            }
            for name in ("overall_rag", *StatusReport.DIMENSIONS)
        ],
        "milestones": milestones,
        "dependencies": list(
            project.dependencies.filter(to_project__in=visible)
            .select_related("to_project")
            .order_by("to_project__code")
        ),
        "dependents": list(
            project.dependents.filter(from_project__in=visible)
            .select_related("from_project")
            .order_by("from_project__code")
        ),
        "report": report,
        "signals": signals,
        "contradiction": contradiction(report, signals),
        "confidence": confidence_strip(project, report=report, signals=signals, today=today),
        "earned_value": project_earned_value(
            project=project, report=report, milestones=milestones, phased=phased, release=release
        ),
        "agile_evm": release is not None,
    }


def earned_value_of(project: Project) -> EarnedValue | None:
    """The project's earned value at its latest status, as its page computes it (the API's): queries for
    its milestones, its phased budget and, unless joined, an agile project's release plan."""
    return project_earned_value(
        project=project,
        report=project.last_report,
        milestones=list(project.milestones.all()),
        phased=phased_budgets([project.pk]).get(project.pk, []),
        release=release_of(project),
    )


CONFIDENCE_STRIP_QUERIES = 1  # the project page's Declared | Signals | Assessed strip: confidence_as_at


def confidence_strip(project: Project, *, report: StatusReport | None, signals: list, today: date) -> dict:
    """Declared | Signals | Assessed, side by side (never merged): the latest status's overall RAG, the
    derived signals' worst level and count, the confidence assessed as at today (one query) and whether
    the declared and assessed disagree (`portfolio.models.assurance.disagrees`)."""
    declared = report.overall_rag if report else None
    assessed = confidence_as_at([project.pk], today).get(project.pk)
    rating = assessed.rating if assessed else None
    levels = {signal.level for signal in signals}
    return {
        "declared": declared,
        "signals_level": "red" if "red" in levels else ("amber" if levels else "green"),
        "signals_count": len(signals),
        "assessed": assessed,
        "disagrees": disagrees(declared, rating),
        "assessed_worse": assessed_worse(declared, rating),
    }


# Each (declared, assessed) pair that `disagrees`: the list's filter and flag read the one rule.
DISAGREEING = [
    (declared, assessed)
    for declared in (Rag.GREEN, Rag.AMBER, Rag.RED)
    for assessed in Confidence
    if disagrees(declared, assessed)
]


def with_assessed(projects: QuerySet[Project], *, on: date) -> QuerySet[Project]:
    """`assurance.with_confidence` as at `on`, then `confidence_rank` (worst first: red 0 ... green 4,
    not assessed 5) and `disagreement` (the latest declared RAG and the assessed confidence disagree).
    The queryset must come through `with_current_rag` (`latest_rag`)."""
    disagreeing = Q(pk__in=[])
    for declared, assessed in DISAGREEING:
        disagreeing |= Q(latest_rag=declared, confidence=assessed)
    return with_confidence(projects, on=on).annotate(
        confidence_rank=Case(
            *(When(confidence=level, then=Value(4 - step)) for level, step in CONFIDENCE_STEP.items()),
            default=Value(5),
        ),
        disagreement=Case(When(disagreeing, then=Value(True)), default=Value(False)),
    )


def status_history(projects: QuerySet[Project]) -> QuerySet[StatusReport]:
    """Every status report of `projects` (every revision: a correction is part of the record), project
    by project, oldest first, with what an export row reads joined (one query)."""
    return (
        StatusReport.objects.filter(project__in=projects.order_by().values("pk"))
        .select_related("project__directorate", "project__portfolio", "submitted_by")
        .order_by("project__code", "period", "revision")
    )


def with_current_rag(
    projects: QuerySet[Project], *, period: date, stale_before: date | None = None
) -> QuerySet[Project]:
    """Annotate `current_rag`: the last report's overall RAG if it covers `period` (or later), else ""
    (not reported this period); `rag_rank` sorts it worst first; `update_due`: an active project without
    it (only active projects owe a weekly status, as the project page's "not reported" signal says).

    The list shows each project's latest rating, whatever its period: `latest_rag` ("" with no status at
    all), `latest_rank` sorting it worst first, and `stale`: an active project whose latest status is for
    a period before `stale_before` (`StatusPolicy.stale_before`; nothing is stale when not given)."""
    reported = Q(last_report__period__gte=period)
    latest = F("last_report__overall_rag")
    stale = Q(state=Project.State.ACTIVE, last_report__period__lt=stale_before) if stale_before else None
    return projects.annotate(
        latest_rag=Case(When(last_report__isnull=False, then=latest), default=Value("")),
        latest_rank=Case(
            When(last_report__overall_rag=Rag.RED, then=Value(1)),
            When(last_report__overall_rag=Rag.AMBER, then=Value(2)),
            When(last_report__overall_rag=Rag.GREEN, then=Value(3)),
            default=Value(4),
        ),
        stale=Case(When(stale, then=Value(True)), default=Value(False)) if stale else Value(False),
        current_rag=Case(When(reported, then=F("last_report__overall_rag")), default=Value("")),
        rag_rank=Case(
            When(reported & Q(last_report__overall_rag=Rag.RED), then=Value(1)),
            When(reported & Q(last_report__overall_rag=Rag.AMBER), then=Value(2)),
            When(reported & Q(last_report__overall_rag=Rag.GREEN), then=Value(3)),
            default=Value(4),
        ),
        update_due=Case(
            When(reported, then=Value(False)),
            When(state=Project.State.ACTIVE, then=Value(True)),
            default=Value(False),
        ),
    )
