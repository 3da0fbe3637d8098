from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pmo.money import default_currency
from pmo.roles import Role


class Portfolio(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    directorate = models.ForeignKey(
        "pmo.Directorate",
        verbose_name=_("directorate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="portfolios",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portfolio owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_portfolios",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("portfolio")
        verbose_name_plural = _("portfolios")

    def __str__(self) -> str:
        return self.name


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProjectQuerySet:
        """The one read rule for projects: confidential ones only for their people and oversight roles."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.ADMINISTRATOR, Role.PMO, Role.EXECUTIVE):
            return self
        return self.filter(Q(confidential=False) | Q(project_manager=user) | Q(sponsor=user))

    def active(self) -> ProjectQuerySet:
        return self.filter(state=Project.State.ACTIVE)

    def managed_by(self, user) -> ProjectQuerySet:
        return self.filter(project_manager=user)

    def for_listing(self) -> ProjectQuerySet:
        return self.select_related("directorate", "portfolio", "project_manager", "sponsor")


class Project(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        ON_HOLD = "on_hold", _("On hold")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("For example PRJ-0042."))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    directorate = models.ForeignKey(
        "pmo.Directorate",
        verbose_name=_("directorate"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    portfolio = models.ForeignKey(
        Portfolio,
        verbose_name=_("portfolio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sponsor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsored_projects",
    )
    project_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("project manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_projects",
    )
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.PROPOSED)
    baseline_start = models.DateField(_("baseline start"), null=True, blank=True)
    baseline_end = models.DateField(_("baseline end"), null=True, blank=True)
    forecast_start = models.DateField(_("forecast start"), null=True, blank=True)
    forecast_end = models.DateField(_("forecast end"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget at completion"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    currency = models.CharField(_("currency"), max_length=3, default=default_currency)
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Visible only to its sponsor, its project manager, the PMO and executives."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_end__isnull=True)
                | Q(baseline_start__isnull=True)
                | Q(baseline_end__gte=models.F("baseline_start")),
                name="project_baseline_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="project_budget_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["state", "directorate"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def slip_days(self) -> int | None:
        """Days by which the forecast end is later than the baseline end (negative: ahead)."""
        if self.baseline_end and self.forecast_end:
            return (self.forecast_end - self.baseline_end).days
        return None
