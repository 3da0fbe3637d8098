from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.models.committee import Committee, Membership
from pmo import texts

# A meeting is planned between these days. A date at the end of the calendar (9999-12-31) leaves no room
# for the meeting's duration nor for a time zone: the invitation and every calendar feed it is in failed.
EARLIEST_MEETING_DAY, LATEST_MEETING_DAY = date(2000, 1, 1), date(2100, 12, 31)


@dataclass(frozen=True)
class Sitting:
    """When a meeting was held, local time, beside when it was planned (start plus planned duration)."""

    start: datetime | None  # None: never started
    end: datetime | None  # None: not closed
    planned_start: datetime
    planned_end: datetime

    @property
    def day(self) -> date:
        return (self.start or self.planned_start).date()

    @property
    def day_differs(self) -> bool:
        return self.start is not None and self.start.date() != self.planned_start.date()

    @property
    def times_differ(self) -> bool:
        def minute(moment: datetime | None):
            return moment.replace(second=0, microsecond=0).time() if moment else None

        return self.start is not None and (
            minute(self.start) != minute(self.planned_start)
            or (self.end is not None and minute(self.end) != minute(self.planned_end))
        )


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeetingQuerySet:
        return self.filter(committee__in=Committee.objects.visible_to(user))

    def managed_by(self, user) -> MeetingQuerySet:
        return self.filter(committee__in=Committee.objects.managed_by(user))


