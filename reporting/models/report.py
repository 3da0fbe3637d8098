"""A generated PDF report: the row users see (state, error, who asked) and the file it produced.

A report is identified by its kind, scope, period (or meeting) and language: asking again for the
same report gives the same row (`services.report_request`); regenerating is an explicit new version.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from pmo.roles import Role
from reporting.periods import Frequency, Period
from reporting.selectors import Scope

READERS = (Role.ADMINISTRATOR, Role.PMO, Role.EXECUTIVE)


def stopped_condition(now: datetime | None = None) -> Q:
    """A running report silent for REPORT_HEARTBEAT_TIMEOUT seconds (`Report.heartbeat_at`)."""
    quiet = (now or timezone.now()) - timedelta(seconds=settings.REPORT_HEARTBEAT_TIMEOUT)
    return Q(state=Report.State.RUNNING) & (Q(heartbeat_at__lt=quiet) | Q(heartbeat_at__isnull=True))


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReportQuerySet:
        """Portfolio reports for the PMO, executives and administrators (who read every project); a
        meeting's pack and minutes for whoever may see the meeting."""
        if not user.is_authenticated:
            return self.none()
        from governance.models import Meeting

        meetings = Q(meeting__in=Meeting.objects.visible_to(user))
        if user.has_role(*READERS):
            return self.filter(Q(meeting__isnull=True) | meetings)
        return self.filter(meetings)

    def done(self) -> ReportQuerySet:
        return self.filter(state=Report.State.DONE)

    def stopped(self, now: datetime | None = None) -> ReportQuerySet:
        """Being built, but without a sign of life for REPORT_HEARTBEAT_TIMEOUT: the build was cut off."""
        return self.filter(stopped_condition(now))

    def lost(self, now: datetime | None = None) -> ReportQuerySet:
        """Sent to the workers longer ago than REPORT_RESEND_AFTER (a build's time limit and the broker's
        redelivery time) and still waiting: the broker lost it."""
        now = now or timezone.now()
        long_ago = now - timedelta(seconds=settings.REPORT_RESEND_AFTER)
        return self.filter(
            Q(sent_at__lt=long_ago) | Q(sent_at__isnull=True, requested_at__lt=long_ago),
            state=Report.State.QUEUED,
            sent=True,
        )

    def stalled(self, now: datetime | None = None) -> ReportQuerySet:
        """The reports no worker is building nor will build unless they are sent again."""
        return self.stopped(now) | self.lost(now)


