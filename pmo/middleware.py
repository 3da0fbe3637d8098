"""The app's own middleware: URLs holding a NUL character are refused, and sessions end after a period
of inactivity.

A NUL character (%00) in a URL's path or query reaches the views' lookups (a project's code, a filter's
text), and PostgreSQL refuses it in any text it is given: an error page, where SQLite would just find
nothing. The forms refuse NUL in what they are sent (Django's CharField); a URL is refused as a bad
request (400) before any view.

Sessions that end after a period of inactivity:

`SESSION_COOKIE_AGE` is the idle timeout: each time the session is saved, the
database row and the cookie get a new expiry that far ahead, and the session
store refuses an expired session. Saving on every request would write on
each poll of the live meeting page (every two seconds per viewer), so this
renews a signed-in session at most once per `SESSION_ACTIVITY_RESOLUTION`
seconds: a session is then idle for between the timeout and the timeout
minus the resolution.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import BadRequest
from django.dispatch import receiver
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

ACTIVITY_KEY = "_pmo_last_seen"


@receiver(user_logged_in)
def _seen_at_sign_in(sender, request, user, **kwargs) -> None:
    """Signing in saves the session anyway: the first minute's requests then need not."""
    if request is not None and hasattr(request, "session"):
        request.session[ACTIVITY_KEY] = int(time.time())


class SessionActivityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # Only a request that came with a session renews it: one authenticated by an API token has
        # none, and must not get one (an integration would leave a new session row per request).
        if (
            user is not None
            and user.is_authenticated
            and hasattr(request, "session")
            and request.session.session_key is not None
        ):
            now = int(time.time())
            last_seen = request.session.get(ACTIVITY_KEY, 0)
            if now - last_seen >= settings.SESSION_ACTIVITY_RESOLUTION:
                request.session[ACTIVITY_KEY] = now
        return response


class RefuseNulInUrlMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = (text for name, values in request.GET.lists() for text in (name, *values))
        if request.path_info.startswith("/api/"):
            # The API answers in JSON, errors included (its schema says so); a NUL in a code or a
            # reference of its paths names nothing, which its views answer with their JSON 404.
            if any("\x00" in text for text in query):
                return JsonResponse({"detail": _("A NUL character in the URL.")}, status=400)
            return self.get_response(request)
        if "\x00" in request.path_info or any("\x00" in text for text in query):
            raise BadRequest("A NUL character in the URL.")
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in user who chose a language on their profile reads the interface in it, unless they
    picked another with the language switcher (its cookie wins, as everywhere else)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
        return self.get_response(request)
