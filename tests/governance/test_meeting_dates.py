"""A meeting is planned between 2000 and 2100: a date at the end of the calendar (9999-12-31) is refused,
and one saved before that rule does not break the calendars it would be in."""

from datetime import UTC, datetime

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from governance.models import CalendarFeed, Meeting
from tests.factories import CommitteeFactory, planned_meeting

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
REFUSED = "Choose a date between 01/01/2000 and 31/12/2100."


@pytest.fixture
def copil(world):
    return CommitteeFactory(code="copil", name="COPIL", secretary=world.pmo, members=[world.member])


def plan(client, committee, starts_at: str):
    url = reverse("governance:meeting_create", args=[committee.code])
    return client.post(url, {"starts_at": starts_at, "planned_minutes": 90, "location": "Salle 4"}, **EN)


@pytest.mark.parametrize(
    "starts_at", ["9999-12-31T23:59", "2101-01-01T00:00", "1999-12-31T23:59", "0001-01-01T00:00"]
)
def test_planning_a_meeting_outside_2000_to_2100_is_refused_with_the_reason(client, world, copil, starts_at):
    client.force_login(world.pmo)

    response = plan(client, copil, starts_at)

    assert response.status_code == 200 and not Meeting.objects.exists()
    assert response.context["form"].errors["starts_at"] == [REFUSED]
    assert REFUSED in response.content.decode()


@pytest.mark.parametrize("starts_at", ["2000-01-01T00:00", "2100-12-31T23:59"])
def test_the_first_and_last_days_are_plannable(client, world, copil, starts_at):
    client.force_login(world.pmo)

    assert plan(client, copil, starts_at).status_code == 302
    meeting = Meeting.objects.get()
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M") == starts_at


def test_moving_a_meeting_to_year_9999_is_refused(client, world, copil):
    meeting = planned_meeting(committee=copil, by=world.pmo)
    client.force_login(world.pmo)

    response = client.post(
        reverse("governance:meeting_edit", args=[meeting.pk]),
        {"starts_at": "9999-12-31T23:59", "planned_minutes": 90, "location": "Salle 4"},
        **EN,
    )

    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).starts_at == meeting.starts_at


def test_the_french_page_says_it_in_french(client, world, copil):
    client.force_login(world.pmo)
    url = reverse("governance:meeting_create", args=[copil.code])

    response = client.post(
        url, {"starts_at": "9999-12-31T23:59", "planned_minutes": 90}, HTTP_ACCEPT_LANGUAGE="fr"
    )

    assert "Choisissez une date entre le 01/01/2000 et le 31/12/2100." in response.content.decode()


@pytest.fixture
def far_meeting(world, copil):
    """A meeting saved on 9999-12-31 23:59 (Paris) before dates were bounded, beside a normal one."""
    normal = planned_meeting(committee=copil, by=world.pmo)
    far = planned_meeting(committee=copil, by=world.pmo)
    Meeting.objects.filter(pk=far.pk).update(starts_at=datetime(9999, 12, 31, 22, 59, tzinfo=UTC))
    return normal, far


@pytest.mark.parametrize("reader", ["member", "pmo"])
def test_a_far_future_meeting_already_saved_is_left_out_of_the_calendar_feeds(
    client, world, far_meeting, reader
):
    normal, _far = far_meeting
    url = reverse("governance:calendar_feed", args=[CalendarFeed.of(getattr(world, reader)).token])

    response = client.get(url)

    assert response.status_code == 200
    uids = {str(event["UID"]) for event in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}
    assert uids == {f"meeting-{normal.pk}@pmo-governance"}


def test_its_invitation_says_why_it_cannot_go_in_a_calendar(client, world, far_meeting):
    _, far = far_meeting
    client.force_login(world.pmo)

    download = client.get(reverse("governance:meeting_ics", args=[far.pk]), **EN, follow=True)
    invite = client.post(reverse("governance:meeting_invite", args=[far.pk]), **EN, follow=True)

    for response in (download, invite):
        assert response.redirect_chain[-1][0] == far.get_absolute_url()
        assert "This meeting&#x27;s date cannot go in a calendar" in response.content.decode()
    assert not mail.outbox