class Report(models.Model):
    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("Weekly flash")
        MONTHLY = "monthly", _("Monthly portfolio report")
        QUARTERLY = "quarterly", _("Quarterly report")
        PACK = "pack", _("Meeting pack")
        MINUTES = "minutes", _("Minutes")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    PERIODIC = {
        Kind.WEEKLY: Frequency.WEEKLY,
        Kind.MONTHLY: Frequency.MONTHLY,
        Kind.QUARTERLY: Frequency.QUARTERLY,
    }
    FOR_MEETING = (Kind.PACK, Kind.MINUTES)
    # The kinds that have a PowerPoint version, built with the PDF.
    WITH_SLIDES = (Kind.MONTHLY, Kind.QUARTERLY, Kind.PACK)

    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    directorate = models.ForeignKey(
        "pmo.Directorate", verbose_name=_("directorate"), null=True, blank=True, on_delete=models.CASCADE
    )
    portfolio = models.ForeignKey(
        "portfolio.Portfolio", verbose_name=_("portfolio"), null=True, blank=True, on_delete=models.CASCADE
    )
    meeting = models.ForeignKey(
        "governance.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    period = models.DateField(_("period"), null=True, blank=True, help_text=_("The first day of the period."))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    # The report's identity without its version (kind, scope, period or meeting, language): one row per
    # identity and version, whatever the database's handling of NULLs in unique constraints.
    key = models.CharField(max_length=120, editable=False)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Whether the build was handed to the workers' queue (or taken by the process that asked for it). A
    # waiting report that was not is sent when the broker answers again (`reports.report_send_waiting`).
    sent = models.BooleanField(_("sent to the workers"), default=False)
    # When it was last handed to the workers: a report still waiting long after that was lost by the
    # broker (Redis restarted without its data) and is sent again (`reports.report_sweep`).
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The running build's last sign of life, written every REPORT_HEARTBEAT_INTERVAL seconds while it
    # builds: a build whose heartbeat stopped (its worker was killed) is started again by the sweep.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    # How many builds were started, never reset: the number of the one build allowed to write the row's
    # outcome (a build that lost its claim to a newer one writes nothing).
    builds = models.PositiveIntegerField(_("builds started"), default=0, editable=False)
    # When the sweep found its build stopped and started it again (shown until it is built).
    interrupted_at = models.DateTimeField(_("interrupted at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("PDF file"), upload_to="reports/%Y/%m/", blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    # The PowerPoint version of a monthly, quarterly or meeting pack, built with the PDF (reporting.slides).
    slides = models.FileField(_("PowerPoint file"), upload_to="reports/%Y/%m/", blank=True)
    # The PMO's published pack this report was built from (its key messages, decisions expected and
    # comments); none for a report sent out without curation.
    publication = models.ForeignKey(
        "reporting.PackPublication",
        verbose_name=_("published pack"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="report_one_per_identity_version"),
            models.CheckConstraint(
                condition=Q(meeting__isnull=True, period__isnull=False)
                | Q(meeting__isnull=False, period__isnull=True),
                name="report_period_or_meeting",
            ),
        ]
        indexes = [models.Index(fields=["kind", "state", "-period"], name="report_kind_state_period")]

    def __str__(self) -> str:
        return f"{self.title} — {self.subtitle}"

    def save(self, *args, **kwargs) -> None:
        self.key = self.identity(
            kind=self.kind,
            directorate_id=self.directorate_id,
            portfolio_id=self.portfolio_id,
            meeting_id=self.meeting_id,
            period=self.period,
            language=self.language,
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("reporting:report_detail", args=[self.pk])

    @staticmethod
    def identity(
        *,
        kind: str,
        directorate_id: int | None,
        portfolio_id: int | None,
        meeting_id: int | None,
        period: date | None,
        language: str,
    ) -> str:
        parts = (
            kind,
            directorate_id,
            portfolio_id,
            meeting_id,
            period.isoformat() if period else None,
            language,
        )
        return "|".join("-" if part is None else str(part) for part in parts)

    def download_url(self) -> str:
        return reverse("reporting:report_download", args=[self.pk])

    def slides_url(self) -> str:
        return reverse("reporting:report_slides", args=[self.pk])

    @property
    def is_periodic(self) -> bool:
        return self.kind in self.PERIODIC

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def is_unsent(self) -> bool:
        """Waiting, but the workers' queue did not answer when it was asked for: not with them yet."""
        return self.state == self.State.QUEUED and not self.sent

    @property
    def is_stalled(self) -> bool:
        """Waiting or being built, but no worker is on it: the sweep sends it again, the PMO may Retry."""
        return self.is_stopped or self.is_lost

    @property
    def is_stopped(self) -> bool:
        """As `ReportQuerySet.stopped`: being built, without a sign of life for a while."""
        if self.state != self.State.RUNNING:
            return False
        quiet = timezone.now() - timedelta(seconds=settings.REPORT_HEARTBEAT_TIMEOUT)
        return self.heartbeat_at is None or self.heartbeat_at < quiet

    @property
    def is_lost(self) -> bool:
        """As `ReportQuerySet.lost`: sent long ago, and still waiting."""
        if self.state != self.State.QUEUED or not self.sent:
            return False
        long_ago = timezone.now() - timedelta(seconds=settings.REPORT_RESEND_AFTER)
        return (self.sent_at or self.requested_at) < long_ago

    @property
    def scope(self) -> Scope:
        return Scope(directorate_id=self.directorate_id, portfolio_id=self.portfolio_id)

    @property
    def as_period(self) -> Period | None:
        if not self.is_periodic or self.period is None:
            return None
        return Period(self.PERIODIC[self.kind], self.period)

    @property
    def title(self) -> str:
        with override(self.language):
            return str(self.Kind(self.kind).label)

    @property
    def scope_label(self) -> str:
        """ "Whole portfolio", a directorate, a portfolio, or the meeting, in the report's language."""
        with override(self.language):
            if self.meeting_id:
                return str(self.meeting)
            names = [str(obj) for obj in (self.directorate, self.portfolio) if obj is not None]
            return " / ".join(names) if names else str(_("Whole portfolio"))

    @property
    def subtitle(self) -> str:
        with override(self.language):
            period = self.as_period
            return f"{self.scope_label} — {period.label}" if period else self.scope_label

    def filename(self) -> str:
        """The name the PDF is downloaded under: kind, scope, period, language, version."""
        parts = [self.kind]
        if self.directorate_id:
            parts.append(self.directorate.code)
        if self.portfolio_id:
            parts.append(self.portfolio.code)
        if self.meeting_id:
            parts.append(f"meeting-{self.meeting_id}")
        if self.period:
            parts.append(self.period.isoformat())
        parts.append(self.language)
        if self.version > 1:
            parts.append(f"v{self.version}")
        return "-".join(str(part) for part in parts).replace("/", "-") + ".pdf"
