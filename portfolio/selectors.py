"""Reads of the portfolio that pages, exports and reports share."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum

from portfolio.models import Project

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
