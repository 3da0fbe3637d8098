"""Minutes that are a faithful record: an item never opened is "not discussed", closing warns about it
first, and it comes back to the committee's next meeting unless the PMO withdraws it, saying why."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from governance import services
from governance.models import AgendaItem, Meeting
from governance.selectors import agenda_proposals
from governance.services import GovernanceError
from tests.governance.scenarios import meeting_with_two_items_not_discussed

pytestmark = pytest.mark.django_db


def english_day(moment) -> str:
    with translation.override("en"):
        return date_format(timezone.localtime(moment).date(), "SHORT_DATE_FORMAT")


def test_items_never_opened_and_with_nothing_recorded_are_the_ones_not_discussed(world):
    held = meeting_with_two_items_not_discussed(world)

    not_discussed = list(held.meeting.items.not_discussed().order_by("order"))

    assert not_discussed == held.not_discussed
    assert held.meeting.items.with_discussion().filter(discussed=True).count() == 3


def test_closing_lists_the_items_not_discussed_and_asks_to_confirm(client, world):
    held = meeting_with_two_items_not_discussed(world, close=False)
    client.force_login(world.pmo)
    url = reverse("governance:meeting_close", args=[held.meeting.pk])

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    refused = client.post(url, HTTP_ACCEPT_LANGUAGE="en")  # a close that did not see the list

    for response in (page, refused):
        html = response.content.decode()
        assert response.status_code == 200
        assert "2 items were not discussed" in html
        for item in held.not_discussed:
            assert item.title in html
        assert "gate awaiting a decision" in html
    held.meeting.refresh_from_db()
    assert held.meeting.state == Meeting.State.IN_PROGRESS  # nothing closed, nothing lost

    key = refused.context["closing"].key
    closed = client.post(url, {"acknowledged": key})

    held.meeting.refresh_from_db()
    assert closed.status_code == 302 and held.meeting.is_closed


def test_closing_warns_again_when_the_list_changed_since_it_was_shown(client, world):
    held = meeting_with_two_items_not_discussed(world, close=False)
    client.force_login(world.pmo)
    url = reverse("governance:meeting_close", args=[held.meeting.pk])
    seen = client.get(url).context["closing"].key
    services.meeting_show_item(meeting=held.meeting, item=held.not_discussed[1])

    response = client.post(url, {"acknowledged": seen})

    held.meeting.refresh_from_db()
    assert response.status_code == 200 and not held.meeting.is_closed
    assert list(response.context["closing"].not_discussed) == held.not_discussed[:1]


def test_the_live_pages_close_dialog_lists_them_too(client, world):
    held = meeting_with_two_items_not_discussed(world, close=False)
    client.force_login(world.pmo)

    html = client.get(reverse("governance:meeting_live", args=[held.meeting.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = html.content.decode()

    dialog = html[html.index('id="live-close"') :]
    for item in held.not_discussed:
        assert item.title in dialog
    assert f'name="acknowledged" value="{",".join(str(i.pk) for i in held.not_discussed)}"' in dialog


def test_a_meeting_where_everything_was_discussed_closes_at_once(client, world):
    held = meeting_with_two_items_not_discussed(world, close=False)
    for item in held.not_discussed:
        services.meeting_show_item(meeting=held.meeting, item=item)
    services.gate_review_decide(
        review=held.undecided,
        outcome="go",
        by=world.pmo,
        meeting=held.meeting,
        agenda_item=held.not_discussed[0],
    )
    client.force_login(world.pmo)

    response = client.post(reverse("governance:meeting_close", args=[held.meeting.pk]))

    held.meeting.refresh_from_db()
    assert response.status_code == 302 and held.meeting.is_closed


def test_the_next_meetings_preparation_proposes_them_saying_where_they_come_from(client, world):
    held = meeting_with_two_items_not_discussed(world)
    client.force_login(world.pmo)

    page = client.get(held.following.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    html = page.content.decode()
    proposals = html[html.index('id="proposals"') :]
    day = english_day(held.meeting.starts_at)
    for item in held.not_discussed:
        assert item.title in proposals
    assert proposals.count(f"Not discussed at the meeting of {day}") == 2
    assert held.meeting.get_absolute_url() in proposals
    # The undecided gate is proposed once, as the item left behind, not a second time as a pending gate.
    keys = [proposal.key for proposal in page.context["proposals"]]
    assert f"gate-{held.undecided.pk}" not in keys
    assert {f"carried-{item.pk}" for item in held.not_discussed} <= set(keys)


def test_taking_them_up_links_the_new_items_and_the_minutes_say_where_they_went(client, world):
    held = meeting_with_two_items_not_discussed(world)
    client.force_login(world.pmo)

    client.post(reverse("governance:agenda_accept", args=[held.following.pk]), {"key": "all"})

    carried = {item.carried_from_id: item for item in held.following.items.exclude(carried_from=None)}
    assert set(carried) == {item.pk for item in held.not_discussed}
    gate = carried[held.not_discussed[0].pk]
    assert gate.gate_review == held.undecided and gate.kind == AgendaItem.Kind.STAGE_GATE
    assert not [p for p in agenda_proposals(held.following, today=timezone.localdate()) if p.carried_from]
    minutes = client.get(held.meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    day = english_day(held.following.starts_at)
    assert minutes.count(f"Put back on the agenda of the meeting of {day}") == 2


def test_the_pmo_withdraws_one_with_a_reason_that_the_minutes_show(client, world):
    held = meeting_with_two_items_not_discussed(world)
    info = held.not_discussed[1]
    client.force_login(world.pmo)
    url = reverse("governance:agenda_withdraw", args=[held.following.pk])

    client.post(url, {"key": f"carried-{info.pk}", "reason": "   "})
    info.refresh_from_db()
    assert info.withdrawn_at is None  # no reason, no withdrawal

    client.post(url, {"key": f"carried-{info.pk}", "reason": "Présenté en comité de direction"})

    info.refresh_from_db()
    assert (info.withdrawn_by, info.withdrawn_reason) == (world.pmo, "Présenté en comité de direction")
    keys = {p.key for p in agenda_proposals(held.following, today=timezone.localdate())}
    assert f"carried-{info.pk}" not in keys and f"carried-{held.not_discussed[0].pk}" in keys
    minutes = client.get(held.meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Withdrawn from the agenda by" in minutes and "Présenté en comité de direction" in minutes


def test_only_an_item_not_discussed_can_be_withdrawn(world):
    held = meeting_with_two_items_not_discussed(world)

    with pytest.raises(GovernanceError):
        services.agenda_withdraw(item=held.minuted, reason="Hors sujet", by=world.pmo)


def test_a_gate_conditions_action_is_raised_under_the_gate_item(world):
    held = meeting_with_two_items_not_discussed(world)

    action = held.decision.actions.get()

    assert action.agenda_item == held.gate_item


def test_the_code_is_not_printed_twice_before_a_title_that_names_it(world):
    held = meeting_with_two_items_not_discussed(world)

    assert held.review.shown_code == "" and held.gate_item.shown_code == ""
    assert held.minuted.shown_code == held.minuted.project.code
