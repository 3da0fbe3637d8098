"""Bad input on governance's forms (the committee sheet with its members, planning a meeting, its agenda,
editing and correcting a decision, its implementation, an action's update, and the live page's decision
and action forms): a form error or a saved value shown, never an error page, never half a save.
How the input is drawn and what the answer must be: tests/bad_input.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import example, given

from governance import services
from governance.models import Action, AgendaItem, Committee, Decision, Meeting
from tests.bad_input import (
    answer,
    bounded,
    changes,
    choice,
    day,
    form_errors,
    many,
    moment,
    number,
    over,
    rolled_back,
    text,
    values,
)
from tests.factories import planned_meeting
from tests.governance.test_committees import sheet
from tests.security.objects import build

pytestmark = pytest.mark.django_db

PEOPLE = ("@pm", "@pmo", "@member", "@executive")


@pytest.fixture
def objects(world):
    objects = build(world)
    # A meeting sitting now, for the live page's forms.
    objects.live = planned_meeting(
        committee=objects.committee, by=world.pmo, starts_at=timezone.now() - timedelta(minutes=30)
    )
    item = services.agenda_add(
        meeting=objects.live,
        title="Revue DSI-001",
        kind=AgendaItem.Kind.PROJECT_REVIEW,
        project=objects.project,
    )
    services.meeting_start(meeting=objects.live, by=world.pmo)
    objects.refs = {
        "@pm": world.pm.pk,
        "@pmo": world.pmo.pk,
        "@member": world.member.pk,
        "@executive": world.executive.pk,
        "@it": world.it.pk,
        "@project": objects.project.pk,
        "@secret": objects.secret.pk,
        "@decision": objects.decision.pk,
        "@item": item.pk,
    }
    return objects


# --- The committee sheet ----------------------------------------------------------------------------------

COMMITTEE = {
    **dict.fromkeys(("name", "code", "mandate"), text),
    "kind": choice("steering", "project", "portfolio", "technical", "executive"),
    "chair": choice(*PEOPLE),
    "secretary": choice(*PEOPLE),
    "cadence": choice("weekly", "fortnightly", "monthly", "quarterly", "ad_hoc"),
    "quorum": number,
    "scope_projects": many("@project", "@secret"),
    "scope_directorate": choice("@it"),
    "members-TOTAL_FORMS": number,
    "members-INITIAL_FORMS": number,
    "members-0-user": choice(*PEOPLE),
    "members-0-role": choice("voting", "advisory", "guest"),
    "members-1-user": choice(*PEOPLE),
    "members-1-DELETE": choice("on"),
}


@bounded(40)
@given(drawn=changes(COMMITTEE))
def test_a_new_committee_sheet_answers_any_input_with_an_error_or_a_created_committee(
    client, world, objects, drawn
):
    client.force_login(world.pmo)
    with rolled_back():
        answer(client, "/governance/committees/new/", over(sheet(world), drawn, objects.refs))


@bounded(30)
@given(drawn=changes(COMMITTEE))
# Was a 500 (IntegrityError): a new line for someone who already sits on the committee.
@example(drawn={"members-0-user": "@member"})
def test_an_edited_committee_sheet_answers_any_input_with_an_error_or_a_saved_committee(
    client, world, objects, drawn
):
    client.force_login(world.pmo)
    committee = objects.committee
    # Its sheet as it is, adding the project manager (its existing member is not on the sheet's lines).
    current = {
        **{key: value for key, value in sheet(world).items() if not key.startswith("members-")},
        "code": committee.code,
        "name": committee.name,
        "members-TOTAL_FORMS": 1,
        "members-INITIAL_FORMS": 0,
        "members-0-user": world.pm.pk,
        "members-0-role": "voting",
    }
    with rolled_back():
        answer(
            client,
            f"/governance/committees/{committee.code}/edit/",
            over(current, drawn, objects.refs),
            state=lambda: values(Committee, committee.pk),
        )


# --- Meetings and their agenda ----------------------------------------------------------------------------

MEETING_FORM = {
    "starts_at": (timezone.localtime() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
    "planned_minutes": "120",
    "location": "Salle du conseil",
    "video_link": "",
    "title": "",
}
MEETING = {
    "starts_at": moment,
    "planned_minutes": number,
    "location": text,
    "video_link": choice("https://visio.example/abc", "javascript:alert(1)", "http://[::1", "ftp://x"),
    "title": text,
}


@bounded(40)
@given(drawn=changes(MEETING))
def test_planning_a_meeting_answers_any_input_with_an_error_or_a_planned_meeting(
    client, world, objects, drawn
):
    client.force_login(world.pmo)
    with rolled_back():
        answer(
            client,
            f"/governance/committees/{objects.committee.code}/meetings/new/",
            over(MEETING_FORM, drawn),
        )


@bounded(30)
@given(drawn=changes(MEETING))
def test_editing_a_meeting_answers_any_input_with_an_error_or_a_saved_meeting(client, world, objects, drawn):
    client.force_login(world.pmo)
    meeting = objects.meeting
    with rolled_back():
        answer(
            client,
            f"/governance/meetings/{meeting.pk}/edit/",
            over(MEETING_FORM, drawn),
            state=lambda: values(Meeting, meeting.pk),
        )


AGENDA_FORM = {"kind": "information", "title": "Point budgétaire", "planned_minutes": "15", "presenter": ""}
AGENDA = {
    "kind": choice("project_review", "decision_request", "information", "other"),
    "title": text,
    "planned_minutes": number,
    "presenter": choice(*PEOPLE),
    "project": choice("@project", "@secret"),
}


@bounded(30)
@given(drawn=changes(AGENDA))
def test_adding_an_agenda_item_answers_any_input_with_an_error_or_the_new_agenda(
    client, world, objects, drawn
):
    client.force_login(world.pmo)
    with rolled_back():
        answer(
            client,
            f"/governance/meetings/{objects.meeting.pk}/agenda/add/",
            over(AGENDA_FORM, drawn, objects.refs),
            htmx=True,
        )


# --- Decisions and actions --------------------------------------------------------------------------------

DECISION_FORM = {
    "title": "Lot 2 validé",
    "description": "",
    "options_considered": "",
    "rationale": "",
    "outcome": "approved",
    "conditions": "",
    "project": "@project",
    "implementation_due": "",
}
DECISION = {
    **dict.fromkeys(("title", "description", "options_considered", "rationale", "conditions"), text),
    "outcome": choice("approved", "conditional", "deferred", "rejected"),
    "project": choice("@project", "@secret"),
    "implementation_due": day,
}


@bounded(30)
@given(drawn=changes(DECISION))
def test_editing_a_decision_answers_any_input_with_an_error_or_a_saved_decision(
    client, world, objects, drawn
):
    client.force_login(world.pmo)
    decision = objects.decision
    with rolled_back():
        answer(
            client,
            f"/governance/decisions/{decision.reference}/edit/",
            over(DECISION_FORM, drawn, objects.refs),
            state=lambda: values(Decision, decision.pk),
        )


@bounded(30)
@given(drawn=changes({**DECISION, "decided_on": day}))
def test_correcting_a_decision_answers_any_input_with_an_error_or_a_correction(client, world, objects, drawn):
    client.force_login(world.pmo)
    decision = objects.decision
    form = {**DECISION_FORM, "decided_on": timezone.localdate().isoformat()}
    with rolled_back():
        answer(
            client,
            f"/governance/decisions/{decision.reference}/correct/",
            over(form, drawn, objects.refs),
            state=lambda: values(Decision, decision.pk),
        )


ACTION = {"state": choice("open", "in_progress", "done", "cancelled"), "note": text, "next": text}


@bounded(30)
@given(drawn=changes(ACTION))
@example(drawn={"next": "<script>alert(1)</script>"})  # was a redirect to a page that does not exist
@example(drawn={"next": "/governance/actions/\x00/"})
def test_updating_an_action_answers_any_input_with_an_error_or_a_saved_state(client, world, objects, drawn):
    client.force_login(world.pm)
    action = objects.action
    with rolled_back():
        answer(
            client,
            f"/governance/actions/{action.reference}/update/",
            over({"state": "in_progress", "note": ""}, drawn),
            state=lambda: values(Action, action.pk),
            refused=(400,),
        )


LIVE_DECISION = {
    **{f"decision-{name}": text for name in ("title", "description", "rationale", "conditions")},
    "decision-outcome": choice("approved", "conditional", "deferred", "rejected"),
    "decision-item": choice("@item"),
}
LIVE_ACTION = {
    "action-title": text,
    "action-owner": choice(*PEOPLE),
    "action-due_date": day,
    "action-description": text,
    "action-decision": choice("@decision"),
    "action-item": choice("@item"),
}


def told_or_not_found(response) -> bool:
    """The form's errors, or 404 for an agenda item that is not one of the meeting's (a hidden field)."""
    return response.status_code == 404 or bool(form_errors(response))


@bounded(30)
@given(drawn=changes(LIVE_DECISION))
def test_the_live_decision_form_answers_any_input_with_an_error_or_a_recorded_decision(
    client, world, objects, drawn
):
    client.force_login(world.pmo)
    form = {"decision-title": "Budget accordé", "decision-outcome": "approved", "decision-item": ""}
    with rolled_back():
        answer(
            client,
            f"/governance/meetings/{objects.live.pk}/live/decisions/",
            over(form, drawn, objects.refs),
            htmx=True,
            refused=(200, 404),
            told=told_or_not_found,
        )


@bounded(30)
@given(drawn=changes(LIVE_ACTION))
def test_the_live_action_form_answers_any_input_with_an_error_or_a_recorded_action(
    client, world, objects, drawn
):
    client.force_login(world.pmo)
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    form = {"action-title": "Chiffrer", "action-owner": "@pm", "action-due_date": due, "action-item": ""}
    with rolled_back():
        answer(
            client,
            f"/governance/meetings/{objects.live.pk}/live/actions/",
            over(form, drawn, objects.refs),
            htmx=True,
            refused=(200, 404),
            told=told_or_not_found,
        )