class Meeting(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("meeting state", "Planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("meeting state", "In progress")
        CLOSED = "closed", pgettext_lazy("meeting state", "Closed")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("date and time"))
    planned_minutes = models.PositiveSmallIntegerField(_("planned duration (minutes)"), default=90)
    location = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State, default=State.PLANNED)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    # What the projector shows: every screen following the meeting shows this item.
    current_item = models.ForeignKey(
        "governance.AgendaItem",
        verbose_name=_("current item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Bumped on every change made during the meeting, so that the screens following
    # it ask "anything new since revision N?" with one cheap query.
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    notes = models.TextField(_("general notes"), blank=True)
    invitations_sent_at = models.DateTimeField(_("invitations sent"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = MeetingQuerySet.as_manager()
    # What the projector shows and the polling counter change all meeting long: live state, not history.
    history = HistoricalRecords(excluded_fields=["revision", "current_item"])

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["committee", "starts_at"])]

    def __str__(self) -> str:
        when = date_format(timezone.localtime(self.starts_at), "SHORT_DATE_FORMAT")
        return self.title or f"{self.committee} — {when}"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.starts_at is not None and not self.plannable(self.starts_at):
            raise ValidationError({"starts_at": self.out_of_range_message()})

    @staticmethod
    def plannable(starts_at: datetime) -> bool:
        """Whether a meeting may start then: on a day from EARLIEST to LATEST_MEETING_DAY, local time."""
        earliest = timezone.make_aware(datetime.combine(EARLIEST_MEETING_DAY, datetime.min.time()))
        latest = timezone.make_aware(datetime.combine(LATEST_MEETING_DAY, datetime.max.time()))
        return earliest <= starts_at <= latest

    @staticmethod
    def plannable_days() -> dict[str, str]:
        """The first and last days a meeting may be planned on, as the reader writes dates."""
        return {
            "earliest": date_format(EARLIEST_MEETING_DAY, "SHORT_DATE_FORMAT"),
            "latest": date_format(LATEST_MEETING_DAY, "SHORT_DATE_FORMAT"),
        }

    @classmethod
    def out_of_range_message(cls) -> str:
        return gettext("Choose a date between %(earliest)s and %(latest)s.") % cls.plannable_days()

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED

    def sitting(self) -> Sitting:
        planned = timezone.localtime(self.starts_at)
        return Sitting(
            start=timezone.localtime(self.started_at) if self.started_at else None,
            end=timezone.localtime(self.closed_at) if self.closed_at else None,
            planned_start=planned,
            planned_end=planned + timedelta(minutes=self.planned_minutes),
        )

    def touch(self) -> None:
        """Tell the screens following the meeting that something changed."""
        Meeting.objects.filter(pk=self.pk).update(revision=F("revision") + 1)
        self.refresh_from_db(fields=["revision"])

    def previous(self) -> Meeting | None:
        return (
            Meeting.objects.filter(committee=self.committee_id, starts_at__lt=self.starts_at)
            .order_by("-starts_at")
            .first()
        )

    def next(self) -> Meeting | None:
        return (
            Meeting.objects.filter(
                committee=self.committee_id, starts_at__gt=self.starts_at, state=Meeting.State.PLANNED
            )
            .order_by("starts_at")
            .first()
        )


class AgendaItemQuerySet(models.QuerySet):
    def with_discussion(self) -> AgendaItemQuerySet:
        """Each item's `discussed`: whether the committee took it up. An item is discussed once the chair
        opened it on the live page (its clock started) or anything was recorded on it (minutes, a
        decision, an action); one never opened and with nothing recorded was not discussed, whatever
        the meeting's state. The one definition the minutes, the closing warning and the carry-over
        read."""
        from governance.models.decision import Action, Decision

        recorded = (
            Q(started_at__isnull=False)
            | ~Q(minutes="")
            | Exists(Decision.objects.filter(agenda_item=OuterRef("pk")))
            | Exists(Action.objects.filter(agenda_item=OuterRef("pk")))
        )
        return self.annotate(discussed=models.ExpressionWrapper(recorded, output_field=models.BooleanField()))

    def not_discussed(self) -> AgendaItemQuerySet:
        return self.with_discussion().filter(discussed=False)


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        PROJECT_REVIEW = "project_review", _("Project review")
        DECISION_REQUEST = "decision_request", _("Decision request")
        RISK_ESCALATION = "risk_escalation", _("Risk escalation")
        STAGE_GATE = "stage_gate", _("Stage gate")
        ACTION_REVIEW = "action_review", _("Follow-up of actions")
        INFORMATION = "information", _("Information")
        OTHER = "other", _("Any other business")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.PROJECT_REVIEW)
    title = models.CharField(_("title"), max_length=200)
    # A title or reason the application wrote, worded in the reader's language (pmo.texts).
    title_key = texts.key_field()
    title_params = texts.params_field()
    planned_minutes = models.PositiveSmallIntegerField(_("planned duration (minutes)"), default=10)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("presenter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="presented_items",
    )
    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    gate_review = models.OneToOneField(
        "governance.GateReview",
        verbose_name=_("stage gate review"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_item",
    )
    reason = models.CharField(
        _("why it is on the agenda"), max_length=300, blank=True, help_text=_("Filled in for proposed items.")
    )
    reason_key = texts.key_field()
    reason_params = texts.params_field()
    minutes = models.TextField(_("minutes"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True, editable=False)
    # An item a closed meeting did not discuss is proposed again to the committee's next meeting: the
    # item that takes it up there points back to it; or the PMO withdraws it, saying why.
    carried_from = models.OneToOneField(
        "self",
        verbose_name=_("carried over from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
        editable=False,
    )
    withdrawn_reason = models.CharField(_("why it was withdrawn"), max_length=300, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        """The title in the reader's language when the application wrote it, else as typed."""
        return texts.render(self.title_key, self.title_params, fallback=self.title)

    @property
    def display_reason(self) -> str:
        return texts.render(self.reason_key, self.reason_params, fallback=self.reason)

    @property
    def taken_up_by(self) -> AgendaItem | None:
        """The item of a later meeting that took this one up, if any."""
        try:
            return self.carried_to
        except AgendaItem.DoesNotExist:
            return None

    @property
    def shown_code(self) -> str:
        """The project code to print before the item's title, unless the title already names it
        ("PRJ-0041 Refonte …", "Stage gate PRJ-0041: …" would otherwise read "PRJ-0041 PRJ-0041 …")."""
        project = self.project if self.project_id else None
        if project is None or project.code in str(self):
            return ""
        return project.code


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")
        REPRESENTED = "represented", _("Represented")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE, related_name="+"
    )
    # The member's role when the meeting took place, for the quorum.
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role, default=Membership.Role.VOTING)
    status = models.CharField(_("attendance"), max_length=12, choices=Status, blank=True)
    represented_by = models.CharField(_("represented by"), max_length=200, blank=True)

    class Meta:
        ordering = ["meeting", "role", "user__last_name", "user__first_name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="one_attendance_per_member")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_status_display() or '—'}"
