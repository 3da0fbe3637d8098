from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pmo.roles import Role
from reporting.periods import Frequency, Period

OVERSIGHT = (Role.ADMINISTRATOR, Role.PMO, Role.EXECUTIVE)
MANAGERS = (Role.ADMINISTRATOR, Role.PMO)


def computed_function_choices() -> list[tuple[str, str]]:
    """The named functions a computed KPI may use (reporting.kpis registers them)."""
    from reporting.kpis import COMPUTED

    return [(name, computed.label) for name, computed in COMPUTED.items()]


class KpiQuerySet(models.QuerySet):
    def active(self) -> KpiQuerySet:
        return self.filter(is_active=True)

    def visible_to(self, user) -> KpiQuerySet:
        """The one read rule for KPIs: the PMO, executives and administrators read them all; a project
        manager reads the manual per-project KPIs, the ones they enter values for."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(*OVERSIGHT):
            return self
        if user.has_role(Role.PROJECT_MANAGER):
            return self.filter(source=Kpi.Source.MANUAL, scope=Kpi.Scope.PROJECT)
        return self.none()


class Kpi(models.Model):
    """A KPI definition: what is measured, how it is judged, how often and where it comes from."""

    class Unit(models.TextChoices):
        PERCENT = "percent", _("Percentage")
        COUNT = "count", _("Count")
        INDEX = "index", _("Index (ratio)")
        AMOUNT = "amount", _("Amount")
        SCORE = "score", _("Score")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class Scope(models.TextChoices):
        PORTFOLIO = "portfolio", _("Whole portfolio")
        DIRECTORATE = "directorate", _("Each directorate")
        PROJECT = "project", _("Each project")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        COMPUTED = "computed", _("Computed")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (French)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    description = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit, default=Unit.PERCENT)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction, default=Direction.HIGHER)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=3, null=True, blank=True)
    amber_threshold = models.DecimalField(
        _("amber threshold"),
        max_digits=16,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Amber from this value on (worse than it, or equal)."),
    )
    red_threshold = models.DecimalField(
        _("red threshold"),
        max_digits=16,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Red from this value on (worse than it, or equal)."),
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency, default=Frequency.MONTHLY)
    scope = models.CharField(_("scope"), max_length=12, choices=Scope, default=Scope.PORTFOLIO)
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.MANUAL)
    function = models.CharField(
        _("computed by"),
        max_length=40,
        blank=True,
        choices=computed_function_choices,
        help_text=_("The named function that computes a computed KPI."),
    )
    order = models.PositiveSmallIntegerField(_("order on the dashboard"), default=100)
    on_dashboard = models.BooleanField(_("shown on the dashboard"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = KpiQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        constraints = [
            models.CheckConstraint(
                condition=Q(source="manual", function="") | Q(source="computed") & ~Q(function=""),
                name="kpi_function_if_computed",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("reporting:kpi_detail", args=[self.code])

    @property
    def display_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name

    @property
    def display_description(self) -> str:
        return self.description_en if get_language() == "en" and self.description_en else self.description

    @property
    def is_computed(self) -> bool:
        return self.source == self.Source.COMPUTED

    @staticmethod
    def manageable_by(user) -> bool:
        """The PMO and administrators define KPIs, change them and recompute their values."""
        return user.is_authenticated and user.has_role(*MANAGERS)

    def may_enter(self, user) -> bool:
        """Who enters values of this KPI: the PMO and administrators for any active manual KPI, a
        project manager for a per-project one (on the projects they manage: `Project.editable_by`)."""
        if self.is_computed or not self.is_active or not user.is_authenticated:
            return False
        return user.has_role(*MANAGERS) or (
            self.scope == self.Scope.PROJECT and user.has_role(Role.PROJECT_MANAGER)
        )

    def validate_value(self, value: Decimal) -> None:
        """A value must make sense in the KPI's unit."""
        if self.unit == self.Unit.PERCENT and not 0 <= value <= 100:
            raise ValidationError(_("A percentage is between 0 and 100."), code="percent")
        if self.unit == self.Unit.COUNT and (value < 0 or value != value.to_integral_value()):
            raise ValidationError(_("A count is a whole number, 0 or more."), code="count")
        if self.unit == self.Unit.AMOUNT and value < 0:
            raise ValidationError(_("An amount cannot be negative."), code="amount")
        if self.unit == self.Unit.INDEX and value < 0:
            raise ValidationError(_("A ratio cannot be negative."), code="index")

    def period_of(self, day) -> Period:
        return Period.containing(self.frequency, day)

    def rag_of(self, value: Decimal | None) -> str:
        """ "green", "amber" or "red" by the thresholds; "" when there is no value or no threshold."""
        if value is None or (self.amber_threshold is None and self.red_threshold is None):
            return ""
        higher = self.direction == self.Direction.HIGHER

        def reached(threshold: Decimal | None) -> bool:
            return threshold is not None and (value <= threshold if higher else value >= threshold)

        if reached(self.red_threshold):
            return "red"
        if reached(self.amber_threshold):
            return "amber"
        return "green"

    def is_better(self, value: Decimal, than: Decimal) -> bool | None:
        """Whether `value` is an improvement on `than`; None when they are equal."""
        if value == than:
            return None
        return (value > than) == (self.direction == self.Direction.HIGHER)

    def clean(self) -> None:
        errors = {}
        if self.source == self.Source.COMPUTED:
            if not self.function:
                errors["function"] = _("Choose the function that computes this KPI.")
            elif self.scope == self.Scope.PROJECT:
                errors["scope"] = _("Computed KPIs are measured for the whole portfolio or per directorate.")
        elif self.function:
            errors["function"] = _("A KPI entered by hand has no computing function.")
        amber, red = self.amber_threshold, self.red_threshold
        if amber is not None and red is not None:
            if self.direction == self.Direction.HIGHER and red > amber:
                errors["red_threshold"] = _(
                    "When higher is better, the red threshold is at most the amber one."
                )
            if self.direction == self.Direction.LOWER and red < amber:
                errors["red_threshold"] = _(
                    "When lower is better, the red threshold is at least the amber one."
                )
        if self.unit == self.Unit.PERCENT:
            for name in ("target", "amber_threshold", "red_threshold"):
                value = getattr(self, name)
                if value is not None and not 0 <= value <= 100:
                    errors[name] = _("A percentage is between 0 and 100.")
        if errors:
            raise ValidationError(errors)


