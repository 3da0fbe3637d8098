"""Templates the PMO publishes for each deliverable type (versioned, every version kept) and the
deliverables a project provides: a file (through Django's storage, typed by its content like an import)
or a link, with its state and approver. Files are served only to who may see the project."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from standards.models.methodology import DeliverableType


def template_path(instance: Template, filename: str) -> str:
    return f"standards/templates/{instance.deliverable_type_id}/v{instance.version}/{filename}"


def deliverable_path(instance: Deliverable, filename: str) -> str:
    return f"standards/deliverables/{instance.project_id}/{instance.deliverable_type_id}/{filename}"


class StoredFile(models.Model):
    """What an uploaded file keeps: its name as uploaded, its type judged by content, its size."""

    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size"), null=True, blank=True)

    class Meta:
        abstract = True


class Template(StoredFile):
    """One version of the template of a deliverable type (Word, Excel, PowerPoint…); the latest is current."""

    deliverable_type = models.ForeignKey(
        DeliverableType, verbose_name=_("deliverable"), on_delete=models.CASCADE, related_name="templates"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=template_path, max_length=300)
    notes = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["deliverable_type", "-version"]
        get_latest_by = "version"
        verbose_name = _("template")
        verbose_name_plural = _("templates")
        constraints = [
            models.UniqueConstraint(fields=["deliverable_type", "version"], name="template_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.deliverable_type} v{self.version}"


class Deliverable(StoredFile):
    """A deliverable of a project for a phase. No row means missing; a row is created when the PM first
    provides it. Every change (a new file, a state) is kept in its history."""

    class State(models.TextChoices):
        MISSING = "missing", _("Missing")
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for approval")
        APPROVED = "approved", _("Approved")
        WAIVED = "waived", _("Waived")

    project = models.ForeignKey(
        "portfolio.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="deliverables"
    )
    deliverable_type = models.ForeignKey(
        DeliverableType, verbose_name=_("deliverable"), on_delete=models.PROTECT, related_name="deliverables"
    )
    phase = models.ForeignKey(
        "portfolio.Phase", verbose_name=_("phase"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.MISSING)
    file = models.FileField(_("file"), upload_to=deliverable_path, max_length=300, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True, help_text=_("Or a link to the document."))
    template = models.ForeignKey(
        Template, verbose_name=_("from template"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approver"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="deliverables_to_approve",
        help_text=_("Blank: the PMO approves."),
    )  # fmt: skip
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    waiver_reason = models.TextField(_("reason for the waiver"), blank=True)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "phase__order", "deliverable_type__order", "pk"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "deliverable_type", "phase"], name="deliverable_unique_per_phase"
            ),
            models.CheckConstraint(
                condition=~Q(state="waived") | ~Q(waiver_reason=""), name="deliverable_waiver_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.deliverable_type}"

    @property
    def is_done(self) -> bool:
        """Approved or waived: what a gate asks of it."""
        return self.state in {self.State.APPROVED, self.State.WAIVED}
