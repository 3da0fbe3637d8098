"""Who gets an email when the whole portfolio's periodic report of a kind is ready."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reporting.models.report import Report

PERIODIC_KINDS = [(kind.value, kind.label) for kind in Report.PERIODIC]


class ReportSubscription(models.Model):
    """A reader's wish to receive a link to each new whole-portfolio report of `kind`, in `language`
    (one subscription per reader and kind: the language is the one they subscribed in)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="report_subscriptions",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PERIODIC_KINDS)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "user"]
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="report_subscription_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()} ({self.language})"
