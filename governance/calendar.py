"""A user's calendar feed (.ics): the meetings of the committees they take part in.

Committee members, chairs and secretaries get their committees' meetings; the PMO, who plans and
runs every meeting, gets every committee's. Meetings from six months back and all those planned;
each event is the invitation's (`invitations.meeting_event`), so a subscribed calendar and an
emailed invitation are the same event (same UID) and update each other.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import icalendar
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from governance.confidential import Veil
from governance.invitations import meeting_event
from governance.models import AgendaItem, Attendance, Committee, Meeting
from governance.models.meeting import LATEST_MEETING_DAY
from pmo.roles import Role

PAST_DAYS = 183


def feed_committees(user) -> QuerySet[Committee]:
    if user.has_role(Role.PMO):
        return Committee.objects.all()
    return Committee.objects.attended_by(user)


def feed_meetings(user) -> list[Meeting]:
    """The feed's meetings with what their events show, in three queries whatever their number."""
    since = timezone.now() - timedelta(days=PAST_DAYS)
    items = AgendaItem.objects.select_related("presenter").order_by("order", "pk")
    attendances = Attendance.objects.select_related("user")
    committees = feed_committees(user).order_by().values("pk")
    # Not a meeting saved before dates were bounded (9999-12-31): it has no place in a calendar, and
    # every member's feed would fail on it.
    latest = timezone.make_aware(datetime.combine(LATEST_MEETING_DAY, datetime.max.time()))
    meetings = list(
        Meeting.objects.filter(committee__in=committees, starts_at__gte=since, starts_at__lte=latest)
        .select_related("committee__secretary")
        .prefetch_related(Prefetch("items", queryset=items), Prefetch("attendances", queryset=attendances))
        .order_by("starts_at", "pk")
    )
    # The agenda as `user` may read it (one more query): the prefetched items are veiled in place.
    veil = Veil.for_reader(user)
    for meeting in meetings:
        veil.items(list(meeting.items.all()))
    return meetings


def feed_calendar(meetings: list[Meeting], *, url_of, name: str) -> bytes:
    """A published calendar (no METHOD: a subscription, not an invitation to answer). `url_of(meeting)`
    is the meeting page's absolute address."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//PMO Governance//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for meeting in meetings:
        items, attendances = list(meeting.items.all()), list(meeting.attendances.all())
        calendar.add_component(
            meeting_event(meeting, url=url_of(meeting), items=items, attendances=attendances)
        )
    calendar.add_missing_timezones()
    return calendar.to_ical()
