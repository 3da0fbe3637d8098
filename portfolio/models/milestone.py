from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Milestone(models.Model):
    project = models.ForeignKey(
        "portfolio.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField(_("name"), max_length=200)
    baseline_date = models.DateField(_("baseline date"))
    forecast_date = models.DateField(_("forecast date"))
    actual_date = models.DateField(_("actual date"), null=True, blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(0)],
        help_text=_("Share of the project's planned value earned at this milestone."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["baseline_date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=0), name="milestone_weight_not_negative")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def slip_days(self) -> int:
        """Days the milestone has moved against its baseline (actual date once met)."""
        return ((self.actual_date or self.forecast_date) - self.baseline_date).days

    def is_overdue(self, today: date) -> bool:
        return self.actual_date is None and self.forecast_date < today


class ProjectDependency(models.Model):
    class Kind(models.TextChoices):
        FINISH_TO_START = "finish_to_start", _("Must finish before")
        DELIVERABLE = "deliverable", _("Needs a deliverable from")
        RESOURCE = "resource", _("Shares resources with")
        TECHNICAL = "technical", _("Technical dependency on")

    class Criticality(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    from_project = models.ForeignKey(
        "portfolio.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="dependencies"
    )
    to_project = models.ForeignKey(
        "portfolio.Project", verbose_name=_("depends on"), on_delete=models.CASCADE, related_name="dependents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.FINISH_TO_START)
    criticality = models.CharField(
        _("criticality"), max_length=10, choices=Criticality, default=Criticality.MEDIUM
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        constraints = [
            models.UniqueConstraint(fields=["from_project", "to_project", "kind"], name="dependency_unique"),
            models.CheckConstraint(
                condition=~Q(from_project=F("to_project")), name="dependency_not_on_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_project.code} → {self.to_project.code}"
