"""Change requests on committee agendas: proposed to the committee that decides them (once, until a meeting
takes them up), shown on the live page, and decided by the decision recorded on their item."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from governance import services
from governance.models import AgendaItem, Meeting
from governance.selectors import agenda_proposals
from planning.meetings import change_request_card, change_requests
from planning.models import Baseline, ChangeRequest
from pmo.texts import Text
from portfolio.models import ProjectDependency
from tests.factories import ProjectFactory, planned_meeting
from tests.planning.scenarios import EN, change_control, on_agenda, raise_change, record_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world):
    return change_control(world)


def proposed(meeting) -> list[str]:
    """The subject keys of what the meeting's preparation proposes."""
    meeting = Meeting.objects.select_related("committee").get(pk=meeting.pk)
    return [p.key for p in agenda_proposals(meeting, today=timezone.localdate())]


def started(world, meeting) -> Meeting:
    services.meeting_start(meeting=meeting, by=world.pmo)
    meeting.refresh_from_db()
    return meeting


# --- Decided in the meeting ------------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", ["approved", "conditional"])
def test_an_approval_recorded_on_the_item_applies_the_request_as_the_next_baseline(
    client, world, plan, outcome
):
    change_request = raise_change(world, plan)
    meeting, item = on_agenda(client, world, plan, change_request)
    started(world, meeting)

    record_decision(client, meeting, item, outcome)

    change_request.refresh_from_db()
    plan.project.refresh_from_db()
    assert change_request.state == ChangeRequest.State.APPROVED
    assert change_request.decided_by == world.pmo
    assert plan.project.baseline_version == 2
    assert Baseline.objects.get(project=plan.project, number=2).change_request == change_request


def test_deferred_leaves_it_pending_and_the_next_meeting_proposes_it_again(client, world, plan):
    change_request = raise_change(world, plan)
    meeting, item = on_agenda(client, world, plan, change_request)
    started(world, meeting)
    later = planned_meeting(
        committee=plan.committee, by=world.pmo, starts_at=timezone.now() + timedelta(weeks=3)
    )

    record_decision(client, meeting, item, "deferred")

    change_request.refresh_from_db()
    plan.project.refresh_from_db()
    assert change_request.state == ChangeRequest.State.DEFERRED and change_request.is_pending
    assert plan.project.baseline_version == 1
    key = f"change-request-{change_request.pk}"
    assert key not in proposed(later), "it waits while its meeting is still being held"
    services.meeting_close(meeting=meeting, by=world.pmo)
    assert proposed(later).count(key) == 1
    _, again = on_agenda(client, world, plan, change_request, meeting=later)
    change_request.refresh_from_db()
    assert change_request.agenda_item == again


def test_rejected_closes_it_and_the_baseline_does_not_move(client, world, plan):
    change_request = raise_change(world, plan)
    end = plan.project.baseline_end
    meeting, item = on_agenda(client, world, plan, change_request)
    started(world, meeting)

    record_decision(client, meeting, item, "rejected")

    change_request.refresh_from_db()
    plan.project.refresh_from_db()
    assert change_request.state == ChangeRequest.State.REJECTED
    assert (plan.project.baseline_version, plan.project.baseline_end) == (1, end)
    services.meeting_close(meeting=meeting, by=world.pmo)
    assert f"change-request-{change_request.pk}" not in proposed(planned_meeting(committee=plan.committee))


def test_a_decision_on_another_item_leaves_the_request_alone(client, world, plan):
    change_request = raise_change(world, plan)
    meeting, _item = on_agenda(client, world, plan, change_request)
    other = services.agenda_add(meeting=meeting, title="Questions diverses")
    started(world, meeting)

    record_decision(client, meeting, other, "approved")

    change_request.refresh_from_db()
    assert change_request.state == ChangeRequest.State.PROPOSED


# --- On the agenda -----------------------------------------------------------------------------------------


def test_a_request_comes_after_gates_and_escalated_risks_and_before_project_exceptions(world, plan):
    raise_change(world, plan)
    meeting = planned_meeting(committee=plan.committee, by=world.pmo)

    (proposal,) = change_requests(meeting, today=timezone.localdate(), items=[])

    assert proposal.kind == AgendaItem.Kind.DECISION_REQUEST
    assert proposal.presenter == world.pm
    assert 40 <= proposal.severity < 100


def test_a_request_on_the_agenda_of_a_meeting_still_to_be_held_is_not_proposed_elsewhere(client, world, plan):
    change_request = raise_change(world, plan)
    meeting, _item = on_agenda(client, world, plan, change_request)
    other = planned_meeting(
        committee=plan.committee, by=world.pmo, starts_at=timezone.now() + timedelta(weeks=2)
    )

    assert f"change-request-{change_request.pk}" not in proposed(meeting)
    assert f"change-request-{change_request.pk}" not in proposed(other)


