"""An import of a portfolio spreadsheet, step by step, and the named column mappings the PMO reuses."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imports import rowcache
from imports.tables import Table, read_table
from pmo.roles import Role


def stored_name(instance: Import, filename: str) -> str:
    """A random name under imports/: the user's file name is never part of a path."""
    return f"imports/{uuid.uuid4().hex}.{instance.kind or 'bin'}"


def parsed_name(instance: Import, filename: str) -> str:
    """The parsed rows beside the upload (imports.rowcache)."""
    return f"imports/{uuid.uuid4().hex}.rows.json"


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
        CHECKING = "checking", _("Dry run in progress")
        DRY_RUN = "dry_run", _("Dry run done")
        COMMITTING = "committing", _("Being committed")
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
    # The file's rows as parsed (imports.rowcache): read once, not at every step.
    parsed = models.FileField(_("parsed rows"), upload_to=parsed_name, blank=True, max_length=200)
    # The dry run and the commit run in a worker (imports.runs): each request is a new run number, so
    # that a run superseded by a later one (the mapping changed meanwhile) writes nothing.
    run = models.PositiveIntegerField(_("run"), default=0)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rows_total = models.PositiveIntegerField(_("rows to read"), default=0)
    run_error = models.TextField(_("error of the last run"), blank=True)

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

    @property
    def is_running(self) -> bool:
        """A dry run or a commit is waiting for a worker or under way."""
        return self.state in (self.State.CHECKING, self.State.COMMITTING)

    def table(self) -> Table:
        """The file's table as the mapping reads it (its sheet and header row). Parsed once, then read
        back from the copy kept beside the file; ParseError or OSError when the file cannot be read."""
        key = rowcache.table_key(self.mapping)
        if self.parsed:
            try:
                with self.parsed.open("rb") as handle:
                    cached = rowcache.load(handle.read(), key)
            except OSError:
                cached = None
            if cached is not None:
                return cached
        table = read_table(self.read_bytes(), sheet=key["sheet"], header_row=key["header_row"])
        self.keep_table(table)
        return table

    def keep_table(self, table: Table) -> None:
        """Store the parsed table for the steps that follow (replacing one read with another mapping)."""
        old = self.parsed.name if self.parsed else ""
        self.parsed.save(
            "rows", ContentFile(rowcache.dump(table, rowcache.table_key(self.mapping))), save=False
        )
        if self.pk:
            Import.objects.filter(pk=self.pk).update(parsed=self.parsed.name)
        if old:
            self.parsed.storage.delete(old)

    def read_bytes(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()

    def discard_file(self) -> None:
        """Delete the stored file (after the commit, or when it expires); the import's record stays."""
        if self.file or self.parsed:
            self.file.delete(save=False)
            self.parsed.delete(save=False)
            self.file = self.parsed = ""
            self.save(update_fields=["file", "parsed", "updated_at"])
