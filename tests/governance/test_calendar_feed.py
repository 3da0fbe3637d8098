"""Each user's calendar feed: the meetings of the committees they take part in, at a private address
that needs no sign-in and stops working when replaced."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import CalendarFeed
from tests.factories import CommitteeFactory, UserFactory, planned_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def committees(world):
    """The member sits on the COPIL; the executive chairs the technical committee, which the member is
    not on; a third committee has none of them. Each has a meeting next week, the COPIL one also two
    months ago and one a year ago."""
    now = timezone.now()
    copil = CommitteeFactory(code="copil-crm", name="COPIL CRM", secretary=world.pm, members=[world.member])
    technical = CommitteeFactory(code="tech", name="Comité technique", chair=world.executive)
    other = CommitteeFactory(code="codir", name="CODIR")
    meetings = {
        "copil-next": planned_meeting(committee=copil, by=world.pmo, location="Salle Anfa"),
        "copil-past": planned_meeting(committee=copil, by=world.pmo, starts_at=now - timedelta(days=60)),
        "copil-old": planned_meeting(committee=copil, by=world.pmo, starts_at=now - timedelta(days=365)),
        "tech-next": planned_meeting(committee=technical, by=world.pmo),
        "codir-next": planned_meeting(committee=other, by=world.pmo),
    }
    services.agenda_add(meeting=meetings["copil-next"], title="Arbitrage du lot 2", planned_minutes=20)
    return meetings


def feed_url(user) -> str:
    return reverse("governance:calendar_feed", args=[CalendarFeed.of(user).token])


def events(client, url: str) -> dict[str, icalendar.Event]:
    """The feed's events by meeting id, read without any session (as a calendar application does)."""
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert "METHOD" not in calendar, "a subscription, not an invitation to answer"
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def uid(meeting) -> str:
    return f"meeting-{meeting.pk}@pmo-governance"


def test_a_member_gets_the_meetings_of_their_committees_and_no_others(client, world, committees):
    found = events(client, feed_url(world.member))

    assert set(found) == {uid(committees["copil-next"]), uid(committees["copil-past"])}
    event = found[uid(committees["copil-next"])]
    assert str(event["LOCATION"]) == "Salle Anfa"
    assert "Arbitrage du lot 2" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == f"http://testserver/governance/meetings/{committees['copil-next'].pk}/"
    assert event.decoded("DTSTART") == committees["copil-next"].starts_at.replace(microsecond=0)


def test_chairs_and_secretaries_get_their_committees_the_pmo_every_committee(client, world, committees):
    assert set(events(client, feed_url(world.executive))) == {uid(committees["tech-next"])}
    assert set(events(client, feed_url(world.pm))) == {
        uid(committees["copil-next"]),
        uid(committees["copil-past"]),
    }
    everything = {uid(meeting) for name, meeting in committees.items() if name != "copil-old"}
    assert set(events(client, feed_url(world.pmo))) == everything


def test_a_user_on_no_committee_has_an_empty_feed(client, world, committees):
    assert events(client, feed_url(world.other_pm)) == {}


def test_replacing_the_address_kills_the_old_one(client, world, committees):
    old = feed_url(world.member)
    client.force_login(world.member)

    page = client.post(reverse("governance:calendar_rotate"), follow=True, HTTP_ACCEPT_LANGUAGE="en")

    new = feed_url(world.member)
    assert new != old
    assert new in page.content.decode()
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_an_unknown_token_or_a_deactivated_user_is_a_404(client, world, committees):
    url = feed_url(world.member)

    assert client.get("/governance/calendar/not-a-real-token-at-all.ics").status_code == 404
    assert client.get("/governance/calendar/short.ics").status_code == 404
    world.member.is_active = False
    world.member.save(update_fields=["is_active"])
    assert client.get(url).status_code == 404


def test_the_page_makes_the_address_when_asked_and_then_shows_it(client, world, committees):
    client.force_login(world.member)
    page = reverse("governance:calendar")

    before = client.get(page, HTTP_ACCEPT_LANGUAGE="en")
    made = client.post(reverse("governance:calendar_rotate"), follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assert "Get my calendar address" in before.content.decode()
    assert before.context["feed"] is None, "a GET writes nothing"
    feed = CalendarFeed.objects.get(user=world.member)
    assert made.context["feed_url"] == f"http://testserver/governance/calendar/{feed.token}.ics"
    assert made.context["feed_url"] in made.content.decode()
    assert made.context["webcal_url"] == f"webcal://testserver/governance/calendar/{feed.token}.ics"
    assert [c.code for c in made.context["committees"]] == ["copil-crm"]
    assert "Replace the address" in made.content.decode()
    client.logout()
    assert client.get(page).status_code == 302


def test_the_feed_is_not_the_api_token(client, world, committees):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=world.member)

    assert client.get(f"/governance/calendar/{token.key}.ics").status_code == 404
    assert CalendarFeed.of(world.member).token != token.key


def test_the_feeds_query_count_does_not_grow_with_meetings(client, world, committees):
    url = feed_url(world.pmo)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    copil = committees["copil-next"].committee
    for days in range(10, 20):
        planned_meeting(committee=copil, by=world.pmo, starts_at=timezone.now() + timedelta(days=days))
    copil.memberships.create(user=UserFactory())

    # the feed with its user, the user's groups (the PMO gets every committee), the meetings with
    # their committees and secretaries, their agenda items, their attendance lines.
    assert queries() == few == 5
