"""seed_demo's money by month: every budget phased over its baseline months in CAPEX and OPEX and adding up
to it, actuals for past months (the finance system's import for about half, the weekly statuses' spend
for the others, never both), re-forecasts of the months to come (a few over the budget left), a project in
euros with the PMO's rates, and a trail dated so that the financial view as at a past date shows money."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from finance.models import CostCategory, MonthlyAmount
from finance.selectors import financial_view
from pmo.models import User
from pmo.months import FiscalYear, end_of, month_of, months_between
from portfolio.exchange import Rates
from portfolio.models import ExchangeRate, Project, StatusReport

pytestmark = pytest.mark.django_db

Kind = MonthlyAmount.Kind


def seed_demo(*args: str) -> None:
    call_command("seed_demo", "--reset", "--projects", "60", *args, stdout=StringIO())


@pytest.fixture
def demo():
    seed_demo()


def test_every_budget_is_phased_over_its_baseline_months_and_adds_up_to_it(demo):
    funded = Project.objects.exclude(budget=None).exclude(budget=0)
    assert funded.exists()
    phased = dict(
        MonthlyAmount.objects.budget().values_list("project").annotate(total=Sum("amount")).order_by()
    )
    for project in funded:
        assert phased[project.pk] == project.budget, project.code
        months = set(project.monthly_amounts.budget().values_list("month", flat=True))
        assert months == set(months_between(project.baseline_start, project.baseline_end)), project.code
    # Both categories are used, in proportions that differ from project to project.
    shares = {
        project.pk: project.monthly_amounts.budget()
        .filter(category__code="CAPEX")
        .aggregate(s=Sum("amount"))["s"]
        or Decimal(0)
        for project in funded
    }
    assert len({(shares[p.pk] / p.budget).quantize(Decimal("0.01")) for p in funded}) > 2
    assert set(MonthlyAmount.objects.values_list("category__code", flat=True)) == set(
        CostCategory.objects.values_list("code", flat=True)
    )


def test_past_months_have_actuals_from_the_import_or_from_the_weekly_spend_never_both(demo):
    this_month = month_of(timezone.localdate())
    imported = set(MonthlyAmount.objects.actual().values_list("project", flat=True))
    assert imported
    assert not MonthlyAmount.objects.actual().exclude(source=MonthlyAmount.Source.IMPORTED).exists()
    assert not MonthlyAmount.objects.actual().filter(month__gte=this_month).exists()
    weekly = set(
        StatusReport.objects.exclude(spend_this_period=None).values_list("project", flat=True).distinct()
    )
    assert weekly
    assert not imported & weekly
    started = Project.objects.exclude(budget=None).filter(
        baseline_start__lt=this_month, state__in=[Project.State.ACTIVE, Project.State.ON_HOLD]
    )
    # About half the projects that have started are imported.
    share = len(imported & set(started.values_list("pk", flat=True))) / started.count()
    assert 0.25 <= share <= 0.75


def test_the_weekly_spend_is_what_the_actual_cost_grew_by_since_the_report_before(demo):
    reports = defaultdict(list)
    for project_id, cost, spend in StatusReport.objects.order_by("project", "period").values_list(
        "project", "actual_cost", "spend_this_period"
    ):
        reports[project_id].append((cost, spend))
    checked = 0
    for history in reports.values():
        for (before, _spend), (cost, spend) in pairwise(history):
            if spend is not None:
                assert spend == cost - before
                checked += 1
    assert checked


def test_some_projects_are_re_forecast_over_the_months_to_come_a_few_over_their_budget(demo):
    this_month = month_of(timezone.localdate())
    forecast = MonthlyAmount.objects.forecast()
    assert forecast.exists()
    assert not forecast.filter(month__lte=this_month).exists()
    overrun = 0
    for project in Project.objects.filter(pk__in=forecast.values("project")):
        to_come = forecast.filter(project=project).aggregate(s=Sum("amount"))["s"]
        budget_left = project.monthly_amounts.budget().filter(month__gt=this_month).aggregate(
            s=Sum("amount")
        )["s"] or Decimal(0)
        spent = project.monthly_amounts.actual().aggregate(s=Sum("amount"))["s"] or Decimal(0)
        if spent + to_come > project.budget and to_come > budget_left:
            overrun += 1
    assert overrun >= 1


def test_a_project_in_euros_is_converted_at_the_pmos_rate(demo):
    euros = Project.objects.filter(currency="EUR")
    assert euros.count() == 1
    today = timezone.localdate()
    rate = Rates().rate("EUR", on=today)
    assert rate is not None and ExchangeRate.objects.filter(currency="EUR").exists()
    view = financial_view(user=User.objects.get(username="pmo"), fiscal_year=FiscalYear.of(today), on=today)
    assert not view.not_converted
    if euros.first().monthly_amounts.filter(month__in=list(FiscalYear.of(today).months)).exists():
        assert euros.first().pk in {p.pk for p in view.projects}


def test_the_financial_view_as_at_sixty_days_ago_shows_the_money_known_then(demo):
    on = timezone.localdate() - timedelta(days=60)
    year = FiscalYear.of(on)
    view = financial_view(user=User.objects.get(username="pmo"), fiscal_year=year, on=on)
    assert view.projects
    assert view.total.budget > 0
    assert view.total.actual > 0
    # Actuals are those imported by then (the import of a month comes on the 5th of the next) or the
    # weekly spend reported by then: nothing after `on`'s month.
    for item in view.projects:
        assert all(month <= month_of(on) for (kind, month) in item.by_month if kind == Kind.ACTUAL)
    # A re-forecast entered after `on` is not in the view as at `on`.
    history = MonthlyAmount.history.filter(kind=Kind.FORECAST)
    later = set(history.filter(history_date__gt=end_of(on)).values_list("project_id", flat=True))
    earlier = set(history.filter(history_date__lte=end_of(on)).values_list("project_id", flat=True))
    for item in view.projects:
        if item.pk in later - earlier:
            assert not item.reforecast, item.code


def test_a_past_view_counts_the_weekly_spend_reported_by_then(demo):
    """The demo's statuses are submitted in their week (not when the demo was seeded), so the financial
    view as at a past date counts the spend reported by then, as a user who looked then saw it."""
    on = timezone.localdate() - timedelta(days=60)
    view = financial_view(user=User.objects.get(username="pmo"), fiscal_year=FiscalYear.of(on), on=on)
    imported = set(MonthlyAmount.objects.filter(kind=Kind.ACTUAL).values_list("project_id", flat=True))
    spent = (
        StatusReport.objects.filter(spend_this_period__isnull=False, period__lte=on - timedelta(days=6))
        .exclude(project__in=imported)
        .values_list("project_id", flat=True)
    )
    reporting = {item.pk: item for item in view.projects if item.pk in set(spent)}
    assert reporting, "some projects report their spend with the weekly status"
    assert sum(item.total.actual for item in reporting.values()) > 0


def test_the_same_seed_gives_the_same_money(demo):
    first = list(
        MonthlyAmount.objects.order_by("project__code", "kind", "category__code", "month").values_list(
            "project__code", "kind", "category__code", "month", "amount"
        )
    )
    seed_demo()
    again = list(
        MonthlyAmount.objects.order_by("project__code", "kind", "category__code", "month").values_list(
            "project__code", "kind", "category__code", "month", "amount"
        )
    )
    assert first == again


def test_the_demo_seeds_on_a_database_emptied_since_its_migrations():
    """A transactional test flushes the migrations' categories; the demo seeded after it still phases."""
    MonthlyAmount.objects.all().delete()
    CostCategory.objects.all().delete()
    call_command("seed_demo", "--reset", "--projects", "12", stdout=StringIO())
    assert set(CostCategory.objects.values_list("code", flat=True)) == {"CAPEX", "OPEX"}
    assert MonthlyAmount.objects.budget().exists()