def test_a_request_a_closed_meeting_did_not_discuss_comes_back_once_and_takes_up_its_item(
    client, world, plan
):
    change_request = raise_change(world, plan)
    meeting = planned_meeting(committee=plan.committee, by=world.pmo)
    services.agenda_add(meeting=meeting, title="Ouverture")  # on screen when the meeting starts
    meeting, item = on_agenda(client, world, plan, change_request, meeting=meeting)
    services.meeting_close(meeting=started(world, meeting), by=world.pmo)
    later = planned_meeting(
        committee=plan.committee, by=world.pmo, starts_at=timezone.now() + timedelta(weeks=3)
    )

    keys = proposed(later)

    assert keys.count(f"change-request-{change_request.pk}") == 1
    assert f"carried-{item.pk}" not in keys, "not carried over by governance as well"
    _, again = on_agenda(client, world, plan, change_request, meeting=later)
    assert again.carried_from == item  # the first meeting's minutes say where it went


def test_proposing_requests_costs_one_query_whatever_their_number(world, plan):
    meeting = planned_meeting(committee=plan.committee, by=world.pmo)

    def cost() -> int:
        with CaptureQueriesContext(connection) as captured:
            change_requests(meeting, today=timezone.localdate(), items=[])
        return len(captured)

    raise_change(world, plan)
    few = cost()
    for weeks in (3, 4, 5):
        raise_change(world, plan, weeks=weeks)

    # 1 the pending requests routed to the committee with their project and its manager
    assert len(change_requests(meeting, today=timezone.localdate(), items=[])) == 4
    assert cost() == few == 1


def test_the_item_is_worded_in_each_readers_language(world, plan):
    change_request = raise_change(world, plan)
    meeting = planned_meeting(committee=plan.committee, by=world.pmo)
    services.agenda_accept(
        meeting=meeting, proposal=change_requests(meeting, today=timezone.localdate(), items=[])[0]
    )
    item = meeting.items.get()

    title, reason = Text(item.title_key, item.title_params), Text(item.reason_key, item.reason_params)
    with translation.override("en"):
        assert str(title) == f"{change_request.reference} Décaler la mise en production (change request)"
        assert str(reason).startswith("Slips 42 days; budget +250,000")
        assert str(reason).endswith("(+10.0 %); breaks 1 dependency of another project")
    with translation.override("fr"):
        assert (
            str(title) == f"{change_request.reference} Décaler la mise en production (demande de changement)"
        )
        assert str(reason).startswith("Glisse de 42 jours ; budget +250")
        assert str(reason).endswith("(+10,0 %) ; rompt 1 dépendance d'un autre projet")


# --- The live page ---------------------------------------------------------------------------------------


def test_the_live_card_shows_the_change_and_hides_a_consumer_the_reader_may_not_see(client, world, plan):
    change_request = raise_change(world, plan)
    meeting, _item = on_agenda(client, world, plan, change_request)
    started(world, meeting)
    url = reverse("governance:meeting_live", args=[meeting.pk])

    client.force_login(world.member)
    html = client.get(url, **EN).content.decode()

    assert change_request.reference in html and "Go-live" in html and "Mise en production" in html
    assert "Other projects' dependencies it breaks" in html
    assert "+250,000 MAD (+10.0 %)" in html
    assert "a confidential project" in html
    assert "PRJ-0077" not in html and "Facturation unifiée" not in html
    client.force_login(world.pmo)
    assert "PRJ-0077" in client.get(url, **EN).content.decode()


def test_the_minutes_list_the_decision_under_the_request_s_item(client, world, plan):
    change_request = raise_change(world, plan)
    meeting, _item = on_agenda(client, world, plan, change_request)
    record_decision(client, started(world, meeting), _item, "approved", title="Feu vert")
    services.meeting_close(meeting=meeting, by=world.pmo)

    page = client.get(reverse("governance:meeting_detail", args=[meeting.pk]), **EN).content.decode()

    assert f"{change_request.reference} Feu vert" in page


def test_the_live_card_costs_the_same_queries_whatever_the_dependencies_it_breaks(client, world, plan):
    change_request = raise_change(world, plan)
    _meeting, item = on_agenda(client, world, plan, change_request)

    def cost() -> int:
        with CaptureQueriesContext(connection) as captured:
            card = change_request_card(item, user=world.member, today=timezone.localdate())
        return len(captured), len(card["breaks"])

    world.member.has_role()  # the reader's roles, loaded once by the page
    few = cost()
    for n in range(3):
        ProjectDependency.objects.create(
            from_project=ProjectFactory(),
            to_project=plan.project,
            provider_milestone=plan.go_live,
            needed_by=plan.go_live.forecast_date + timedelta(days=n + 1),
        )

    # 1 the request with its project, last report, item, resulting baseline and author, 2 its milestone
    # lines, 3 the item's decisions; the impact: 4 the project's milestones, 5 its latest status (none
    # cached on the project), 6 the dependencies on the moved ones; 7 the consumer projects the reader
    # may see.
    assert (few, cost()) == ((7, 1), (7, 4))
