"""The PMO's standard as configuration: methodologies (their approach, the deliverables each phase must
produce, their tolerances) and the methodology each project follows.

A methodology's gate criteria are governance's `GateCriterion` rows whose scope is
`"methodology:<code>"` (standards registers the scope, governance does not know methodologies)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portfolio.models import Project


class Methodology(models.Model):
    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Letters, digits and hyphens, for example agile-safe."),
    )
    name = models.CharField(_("name (French)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    # How projects following it report: an agile one reports its sprints and its earned value is AgileEVM's.
    approach = models.CharField(
        _("approach"), max_length=10, choices=Project.Methodology, default=Project.Methodology.CLASSIC
    )
    is_default = models.BooleanField(
        _("default for its approach"),
        default=False,
        help_text=_("Followed by the projects of its approach that were given no methodology."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("methodology")
        verbose_name_plural = _("methodologies")
        constraints = [
            models.UniqueConstraint(
                fields=["approach"], condition=Q(is_default=True), name="methodology_one_default_per_approach"
            )
        ]

    def __str__(self) -> str:
        return self.name_en if get_language() == "en" else self.name

    @property
    def scope_key(self) -> str:
        """The scope of its gate criteria (governance.GateCriterion.scope)."""
        return f"methodology:{self.code}"


class DeliverableType(models.Model):
    """A kind of document the standard asks for: project charter, business case, plan, test report…"""

    name = models.CharField(_("name (French)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("deliverable type")
        verbose_name_plural = _("deliverable types")

    def __str__(self) -> str:
        return self.name_en if get_language() == "en" else self.name


class DeliverableRequirement(models.Model):
    """A deliverable a methodology requires during a phase, due by the gate that leaves it."""

    methodology = models.ForeignKey(
        Methodology, verbose_name=_("methodology"), on_delete=models.CASCADE, related_name="requirements"
    )
    phase = models.ForeignKey(
        "portfolio.Phase", verbose_name=_("phase"), on_delete=models.PROTECT, related_name="+"
    )
    deliverable_type = models.ForeignKey(
        DeliverableType, verbose_name=_("deliverable"), on_delete=models.PROTECT, related_name="requirements"
    )
    required_at_gate = models.BooleanField(
        _("required at the gate"),
        default=True,
        help_text=_("The gate leaving the phase checks that it is approved (or waived)."),
    )

    class Meta:
        ordering = ["methodology", "phase__order", "deliverable_type__order", "pk"]
        verbose_name = _("required deliverable")
        verbose_name_plural = _("required deliverables")
        constraints = [
            models.UniqueConstraint(
                fields=["methodology", "phase", "deliverable_type"], name="requirement_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.methodology}: {self.deliverable_type} ({self.phase})"


class Tolerance(models.Model):
    """How far a project following the methodology may drift before it must report an exception
    (PRINCE2's tolerances): forecast cost above budget, forecast end after the baseline end, scope grown.
    A band applies to projects whose budget is at least `min_budget` (the largest band that fits wins; a
    blank minimum is the band of every size). A blank limit is no tolerance on that dimension."""

    methodology = models.ForeignKey(
        Methodology, verbose_name=_("methodology"), on_delete=models.CASCADE, related_name="tolerances"
    )
    min_budget = models.DecimalField(
        _("from a budget of"), max_digits=16, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("In the project's currency. Blank: projects of any size."),
    )  # fmt: skip
    cost_percent = models.DecimalField(
        _("cost tolerance (%)"), max_digits=6, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Forecast cost above the budget by more than this share breaks the tolerance."),
    )  # fmt: skip
    schedule_days = models.PositiveIntegerField(
        _("schedule tolerance (days)"), null=True, blank=True,
        help_text=_("A forecast end later than the baseline end by more than this breaks the tolerance."),
    )  # fmt: skip
    scope_percent = models.DecimalField(
        _("scope tolerance (%)"), max_digits=6, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Scope grown beyond the plan by more than this share (an agile release's points)."),
    )  # fmt: skip

    class Meta:
        ordering = ["methodology", "min_budget"]
        verbose_name = _("tolerance")
        verbose_name_plural = _("tolerances")
        constraints = [
            models.UniqueConstraint(fields=["methodology", "min_budget"], name="tolerance_band_unique")
        ]

    def __str__(self) -> str:
        return f"{self.methodology}: {self.cost_percent} % / {self.schedule_days} d"


class ProjectMethodology(models.Model):
    """The methodology a project follows when the PMO chose one (otherwise the default of its approach);
    every change is kept (history), with who made it and why. Choosing one sets the project's approach."""

    project = models.OneToOneField(
        "portfolio.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="standard"
    )
    methodology = models.ForeignKey(
        Methodology, verbose_name=_("methodology"), on_delete=models.PROTECT, related_name="assignments"
    )
    reason = models.CharField(_("reason for the change"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project methodology")
        verbose_name_plural = _("project methodologies")

    def __str__(self) -> str:
        return f"{self.project_id}: {self.methodology}"
