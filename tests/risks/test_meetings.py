"""Risks in committees: an escalated risk goes on the committee's next agenda with its history, the live page
shows the project's top risks and the escalated risk's card, and the committee's decision comes back."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from governance import services as governance
from governance.models import AgendaItem, Meeting
from governance.selectors import agenda_proposals
from risks import services
from risks.models import Escalation, RiskAssessment
from tests.factories import CommitteeFactory, ProjectFactory, UserFactory, make_risk, planned_meeting

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def committee(world):
    return CommitteeFactory(name="COPIL Transformation", members=[world.member], quorum=1)


@pytest.fixture
def meeting(world, committee):
    return planned_meeting(committee=committee, by=world.pmo, title="COPIL d'avril")


@pytest.fixture
def project(world):
    return ProjectFactory(code="PRJ-0042", name="Refonte du portail client", project_manager=world.pm)


def rescored(risk, *, by, probability: int, impact: int, days_ago: int, note: str = ""):
    """Re-assess `risk`, the assessment dated `days_ago` days back."""
    assessment = services.risk_reassess(risk=risk, by=by, probability=probability, impact=impact, note=note)
    RiskAssessment.objects.filter(pk=assessment.pk).update(
        assessed_at=timezone.now() - timedelta(days=days_ago)
    )
    risk.refresh_from_db()
    return risk


@pytest.fixture
def escalated(world, committee, project):
    """RSK scored 12 sixty days ago, 20 since ten days, escalated to the committee."""
    risk = make_risk(
        project=project,
        title="Retard de livraison du progiciel",
        probability=3,
        impact=4,
        proximity=timezone.localdate() + timedelta(days=45),
        cause="Le fournisseur a perdu deux développeurs clés.",
        effect="Mise en production décalée d'un trimestre.",
    )
    RiskAssessment.objects.filter(risk=risk).update(assessed_at=timezone.now() - timedelta(days=60))
    rescored(risk, by=world.pm, probability=4, impact=5, days_ago=10, note="Le fournisseur confirme")
    services.risk_escalate(
        risk=risk, committee=committee, reason="Arbitrer un fournisseur de secours.", by=world.pmo
    )
    return risk


def risk_proposals(meeting):
    return [
        p
        for p in agenda_proposals(meeting, today=timezone.localdate())
        if p.kind == AgendaItem.Kind.RISK_ESCALATION
    ]


# --- The agenda ---------------------------------------------------------------------------------------


def test_an_escalated_risk_is_proposed_with_its_score_and_history(world, meeting, escalated):
    with translation.override("en"):
        [proposal] = risk_proposals(meeting)

    assert proposal.title == f"{escalated.reference} Retard de livraison du progiciel"
    assert proposal.project == escalated.project
    assert proposal.presenter == world.pm
    assert proposal.key == f"risk-{escalated.pk}"
    with translation.override("en"):
        sixty_days_ago = date_format(timezone.localdate() - timedelta(days=60), "SHORT_DATE_FORMAT")
        proximity = date_format(escalated.proximity, "SHORT_DATE_FORMAT")
    assert proposal.reason.startswith(f"Score 20 (critical), was 12 on {sixty_days_ago}; ")
    assert f"proximity {proximity}" in proposal.reason
    assert "Arbitrer un fournisseur de secours." in proposal.reason
    assert world.pmo.get_full_name() in proposal.reason
    assert len(proposal.reason) <= AgendaItem._meta.get_field("reason").max_length


def test_escalated_risks_come_after_the_gates_and_before_the_projects(world, meeting, escalated):
    from governance.selectors import Proposal

    severities = {p.kind: p.severity for p in risk_proposals(meeting)}
    gate = Proposal(kind="stage_gate", title="", reason="", planned_minutes=1, severity=200)
    worst_project = 10 * 3 + 9  # red and nine slipped milestones (governance.selectors)

    assert worst_project < severities[AgendaItem.Kind.RISK_ESCALATION] < gate.severity


def test_a_long_reason_is_cut_to_fit_the_agenda_item(world, meeting, committee, project):
    risk = make_risk(project=project, probability=5, impact=5)
    services.risk_escalate(risk=risk, committee=committee, reason="Très long motif. " * 80, by=world.pmo)

    [proposal] = risk_proposals(meeting)

    assert len(proposal.reason) <= AgendaItem._meta.get_field("reason").max_length
    assert proposal.reason.endswith("…")


def test_accepting_the_proposal_puts_it_on_the_agenda_and_links_the_escalation(
    client, world, meeting, escalated
):
    client.force_login(world.pmo)

    response = client.post(
        reverse("governance:agenda_accept", args=[meeting.pk]), {"key": f"risk-{escalated.pk}"}
    )

    assert response.status_code == 302
    item = meeting.items.get(kind=AgendaItem.Kind.RISK_ESCALATION)
    assert item.title.startswith(escalated.reference)
    assert item.presenter == world.pm and item.project == escalated.project
    assert escalated.escalations.get().agenda_item == item
    page = client.get(meeting.get_absolute_url(), **EN).content.decode()
    assert f'value="risk-{escalated.pk}"' not in page  # no longer proposed


def test_an_escalated_risk_is_not_proposed_twice(world, meeting, committee, escalated):
    [proposal] = risk_proposals(meeting)
    governance.agenda_accept(meeting=meeting, proposal=proposal)
    later = planned_meeting(committee=committee, by=world.pmo, starts_at=timezone.now() + timedelta(days=21))

    assert risk_proposals(meeting) == []
    assert risk_proposals(later) == []  # it waits for the meeting that took it up


def test_an_escalation_left_undecided_by_a_closed_meeting_comes_back(world, meeting, committee, escalated):
    [proposal] = risk_proposals(meeting)
    governance.agenda_accept(meeting=meeting, proposal=proposal)
    governance.meeting_start(meeting=meeting, by=world.pmo)
    governance.meeting_close(meeting=meeting, by=world.pmo)
    later = planned_meeting(committee=committee, by=world.pmo, starts_at=timezone.now() + timedelta(days=21))

    [again] = risk_proposals(later)
    item = governance.agenda_accept(meeting=later, proposal=again)

    assert escalated.escalations.get().agenda_item == item


def test_closed_decided_and_other_committees_risks_are_not_proposed(world, meeting, committee, project):
    closed = make_risk(project=project, title="Risque clos")
    services.risk_escalate(risk=closed, committee=committee, reason="Motif", by=world.pmo)
    services.risk_close(risk=closed, by=world.pmo, note="Levé")
    elsewhere = make_risk(project=project, title="Autre comité")
    services.risk_escalate(risk=elsewhere, committee=CommitteeFactory(), reason="Motif", by=world.pmo)

    assert risk_proposals(meeting) == []


def test_the_proposals_cost_two_queries_whatever_the_number_of_risks(world, meeting, committee, project):
    def escalate(count):
        for n in range(count):
            risk = make_risk(project=project, title=f"Risque {n}", probability=1 + n % 5)
            services.risk_escalate(risk=risk, committee=committee, reason="Motif", by=world.pmo)

    items = list(meeting.items.all())
    escalate(2)
    with CaptureQueriesContext(connection) as few:
        assert len(risk_proposals_for(meeting, items)) == 2
    escalate(20)
    # The escalations with their risk, owner, project and previous score; the risk policy.
    with CaptureQueriesContext(connection) as many:
        assert len(risk_proposals_for(meeting, items)) == 22
    assert len(few) == len(many) == 2


def risk_proposals_for(meeting, items):
    from risks.meetings import escalated_risks

    return escalated_risks(meeting, today=timezone.localdate(), items=items)


# --- The live page ----------------------------------------------------------------------------------------


def live(client, meeting):
    return client.get(reverse("governance:meeting_live", args=[meeting.pk]), **EN).content.decode()


def show(meeting, item):
    if meeting.state == Meeting.State.PLANNED:
        governance.meeting_start(meeting=meeting, by=None)
    governance.meeting_show_item(meeting=meeting, item=item)


def test_the_live_page_shows_the_projects_top_risks_under_a_project_item(client, world, meeting, project):
    today = timezone.localdate()
    worst = make_risk(project=project, title="Indisponibilité des experts métier", probability=5, impact=4)
    overdue = make_risk(project=project, title="Dépassement budgétaire", probability=2, impact=3)
    overdue.next_review_on = today - timedelta(days=3)
    overdue.save(update_fields=["next_review_on"])
    for n in range(5):
        make_risk(project=project, title=f"Risque mineur {n}", probability=1, impact=2)
    services.risk_close(risk=make_risk(project=project, title="Risque levé", probability=5, impact=5),
                        by=world.pmo, note="Levé")  # fmt: skip
    item = governance.agenda_add(
        meeting=meeting, title="Revue du portail", kind="project_review", project=project
    )
    show(meeting, item)
    client.force_login(world.member)

    html = live(client, meeting)

    assert "Top risks" in html and "7 open risks" in html
    assert worst.reference in html and "Indisponibilité des experts métier" in html
    assert "risk-level-critical" in html
    assert "Dépassement budgétaire" in html and "Overdue since" in html
    assert "Risque levé" not in html
    assert html.count("Risque mineur") == 3  # five at most


def test_a_member_who_may_not_see_a_confidential_project_does_not_see_its_risks(
    client, world, meeting, committee
):
    secret = ProjectFactory(code="PRJ-0666", confidential=True)
    make_risk(project=secret, title="Fuite du projet de fusion", probability=5, impact=5)
    item = governance.agenda_add(
        meeting=meeting, title="Projet confidentiel", kind="project_review", project=secret
    )
    show(meeting, item)

    client.force_login(world.member)
    html = live(client, meeting)
    assert "This project is confidential" in html
    assert "Fuite du projet de fusion" not in html and "Top risks" not in html

    client.force_login(world.pmo)
    assert "Fuite du projet de fusion" in live(client, meeting)


def test_the_live_page_shows_the_escalated_risks_card(client, world, meeting, escalated):
    services.mitigation_action_create(
        risk=escalated,
        title="Qualifier un second éditeur",
        owner=world.pm,
        due_date=timezone.localdate() - timedelta(days=2),
        by=world.pm,
    )
    [proposal] = risk_proposals(meeting)
    item = governance.agenda_accept(meeting=meeting, proposal=proposal)
    show(meeting, item)
    client.force_login(world.member)

    html = live(client, meeting)

    assert escalated.get_absolute_url() in html
    assert "Arbitrer un fournisseur de secours." in html
    assert "Le fournisseur a perdu deux développeurs clés." in html  # cause
    assert "Mise en production décalée d&#x27;un trimestre." in html  # effect
    assert "Score over time" in html and "<polyline" in html  # 12 then 20
    assert "Le fournisseur confirme" in html  # the assessment's note
    assert "Qualifier un second éditeur" in html and "live-overdue" in html
    assert "No decision recorded yet" in html
    # In French too, the sparkline's coordinates keep their decimal point (SVG refuses "71,2").
    french = client.get(reverse("governance:meeting_live", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    circles = re.findall(r'<circle [^>]*cx="([^"]+)" cy="([^"]+)"', french.content.decode())
    assert len(circles) == 2 and all("," not in x + y for x, y in circles)

    governance.decision_record(
        committee=meeting.committee, meeting=meeting, agenda_item=item, by=world.pmo,
        title="Qualifier un fournisseur de secours", outcome="conditional",
    )  # fmt: skip
    html = live(client, meeting)
    assert "Qualifier un fournisseur de secours" in html.split("Decisions on this escalation")[1]


def test_a_confidential_projects_escalated_risk_is_hidden_from_who_may_not_see_it(
    client, world, meeting, committee
):
    secret = ProjectFactory(code="PRJ-0666", confidential=True)
    risk = make_risk(project=secret, title="Fuite", probability=5, impact=5, cause="Cause secrète")
    services.risk_escalate(risk=risk, committee=committee, reason="Motif secret", by=world.pmo)
    item = governance.agenda_accept(meeting=meeting, proposal=risk_proposals(meeting)[0])
    show(meeting, item)

    client.force_login(world.member)
    html = live(client, meeting)
    # The agenda item (its title and reason) is the committee's, like any item about the project; the
    # risk's card is not shown.
    assert "This project is confidential" in html
    assert "Cause secrète" not in html and "Score over time" not in html

    client.force_login(world.pmo)
    assert "Cause secrète" in live(client, meeting)


def queries_for(client, meeting) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("governance:meeting_live", args=[meeting.pk])).status_code == 200
    return len(captured)


def test_the_risk_card_costs_the_same_queries_whatever_its_history(client, world, meeting, escalated):
    item = governance.agenda_accept(meeting=meeting, proposal=risk_proposals(meeting)[0])
    show(meeting, item)
    client.force_login(world.member)

    def grow(count):
        for n in range(count):
            rescored(escalated, by=world.pm, probability=1 + n % 5, impact=4, days_ago=9 - n % 9)
            services.mitigation_action_create(
                risk=escalated,
                title=f"Action {n}",
                owner=UserFactory(),
                due_date=timezone.localdate(),
                by=world.pm,
            )
            governance.decision_record(
                committee=meeting.committee,
                meeting=meeting,
                agenda_item=item,
                by=world.pmo,
                title=f"Décision {n}",
            )

    grow(2)
    few = queries_for(client, meeting)
    grow(15)

    # As the member's live page with an item without project (13, tests/governance/test_live_meeting.py,
    # less the project's trend and milestones), and the risk card: the escalation with its risk, its
    # assessments, mitigation actions and the item's decisions, the risk policy.
    assert queries_for(client, meeting) == few


def test_the_top_risks_cost_the_same_queries_whatever_the_number_of_risks(client, world, meeting, project):
    item = governance.agenda_add(meeting=meeting, title="Revue", kind="project_review", project=project)
    show(meeting, item)
    client.force_login(world.member)

    def grow(count):
        for n in range(count):
            make_risk(project=project, title=f"Risque {n}", probability=1 + n % 5, impact=3)

    grow(2)
    few = queries_for(client, meeting)
    grow(20)

    assert queries_for(client, meeting) == few


# --- The decision linked back -------------------------------------------------------------------------------


def test_closing_the_meeting_links_the_decision_back_to_the_escalation(
    world, meeting, escalated, django_capture_on_commit_callbacks
):
    item = governance.agenda_accept(meeting=meeting, proposal=risk_proposals(meeting)[0])
    governance.meeting_start(meeting=meeting, by=world.pmo)
    decision = governance.decision_record(
        committee=meeting.committee, meeting=meeting, agenda_item=item, by=world.pmo,
        title="Activer le fournisseur de secours",
    )  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        governance.meeting_close(meeting=meeting, by=world.pmo)

    escalation = Escalation.objects.get(risk=escalated)
    assert escalation.decision == decision and escalation.is_decided
    assert escalated.escalations.filter(decision=decision).exists()
    later = planned_meeting(committee=meeting.committee, starts_at=timezone.now() + timedelta(days=21))
    assert risk_proposals(later) == []  # decided: no longer proposed
