from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ProjectPhase(models.Model):
    """A phase of the lifecycle (`Phase`, the PMO's list) as one project plans it: its start and end."""

    project = models.ForeignKey(
        "portfolio.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="phase_plans"
    )
    phase = models.ForeignKey(
        "portfolio.Phase", verbose_name=_("phase"), on_delete=models.PROTECT, related_name="+"
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["phase__order", "phase__pk"]
        verbose_name = _("planned phase")
        verbose_name_plural = _("planned phases")
        constraints = [
            models.UniqueConstraint(fields=["project", "phase"], name="project_phase_unique"),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="project_phase_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.phase}"


class ReleasePlan(models.Model):
    """An agile project's release plan, the baseline of AgileEVM (Sulaiman, Barton & Blackburn, 2006):
    the release's points (its scope in story points or items), the sprints planned to deliver them and
    their length. BAC is the project's budget. PV at a date is the share of the planned sprints ended by
    then; EV is the share of the release's points done (the weekly status's figures)."""

    project = models.OneToOneField(
        "portfolio.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="release_plan"
    )
    start = models.DateField(_("first sprint starts"))
    sprint_length_days = models.PositiveSmallIntegerField(_("sprint length (days)"), default=14)
    planned_sprints = models.PositiveSmallIntegerField(_("planned sprints"))
    planned_points = models.DecimalField(
        _("planned release points"), max_digits=8, decimal_places=1,
        help_text=_("The release's scope when it was planned, in story points (or items)."),
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("release plan")
        verbose_name_plural = _("release plans")
        constraints = [
            models.CheckConstraint(condition=Q(planned_sprints__gt=0), name="release_plan_sprints_positive"),
            models.CheckConstraint(
                condition=Q(sprint_length_days__gt=0), name="release_plan_length_positive"
            ),
            models.CheckConstraint(condition=Q(planned_points__gt=0), name="release_plan_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.planned_sprints} x {self.sprint_length_days} d"