class MeasurementQuerySet(models.QuerySet):
    def portfolio_wide(self) -> MeasurementQuerySet:
        return self.filter(directorate__isnull=True, project__isnull=True)


class Measurement(models.Model):
    """The value of a KPI for one scope (the portfolio, a directorate or a project) and one period.

    Computed KPIs are stored each period by a Celery beat task, so their history
    stays as it was computed even when the data behind it changes later.
    """

    kpi = models.ForeignKey(Kpi, verbose_name=_("KPI"), on_delete=models.CASCADE, related_name="measurements")
    directorate = models.ForeignKey(
        "pmo.Directorate",
        verbose_name=_("directorate"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kpi_measurements",
    )
    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kpi_measurements",
    )
    period = models.DateField(_("period"), help_text=_("The first day of the measured period."))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=3)
    comment = models.TextField(_("comment"), blank=True)
    computed = models.BooleanField(_("computed"), default=False, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        ordering = ["kpi", "-period"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.CheckConstraint(
                condition=Q(directorate__isnull=True) | Q(project__isnull=True),
                name="measurement_one_scope",
            ),
            models.UniqueConstraint(
                fields=["kpi", "period"],
                condition=Q(directorate__isnull=True, project__isnull=True),
                name="measurement_unique_portfolio",
            ),
            models.UniqueConstraint(
                fields=["kpi", "period", "directorate"],
                condition=Q(directorate__isnull=False),
                name="measurement_unique_directorate",
            ),
            models.UniqueConstraint(
                fields=["kpi", "period", "project"],
                condition=Q(project__isnull=False),
                name="measurement_unique_project",
            ),
        ]
        indexes = [models.Index(fields=["kpi", "period"], name="measurement_kpi_period")]

    def __str__(self) -> str:
        return f"{self.kpi.code} {self.period} {self.value}"

    @property
    def scope_object(self):
        return self.project or self.directorate

    @property
    def as_period(self) -> Period:
        return Period(self.kpi.frequency, self.period)
