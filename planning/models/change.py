from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ChangeRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> ChangeRequestQuerySet:
        """The change requests of the projects the user may see (the project's rule, applied once)."""
        from portfolio.models import Project

        return self.filter(project__in=Project.objects.visible_to(user))

    def pending(self) -> ChangeRequestQuerySet:
        return self.filter(state__in=ChangeRequest.PENDING)

    def open(self) -> ChangeRequestQuerySet:
        """Drafts and those pending a decision."""
        return self.filter(state__in=[ChangeRequest.State.DRAFT, *ChangeRequest.PENDING])

    def for_listing(self) -> ChangeRequestQuerySet:
        return self.select_related("project__directorate", "committee", "raised_by")


class ChangeRequest(models.Model):
    """A proposed change to the project's baseline: what changes, why, and its impact as computed by the
    application when it is submitted (`impact`, planning.impact). Within the PMO's tolerance
    (`PlanPolicy`) the PMO decides; beyond, the project's committee does, in a meeting (the change request
    is proposed on its agenda). Approval takes the next baseline version (`resulting_baseline`)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to the PMO")
        PROPOSED = "proposed", _("Proposed to the committee")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        DEFERRED = "deferred", _("Deferred")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Route(models.TextChoices):
        PMO = "pmo", _("PMO (within tolerance)")
        COMMITTEE = "committee", _("Committee (beyond tolerance)")

    PENDING = (State.SUBMITTED, State.PROPOSED, State.DEFERRED)

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="change_requests",
    )
    title = models.CharField(_("title"), max_length=200)
    reason = models.TextField(_("why"), help_text=_("Why the baseline must change."))
    scope_change = models.TextField(_("scope change"), blank=True)
    new_start = models.DateField(_("new start"), null=True, blank=True)
    new_end = models.DateField(_("new end (go-live)"), null=True, blank=True)
    new_budget = models.DecimalField(
        _("new budget at completion"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    risk = models.ForeignKey(
        "risks.Risk",
        verbose_name=_("from risk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="change_requests",
    )
    issue = models.ForeignKey(
        "risks.Issue",
        verbose_name=_("from issue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="change_requests",
    )
    state = models.CharField(_("state"), max_length=12, choices=State, default=State.DRAFT)
    route = models.CharField(_("decided by"), max_length=10, choices=Route, blank=True)
    committee = models.ForeignKey(
        "governance.Committee",
        verbose_name=_("committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change_requests",
    )
    agenda_item = models.ForeignKey(
        "governance.AgendaItem",
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="change_requests",
    )
    decision = models.ForeignKey(
        "governance.Decision",
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change_requests",
    )
    # What the application computed when the request was submitted (planning.impact.Impact.as_json):
    # slip in days, budget and EAC change, earned-value effect, the dependencies it breaks.
    impact = models.JSONField(_("impact"), default=dict, blank=True, editable=False)
    decision_note = models.TextField(_("decision note"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)  # for optimistic locking

    objects = ChangeRequestQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("planning:change_request_detail", args=[self.reference])

    @property
    def is_pending(self) -> bool:
        return self.state in self.PENDING

    @property
    def is_open(self) -> bool:
        """Not settled yet: a draft or pending a decision."""
        return self.state == self.State.DRAFT or self.is_pending


class ChangeRequestMilestone(models.Model):
    """One milestone the change request moves (or adds, with no `milestone` and a name)."""

    change_request = models.ForeignKey(
        ChangeRequest, on_delete=models.CASCADE, related_name="milestone_changes"
    )
    milestone = models.ForeignKey(
        "portfolio.Milestone",
        verbose_name=_("milestone"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="change_requests",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    new_date = models.DateField(_("new baseline date"))

    class Meta:
        ordering = ["new_date", "pk"]
        verbose_name = _("milestone change")
        verbose_name_plural = _("milestone changes")

    def __str__(self) -> str:
        return self.name or str(self.milestone)


class PlanPolicy(models.Model):
    """One row: the tolerance within which the PMO approves a change request itself; beyond it (budget
    change or slip), the project's committee decides."""

    budget_tolerance_percent = models.DecimalField(
        _("budget tolerance (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(5),
        validators=[MaxValueValidator(100)],
    )
    schedule_tolerance_days = models.PositiveSmallIntegerField(
        _("schedule tolerance (days)"), default=14, validators=[MaxValueValidator(3650)]
    )

    class Meta:
        verbose_name = _("plan policy")
        verbose_name_plural = _("plan policy")

    def __str__(self) -> str:
        return str(_("Plan policy"))

    def save(self, *args, **kwargs) -> None:
        self.pk = 1  # there is only one policy
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> PlanPolicy:
        """The policy in force (one query; the defaults until the PMO changes them)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)
