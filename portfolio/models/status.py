from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portfolio.models.assurance import ConfidenceScale


class Rag(models.TextChoices):
    GREEN = "green", _("Green")
    AMBER = "amber", _("Amber")
    RED = "red", _("Red")


def period_of(day: date) -> date:
    """The reporting period a day belongs to: its ISO week, named by its Monday."""
    return day - timedelta(days=day.weekday())


def percent_from_points(*, done: Decimal | None, scope: Decimal | None) -> Decimal | None:
    """% complete as a status stores it (two decimals) from an agile release's points: AgileEVM's actual
    share, points done / the release's scope (at most 100 %); None when either is unknown (or the scope
    is empty). Earned value takes the share from the points themselves, not from this rounding."""
    if done is None or not scope:
        return None
    return (min(Decimal(1), done / scope) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def current_period() -> date:
    """The reporting period of today, in the organisation's time zone."""
    return period_of(timezone.localdate())


class StatusReportQuerySet(models.QuerySet):
    def latest_revisions(self) -> StatusReportQuerySet:
        return self.filter(is_latest=True)


class StatusReport(models.Model):
    """A project's status for one reporting period.

    Never overwritten: a correction of a period is a new revision, and the
    revision it replaces keeps `is_latest=False`. The latest revisions of all
    periods are the project's trend.

    The weekly form asks for everything; a status that came from elsewhere (an import) may leave a
    dimension not assessed (blank) and % complete or the actual cost unknown (null): nothing is
    copied from the overall rating or taken as 0, and what derives from an unknown is "n/a".
    """

    DIMENSIONS = ("schedule_rag", "cost_rag", "scope_rag", "resources_rag")

    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="status_reports",
    )
    period = models.DateField(_("period"), help_text=_("The Monday of the reported ISO week."))
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    is_latest = models.BooleanField(_("latest revision"), default=True)
    overall_rag = models.CharField(_("overall"), max_length=5, choices=Rag)
    schedule_rag = models.CharField(_("schedule"), max_length=5, choices=Rag, blank=True)
    cost_rag = models.CharField(_("cost"), max_length=5, choices=Rag, blank=True)
    scope_rag = models.CharField(_("scope"), max_length=5, choices=Rag, blank=True)
    resources_rag = models.CharField(_("resources"), max_length=5, choices=Rag, blank=True)
    percent_complete = models.DecimalField(
        _("completion"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    actual_cost = models.DecimalField(
        _("actual cost to date"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # Money spent during the reported week, in the project's currency: finance books it as that month's
    # actual (in the category that receives it) unless the finance system's import covers the month.
    spend_this_period = models.DecimalField(
        _("spend this period"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    forecast_at_completion = models.DecimalField(
        _("forecast at completion"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # An agile project's iteration (portfolio.ReleasePlan): the sprint the week closed or is in, its points
    # planned and done, the scope added to the release during it, and the release as it stands (points done
    # so far out of its current scope). Blank for a classic project; % complete is then the share done.
    iteration = models.PositiveSmallIntegerField(_("sprint"), null=True, blank=True)
    iteration_planned_points = models.DecimalField(
        _("points planned in the sprint"), max_digits=8, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    iteration_completed_points = models.DecimalField(
        _("points completed in the sprint"), max_digits=8, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    scope_added_points = models.DecimalField(
        _("points added to the release"), max_digits=8, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    release_points_done = models.DecimalField(
        _("release points done to date"), max_digits=8, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    release_points = models.DecimalField(
        _("release scope (points)"), max_digits=8, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    summary = models.TextField(_("summary"), blank=True)
    achievements = models.TextField(_("achievements this period"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    help_needed = models.TextField(_("help needed / escalation"), blank=True)
    explanation = models.TextField(
        _("explanation"),
        blank=True,
        help_text=_("Why a dimension is amber or red, changed colour, or why completion went down."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    objects = StatusReportQuerySet.as_manager()
    # A revision is a new row, so `is_latest` flipping on the one it replaces is no change of its own.
    history = HistoricalRecords(excluded_fields=["is_latest"])

    class Meta:
        ordering = ["-period", "-revision"]
        get_latest_by = ["period", "revision"]
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        constraints = [
            models.UniqueConstraint(fields=["project", "period", "revision"], name="status_revision_unique"),
            models.UniqueConstraint(
                fields=["project", "period"], condition=Q(is_latest=True), name="status_one_latest_per_period"
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__isnull=True)
                | (Q(percent_complete__gte=0) & Q(percent_complete__lte=100)),
                name="status_percent_0_100",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "-period"], name="status_project_period"),
            # Who reported for a range of weeks (the compliance over time of the dashboard and reports).
            models.Index(
                fields=["period", "project"], condition=Q(is_latest=True), name="status_latest_by_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.period_label} r{self.revision}"

    def save(self, *args, **kwargs) -> None:
        # An agile status that gives its release's points has its % complete from them (AgileEVM's actual
        # share), so that every reader of % complete (lists, reports, exports, KPIs) agrees with its EV.
        derived = percent_from_points(done=self.release_points_done, scope=self.release_points)
        if derived is not None:
            self.percent_complete = derived
        super().save(*args, **kwargs)

    @property
    def period_label(self) -> str:
        year, week, _day = self.period.isocalendar()
        return f"{year}-W{week:02d}"


class StatusPolicy(models.Model):
    """One row: how long a weekly status stays current. A status covers its week; it is "stale" once more
    than `grace_days` have passed since that week ended (the PMO sets the grace, 7 days by default)."""

    grace_days = models.PositiveSmallIntegerField(
        _("grace after the week (days)"),
        default=7,
        validators=[MaxValueValidator(365)],
        help_text=_(
            "A project's latest status is shown as stale once its week ended more than this many days ago."
        ),
    )

    # The scale the PMO assesses delivery confidence on (portfolio.models.assurance).
    confidence_scale = models.CharField(
        _("delivery confidence scale"),
        max_length=4,
        choices=ConfidenceScale,
        default=ConfidenceScale.IPA5,
        help_text=_("Assessments already recorded keep their level whichever scale is chosen."),
    )

    class Meta:
        verbose_name = _("status policy")
        verbose_name_plural = _("status policy")

    def __str__(self) -> str:
        return str(_("Status policy"))

    def save(self, *args, **kwargs) -> None:
        self.pk = 1  # there is only one policy
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> StatusPolicy:
        """The policy in force (one query; the defaults until the PMO changes them)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def stale_before(self, on: date) -> date:
        """The first period whose status is still current on `on`: a status of an earlier week is stale."""
        return period_of(on - timedelta(days=self.grace_days + 7)) + timedelta(weeks=1)

    def is_stale(self, period: date | None, *, on: date) -> bool:
        return period is not None and period < self.stale_before(on)
