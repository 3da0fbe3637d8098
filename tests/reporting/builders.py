"""A portfolio with its status history, built in bulk so that a test can afford 1,000 projects and a year
of weekly reports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from portfolio.models import Milestone, Portfolio, Project, Rag, StatusReport
from portfolio.models.status import period_of
from reporting.kpis import COMPUTED
from reporting.models import Kpi


def weeks_back(today: date, weeks: int) -> list[date]:
    """The Mondays of the last `weeks` weeks, oldest first, this week last."""
    this_week = period_of(today)
    return [this_week - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def build_portfolio(
    *,
    count: int,
    weeks: int,
    today: date,
    directorate,
    portfolio: Portfolio | None = None,
    rag: Callable[[int, date], str | None] = lambda index, week: Rag.GREEN,
    prefix: str = "BLK",
    name: Callable[[int], str] | None = None,
    milestones: tuple[str, str] = ("Cadrage", "Recette"),
) -> list[Project]:
    """`count` active projects of `directorate`, created a year before `today`, each with a status report
    for each of the last `weeks` weeks whose overall RAG is `rag(index, week)` (None: no report that week),
    and two milestones (`milestones`: their names, the first one met). A project is named `name(index)`,
    by default "Projet <prefix> <index>"."""
    portfolio = portfolio or Portfolio.objects.create(
        code=f"{prefix}-PF", name=f"Portefeuille {prefix}", directorate=directorate
    )
    start = today - timedelta(days=200)
    projects = Project.objects.bulk_create(
        Project(
            code=f"{prefix}-{index:04d}",
            name=name(index) if name else f"Projet {prefix} {index}",
            directorate=directorate,
            portfolio=portfolio,
            state=Project.State.ACTIVE,
            priority=1 + index % 4,
            baseline_start=start,
            baseline_end=start + timedelta(days=400),
            forecast_start=start,
            forecast_end=start + timedelta(days=400 + index % 30),
            budget=Decimal(1_000_000 + 1000 * index),
        )
        for index in range(count)
    )
    created = timezone.make_aware(datetime.combine(today - timedelta(days=365), datetime.min.time()))
    Project.objects.filter(pk__in=[p.pk for p in projects]).update(created_at=created)
    reports = []
    for index, project in enumerate(projects):
        for number, week in enumerate(weeks_back(today, weeks)):
            overall = rag(index, week)
            if overall is None:
                continue
            reports.append(
                StatusReport(
                    project=project,
                    period=week,
                    overall_rag=overall,
                    schedule_rag=overall,
                    cost_rag=overall,
                    scope_rag=Rag.GREEN,
                    resources_rag=Rag.GREEN,
                    percent_complete=Decimal(min(100, 2 * (number + 1))),
                    actual_cost=Decimal(10_000 * (number + 1)),
                )
            )
    StatusReport.objects.bulk_create(reports, batch_size=5000)
    Milestone.objects.bulk_create(
        Milestone(
            project=project,
            name=milestone,
            baseline_date=day,
            forecast_date=day,
            actual_date=day if day < today else None,
        )
        for project in projects
        for milestone, day in zip(
            milestones, (start + timedelta(days=60), start + timedelta(days=300)), strict=True
        )
    )
    return projects


def computed_kpi(function: str, **fields) -> Kpi:
    """A computed KPI definition with its function's defaults."""
    computed = COMPUTED[function]
    values = {
        "code": function.replace("_", "-"),
        "name": str(computed.label),
        "name_en": str(computed.label),
        "unit": computed.unit,
        "direction": computed.direction,
        "frequency": computed.frequency,
        "source": Kpi.Source.COMPUTED,
        "function": function,
        **computed.defaults,
    }
    values.update(fields)
    return Kpi.objects.create(**values)
