"""The benefit pages: who may add, edit, approve and record; an approved plan changed goes back to draft;
the gate check; the at-risk signal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from benefits.models import BenefitActual, BenefitProfile
from governance.extensions import automatic_result, gate_check_choices
from portfolio.indicators import provided_signals
from portfolio.models import Project
from tests.benefits.benefit_helpers import make_profile
from tests.factories import ProjectFactory

FORM = {
    "title": "Économies annuelles",
    "kind": "financial",
    "measure": "manual",
    "currency": "MAD",
    "baseline_value": "0",
    "target_value": "1000",
    "starts_on": "2026-01-01",
    "target_date": "2027-01-01",
}


@pytest.fixture
def project(world):
    return ProjectFactory(project_manager=world.pm, directorate=world.it)


def test_the_pm_adds_a_profile_in_draft_and_a_reader_may_not(client, world, project):
    client.force_login(world.executive)
    assert client.post(reverse("benefits:benefit_new", args=[project.code]), FORM).status_code == 403
    client.force_login(world.pm)
    response = client.post(
        reverse("benefits:benefit_new", args=[project.code]), {**FORM, "owner": world.member.pk}
    )
    assert response.status_code == 302
    profile = BenefitProfile.objects.get(project=project)
    assert profile.state == BenefitProfile.State.DRAFT and profile.owner == world.member


def test_only_the_pmo_approves_and_a_changed_plan_goes_back_to_draft(client, world, project):
    profile = make_profile(project, approved=False)
    client.force_login(world.pm)
    assert client.post(reverse("benefits:benefit_approve", args=[profile.pk])).status_code == 403
    client.force_login(world.pmo)
    assert client.post(reverse("benefits:benefit_approve", args=[profile.pk])).status_code == 302
    profile.refresh_from_db()
    assert profile.state == BenefitProfile.State.APPROVED and profile.approved_by == world.pmo

    client.force_login(world.pm)
    edit = reverse("benefits:benefit_edit", args=[profile.pk])
    client.post(edit, {**FORM, "title": "Renamed", "target_value": "1200", "owner": world.member.pk})
    profile.refresh_from_db()
    assert profile.title == "Renamed" and profile.state == BenefitProfile.State.APPROVED  # same plan
    response = client.post(
        edit,
        {**FORM, "title": "Renamed", "target_value": "1500", "owner": world.member.pk},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    profile.refresh_from_db()
    assert profile.state == BenefitProfile.State.DRAFT and profile.approved_by is None
    assert "back to draft" in response.content.decode()


def test_owner_pm_and_pmo_record_actuals_also_after_closure_others_may_not(client, world, project):
    profile = make_profile(project, owner=world.member)
    Project.objects.filter(pk=project.pk).update(state=Project.State.CLOSED)
    url = reverse("benefits:actual_new", args=[profile.pk])
    for user, status in ((world.executive, 403), (world.other_pm, 403), (world.member, 302), (world.pm, 302)):
        client.force_login(user)
        assert client.post(url, {"measured_on": "2026-05-01", "value": "10"}).status_code == status, user
    assert BenefitActual.objects.get(profile=profile).recorded_by == world.pm  # the same day corrected


def test_project_page_shows_planned_realised_and_the_at_risk_badge(client, world, project):
    today = timezone.localdate()
    make_profile(
        project,
        title="Revenus additionnels",
        starts_on=today - timedelta(days=200),
        target_date=today + timedelta(days=165),
        actuals=[(today - timedelta(days=5), 10)],
    )
    client.force_login(world.executive)
    page = client.get(
        reverse("benefits:project_benefits", args=[project.code]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Revenus additionnels" in page and "At risk" in page
    assert "Record an actual" not in page and "Add a benefit" not in page


def test_outsider_gets_404_on_a_confidential_projects_benefits(client, world):
    hidden = ProjectFactory(confidential=True, project_manager=world.pm)
    profile = make_profile(hidden)
    client.force_login(world.other_pm)
    assert client.get(reverse("benefits:project_benefits", args=[hidden.code])).status_code == 404
    assert client.get(reverse("benefits:actual_new", args=[profile.pk])).status_code == 404
    assert hidden.code not in client.get(reverse("benefits:overview")).content.decode()


def test_gate_check_met_only_with_an_approved_profile(world, project):
    assert "benefit_profile_approved" in dict(gate_check_choices())
    assert automatic_result("benefit_profile_approved", project) is False
    make_profile(project, approved=False)
    assert automatic_result("benefit_profile_approved", project) is False
    make_profile(project, approved=True)
    assert automatic_result("benefit_profile_approved", project) is True


def test_at_risk_signal_names_the_benefit_behind_its_plan(world, project):
    today = timezone.localdate()
    make_profile(
        project,
        title="Économies de back-office",
        starts_on=today - timedelta(days=100),
        target_date=today + timedelta(days=100),
        actuals=[(today, 1)],
    )
    make_profile(
        project, title="Sur la trajectoire", starts_on=today + timedelta(days=1), target_date=date(2099, 1, 1)
    )
    signals = [
        s
        for s in provided_signals(project=project, user=world.pmo, today=today)
        if s.code == "benefits_at_risk"
    ]
    assert len(signals) == 1 and signals[0].level == "amber"
    assert "Économies de back-office" in signals[0].message and "Sur la trajectoire" not in signals[0].message
