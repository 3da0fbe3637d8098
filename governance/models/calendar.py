"""Each user's private calendar feed: the address their calendar application subscribes to."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class CalendarFeed(models.Model):
    """The token in the feed's address is its only credential: calendar applications cannot sign in.
    It is not the API token (it reads meetings, nothing else), and replacing it kills the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def of(cls, user) -> CalendarFeed:
        feed, _created = cls.objects.get_or_create(user=user)
        return feed

    def rotate(self) -> None:
        self.token = new_token()
        self.save(update_fields=["token", "created_at"])
