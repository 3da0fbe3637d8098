"""A project under change control and the committee that decides its changes, for planning's tests."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone

from governance.models import AgendaItem
from planning.models import Baseline
from planning.services import baseline_take, change_request_create, change_request_submit
from portfolio.models import Milestone, Phase, ProjectDependency
from tests.factories import CommitteeFactory, DirectorateFactory, ProjectFactory, planned_meeting

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
SIX_WEEKS = timedelta(weeks=6)


def change_control(world) -> SimpleNamespace:
    """PRJ-0042 in Build with baseline v1, its go-live milestone, the IT steering committee over it, and
    PRJ-0077 (confidential, another directorate) needing that go-live a fortnight after its date."""
    committee = CommitteeFactory(
        name="COPIL DSI", scope_directorate=world.it, members=[world.member], quorum=1, secretary=world.pm
    )
    project = ProjectFactory(
        code="PRJ-0042",
        name="Refonte du portail client",
        directorate=world.it,
        project_manager=world.pm,
        phase=Phase.objects.get(name_en="Build"),
        budget=Decimal("2500000.00"),
    )
    go_live = Milestone.objects.create(
        project=project,
        name="Mise en production",
        baseline_date=project.baseline_end,
        forecast_date=project.baseline_end,
    )
    baseline_take(project=project, by=world.pmo, origin=Baseline.Origin.PMO)
    project.refresh_from_db()
    consumer = ProjectFactory(
        code="PRJ-0077", name="Facturation unifiée", directorate=DirectorateFactory(), confidential=True
    )
    dependency = ProjectDependency.objects.create(
        from_project=consumer,
        to_project=project,
        provider_milestone=go_live,
        needed_by=go_live.forecast_date + timedelta(days=14),
        accepted_by=world.pmo,
        accepted_at=timezone.now(),
    )
    return SimpleNamespace(
        committee=committee, project=project, go_live=go_live, consumer=consumer, dependency=dependency
    )


def raise_change(world, plan, *, weeks: int = 6, budget_percent: int = 10):
    """The PM asks to move the go-live by `weeks` and the budget by `budget_percent` %, and submits it."""
    project = plan.project
    new_end = project.baseline_end + timedelta(weeks=weeks)
    change_request = change_request_create(
        project=project,
        by=world.pm,
        title="Décaler la mise en production",
        reason="Le prestataire livre l'interface de paiement en retard.",
        new_end=new_end,
        new_budget=project.budget * (100 + budget_percent) / 100,
        moves=[{"milestone": plan.go_live, "new_date": new_end}],
    )
    return change_request_submit(change_request=change_request, by=world.pm)


def on_agenda(client, world, plan, change_request, *, meeting=None):
    """The committee's next meeting with the request accepted on its agenda (by the PMO, on the page)."""
    meeting = meeting or planned_meeting(committee=plan.committee, by=world.pmo)
    client.force_login(world.pmo)
    response = client.post(
        reverse("governance:agenda_accept", args=[meeting.pk]), {"key": f"change-request-{change_request.pk}"}
    )
    assert response.status_code in (200, 302)
    return meeting, AgendaItem.objects.get(meeting=meeting, change_requests=change_request)


def record_decision(client, meeting, item, outcome: str, title: str = "Décision du comité"):
    """The secretary records the committee's decision on the item, on the live page."""
    return client.post(
        reverse("governance:live_decision", args=[meeting.pk]),
        {
            "decision-item": item.pk,
            "decision-title": title,
            "decision-outcome": outcome,
            "decision-conditions": "Revue de charge" if outcome == "conditional" else "",
        },
        **EN,
    )
