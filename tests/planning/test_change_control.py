"""Change control's writes (planning.services) and the impact the application computes (planning.impact):
within the PMO's tolerance a change request goes to the PMO, beyond it to the project's steering
committee; approval moves the baseline and takes the next version, the earlier ones unchanged."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from planning.impact import Impact, impact_of, needs_committee
from planning.models import Baseline, ChangeRequest, PlanPolicy
from planning.services import (
    PlanningError,
    baseline_take,
    change_request_create,
    change_request_decide,
    change_request_submit,
    change_request_update,
    change_request_withdraw,
)
from portfolio.models import Milestone
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def draft(plan, by, *, days=0, budget=None, moves=None, **fields):
    project = plan.project
    return change_request_create(
        project=project,
        by=by,
        title="Décaler la mise en production",
        reason="Le fournisseur livre en retard.",
        new_end=project.baseline_end + timedelta(days=days) if days else None,
        new_budget=budget,
        moves=moves or [],
        **fields,
    )


def test_a_change_within_tolerance_is_submitted_to_the_pmo(world, plan):
    request = draft(plan, world.pm, days=7, budget=Decimal("1030000"))

    change_request_submit(change_request=request, by=world.pm)

    request.refresh_from_db()
    assert request.reference.startswith("CR-")
    assert request.state == ChangeRequest.State.SUBMITTED
    assert request.route == ChangeRequest.Route.PMO
    assert request.committee is None
    assert request.impact["end_slip_days"] == 7


def test_six_weeks_and_ten_percent_more_budget_go_to_the_steering_committee(world, plan):
    request = draft(plan, world.pm, days=42, budget=Decimal("1100000"))

    change_request_submit(change_request=request, by=world.pm)

    request.refresh_from_db()
    assert request.state == ChangeRequest.State.PROPOSED
    assert request.route == ChangeRequest.Route.COMMITTEE
    assert request.committee == plan.committee


def test_the_tolerance_is_the_pmos_policy(world, plan):
    PlanPolicy(schedule_tolerance_days=60, budget_tolerance_percent=Decimal(20)).save()
    request = draft(plan, world.pm, days=42, budget=Decimal("1100000"))

    submitted = change_request_submit(change_request=request, by=world.pm)

    assert submitted.route == ChangeRequest.Route.PMO


def test_approval_takes_baseline_v2_and_moves_the_project_and_its_milestones(world, plan):
    old_end, old_build = plan.project.baseline_end, plan.build.baseline_date
    new_build = old_build + timedelta(days=10)
    request = draft(
        plan,
        world.pm,
        days=10,
        moves=[
            {"milestone": plan.build, "new_date": new_build},
            {"milestone": None, "name": "Formation des agents", "new_date": old_end},
        ],
    )
    change_request_submit(change_request=request, by=world.pm)

    change_request_decide(change_request=request, state=ChangeRequest.State.APPROVED, by=world.pmo, note="OK")

    project = plan.project
    project.refresh_from_db()
    plan.build.refresh_from_db()
    assert project.baseline_version == 2
    assert project.baseline_end == old_end + timedelta(days=10)
    assert project.forecast_end == old_end + timedelta(days=10)  # a forecast earlier than the new baseline
    assert plan.build.baseline_date == new_build
    assert plan.build.forecast_date == new_build
    added = Milestone.objects.get(project=project, name="Formation des agents")
    assert (added.baseline_date, added.position) == (old_end, 3)  # after the plan's three
    v1, v2 = Baseline.objects.filter(project=project).order_by("number")
    assert (v2.number, v2.origin, v2.change_request) == (2, Baseline.Origin.CHANGE, request)
    assert v2.end == old_end + timedelta(days=10)
    assert v1.end == old_end
    assert v1.milestones.get(milestone=plan.build).date == old_build
    assert v2.milestones.get(milestone=plan.build).date == new_build
    assert v2.milestones.count() == 4
    request.refresh_from_db()
    assert request.state == ChangeRequest.State.APPROVED
    assert request.decided_by == world.pmo
    assert request.impact["end_slip_days"] == 10  # frozen as decided, against v1


def test_a_rejected_request_changes_nothing(world, plan):
    request = draft(plan, world.pm, days=7)
    change_request_submit(change_request=request, by=world.pm)

    change_request_decide(
        change_request=request, state=ChangeRequest.State.REJECTED, by=world.pmo, note="Non"
    )

    plan.project.refresh_from_db()
    assert plan.project.baseline_version == 1
    assert plan.project.baseline_end == plan.v1.end
    request.refresh_from_db()
    assert (request.state, request.decision_note) == (ChangeRequest.State.REJECTED, "Non")
    with pytest.raises(PlanningError):
        change_request_decide(change_request=request, state=ChangeRequest.State.APPROVED, by=world.pmo)


def test_a_deferred_request_stays_pending_and_can_be_approved_later(world, plan):
    request = draft(plan, world.pm, days=7)
    change_request_submit(change_request=request, by=world.pm)

    change_request_decide(change_request=request, state=ChangeRequest.State.DEFERRED, by=world.pmo)
    request.refresh_from_db()
    assert request.is_pending
    change_request_decide(change_request=request, state=ChangeRequest.State.APPROVED, by=world.pmo)

    plan.project.refresh_from_db()
    assert plan.project.baseline_version == 2


def test_the_impact_gives_slip_budget_eac_spi_and_the_dependency_it_breaks(world, plan):
    late = plan.dependency.needed_by + timedelta(days=5)
    request = draft(
        plan,
        world.pm,
        days=42,
        budget=Decimal("1100000"),
        moves=[{"milestone": plan.build, "new_date": late}],
    )

    impact = impact_of(request)

    assert impact.end_slip_days == 42
    assert impact.milestone_slip_days == (late - plan.build.baseline_date).days
    assert impact.slip_days == 42
    assert Decimal(impact.budget_change) == Decimal(100000)
    assert Decimal(impact.budget_change_percent) == Decimal("10.0")
    # 40 % complete for 500,000 spent: CPI 0.8 before (EAC 1,250,000) and 0.88 after, the same EAC.
    assert Decimal(impact.eac_before) == Decimal(1250000)
    assert Decimal(impact.eac_after) == Decimal(1250000)
    assert Decimal(impact.spi_after) > Decimal(impact.spi_before)
    [broken] = impact.breaks
    assert broken.consumer == plan.consumer.pk
    assert broken.milestone == plan.build.name
    assert broken.new_date == late.isoformat()
    assert Impact.from_json(impact.as_json()) == impact


def test_a_move_that_stays_before_the_needed_by_date_breaks_nothing(world, plan):
    early = plan.dependency.needed_by - timedelta(days=1)
    request = draft(plan, world.pm, moves=[{"milestone": plan.build, "new_date": early}])

    assert impact_of(request).breaks == []


def test_a_budget_change_with_no_budget_to_compare_needs_the_committee():
    impact = Impact(budget_change="1000", budget_change_percent=None)
    assert needs_committee(impact, policy=PlanPolicy.current())


def test_a_project_without_baseline_refuses_submit(world):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it)
    request = change_request_create(project=project, by=world.pm, title="Plus tôt", reason="Test")

    with pytest.raises(PlanningError):
        change_request_submit(change_request=request, by=world.pm)
    request.refresh_from_db()
    assert request.state == ChangeRequest.State.DRAFT


def test_beyond_tolerance_with_no_committee_is_refused(world, plan):
    plan.committee.delete()
    request = draft(plan, world.pm, days=60)

    with pytest.raises(PlanningError):
        change_request_submit(change_request=request, by=world.pm)


def test_the_pmo_takes_v1_once_only(world, plan):
    with pytest.raises(PlanningError):
        baseline_take(project=plan.project, by=world.pmo, origin=Baseline.Origin.PMO)


def test_only_a_draft_is_edited_and_a_pending_one_can_be_withdrawn(world, plan):
    request = draft(plan, world.pm, days=7)
    change_request_update(change_request=request, by=world.pm, title="Nouveau titre")
    change_request_submit(change_request=request, by=world.pm)

    with pytest.raises(PlanningError):
        change_request_update(change_request=request, by=world.pm, title="Trop tard")
    change_request_withdraw(change_request=request, by=world.pm, reason="Plus utile")

    request.refresh_from_db()
    assert (request.title, request.state) == ("Nouveau titre", ChangeRequest.State.WITHDRAWN)
    with pytest.raises(PlanningError):
        change_request_withdraw(change_request=request, by=world.pm, reason="Encore")
