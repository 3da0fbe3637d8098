"""An import of a portfolio spreadsheet, step by step, and the named column mappings the PMO reuses."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pmo.roles import Role


def stored_name(instance: Import, filename: str) -> str:
    """A random name under imports/: the user's file name is never part of a path."""
    return f"imports/{uuid.uuid4().hex}.{instance.kind or 'bin'}"


class ColumnMapping(models.Model):
    """A saved mapping, in the format of `import_portfolio --mapping` (docs/imports.md)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    definition = models.JSONField(_("definition"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self) -> str:
        return self.name


class ImportQuerySet(models.QuerySet):
    def visible_to(self, user) -> ImportQuerySet:
        """An import is its author's (the file may hold confidential projects); administrators see all."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.ADMINISTRATOR):
            return self
        if user.has_role(Role.PMO):
            return self.filter(created_by=user)
        return self.none()

    def expired(self, *, now=None) -> ImportQuerySet:
        """Imports whose file has outlived IMPORT_FILE_RETENTION (a day by default)."""
        now = now or timezone.now()
        return self.exclude(file="").filter(
            created_at__lt=now - timedelta(seconds=settings.IMPORT_FILE_RETENTION)
        )


class Import(models.Model):
    class State(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        MAPPED = "mapped", _("Columns mapped")
        DRY_RUN = "dry_run", _("Dry run done")
        COMMITTED = "committed", _("Committed")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (.xlsx)"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Stored through the storage API under MEDIA_ROOT/imports/ (never a static path), never served
    # back to anyone; deleted once committed or after IMPORT_FILE_RETENTION.
    file = models.FileField(_("file"), upload_to=stored_name, blank=True, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=4, choices=Kind)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.UPLOADED)
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)
    saved_mapping = models.ForeignKey(
        ColumnMapping,
        verbose_name=_("saved mapping"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imports",
    )
    summary = models.JSONField(_("summary"), default=dict, blank=True)  # counts and problems of the last run
    results = models.JSONField(_("row results"), default=list, blank=True)  # of the last dry run or commit
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)

    objects = ImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("imports:step", args=[self.pk])

    @property
    def is_committed(self) -> bool:
        return self.state == self.State.COMMITTED

    @property
    def has_file(self) -> bool:
        return bool(self.file)

    def read_bytes(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()

    def discard_file(self) -> None:
        """Delete the stored file (after the commit, or when it expires); the import's record stays."""
        if self.file:
            self.file.delete(save=False)
            self.file = ""
            self.save(update_fields=["file", "updated_at"])
