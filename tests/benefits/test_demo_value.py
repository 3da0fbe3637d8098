"""seed_demo's benefits: profiles on a third of the active projects and on every closed one, their actuals
month by month up to today (a few at risk, one not yet measured), lessons learned across categories,
phases, directorates and sources, a closure report per closed project; the same for the same seed, right
at any date."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from benefits.demo.seeder import planned
from benefits.models import BenefitActual, BenefitProfile, ClosureReport, Lesson
from portfolio.models import Project

pytestmark = pytest.mark.django_db
ANCHORS = [date(2026, 3, 10), date(2027, 11, 25)]


def seed_demo(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--reset", "--projects", "60", *args, stdout=out)
    return out.getvalue()


def benefit_rows() -> list[tuple]:
    return [
        *BenefitProfile.objects.order_by("project__code", "title").values_list(
            "project__code", "title", "kind", "unit", "target_value", "starts_on", "state", "owner__username"
        ),
        *BenefitActual.objects.order_by(
            "profile__project__code", "profile__title", "measured_on"
        ).values_list("profile__title", "measured_on", "value"),
        *Lesson.objects.order_by("project__code", "title").values_list(
            "project__code", "title", "recorded_at"
        ),
        *ClosureReport.objects.order_by("project__code").values_list("project__code", "final_cost"),
    ]


@pytest.mark.parametrize("anchor", ANCHORS)
def test_benefit_profiles_with_actuals_up_to_today_some_at_risk(anchor):
    seed_demo("--today", anchor.isoformat())

    closed = set(Project.objects.filter(state="closed").values_list("pk", flat=True))
    active = Project.objects.filter(state="active").count()
    profiles = list(
        BenefitProfile.objects.select_related("project", "approved_by").prefetch_related("actuals")
    )
    with_profile = {p.project_id for p in profiles}
    assert closed and closed <= with_profile
    assert active / 5 <= len(with_profile - closed) <= active / 2
    assert {p.kind for p in profiles} == {"financial", "non_financial"}
    assert all(p.unit for p in profiles if p.kind == "non_financial")
    assert all(p.currency == p.project.currency for p in profiles)
    approved = [p for p in profiles if p.state == "approved"]
    assert {p.approved_by.username for p in approved} == {"pmo"}
    assert len(approved) > len(profiles) / 2 and any(p.state == "draft" for p in profiles)
    at_risk, on_track, silent = 0, 0, 0
    for profile in approved:
        actuals = list(profile.actuals.all())
        assert all(profile.starts_on < a.measured_on <= anchor for a in actuals), profile
        if profile.starts_on < anchor and not actuals:
            silent += 1
        if len(actuals) < 2:
            continue
        last = actuals[-1]
        plan = (profile.baseline_value, profile.target_value, profile.starts_on, profile.target_date)
        realised = (last.value - profile.baseline_value) / (
            planned(plan, last.measured_on) - profile.baseline_value
        )
        at_risk += realised < Decimal("0.8")
        on_track += realised >= Decimal("0.85")
    assert at_risk >= 1 and on_track > at_risk and silent >= 1
    # A closed project's benefits go on being measured after its end.
    assert BenefitActual.objects.filter(profile__project__state="closed").exists()


def test_lessons_across_categories_phases_directorates_and_sources():
    seed_demo()

    lessons = Lesson.objects.all()
    assert 20 <= len(lessons) <= 30
    assert lessons.values("category").distinct().count() >= 8
    assert lessons.values("phase").distinct().count() >= 3
    assert lessons.values("directorate").distinct().count() >= 3
    assert {lesson.source for lesson in lessons} >= {"gate", "closure", "risk_closed", "other"}
    assert {lesson.effect for lesson in lessons} == {"positive", "negative"}
    assert {p.state for p in Project.objects.filter(lessons__isnull=False)} >= {"closed", "active"}
    assert all(lesson.what_happened and lesson.recommendation for lesson in lessons)


def test_each_closed_project_has_its_closure_report_from_its_figures():
    seed_demo()

    closed = Project.objects.filter(state="closed")
    reports = ClosureReport.objects.select_related("project")
    assert {r.project_id for r in reports} == set(closed.values_list("pk", flat=True))
    for report in reports:
        project = report.project
        assert report.baseline_end == project.baseline_end and report.actual_end == project.forecast_end
        assert report.baseline_budget == project.budget and report.final_cost > 0
        assert report.objectives_comment and report.benefits_handover
    assert {r.objectives_met for r in reports} >= {"partly"}


def test_the_same_seed_gives_the_same_benefits_and_lessons():
    seed_demo("--seed", "7")
    first = benefit_rows()
    seed_demo("--seed", "7")

    assert benefit_rows() == first
