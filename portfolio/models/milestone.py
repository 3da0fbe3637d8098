from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class MilestoneQuerySet(models.QuerySet):
    def for_plan(self) -> MilestoneQuerySet:
        return self.select_related("owner")


class Milestone(models.Model):
    """A dated point of the project's plan. `baseline_date` is the date of the current baseline (planning's
    `Baseline`: it changes only through an approved change request once the project has one);
    `forecast_date` is the project manager's latest estimate, `actual_date` when it was met."""

    project = models.ForeignKey(
        "portfolio.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField(_("name"), max_length=200)
    # The plan's order, set by the project manager; milestones with the same position go by date.
    position = models.PositiveIntegerField(_("position"), default=0)
    deliverable = models.CharField(_("deliverable"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_milestones",
    )
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
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)  # for optimistic locking

    objects = MilestoneQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["position", "baseline_date", "pk"]
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

    @property
    def expected_date(self) -> date:
        """When it is met, or when it is now expected to be."""
        return self.actual_date or self.forecast_date


class DependencyQuerySet(models.QuerySet):
    def broken(self) -> DependencyQuerySet:
        """Dependencies whose provider milestone is (or was) expected after the date it is needed by: met
        late, or not met and forecast late. One rule, read by the signals, the map and the agenda."""
        late_met = Q(provider_milestone__actual_date__isnull=False) & Q(
            provider_milestone__actual_date__gt=F("needed_by")
        )
        late_forecast = Q(provider_milestone__actual_date__isnull=True) & Q(
            provider_milestone__forecast_date__gt=F("needed_by")
        )
        return self.filter(needed_by__isnull=False, provider_milestone__isnull=False).filter(
            late_met | late_forecast
        )

    def touching(self, projects) -> DependencyQuerySet:
        """Where the projects are the consumer or the provider."""
        return self.filter(Q(from_project__in=projects) | Q(to_project__in=projects))


class ProjectDependency(models.Model):
    """`from_project` (the consumer) needs something from `to_project` (the provider). At milestone level:
    the provider's `provider_milestone` must be met by `needed_by` for the consumer's `consumer_milestone`.
    The provider's manager accepts it; it is broken when the provider milestone is expected after
    `needed_by` (`DependencyQuerySet.broken`, `is_broken`)."""

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
    note = models.TextField(_("description"), blank=True)
    provider_milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("provider milestone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consumers",
    )
    consumer_milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("consumer milestone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="providers",
    )
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = DependencyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        constraints = [
            models.UniqueConstraint(
                fields=["from_project", "to_project", "kind"],
                condition=Q(provider_milestone__isnull=True),
                name="dependency_unique",
            ),
            models.UniqueConstraint(
                fields=["provider_milestone", "consumer_milestone"],
                condition=Q(provider_milestone__isnull=False, consumer_milestone__isnull=False),
                name="dependency_milestones_unique",
            ),
            models.CheckConstraint(
                condition=~Q(from_project=F("to_project")), name="dependency_not_on_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_project.code} → {self.to_project.code}"

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    @property
    def is_broken(self) -> bool:
        """The rule of `DependencyQuerySet.broken`, on a row already read (with its provider milestone)."""
        milestone = self.provider_milestone
        if self.needed_by is None or milestone is None:
            return False
        return milestone.expected_date > self.needed_by

    @property
    def days_late(self) -> int:
        """How many days after `needed_by` the provider milestone is expected; 0 unless broken."""
        if not self.is_broken:
            return 0
        return (self.provider_milestone.expected_date - self.needed_by).days
