"""A committee meeting held the way a committee holds one, for the tests of its minutes (governance and
reporting read the same record)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from governance import services
from governance.models import AgendaItem, GateReview
from portfolio.models import Phase
from tests.factories import CommitteeFactory, PortfolioFactory, ProjectFactory, UserFactory, planned_meeting


def meeting_with_two_items_not_discussed(world, *, close: bool = True) -> SimpleNamespace:
    """Five items, planned a week ahead and held today: the chair opens the first three (a project review
    titled with its code, as the exception proposals title them; a stage gate decided with conditions;
    another review, minuted) and never opens the last two (a second stage gate, left undecided, and an
    information item). The committee has another meeting planned after it."""
    design = Phase.objects.order_by("order")[1]
    manager = UserFactory(username="nathalie", first_name="Nathalie", last_name="Lambert")
    portfolio = PortfolioFactory(directorate=world.it)
    first, second, third = (
        ProjectFactory(
            code=code,
            name=name,
            project_manager=manager,
            directorate=world.it,
            portfolio=portfolio,
            phase=design,
        )
        for code, name in (("PRJ-0041", "Refonte du portail"), ("PRJ-0042", "Data lake"), ("PRJ-0043", "GED"))
    )
    committee = CommitteeFactory(
        name="COPIL Digital", scope_portfolio=portfolio, secretary=world.pmo, members=[world.member], quorum=1
    )
    meeting = planned_meeting(committee=committee, by=world.pmo, title="COPIL de décembre")
    following = planned_meeting(
        committee=committee,
        by=world.pmo,
        starts_at=timezone.now() + timedelta(days=35),
        title="COPIL de janvier",
    )
    gate = services.gate_review_request(project=first, committee=committee, by=manager)
    undecided = services.gate_review_request(project=third, committee=committee, by=manager)

    def add(title, kind, project=None, review=None):
        return services.agenda_add(
            meeting=meeting, title=title, kind=kind, project=project, gate_review=review, presenter=manager
        )

    review = add(f"{first.code} {first.name}", AgendaItem.Kind.PROJECT_REVIEW, first)
    gate_item = add(
        f"Stage gate {first.code}: {gate.from_phase} → {gate.to_phase}",
        AgendaItem.Kind.STAGE_GATE,
        first,
        gate,
    )
    minuted = add("Revue du projet Data lake", AgendaItem.Kind.PROJECT_REVIEW, second)
    skipped_gate = add(
        f"Stage gate {third.code}: {undecided.from_phase} → {undecided.to_phase}",
        AgendaItem.Kind.STAGE_GATE,
        third,
        undecided,
    )
    skipped_info = add("Point sur le budget 2027", AgendaItem.Kind.INFORMATION)

    services.meeting_start(meeting=meeting, by=world.pmo)  # the first item is on the screen
    services.action_create(
        title="Présenter le plan de reprise",
        owner=manager,
        due_date=timezone.localdate() + timedelta(days=14),
        by=world.pmo,
        meeting=meeting,
        agenda_item=review,
        project=first,
    )
    services.meeting_show_item(meeting=meeting, item=gate_item)
    checks = list(gate.checks.select_related("criterion"))
    decision = services.gate_review_decide(
        review=gate,
        outcome=GateReview.Outcome.GO_WITH_CONDITIONS,
        by=world.pmo,
        checks={
            check.criterion_id: (n != 0, "Dossier incomplet" if n == 0 else f"Vérifié {n}")
            for n, check in enumerate(checks)
        },
        conditions=[
            {
                "title": "Compléter le dossier d'architecture",
                "owner": manager,
                "due_date": timezone.localdate() + timedelta(days=21),
            }
        ],
        rationale="Les livrables essentiels sont prêts ; un seul critère reste ouvert.",
        meeting=meeting,
        agenda_item=gate_item,
    )
    services.meeting_show_item(meeting=meeting, item=minuted)
    services.agenda_item_minutes(item=minuted, minutes="Le comité prend acte de l'avancement.")
    if close:
        services.meeting_close(meeting=meeting, by=world.pmo)
        meeting.refresh_from_db()
    return SimpleNamespace(
        meeting=meeting,
        following=following,
        committee=committee,
        manager=manager,
        review=review,
        gate_item=gate_item,
        decision=decision,
        checks=checks,
        minuted=minuted,
        not_discussed=[skipped_gate, skipped_info],
        undecided=undecided,
    )
