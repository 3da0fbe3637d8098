"""A portfolio for the API tests: the manager's project, another manager's project, a confidential
project neither the manager nor the member may see, each with a status, a milestone, a risk and an
issue; a committee the member sits on with a meeting, a decision and actions; KPIs with values."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from governance import services
from governance.models import Membership
from portfolio.models import Milestone, Rag
from reporting.models import Kpi, Measurement
from reporting.periods import Frequency, Period
from risks.models import Issue
from risks.services import issue_create
from tests.factories import (
    CommitteeFactory,
    PortfolioFactory,
    ProjectFactory,
    StatusReportFactory,
    make_risk,
    planned_meeting,
)

TODAY = timezone.localdate()


@pytest.fixture
def api():
    """`api(user)`: a client that sends `user`'s token (None: no credentials at all)."""

    def client_for(user=None) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            token, _created = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for


def add_records(project, owner, *, number: int) -> SimpleNamespace:
    """A project's status, milestone, risk and issue."""
    status = StatusReportFactory(project=project, rag=Rag.AMBER if number % 2 else Rag.GREEN)
    milestone = Milestone.objects.create(
        project=project,
        name=f"Recette {number}",
        baseline_date=TODAY - timedelta(days=10),
        forecast_date=TODAY + timedelta(days=5 * number),
    )
    risk = make_risk(project=project, owner=owner, title=f"Risque {number}", probability=4, impact=4)
    issue = issue_create(issue=Issue(project=project, owner=owner, title=f"Incident {number}"), by=owner)
    return SimpleNamespace(status=status, milestone=milestone, risk=risk, issue=issue)


@pytest.fixture
def records(world):
    portfolio = PortfolioFactory(code="PF-DIG", directorate=world.it)
    mine = ProjectFactory(
        code="PRJ-0001",
        directorate=world.it,
        portfolio=portfolio,
        project_manager=world.pm,
        sponsor=world.pmo,
    )
    theirs = ProjectFactory(
        code="PRJ-0002", directorate=world.finance, project_manager=world.other_pm, sponsor=world.executive
    )
    secret = ProjectFactory(
        code="PRJ-0003",
        directorate=world.it,
        project_manager=world.other_pm,
        sponsor=world.executive,
        confidential=True,
    )
    by_project = {
        project.code: add_records(project, project.project_manager, number=number)
        for number, project in enumerate((mine, theirs, secret), start=1)
    }
    committee = CommitteeFactory(
        code="copil-dig",
        name="COPIL Digital",
        chair=world.executive,
        secretary=world.pmo,
        members=[world.member],
    )
    elsewhere = CommitteeFactory(code="comite-tech", name="Comité technique", chair=world.executive)
    meeting = planned_meeting(committee=committee, by=world.pmo)
    Membership.objects.filter(committee=committee).update(role=Membership.Role.VOTING)
    decision = services.decision_record(
        committee=committee, title="Go pour la phase 2", by=world.pmo, project=mine
    )
    secret_decision = services.decision_record(
        committee=elsewhere, title="Arbitrage confidentiel", by=world.pmo, project=secret
    )
    action = services.action_create(
        title="Chiffrer la phase 2",
        owner=world.pm,
        due_date=TODAY - timedelta(days=2),
        by=world.pmo,
        decision=decision,
    )
    # The member owns an action about the confidential project: theirs to read, not the project's name.
    secret_action = services.action_create(
        title="Préparer l'arbitrage",
        owner=world.member,
        due_date=TODAY + timedelta(days=7),
        by=world.pmo,
        decision=secret_decision,
    )
    quarter = Period.containing(Frequency.QUARTERLY, TODAY).previous()
    satisfaction = Kpi.objects.create(
        code="satisfaction",
        name="Satisfaction",
        name_en="Satisfaction",
        unit=Kpi.Unit.PERCENT,
        scope=Kpi.Scope.PROJECT,
        frequency=Frequency.QUARTERLY,
        target=80,
    )
    budget = Kpi.objects.create(
        code="benefits",
        name="Bénéfices",
        name_en="Benefits",
        unit=Kpi.Unit.AMOUNT,
        frequency=Frequency.QUARTERLY,
    )
    for project, value in ((mine, 85), (secret, 40)):
        Measurement.objects.create(
            kpi=satisfaction, project=project, period=quarter.start, value=Decimal(value)
        )
    Measurement.objects.create(kpi=budget, period=quarter.start, value=Decimal("1500000"))
    return SimpleNamespace(
        portfolio=portfolio,
        mine=mine,
        theirs=theirs,
        secret=secret,
        of=by_project,
        committee=committee,
        elsewhere=elsewhere,
        meeting=meeting,
        decision=decision,
        secret_decision=secret_decision,
        action=action,
        secret_action=secret_action,
        satisfaction=satisfaction,
        budget=budget,
    )
