"""Exception reports (PRINCE2): when a project's forecast breaks its methodology's tolerance, its PM
explains the cause, sets out options with their cost and schedule effect and recommends one; the report
goes on its committee's agenda; the decision picks an option and its recovery actions become governance
actions, followed like any other. The exception stays on the project page and in the reports until closed.

    requested --(PM writes and submits it)--> submitted --(committee's decision picks an option)--> decided
    decided --(PMO closes it: the project is back within tolerance or re-baselined)--> closed
    requested | submitted --(the forecast came back within tolerance; PMO)--> withdrawn
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ExceptionReport(models.Model):
    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested from the PM")
        SUBMITTED = "submitted", _("Submitted to the committee")
        DECIDED = "decided", _("Decided: recovery under way")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Source(models.TextChoices):
        STATUS = "status", _("Weekly status")
        PLAN = "plan", _("Plan")
        CHANGE = "change", _("Approved change request")
        FINANCE = "finance", _("Financial forecast")

    OPEN_STATES = (State.REQUESTED, State.SUBMITTED, State.DECIDED)

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="exception_reports",
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.REQUESTED)
    source = models.CharField(_("detected from"), max_length=10, choices=Source, default=Source.STATUS)
    detected_on = models.DateField(_("detected on"))
    # What broke the tolerance, as measured when detected (in the project's currency and in days).
    cost_breached = models.BooleanField(_("cost tolerance broken"), default=False)
    schedule_breached = models.BooleanField(_("schedule tolerance broken"), default=False)
    scope_breached = models.BooleanField(_("scope tolerance broken"), default=False)
    budget = models.DecimalField(_("budget"), max_digits=16, decimal_places=2, null=True, blank=True)
    forecast_cost = models.DecimalField(
        _("forecast cost"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    cost_tolerance_percent = models.DecimalField(
        _("cost tolerance (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    slip_days = models.IntegerField(_("forecast slip (days)"), null=True, blank=True)
    schedule_tolerance_days = models.PositiveIntegerField(
        _("schedule tolerance (days)"), null=True, blank=True
    )
    scope_growth_percent = models.DecimalField(
        _("scope growth (%)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    scope_tolerance_percent = models.DecimalField(
        _("scope tolerance (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    # The PM's report.
    cause = models.TextField(_("cause"), blank=True)
    consequences = models.TextField(_("consequences if nothing is done"), blank=True)
    recommendation = models.TextField(_("recommended recovery plan"), blank=True)
    committee = models.ForeignKey(
        "governance.Committee", verbose_name=_("committee"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    # The committee's choice.
    chosen_option = models.ForeignKey(
        "standards.ExceptionOption", verbose_name=_("option chosen"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    decision = models.ForeignKey(
        "governance.Decision", verbose_name=_("decision"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    last_reminded_on = models.DateField(_("last reminded on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-detected_on", "-pk"]
        verbose_name = _("exception report")
        verbose_name_plural = _("exception reports")
        constraints = [
            # At most one open exception per project: a further breach updates it.
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(state__in=["requested", "submitted", "decided"]),
                name="exception_one_open_per_project",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class ExceptionOption(models.Model):
    report = models.ForeignKey(
        ExceptionReport, verbose_name=_("exception report"), on_delete=models.CASCADE, related_name="options"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("option"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    cost_effect = models.DecimalField(
        _("effect on cost"), max_digits=16, decimal_places=2, null=True, blank=True,
        help_text=_("Added to the forecast cost (negative: saved), in the project's currency."),
    )  # fmt: skip
    schedule_effect_days = models.IntegerField(
        _("effect on the end date (days)"), null=True, blank=True,
        help_text=_("Days added to the forecast end (negative: earlier)."),
    )  # fmt: skip
    recommended = models.BooleanField(_("recommended"), default=False)

    class Meta:
        ordering = ["report", "order", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.title


class RecoveryAction(models.Model):
    """An action of the recovery plan, written with the report (under an option, or for any option); the
    decision creates it as a governance action and keeps the link."""

    report = models.ForeignKey(
        ExceptionReport, verbose_name=_("exception report"), on_delete=models.CASCADE,
        related_name="recovery_actions",
    )  # fmt: skip
    option = models.ForeignKey(
        ExceptionOption, verbose_name=_("option"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="recovery_actions", help_text=_("Blank: whichever option is chosen."),
    )  # fmt: skip
    title = models.CharField(_("action"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("due date"))
    action = models.ForeignKey(
        "governance.Action", verbose_name=_("action created"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["report", "due_date", "pk"]
        verbose_name = _("recovery action")
        verbose_name_plural = _("recovery actions")

    def __str__(self) -> str:
        return self.title
