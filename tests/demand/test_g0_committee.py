"""The G0 in the portfolio committee: a proposed request on its next agenda (not a steering committee's, not
twice), and the decision recorded on its item in the live meeting: approved creates the project as the
request described it; rejected keeps the reason and creates nothing; deferred can be proposed again."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from benefits.models import BenefitProfile
from demand.g0 import G0Error, request_propose
from demand.models import ProjectRequest
from finance.models import MonthlyAmount
from governance import services
from governance.models import AgendaItem
from portfolio.models import Phase, Project
from resources.models import Demand
from tests.demand.g0_world import EN, g0_world, in_live_meeting, keys, propose, record
from tests.factories import planned_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def g0(world):
    return g0_world(world)


@pytest.fixture
def today():
    return timezone.localdate()


def test_a_proposed_request_is_on_its_portfolio_committees_next_agenda_once(world, g0, today):
    propose(world, g0)
    meeting = planned_meeting(committee=g0.committee, by=world.pmo)
    steering_meeting = planned_meeting(committee=g0.steering, by=world.pmo)

    proposal = keys(meeting, today)[f"request-{g0.request.pk}"]

    assert proposal.title == "G0 decision: DEM-2026-0007 Signature électronique des contrats"
    assert proposal.kind == AgendaItem.Kind.DECISION_REQUEST
    assert "Project request of DSI; estimated cost 180,000 MAD; not scored" in proposal.reason
    assert f"request-{g0.request.pk}" not in keys(steering_meeting, today)
    services.agenda_accept(meeting=meeting, proposal=proposal)
    assert f"request-{g0.request.pk}" not in keys(meeting, today)  # an item waits for it
    later = planned_meeting(
        committee=g0.committee, by=world.pmo, starts_at=meeting.starts_at.replace(year=2099)
    )
    assert f"request-{g0.request.pk}" not in keys(later, today)


def test_only_a_qualified_request_goes_to_a_portfolio_committee(world, g0):
    with pytest.raises(G0Error):
        request_propose(request=g0.request, committee=g0.steering, by=world.pmo)
    g0.request.state = ProjectRequest.State.SUBMITTED
    g0.request.save()
    with pytest.raises(G0Error):
        request_propose(request=g0.request, committee=g0.committee, by=world.pmo)


def monthly(rows):
    by_year = defaultdict(Decimal)
    for month, value in rows:
        by_year[month.year] += value
    return dict(by_year)


def test_approved_in_the_live_meeting_creates_the_project_as_the_request_described_it(
    client, world, g0, today
):
    propose(world, g0)
    meeting, item = in_live_meeting(client, world, g0, today)

    live = client.get(reverse("governance:meeting_live", args=[meeting.pk]), **EN).content.decode()
    assert "live-g0" in live and "“Approved” creates the project" in live
    response = record(client, meeting, item, "approved", rationale="Aligné sur la stratégie digitale.")

    assert response.status_code == 200
    g0.request.refresh_from_db()
    project = g0.request.project
    assert g0.request.state == ProjectRequest.State.APPROVED
    assert g0.request.decision.agenda_item == item and g0.request.decided_at is not None
    assert g0.request.decision_reason == "Aligné sur la stratégie digitale."
    assert g0.request.decision.project == project  # the decision is now the project's
    assert project.code.startswith("PRJ-") and project.name == "Signature électronique des contrats"
    # The first phase by order: Cadrage / Scoping, the initiation of the default lifecycle.
    assert project.phase == Phase.objects.order_by("order").first() and project.phase.name_en == "Scoping"
    assert project.state == Project.State.ACTIVE
    assert project.project_manager == world.pm and project.sponsor == world.executive
    assert project.directorate == world.it and project.priority == Project.Priority.HIGH
    assert project.budget == Decimal("180000.50") and project.currency == "MAD"
    assert (project.baseline_start, project.baseline_end) == (date(2027, 3, 15), date(2028, 6, 30))
    assert (project.forecast_start, project.forecast_end) == (date(2027, 3, 15), date(2028, 6, 30))
    assert project.baseline_version == 0  # a draft: v1 is taken at the gate into execution
    assert project.history.filter(history_type="+", history_user=world.pmo).exists()
    # The phased budget: 2027 over March..December, 2028 over January..June, each adding up exactly.
    budget = list(
        MonthlyAmount.objects.filter(project=project, kind="budget")
        .order_by("month")
        .values_list("month", "amount")
    )
    assert monthly(budget) == {2027: Decimal("120000.00"), 2028: Decimal("60000.50")}
    assert budget[0] == (date(2027, 3, 1), Decimal("12000.00")) and budget[-1][0] == date(2028, 6, 1)
    assert len(budget) == 16 and MonthlyAmount.history.filter(project_id=project.pk).count() == 16
    # The people: person-months of a year as FTE over its months.
    demand = list(
        Demand.objects.filter(project=project, role=g0.dev).order_by("month").values_list("month", "fte")
    )
    assert monthly(demand) == {2027: Decimal(30), 2028: Decimal(10)}
    assert demand[0] == (date(2027, 3, 1), Decimal("3.00"))
    # The benefit: a draft financial profile owned by the sponsor, counted from the desired end.
    benefit = BenefitProfile.objects.get(project=project)
    assert benefit.state == BenefitProfile.State.DRAFT and benefit.kind == BenefitProfile.Kind.FINANCIAL
    assert (benefit.baseline_value, benefit.target_value) == (Decimal(0), Decimal("50000.00"))
    assert (benefit.starts_on, benefit.target_date) == (date(2028, 6, 30), date(2029, 6, 30))
    assert benefit.owner == world.executive and benefit.title == g0.request.title

    live = client.get(reverse("governance:meeting_live", args=[meeting.pk]), **EN).content.decode()
    assert f"{project.code} Signature électronique des contrats" in live


def test_the_project_takes_the_next_code(client, world, g0, today):
    from tests.factories import ProjectFactory

    ProjectFactory(code="PRJ-0041")
    propose(world, g0)
    meeting, item = in_live_meeting(client, world, g0, today)
    record(client, meeting, item, "conditional")
    g0.request.refresh_from_db()
    assert g0.request.project.code == "PRJ-0042" and g0.request.state == ProjectRequest.State.APPROVED


def test_rejected_keeps_the_reason_and_creates_nothing(client, world, g0, today):
    propose(world, g0)
    projects = Project.objects.count()
    meeting, item = in_live_meeting(client, world, g0, today)

    record(client, meeting, item, "rejected", rationale="Doublon du projet de GED.")

    g0.request.refresh_from_db()
    assert g0.request.state == ProjectRequest.State.REJECTED
    assert g0.request.decision_reason == "Doublon du projet de GED." and g0.request.decision is not None
    assert g0.request.project is None and Project.objects.count() == projects
    assert not BenefitProfile.objects.exists() and not Demand.objects.exists()
    with pytest.raises(G0Error):
        propose(world, g0)


def test_deferred_keeps_the_reason_and_can_be_proposed_again(client, world, g0, today):
    propose(world, g0)
    meeting, item = in_live_meeting(client, world, g0, today)

    record(client, meeting, item, "deferred", rationale="Revenir avec un chiffrage consolidé.")

    g0.request.refresh_from_db()
    assert g0.request.state == ProjectRequest.State.DEFERRED and g0.request.project is None
    assert g0.request.decision_reason == "Revenir avec un chiffrage consolidé."
    services.meeting_close(meeting=meeting, by=world.pmo)
    later = planned_meeting(committee=g0.committee, by=world.pmo)
    assert f"request-{g0.request.pk}" not in keys(later, today)  # deferred: not until proposed again
    propose(world, g0)
    assert f"request-{g0.request.pk}" in keys(later, today)
