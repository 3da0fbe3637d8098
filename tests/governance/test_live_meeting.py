"""The live meeting page: who may read and run it, recording inline, screens kept in sync by polling."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import Action, AgendaItem, Attendance, Decision, GateCriterion, GateReview, Meeting
from portfolio.models import Milestone, Phase
from tests.factories import (
    CommitteeFactory,
    ProjectFactory,
    StatusReportFactory,
    UserFactory,
    planned_meeting,
)

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def committee(world):
    return CommitteeFactory(name="COPIL Transformation", members=[world.member], quorum=1)


@pytest.fixture
def project(world):
    project = ProjectFactory(code="PRJ-0042", name="Refonte du portail client", directorate=world.it)
    for weeks_ago in (2, 1, 0):
        StatusReportFactory(
            project=project,
            weeks_ago=weeks_ago,
            slipping=True,
            percent_complete=Decimal("45"),
            summary="Recette utilisateur en cours.",
            help_needed="Arbitrage du comité sur le périmètre.",
        )
    today = timezone.localdate()
    Milestone.objects.create(
        project=project,
        name="Recette",
        baseline_date=today + timedelta(days=10),
        forecast_date=today + timedelta(days=40),
    )
    return project


@pytest.fixture
def meeting(world, committee, project):
    meeting = planned_meeting(committee=committee, by=world.pmo, title="COPIL de mars")
    services.agenda_add(
        meeting=meeting, title="Revue du portail", kind=AgendaItem.Kind.PROJECT_REVIEW, project=project
    )
    services.agenda_add(meeting=meeting, title="Questions diverses")
    return meeting


@pytest.fixture
def started(world, meeting):
    services.meeting_start(meeting=meeting, by=world.pmo)
    meeting.refresh_from_db()
    return meeting


def url(name, meeting, *args):
    return reverse(f"governance:{name}", args=[meeting.pk, *args])


def live(client, meeting):
    return client.get(url("meeting_live", meeting), **EN)


# --- Who may read, who may run ----------------------------------------------------------------------


def test_a_committee_member_reads_the_live_page_without_any_form(client, world, started):
    client.force_login(world.member)

    response = live(client, started)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Revue du portail" in html
    assert "PRJ-0042" in html
    assert "Recette utilisateur en cours." in html
    assert "live_poll" not in html and url("live_poll", started) in html
    assert url("live_decision", started) not in html
    assert url("meeting_close", started) not in html
    assert "<textarea" not in html


def test_the_pmo_sees_the_recording_forms_and_the_agenda_as_buttons(client, world, started):
    client.force_login(world.pmo)

    html = live(client, started).content.decode()

    assert url("live_decision", started) in html
    assert url("live_action", started) in html
    assert url("live_show_item", started, started.items.last().pk) in html
    assert 'id="live-minutes-text"' in html
    assert url("meeting_close", started) in html


def test_an_outsider_gets_404_on_the_page_the_poll_and_every_write(client, world, started):
    client.force_login(world.other_pm)
    item = started.items.first()
    attendance = started.attendances.first()

    assert live(client, started).status_code == 404
    assert client.get(url("live_poll", started) + "?rev=0").status_code == 404
    for path in [
        url("meeting_start", started),
        url("meeting_close", started),
        url("live_show_item", started, item.pk),
        url("live_attendance", started, attendance.pk),
        url("live_decision", started),
        url("live_action", started),
        url("live_minutes", started, item.pk),
        url("live_gate", started, item.pk),
    ]:
        assert client.post(path).status_code == 404, path


@pytest.mark.parametrize("reader", ["member", "executive"])
def test_a_reader_who_writes_gets_403_and_nothing_changes(client, world, started, reader):
    client.force_login(getattr(world, reader))
    item = started.items.last()
    attendance = started.attendances.first()
    revision = started.revision

    for path, data in [
        (url("meeting_close", started), {}),
        (url("live_show_item", started, item.pk), {}),
        (url("live_attendance", started, attendance.pk), {"status": "present"}),
        (url("live_decision", started), {"decision-title": "Go", "decision-outcome": "approved"}),
        (url("live_action", started), {"action-title": "Relancer"}),
        (url("live_minutes", started, item.pk), {"minutes": "Notes"}),
    ]:
        assert client.post(path, data).status_code == 403, path

    started.refresh_from_db()
    assert started.revision == revision
    assert started.state == Meeting.State.IN_PROGRESS
    assert not Decision.objects.exists()


def test_the_committee_secretary_runs_the_meeting(client, world, meeting):
    client.force_login(meeting.committee.secretary)

    response = client.post(url("meeting_start", meeting))

    assert response.status_code == 302
    assert response.url == url("meeting_live", meeting)
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.IN_PROGRESS
    assert meeting.current_item == meeting.items.first()


def test_writes_refuse_get(client, world, started):
    client.force_login(world.pmo)

    assert client.get(url("meeting_start", started)).status_code == 405
    # Closing's GET is the page that asks to confirm: it closes nothing.
    assert client.get(url("meeting_close", started)).status_code == 200
    started.refresh_from_db()
    assert started.state == Meeting.State.IN_PROGRESS
    assert client.get(url("live_show_item", started, started.items.first().pk)).status_code == 405


# --- Running the meeting ----------------------------------------------------------------------------


def test_a_planned_meeting_shows_the_start_button_then_starting_puts_the_first_item_on_screen(
    client, world, meeting
):
    client.force_login(world.pmo)
    html = live(client, meeting).content.decode()
    assert "Start the meeting" in html
    assert "The meeting has not started yet" in html
    assert url("live_decision", meeting) not in html

    client.post(url("meeting_start", meeting))

    html = live(client, meeting).content.decode()
    assert "In session" in html
    assert 'id="live-item-title">Revue du portail<' in html
    assert "Item 1 of 2" in html


def test_showing_an_item_moves_every_screen_to_it(client, world, started):
    client.force_login(world.pmo)
    other = started.items.last()
    revision = started.revision

    response = client.post(url("live_show_item", started, other.pk), HTTP_HX_REQUEST="true", **EN)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="live-item-title">Questions diverses<' in html
    assert 'hx-swap-oob="true"' in html
    started.refresh_from_db()
    assert started.current_item == other
    assert started.revision > revision
    first = started.items.first()
    assert first.ended_at is not None  # the item left has its end time
    other.refresh_from_db()
    assert other.started_at is not None


def test_an_item_of_another_meeting_cannot_be_shown(client, world, started, committee):
    other_meeting = planned_meeting(committee=committee, by=world.pmo)
    foreign = services.agenda_add(meeting=other_meeting, title="Ailleurs")
    client.force_login(world.pmo)

    assert client.post(url("live_show_item", started, foreign.pk)).status_code == 404


def test_attendance_is_recorded_and_the_quorum_follows(client, world, started):
    client.force_login(world.pmo)
    line = started.attendances.get(user=world.member)
    html = live(client, started).content.decode()
    assert "Quorum 0 / 1" in html

    response = client.post(url("live_attendance", started, line.pk), {"status": "present"}, **EN)

    assert response.status_code == 200
    assert "Quorum 1 / 1" in response.content.decode()
    line.refresh_from_db()
    assert line.status == Attendance.Status.PRESENT

    client.post(
        url("live_attendance", started, line.pk), {"status": "represented", "represented_by": "M. Idrissi"}
    )
    line.refresh_from_db()
    assert (line.status, line.represented_by) == ("represented", "M. Idrissi")


def test_a_decision_is_recorded_inline_for_the_item_and_its_project(client, world, started, project):
    client.force_login(world.pmo)
    item = started.current_item

    response = client.post(
        url("live_decision", started),
        {
            "decision-item": item.pk,
            "decision-title": "Reporter la mise en production",
            "decision-outcome": "approved",
            "decision-rationale": "La recette n'est pas terminée.",
        },
        **EN,
    )

    assert response.status_code == 200
    decision = Decision.objects.get()
    assert (decision.meeting, decision.agenda_item, decision.project) == (started, item, project)
    assert decision.recorded_by == world.pmo
    html = response.content.decode()
    assert html.startswith('\n<div id="live-decision-form"')  # the form, blank again, is the main swap
    assert 'value="Reporter' not in html.split('id="live-decisions"')[0]
    assert decision.reference in html  # the list, out of band


def test_a_decision_with_errors_keeps_what_was_typed(client, world, started):
    client.force_login(world.pmo)

    response = client.post(
        url("live_decision", started),
        {
            "decision-item": started.current_item.pk,
            "decision-title": "",
            "decision-outcome": "conditional",
            "decision-rationale": "Texte saisi à garder",
        },
        **EN,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in html
    assert "Say which conditions the approval comes with." in html
    assert "Texte saisi à garder" in html
    assert 'class="collapse show"' in html
    assert not Decision.objects.exists()


def test_a_decision_on_a_closed_meeting_is_refused(client, world, started):
    services.meeting_close(meeting=started, by=world.pmo)
    client.force_login(world.pmo)

    response = client.post(
        url("live_decision", started),
        {"decision-title": "Trop tard", "decision-outcome": "approved"},
        **EN,
    )

    assert response.status_code == 200
    assert "This meeting is closed." in response.content.decode()
    assert not Decision.objects.exists()


def test_an_action_is_assigned_inline_with_committee_members_listed_first(client, world, started, project):
    client.force_login(world.pmo)
    decision = services.decision_record(
        committee=started.committee,
        meeting=started,
        agenda_item=started.current_item,
        by=world.pmo,
        title="Go",
    )
    html = live(client, started).content.decode()
    owner_select = html.split('name="action-owner"')[1].split("</select>")[0]
    assert owner_select.index("Committee members") < owner_select.index("Other people")
    assert owner_select.index(f'value="{world.member.pk}"') < owner_select.index(f'value="{world.pm.pk}"')

    due = timezone.localdate() + timedelta(days=14)
    response = client.post(
        url("live_action", started),
        {
            "action-item": started.current_item.pk,
            "action-title": "Planifier la recette",
            "action-owner": world.member.pk,
            "action-due_date": due.isoformat(),
            "action-decision": decision.pk,
        },
        **EN,
    )

    assert response.status_code == 200
    action = Action.objects.get()
    assert (action.owner, action.due_date, action.project, action.decision) == (
        world.member,
        due,
        project,
        decision,
    )
    assert action.agenda_item == started.current_item
    assert action.meeting == started
    assert "Planifier la recette" in response.content.decode()


def test_an_action_without_owner_or_date_stays_in_the_form(client, world, started):
    client.force_login(world.pmo)

    response = client.post(url("live_action", started), {"action-title": "Relancer le fournisseur"}, **EN)

    html = response.content.decode()
    assert "This field is required." in html
    assert 'value="Relancer le fournisseur"' in html
    assert not Action.objects.exists()


def test_minutes_are_saved_as_they_are_typed(client, world, started):
    client.force_login(world.pmo)
    item = started.current_item

    response = client.post(
        url("live_minutes", started, item.pk), {"minutes": "Le comité demande un plan B."}, **EN
    )

    assert response.status_code == 200
    assert "Saved" in response.content.decode()
    item.refresh_from_db()
    assert item.minutes == "Le comité demande un plan B."
    client.force_login(world.member)
    assert "Le comité demande un plan B." in live(client, started).content.decode()


def test_an_action_to_follow_up_changes_state_inline(client, world, committee, started):
    earlier = Action.objects.create(
        reference="ACT-2020-0001",
        title="Action d'avant",
        owner=world.member,
        due_date=timezone.localdate() - timedelta(days=3),
        committee=committee,
        follow_up_meeting=started,
    )
    client.force_login(world.pmo)
    html = live(client, started).content.decode()
    assert "Action d&#x27;avant" in html
    assert "Overdue" in html

    response = client.post(url("live_action_state", started, earlier.pk), {"state": "done"}, **EN)

    assert response.status_code == 200
    earlier.refresh_from_db()
    assert earlier.state == Action.State.DONE


def test_closing_asks_for_confirmation_then_leaves_a_read_only_page(client, world, started):
    client.force_login(world.pmo)
    page = live(client, started).content.decode()
    assert 'id="live-close-modal"' in page
    # The dialog names what was not discussed (here the items after the first), and posts what it named.
    acknowledged = re.search(r'name="acknowledged" value="([0-9,]*)"', page).group(1)

    response = client.post(url("meeting_close", started), {"acknowledged": acknowledged})

    assert response.status_code == 302
    started.refresh_from_db()
    assert started.state == Meeting.State.CLOSED
    html = live(client, started).content.decode()
    assert "This meeting is closed." in html
    assert url("live_decision", started) not in html
    assert "<textarea" not in html
    assert 'hx-trigger="every 2s"' not in html


# --- Screens in sync -------------------------------------------------------------------------------


def test_the_poll_answers_204_while_nothing_changed_and_the_regions_once_something_did(
    client, world, started
):
    client.force_login(world.member)
    poll = url("live_poll", started)

    assert client.get(f"{poll}?rev={started.revision}").status_code == 204

    services.decision_record(
        committee=started.committee,
        meeting=started,
        agenda_item=started.current_item,
        by=world.pmo,
        title="Go",
    )
    started.refresh_from_db()
    response = client.get(f"{poll}?rev={started.revision - 1}", **EN)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Go" in html and "DEC-" in html
    assert f"rev={started.revision}" in html
    # The revision the answer shows, so that a screen drops an answer overtaken by a newer one.
    assert response["X-Live-Revision"] == str(started.revision)
    for region in (
        "live-agenda",
        "live-attendance",
        "live-item",
        "live-decisions",
        "live-actions",
        "live-poller",
    ):
        assert f'id="{region}" ' in html or f'id="{region}"' in html
    assert html.count('hx-swap-oob="true"') >= 10


# --- Stage gates -----------------------------------------------------------------------------------


@pytest.fixture
def gate_item(world, started, project):
    phases = list(Phase.objects.order_by("order")[:2])
    project.phase = phases[0]
    project.save(update_fields=["phase"])
    GateCriterion.objects.create(phase=phases[0], text="Budget validé", text_en="Budget approved", order=1)
    GateCriterion.objects.create(phase=phases[0], text="Risques revus", text_en="Risks reviewed", order=2)
    review = services.gate_review_request(project=project, committee=started.committee, by=world.pm)
    item = services.agenda_add(
        meeting=started,
        title="Passage de jalon",
        kind=AgendaItem.Kind.STAGE_GATE,
        project=project,
        gate_review=review,
    )
    services.meeting_show_item(meeting=started, item=item)
    return item


def test_a_gate_item_shows_its_checklist_and_the_decision_moves_the_project_on(
    client, world, started, gate_item
):
    client.force_login(world.pmo)
    review = gate_item.gate_review
    first = GateCriterion.objects.get(text_en="Budget approved")
    second = GateCriterion.objects.get(text_en="Risks reviewed")
    html = live(client, started).content.decode()
    assert "Budget approved" in html and "Risks reviewed" in html
    assert url("live_gate", started, gate_item.pk) in html

    due = timezone.localdate() + timedelta(days=30)
    response = client.post(
        url("live_gate", started, gate_item.pk),
        {
            "gate-outcome": "conditional",
            "gate-rationale": "Dossier solide.",
            f"gate-met_{first.pk}": "yes",
            f"gate-met_{second.pk}": "no",
            f"gate-comment_{second.pk}": "À compléter",
            "gate-condition_0_title": "Compléter le registre des risques",
            "gate-condition_0_owner": world.member.pk,
            "gate-condition_0_due_date": due.isoformat(),
            "gate-condition_1_title": "",  # a blank row is ignored
        },
        **EN,
    )

    assert response.status_code == 200
    review.refresh_from_db()
    assert (review.state, review.outcome) == (GateReview.State.DECIDED, GateReview.Outcome.GO_WITH_CONDITIONS)
    gate_item.project.refresh_from_db()
    assert gate_item.project.phase == review.to_phase
    action = Action.objects.get()
    assert (action.title, action.owner, action.due_date) == (
        "Compléter le registre des risques",
        world.member,
        due,
    )
    assert action.decision == review.decision
    checks = {c.criterion_id: (c.met, c.comment) for c in review.checks.all()}
    assert checks[first.pk] == (True, "") and checks[second.pk] == (False, "À compléter")
    assert "Go with conditions" in response.content.decode()


def test_a_gate_decision_the_rules_refuse_is_shown_in_the_form(client, world, started, gate_item):
    client.force_login(world.pmo)

    response = client.post(
        url("live_gate", started, gate_item.pk),
        {
            "gate-outcome": "conditional",
            "gate-rationale": "Texte gardé",
            "gate-condition_1_owner": world.member.pk,
        },
        **EN,
    )

    html = response.content.decode()
    assert "Say what the condition is." in html
    assert "Texte gardé" in html
    gate_item.gate_review.refresh_from_db()
    assert gate_item.gate_review.state == GateReview.State.PENDING

    response = client.post(url("live_gate", started, gate_item.pk), {"gate-outcome": "conditional"}, **EN)
    assert "Go with conditions needs at least one condition." in response.content.decode()


# --- Query counts ----------------------------------------------------------------------------------


def grow(meeting, *, by, project, count: int) -> None:
    """`count` agenda items, attendees, decisions, actions and actions to follow up."""
    start = meeting.items.count()
    for n in range(start, start + count):
        user = UserFactory()
        Attendance.objects.create(meeting=meeting, user=user, status="present")
        item = AgendaItem.objects.create(meeting=meeting, title=f"Point {n}", order=100 + n, project=project)
        decision = services.decision_record(
            committee=meeting.committee, meeting=meeting, agenda_item=item, by=by, title=f"Décision {n}"
        )
        services.action_create(
            meeting=meeting,
            decision=decision,
            title=f"Action {n}",
            owner=user,
            due_date=timezone.localdate(),
            by=by,
        )
        Action.objects.create(
            reference=f"ACT-2000-{n:04d}",  # an earlier year's series: no clash with the service's
            title=f"Suivi {n}",
            owner=user,
            due_date=timezone.localdate(),
            committee=meeting.committee,
            follow_up_meeting=meeting,
        )


def queries_for(client, path: str, status: int = 200) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == status
    return len(captured)


@pytest.mark.parametrize(("who", "expected"), [("pmo", 16), ("member", 16)])
def test_live_page_query_count_is_the_same_for_3_and_30_rows(client, world, started, project, who, expected):
    client.force_login(getattr(world, who))
    grow(started, by=world.pmo, project=project, count=3)
    path = url("meeting_live", started)
    few = queries_for(client, path)
    grow(started, by=world.pmo, project=project, count=27)

    # 1 session, 2 user, 3 groups (roles); 4 the meeting with its committee (visible_to); 5 may the user
    # run it (managed_by); 6 the agenda with presenters, projects, their last report and phase, gate
    # reviews; 7 the attendance with users; 8 the decisions, 9 the actions, 10 the actions to follow up
    # (each joined with what it shows); 11 the confidential projects the user may not see (the veil of
    # governance.confidential; not asked for the PMO, who sees every project); 12 the current item's
    # trend, 13 its milestones; the risks app's extra (governance.extensions): 14 may the user see the
    # project, 15 the risk policy, 16 the project's top risks; 17 for those who run the meeting, the
    # people who may own an action.
    assert queries_for(client, path) == few == expected


def test_the_poll_costs_one_query_beyond_the_session_when_nothing_changed(client, world, started, project):
    client.force_login(world.member)
    grow(started, by=world.pmo, project=project, count=3)
    started.refresh_from_db()
    poll = url("live_poll", started)

    # session, user, groups (roles: who may see the meeting), the revision of the meeting.
    assert queries_for(client, f"{poll}?rev={started.revision}", status=204) == 4

    few = queries_for(client, f"{poll}?rev=0")
    grow(started, by=world.pmo, project=project, count=27)
    # A change: the revision, then the same queries as the member's page (with the project's top risks).
    assert queries_for(client, f"{poll}?rev=0") == few == 17
