from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from governance.models.committee import Committee
from pmo import texts
from pmo.roles import Role


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user) -> DecisionQuerySet:
        """A decision about a project is read by whoever may see the project; one about no project
        by the readers of its committee."""
        from portfolio.models import Project

        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.ADMINISTRATOR, Role.PMO, Role.EXECUTIVE):
            return self
        return self.filter(
            Q(project__in=Project.objects.visible_to(user))
            | Q(project__isnull=True, committee__in=Committee.objects.visible_to(user))
        )

    def for_listing(self) -> DecisionQuerySet:
        return self.select_related("committee", "meeting", "project", "superseded_by", "supersedes")


class Decision(models.Model):
    class Outcome(models.TextChoices):
        APPROVED = "approved", pgettext_lazy("decision outcome", "Approved")
        APPROVED_WITH_CONDITIONS = (
            "conditional",
            pgettext_lazy("decision outcome", "Approved with conditions"),
        )
        DEFERRED = "deferred", pgettext_lazy("decision outcome", "Deferred")
        REJECTED = "rejected", pgettext_lazy("decision outcome", "Rejected")

    class Implementation(models.TextChoices):
        NOT_STARTED = "not_started", pgettext_lazy("implementation", "Not started")
        IN_PROGRESS = "in_progress", pgettext_lazy("implementation", "In progress")
        IMPLEMENTED = "implemented", _("Implemented")
        NOT_APPLICABLE = "not_applicable", _("Nothing to implement")

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    # A title the application wrote (a stage gate's), worded in the reader's language (pmo.texts).
    title_key = texts.key_field()
    title_params = texts.params_field()
    description = models.TextField(_("description"), blank=True)
    options_considered = models.TextField(_("options considered"), blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome, default=Outcome.APPROVED)
    conditions = models.TextField(_("conditions"), blank=True)
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="decisions"
    )
    meeting = models.ForeignKey(
        "governance.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    agenda_item = models.ForeignKey(
        "governance.AgendaItem",
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    decided_on = models.DateField(_("date"))
    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    gate_review = models.OneToOneField(
        "governance.GateReview",
        verbose_name=_("stage gate review"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision",
    )
    implementation = models.CharField(
        _("implementation"), max_length=16, choices=Implementation, default=Implementation.NOT_STARTED
    )
    implementation_due = models.DateField(_("to implement by"), null=True, blank=True)
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        help_text=_("The decision this one corrects; both stay in the log."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = DecisionQuerySet.as_manager()
    # Read-only everywhere once written: no revert, no edit or delete in the admin (pmo.admin_history).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-reference"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        indexes = [models.Index(fields=["committee", "decided_on"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.display_title}"

    def get_absolute_url(self) -> str:
        return reverse("governance:decision_detail", args=[self.reference])

    @property
    def display_title(self) -> str:
        """The title in the reader's language when the application wrote it, else as typed."""
        return texts.render(self.title_key, self.title_params, fallback=self.title)

    @property
    def is_frozen(self) -> bool:
        """Once its meeting is closed a decision is part of the record: it is corrected, never edited.
        One recorded outside a meeting (a correction, a written procedure) is part of it at once."""
        return self.meeting_id is None or self.meeting.state == self.meeting.State.CLOSED

    @property
    def is_superseded(self) -> bool:
        return hasattr(self, "superseded_by")


class ActionQuerySet(models.QuerySet):
    OPEN_STATES = ("open", "in_progress")

    def visible_to(self, user) -> ActionQuerySet:
        """Owners read their actions; committee readers their committee's; and, as for decisions,
        whoever may see the project an action is about."""
        from portfolio.models import Project

        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.ADMINISTRATOR, Role.PMO, Role.EXECUTIVE):
            return self
        return self.filter(
            Q(owner=user)
            | Q(committee__in=Committee.objects.visible_to(user))
            | Q(project__in=Project.objects.visible_to(user))
        )

    def open(self) -> ActionQuerySet:
        return self.filter(state__in=self.OPEN_STATES)

    def overdue(self, today: date) -> ActionQuerySet:
        """The one definition of an overdue action (tile, tracker, KPI, reports, exports, API): due
        before `today` (a past day too) and not done by the end of it, cancelled ones aside. Today that
        is the open actions past their due date: a done or cancelled action is never overdue. At a past
        day, one done since was not done then, and is listed as open then (`open_then`)."""
        return self.not_done_by(today).filter(due_date__lt=today)

    def not_done_by(self, day: date) -> ActionQuerySet:
        """Open at the end of `day`: open now, or done only after it (cancelled ones aside)."""
        done_later = Q(state=Action.State.DONE, completed_on__gt=day)
        return self.filter(Q(state__in=self.OPEN_STATES) | done_later)

    def due_soon(self, today: date, days: int) -> ActionQuerySet:
        """Due from `today` to `days` days later and not done by the end of `today` (as `overdue`): a
        done or cancelled action is never due."""
        return self.not_done_by(today).filter(due_date__range=(today, today + timedelta(days=days)))

    def for_listing(self) -> ActionQuerySet:
        return self.select_related("owner", "committee", "meeting", "decision", "project")

    def for_reader(self, user) -> ActionQuerySet:
        """As listed to `user`: `project_visible` says whether they may read which project it is about
        (an owner or a committee's secretary reads an action about a project they may not see)."""
        from portfolio.access import project_visible

        return self.for_listing().annotate(project_visible=project_visible(user))


class Action(models.Model):
    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("action state", "Open")
        IN_PROGRESS = "in_progress", pgettext_lazy("action state", "In progress")
        DONE = "done", pgettext_lazy("action state", "Done")
        CANCELLED = "cancelled", pgettext_lazy("action state", "Cancelled")

    class Origin(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        DECISION = "decision", _("Decision")
        RISK = "risk", _("Risk")
        PROJECT = "project", _("Project")

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="actions"
    )
    due_date = models.DateField(_("due date"))
    state = models.CharField(_("state"), max_length=12, choices=State, default=State.OPEN)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin, default=Origin.MEETING)
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
    )
    meeting = models.ForeignKey(
        "governance.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
    )
    agenda_item = models.ForeignKey(
        "governance.AgendaItem",
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
    )
    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
    )
    # The meeting at which the committee follows it up: set when the meeting it came from is
    # closed while it is still open.
    follow_up_meeting = models.ForeignKey(
        "governance.Meeting",
        verbose_name=_("followed up at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions_to_follow_up",
        editable=False,
    )
    completion_note = models.TextField(_("completion note"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True, editable=False)
    last_reminded_on = models.DateField(_("last reminded on"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActionQuerySet.as_manager()
    # The reminder task's bookkeeping is not a change of the action.
    history = HistoricalRecords(excluded_fields=["last_reminded_on", "updated_at"])

    class Meta:
        ordering = ["due_date", "reference"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        indexes = [models.Index(fields=["owner", "state"]), models.Index(fields=["state", "due_date"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("governance:action_detail", args=[self.reference])

    @property
    def is_open(self) -> bool:
        return self.state in ActionQuerySet.OPEN_STATES

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_date < today

    def is_editable_by(self, user) -> bool:
        """The owner updates the state of their action; the PMO and the committee's secretary too."""
        if not user.is_authenticated:
            return False
        if user.pk == self.owner_id or user.has_role(Role.ADMINISTRATOR, Role.PMO):
            return True
        return self.committee_id is not None and self.committee.secretary_id == user.pk
