from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from governance import services
from governance.models import Meeting, Membership
from tests.factories import CommitteeFactory, UserFactory, planned_meeting

pytestmark = pytest.mark.django_db

CASABLANCA = ZoneInfo("Africa/Casablanca")


@pytest.fixture
def meeting(world):
    committee = CommitteeFactory(
        code="copil-crm",
        name="COPIL CRM",
        chair=world.executive,
        secretary=world.pm,
        members=[world.member, (UserFactory(username="no_mail", email=""), Membership.Role.GUEST)],
        quorum=1,
    )
    meeting = planned_meeting(
        committee=committee,
        by=world.pm,
        starts_at=datetime(2031, 3, 4, 9, 30, tzinfo=CASABLANCA),
        planned_minutes=90,
        location="Salle du conseil",
    )
    services.agenda_add(meeting=meeting, title="Suivi des actions", planned_minutes=10, presenter=world.pm)
    services.agenda_add(meeting=meeting, title="Arbitrage budget 2027", planned_minutes=30)
    return meeting


def ics_of(client, meeting) -> icalendar.Event:
    response = client.get(reverse("governance:meeting_ics", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert 'filename="copil-crm-2031-03-04.ics"' in response["Content-Disposition"]
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    return event


def test_the_ics_describes_the_meeting_with_its_people_and_agenda(client, world, meeting):
    client.force_login(world.member)

    event = ics_of(client, meeting)

    assert str(event["UID"]) == f"meeting-{meeting.pk}@pmo-governance"
    assert event.decoded("DTSTART") == datetime(2031, 3, 4, 9, 30, tzinfo=CASABLANCA)
    assert event["DTSTART"].params["TZID"] == "Africa/Casablanca"
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=90)
    assert str(event["SUMMARY"]) == str(meeting)
    assert str(event["LOCATION"]) == "Salle du conseil"
    assert str(event["URL"]).endswith(reverse("governance:meeting_detail", args=[meeting.pk]))
    assert "Arbitrage budget 2027" in str(event["DESCRIPTION"])
    assert str(event["ORGANIZER"]) == f"mailto:{world.pm.email}"
    attendees = {str(a) for a in event["ATTENDEE"]}
    # Everyone with an address: the voting member and the chair (the guest has none).
    assert attendees == {f"mailto:{world.member.email}", f"mailto:{world.executive.email}"}


def test_the_uid_stays_the_same_when_the_meeting_changes(client, world, meeting):
    client.force_login(world.pmo)
    before = ics_of(client, meeting)

    Meeting.objects.filter(pk=meeting.pk).update(location="Visio")
    services.agenda_add(meeting=meeting, title="Divers")
    after = ics_of(client, meeting)

    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])


def test_an_outsider_cannot_download_the_invitation(client, world, meeting):
    client.force_login(world.other_pm)

    assert client.get(reverse("governance:meeting_ics", args=[meeting.pk])).status_code == 404


def test_inviting_emails_each_member_with_an_address_and_the_ics(client, world, meeting):
    client.force_login(world.pm)

    response = client.post(reverse("governance:meeting_invite", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.member.email, world.executive.email])
    message = mail.outbox[0]
    assert "COPIL CRM" in message.subject
    assert "Arbitrage budget 2027" in message.body
    assert message.reply_to == [world.pm.email]
    ((filename, content, mimetype),) = message.attachments
    assert filename.endswith(".ics") and mimetype.startswith("text/calendar")
    assert icalendar.Calendar.from_ical(content).walk("VEVENT")
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at is not None
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Invitations sent to 2 members." in page


def test_invitations_go_out_in_the_sites_language(client, world, meeting):
    client.force_login(world.pmo)

    client.post(reverse("governance:meeting_invite", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="en")

    # The date is written the French way whatever the language of the person who sent them.
    assert "mars 2031" in mail.outbox[0].subject


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("executive", 403), ("other_pm", 404)])
def test_only_those_who_run_the_meeting_send_invitations(client, world, meeting, who, status):
    client.force_login(getattr(world, who))

    response = client.post(reverse("governance:meeting_invite", args=[meeting.pk]))

    assert response.status_code == status
    assert mail.outbox == []


def test_inviting_needs_a_post(client, world, meeting):
    client.force_login(world.pmo)

    assert client.get(reverse("governance:meeting_invite", args=[meeting.pk])).status_code == 405
    assert mail.outbox == []
