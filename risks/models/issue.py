"""Issues: problems that are happening, often a risk that occurred."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from pmo.roles import Role
from portfolio.models import Project


class IssueQuerySet(models.QuerySet):
    def visible_to(self, user) -> IssueQuerySet:
        """The risks' rule: a project's issues for whoever reads the project, transverse ones for all."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.ADMINISTRATOR, Role.PMO, Role.EXECUTIVE):
            return self
        return self.filter(
            Q(project__isnull=True) | Q(project__in=Project.objects.visible_to(user)) | Q(owner=user)
        )

    def open(self) -> IssueQuerySet:
        return self.filter(state__in=Issue.OPEN_STATES)

    def for_listing(self) -> IssueQuerySet:
        return self.select_related("project__directorate", "portfolio", "directorate", "owner", "risk")


class Issue(models.Model):
    class Severity(models.TextChoices):
        LOW = "low", pgettext_lazy("issue severity", "Low")
        MEDIUM = "medium", pgettext_lazy("issue severity", "Medium")
        HIGH = "high", pgettext_lazy("issue severity", "High")
        CRITICAL = "critical", pgettext_lazy("issue severity", "Critical")

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("issue state", "Open")
        IN_PROGRESS = "in_progress", pgettext_lazy("issue state", "In progress")
        RESOLVED = "resolved", pgettext_lazy("issue state", "Resolved")
        CLOSED = "closed", pgettext_lazy("issue state", "Closed")

    OPEN_STATES = (State.OPEN, State.IN_PROGRESS)
    SEVERITY_RANK = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3, Severity.CRITICAL: 4}

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issues",
    )
    portfolio = models.ForeignKey(
        "portfolio.Portfolio",
        verbose_name=_("portfolio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issues",
    )
    directorate = models.ForeignKey(
        "pmo.Directorate",
        verbose_name=_("directorate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issues",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity, default=Severity.MEDIUM)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="issues"
    )
    state = models.CharField(_("state"), max_length=12, choices=State, default=State.OPEN)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True, editable=False)
    # The risk it came from, when a risk occurred: risk.issue leads the other way.
    risk = models.OneToOneField(
        "risks.Risk",
        verbose_name=_("came from risk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issue",
    )
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

    objects = IssueQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["state", "-created_at"]
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        indexes = [models.Index(fields=["state", "severity"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state__in=["resolved", "closed"]) | ~Q(resolution=""),
                name="issue_resolved_has_resolution",
            ),
            models.CheckConstraint(
                condition=Q(project__isnull=False, portfolio__isnull=True, directorate__isnull=True)
                | Q(project__isnull=True, portfolio__isnull=False, directorate__isnull=True)
                | Q(project__isnull=True, portfolio__isnull=True, directorate__isnull=False),
                name="issue_has_one_home",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("risks:issue_detail", args=[self.reference])

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if len([f for f in ("project", "portfolio", "directorate") if getattr(self, f"{f}_id")]) != 1:
            errors["project"] = [
                _(
                    "An issue belongs to one project, or to one portfolio or directorate "
                    "when it is transverse."
                )
            ]
        if self.state in (self.State.RESOLVED, self.State.CLOSED) and not self.resolution.strip():
            errors["resolution"] = [_("Say how the issue was resolved: the resolution is required.")]
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def home(self):
        return self.project or self.portfolio or self.directorate

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < today

    def is_editable_by(self, user) -> bool:
        if not user.is_authenticated:
            return False
        if user.has_role(Role.ADMINISTRATOR, Role.PMO) or user.pk == self.owner_id:
            return True
        return self.project_id is not None and self.project.project_manager_id == user.pk
