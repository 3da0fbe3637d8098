"""People by role and month, without timesheets: what each directorate can give (capacity) and what
each project asks for (demand), in FTE (full-time equivalents; 1 = one person for the whole month).

Demand counts against its project's directorate. `resources.allocation` owns the rule that compares
them (the heatmap, its drill-down, the signal and the agenda all read it).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

FTE_MAX = Decimal(10000)


class ResourceRoleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class ResourceRole(models.Model):
    """A role or skill of the PMO's catalogue (business analyst, developer, architect…)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name (French)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ResourceRoleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name", "pk"]
        verbose_name = _("resource role")
        verbose_name_plural = _("resource roles")

    def __str__(self) -> str:
        return self.name_en if get_language() == "en" else self.name


def _fte_field(verbose_name):
    return models.DecimalField(
        verbose_name,
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(FTE_MAX)],
    )


class Capacity(models.Model):
    """What a directorate can give in one role for one month, in FTE."""

    directorate = models.ForeignKey(
        "pmo.Directorate", verbose_name=_("directorate"), on_delete=models.CASCADE, related_name="capacities"
    )
    role = models.ForeignKey(
        ResourceRole, verbose_name=_("role"), on_delete=models.PROTECT, related_name="capacities"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    fte = _fte_field(_("capacity (FTE)"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["directorate", "role", "month"]
        verbose_name = _("capacity")
        verbose_name_plural = _("capacities")
        constraints = [
            models.UniqueConstraint(fields=["directorate", "role", "month"], name="resources_one_capacity"),
            models.CheckConstraint(condition=Q(fte__gte=0), name="resources_capacity_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.directorate_id} {self.role_id} {self.month:%Y-%m} {self.fte}"


class Demand(models.Model):
    """What a project asks for in one role for one month, in FTE; optionally naming the person."""

    project = models.ForeignKey(
        "portfolio.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="demands"
    )
    role = models.ForeignKey(
        ResourceRole, verbose_name=_("role"), on_delete=models.PROTECT, related_name="demands"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    fte = _fte_field(_("demand (FTE)"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="demands",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "role", "month"]
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        constraints = [
            # One unnamed line per project, role and month; a named person has their own line.
            models.UniqueConstraint(
                fields=["project", "role", "month"],
                condition=Q(person__isnull=True),
                name="resources_one_demand",
            ),
            models.UniqueConstraint(
                fields=["project", "role", "month", "person"],
                condition=Q(person__isnull=False),
                name="resources_one_demand_per_person",
            ),
            models.CheckConstraint(condition=Q(fte__gte=0), name="resources_demand_not_negative"),
        ]
        indexes = [models.Index(fields=["month", "role"], name="resources_demand_month_role")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.role_id} {self.month:%Y-%m} {self.fte}"
