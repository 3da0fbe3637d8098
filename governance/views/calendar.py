"""The calendar feed of a user's committee meetings, and the page where they find its address.

The feed answers without a session (calendar applications cannot sign in): its address holds a
private token of its own, and an unknown token, or one of a deactivated user, is a 404. Replacing the
token on the page makes the old address a 404 at once.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, re_path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from governance.calendar import feed_calendar, feed_committees, feed_meetings
from governance.models import CalendarFeed


def _feed_url(request, feed: CalendarFeed) -> str:
    """Absolute: the user pastes it into a calendar application."""
    return request.build_absolute_uri(reverse("governance:calendar_feed", args=[feed.token]))


@login_required
@require_GET
def calendar_page(request):
    """The user's feed address, once they asked for one (a GET writes nothing)."""
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = _feed_url(request, feed) if feed else ""
    return render(
        request,
        "governance/calendar.html",
        {
            "feed": feed,
            "feed_url": url,
            "webcal_url": "webcal://" + url.split("://", 1)[1] if url else "",
            "committees": list(feed_committees(request.user).filter(is_active=True).order_by("name")),
        },
    )


@login_required
@require_POST
def calendar_rotate(request):
    """Make the user's feed address, or replace it (the old one stops working at once)."""
    feed = CalendarFeed.objects.filter(user=request.user).first()
    if feed is None:
        CalendarFeed.objects.create(user=request.user)
        messages.success(
            request, _("Your calendar address is ready: subscribe to it in your calendar application.")
        )
    else:
        feed.rotate()
        messages.success(request, _("Your calendar address is replaced: the old one no longer works."))
    return redirect("governance:calendar")


@require_GET
def calendar_feed(request, token: str):
    feed = CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if feed is None:
        raise Http404
    user = feed.user
    # A calendar client sends no cookie: the feed is in its owner's language when they chose one.
    with translation.override(user.language or translation.get_language()):
        ics = feed_calendar(
            feed_meetings(user),
            url_of=lambda meeting: request.build_absolute_uri(meeting.get_absolute_url()),
            name=_("Committee meetings — %(user)s") % {"user": user},
        )
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


urlpatterns = [
    path("calendar/", calendar_page, name="calendar"),
    path("calendar/replace/", calendar_rotate, name="calendar_rotate"),
    re_path(r"^calendar/(?P<token>[A-Za-z0-9_-]{16,64})\.ics$", calendar_feed, name="calendar_feed"),
]
