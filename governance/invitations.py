"""Meeting invitations: the calendar event (.ics) and the emails that carry it to the members."""

from __future__ import annotations

from datetime import timedelta

import icalendar
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from governance.confidential import Veil
from governance.models import AgendaItem, Attendance, Meeting, Membership
from governance.selectors import agenda_items, attendance_lines
from pmo import audit

ICS_ROLES = {
    Membership.Role.VOTING: "REQ-PARTICIPANT",
    Membership.Role.ADVISORY: "OPT-PARTICIPANT",
    Membership.Role.GUEST: "OPT-PARTICIPANT",
}


def meeting_uid(meeting: Meeting) -> str:
    """The same for every version of the invitation, so that calendars update the event in place."""
    return f"meeting-{meeting.pk}@pmo-governance"


def ics_filename(meeting: Meeting) -> str:
    day = timezone.localtime(meeting.starts_at)
    return f"{slugify(meeting.committee.code)}-{day:%Y-%m-%d}.ics"


def agenda_text(items: list[AgendaItem]) -> str:
    lines = []
    for number, item in enumerate(items, start=1):
        line = _("%(number)d. %(title)s (%(minutes)d min)") % {
            "number": number,
            "title": item.display_title,
            "minutes": item.planned_minutes,
        }
        if item.presenter:
            line += f" — {item.presenter}"
        lines.append(line)
    return "\n".join(lines) or _("The agenda is being prepared.")


def _address(user, *, role: str | None = None) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{user.email}")
    address.params["CN"] = icalendar.vText(str(user))
    if role is not None:
        address.params["ROLE"] = icalendar.vText(ICS_ROLES.get(role, "OPT-PARTICIPANT"))
        address.params["PARTSTAT"] = icalendar.vText("NEEDS-ACTION")
        address.params["RSVP"] = icalendar.vText("TRUE")
    return address


def meeting_calendar(
    meeting: Meeting, *, url: str, items: list[AgendaItem], attendances: list[Attendance]
) -> bytes:
    """A VCALENDAR with the meeting as one VEVENT, in the organisation's time zone."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//PMO Governance//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    calendar.add_component(meeting_event(meeting, url=url, items=items, attendances=attendances))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def meeting_event(
    meeting: Meeting, *, url: str, items: list[AgendaItem], attendances: list[Attendance]
) -> icalendar.Event:
    """The meeting as a VEVENT: the invitation's and the calendar feed's (`governance.calendar`)."""
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.revision)
    event.add("dtstamp", timezone.now())
    starts = timezone.localtime(meeting.starts_at)
    event.add("dtstart", starts)
    event.add("dtend", starts + timedelta(minutes=meeting.planned_minutes))
    event.add("summary", str(meeting))
    location = ", ".join(part for part in (meeting.location, meeting.video_link) if part)
    if location:
        event.add("location", location)
    event.add("url", url)
    description = [agenda_text(items), "", url]
    if meeting.video_link:
        description.insert(0, _("Video link: %(link)s") % {"link": meeting.video_link})
    event.add("description", "\n".join(description))
    secretary = meeting.committee.secretary
    if secretary is not None and secretary.email:
        event.add("organizer", _address(secretary))
    for attendance in attendances:
        if attendance.user.email:
            event.add("attendee", _address(attendance.user, role=attendance.role))
    if meeting.state == Meeting.State.CLOSED:
        event.add("status", "CONFIRMED")
    return event


def _invitation(
    meeting: Meeting, *, url: str, items: list[AgendaItem], attendances: list[Attendance]
) -> tuple[str, str, bytes]:
    """The subject, body and calendar event of the invitation, in the active language."""
    ics = meeting_calendar(meeting, url=url, items=items, attendances=attendances)
    starts = date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")
    subject = _("Invitation: %(meeting)s, %(when)s") % {"meeting": meeting, "when": starts}
    body = "\n".join(
        [
            _("You are invited to %(meeting)s.") % {"meeting": meeting},
            "",
            _("When: %(when)s (%(minutes)d min)") % {"when": starts, "minutes": meeting.planned_minutes},
            _("Where: %(place)s") % {"place": meeting.location or "—"},
            *([_("Video link: %(link)s") % {"link": meeting.video_link}] if meeting.video_link else []),
            "",
            _("Agenda:"),
            agenda_text(items),
            "",
            _("Meeting page: %(url)s") % {"url": url},
        ]
    )
    return subject, body, ics


def send_invitations(*, meeting: Meeting, url: str) -> int:
    """Email every member with an address the invitation and its .ics; returns how many were sent.

    Each member reads it in their own language (their preference, else the site's).
    """
    # One agenda for every member: the agenda as all of them may read it.
    items = agenda_items(meeting, veil=Veil.for_committee(meeting.committee_id))
    attendances = attendance_lines(meeting)
    secretary = meeting.committee.secretary
    reply_to = [secretary.email] if secretary is not None and secretary.email else []
    by_language: dict[str, list[Attendance]] = {}
    for attendance in attendances:
        if attendance.user.email:
            by_language.setdefault(attendance.user.preferred_language, []).append(attendance)
    messages = []
    for language, readers in by_language.items():
        with translation.override(language):
            subject, body, ics = _invitation(meeting, url=url, items=items, attendances=attendances)
        for attendance in readers:
            message = EmailMessage(subject, body, to=[attendance.user.email], reply_to=reply_to)
            message.attach(ics_filename(meeting), ics, "text/calendar; method=REQUEST")
            messages.append(message)
    sent = get_connection().send_messages(messages) if messages else 0
    meeting.invitations_sent_at = timezone.now()
    audit.note(meeting, reason=gettext_noop("invitations sent"))
    meeting.save(update_fields=["invitations_sent_at"])
    return sent or 0
