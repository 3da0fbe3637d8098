"""The portfolio's headline figures, recomputed here from the raw rows, one project at a time, by the
rules the KPI descriptions state, and compared with what reporting.selectors and the KPI registry give
(the figures the dashboard shows and the reports will print)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from governance.models import Action, Decision
from portfolio.exchange import Rates
from portfolio.models import Milestone, Project, StatusReport
from reporting import selectors
from reporting.kpis import COMPUTED
from reporting.periods import Frequency, Period
from reporting.selectors import PortfolioFigures, Scope
from risks.models import Risk
from risks.selectors import exposure_at, exposure_over_time

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    """A seeded demo portfolio: a year of status history, risks, decisions and actions."""
    call_command("seed_demo", "--projects", "60", "--seed", "11", stdout=StringIO())


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def raw_portfolio(on, directorate=None):
    """Each active project of the portfolio as at `on` and its status then, the slow and obvious way."""
    monday = on - timedelta(days=on.weekday())
    end_of_week = timezone.make_aware(datetime.combine(monday + timedelta(days=6), time.max))
    end_of_day = timezone.make_aware(datetime.combine(on, time.max))
    rows = []
    for project in Project.objects.all():
        # Its state then: the last change the audit trail recorded by the end of the day, else today's.
        recorded = project.history.filter(history_date__lte=end_of_day).order_by("-history_date").first()
        if (recorded.state if recorded else project.state) != Project.State.ACTIVE:
            continue
        if directorate is not None and project.directorate_id != directorate:
            continue
        reports = [
            r for r in StatusReport.objects.filter(project=project) if r.is_latest and r.period <= monday
        ]
        report = max(reports, key=lambda r: r.period) if reports else None
        if report is None and project.created_at > end_of_week:
            continue
        rows.append((project, report, report is not None and report.period == monday))
    return rows


def independent_figures(on, directorate=None):
    rows = raw_portfolio(on, directorate)
    # The latest rating counts, whether it is for this week or older.
    red = sum(1 for _p, report, _current in rows if report and report.overall_rag == "red")
    reported = sum(1 for _p, _r, current in rows if current)
    budgeted = [(p, r) for p, r, _c in rows if p.budget is not None]
    # Each project's amounts in the reporting currency, at the rate in force then (the demo has one
    # project in euros).
    rates = Rates()

    def converted(project, amount):
        return rates.convert(amount, project.currency, on=on).amount

    bac = sum((converted(p, p.budget) for p, _r in budgeted), Decimal(0))
    fac = sum(
        converted(p, r.forecast_at_completion if r and r.forecast_at_completion is not None else p.budget)
        for p, r in budgeted
    )
    earned = sum(
        (
            converted(p, (p.budget * r.percent_complete / 100).quantize(Decimal("0.01")))
            for p, r in budgeted
            if r and p.budget
        ),
        Decimal(0),
    )
    spent = sum((converted(p, r.actual_cost) for p, r in budgeted if r and p.budget), Decimal(0))
    return {
        "active": len(rows),
        "red_share": percent(red, len(rows)),
        "compliance": percent(reported, len(rows)),
        "bac": bac,
        "fac": fac,
        "cpi": (earned / spent).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP) if spent else None,
    }


def computed(name, figures, on):
    kpi = COMPUTED[name]
    return kpi.value(figures, Period.containing(kpi.frequency, on), on)


@pytest.mark.parametrize("weeks_ago", [0, 3, 20])
def test_headline_figures_equal_a_recomputation_from_the_raw_rows(demo, weeks_ago):
    today = timezone.localdate()
    on = today - timedelta(weeks=weeks_ago)
    figures = PortfolioFigures.for_everyone(today=today)
    expected = independent_figures(on)

    assert expected["active"] > 20, "the demo should have a real portfolio to compare"
    assert figures.snapshot(on).active == expected["active"]
    assert computed("rag_red_share", figures, on) == expected["red_share"]
    assert computed("status_compliance", figures, on) == expected["compliance"]
    assert computed("portfolio_cpi", figures, on) == expected["cpi"]
    assert figures.snapshot(on).budget_at_completion == expected["bac"]
    assert figures.snapshot(on).forecast_at_completion == expected["fac"]


def test_a_directorates_figures_equal_a_recomputation_of_its_projects(demo):
    today = timezone.localdate()
    directorate = Project.objects.filter(state=Project.State.ACTIVE).values_list("directorate", flat=True)[0]
    figures = PortfolioFigures.for_everyone(scope=Scope(directorate_id=directorate), today=today)
    expected = independent_figures(today, directorate)

    assert computed("rag_red_share", figures, today) == expected["red_share"]
    assert computed("status_compliance", figures, today) == expected["compliance"]
    assert figures.snapshot(today).budget_at_completion == expected["bac"]


def test_risks_actions_decisions_and_milestones_equal_a_count_of_the_raw_rows(demo):
    today = timezone.localdate()
    figures = PortfolioFigures.for_everyone(today=today)
    month = Period.containing(Frequency.MONTHLY, today).previous()

    open_risks = [risk for risk in Risk.objects.all() if risk.state == Risk.State.OPEN]
    assert computed("risk_exposure", figures, today) == sum(risk.score for risk in open_risks)
    overdue = [
        action
        for action in Action.objects.all()
        if action.state in ("open", "in_progress") and action.due_date < today
    ]
    assert computed("overdue_actions", figures, today) == len(overdue) > 0

    taken = [d for d in Decision.objects.all() if month.start <= d.decided_on <= month.end]
    assert figures.decisions_in(month.start, month.end).taken == len(taken)
    due = [
        d
        for d in Decision.objects.all()
        if d.implementation_due and month.start <= d.implementation_due <= month.end
    ]
    on_time = [d for d in due if d.implemented_on and d.implemented_on <= d.implementation_due]
    assert COMPUTED["decisions_on_time"].value(figures, month, today) == percent(len(on_time), len(due))

    live = {p.pk for p in Project.objects.exclude(state=Project.State.CANCELLED)}
    milestones = [
        m
        for m in Milestone.objects.all()
        if m.project_id in live and month.start <= m.baseline_date <= month.end
    ]
    met = [m for m in milestones if m.actual_date and m.actual_date <= month.end]
    assert COMPUTED["milestones_met"].value(figures, month, today) == percent(len(met), len(milestones))


@pytest.mark.parametrize("weeks_ago", [1, 4, 9])
def test_past_risk_exposure_in_one_query_equals_the_walk_through_the_assessment_history(demo, weeks_ago):
    today = timezone.localdate()
    day = today - timedelta(weeks=weeks_ago, days=2)
    walked = exposure_over_time(Risk.objects.all(), weeks=1, today=day)[-1]

    assert exposure_at(Risk.objects.all(), day=day) == (walked.score, walked.critical)
    assert walked.score > 0


def test_compliance_over_time_ends_with_the_snapshots_compliance(demo):
    """At any date, projects closed since included: the chart's last point is the compliance tile's."""
    today = timezone.localdate()
    closed = Project.objects.filter(state=Project.State.ACTIVE, status_reports__isnull=False).first()
    closed.state = Project.State.CLOSED
    closed.save()  # recorded today in the audit trail: active five weeks ago
    figures = PortfolioFigures.for_everyone(today=today)

    for on in (today, today - timedelta(weeks=5)):
        point = figures.compliance_history(weeks=8, on=on)[-1]
        snapshot = figures.snapshot(on)
        assert (point.active, point.reported) == (snapshot.active, snapshot.reported)


def test_many_days_read_their_reports_through_subqueries_with_the_same_rows(demo, monkeypatch):
    """Past MAX_LISTED_IDS report ids (a year of days), the reports in force are found by subqueries
    rather than by a list of ids: the snapshots are the same either way."""
    today = timezone.localdate()
    days = [today - timedelta(weeks=weeks) for weeks in range(0, 20, 3)]

    def rows(figures):
        return {
            day: [
                (r.pk, r.rag, r.percent_complete, r.actual_cost, r.forecast_at_completion) for r in snap.rows
            ]
            for day, snap in figures.snapshots(days).items()
        }

    listed = rows(PortfolioFigures.for_everyone(today=today))
    monkeypatch.setattr(selectors, "MAX_LISTED_IDS", 0)
    through_subqueries = rows(PortfolioFigures.for_everyone(today=today))

    assert through_subqueries == listed
    assert sum(len(day_rows) for day_rows in listed.values()) > 100
