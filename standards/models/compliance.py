from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplianceReminder(models.Model):
    """A reminder the PMO sent a PM about what their project lacks (the chase page shows the last one)."""

    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="compliance_reminders",
    )
    sent_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent to"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    items = models.TextField(_("what was missing"), blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("compliance reminder")
        verbose_name_plural = _("compliance reminders")

    def __str__(self) -> str:
        return f"{self.project_id} {self.sent_at:%Y-%m-%d}"
