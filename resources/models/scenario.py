"""What-if scenarios: some projects' remaining demand (and money) moved by N months, or paused, from a
month on; compared before anything is saved, saved to bring to the portfolio committee, applied when
its decision approves them (`resources.scenarios`)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

MAX_SHIFT_MONTHS = 36


class ScenarioQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=[Scenario.State.DRAFT, Scenario.State.PROPOSED])


class Scenario(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Proposed to the committee")
        APPROVED = "approved", _("Approved and applied")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    from_month = models.DateField(
        _("from month"),
        help_text=_("The changes apply to the demand and money of this month and later ones."),
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.DRAFT)
    committee = models.ForeignKey(
        "governance.Committee",
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision = models.ForeignKey(
        "governance.Decision",
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = ScenarioQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def __str__(self) -> str:
        return self.name


class ScenarioChange(models.Model):
    """One project in a scenario: its demand and money from the scenario's month on, moved by
    `shift_months` (later when positive), or removed when `pause`."""

    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), on_delete=models.CASCADE, related_name="changes"
    )
    project = models.ForeignKey(
        "portfolio.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="+"
    )
    shift_months = models.SmallIntegerField(
        _("shift (months)"),
        default=0,
        validators=[MinValueValidator(-MAX_SHIFT_MONTHS), MaxValueValidator(MAX_SHIFT_MONTHS)],
    )
    pause = models.BooleanField(_("pause"), default=False)

    class Meta:
        ordering = ["scenario", "pk"]
        verbose_name = _("scenario change")
        verbose_name_plural = _("scenario changes")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "project"], name="resources_one_change_per_project")
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id} {self.project_id} {self.shift_months:+d}{' pause' if self.pause else ''}"

    def as_adjustment(self):
        from portfolio.adjustments import Adjustment

        return Adjustment(shift_months=self.shift_months, pause=self.pause)
