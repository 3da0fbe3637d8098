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
