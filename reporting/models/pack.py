"""The executive pack the PMO curates: its draft, its published versions, and the organisation's slides.

A monthly or quarterly whole-portfolio report can be opened as a draft (`ExecutivePack`, one per kind and
period): key messages, the decisions expected from the committee, a comment per section of the report and
per exceptional project. The PMO previews it as the PDF, then publishes: publishing freezes the content
as a numbered `PackPublication` (every version kept) and builds the reports from it, in each language, for
the subscribers (`reporting.packs`). When `PackPolicy` says a kind waits for the PMO, the scheduled run
opens the draft instead of sending the report out directly.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from reporting.models.report import Report

CURATED_KINDS = [
    (Report.Kind.MONTHLY.value, Report.Kind.MONTHLY.label),
    (Report.Kind.QUARTERLY.value, Report.Kind.QUARTERLY.label),
]


class ExecutivePack(models.Model):
    """The PMO's draft of one period's monthly or quarterly pack for the whole portfolio.

    The content is kept as plain JSON so that a publication can freeze a copy of it:
    - `key_messages`: a list of strings, in order;
    - `decisions_expected`: a list of {"title": str, "detail": str}, in order;
    - `section_comments`: {section code: text}, the sections of `reporting.pdf.content` (summary, rag,
      finances, milestones, risks, decisions...);
    - `project_comments`: {project code: text}, for the exceptional projects.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    kind = models.CharField(_("kind"), max_length=10, choices=CURATED_KINDS)
    period = models.DateField(_("period"), help_text=_("The first day of the period."))
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.DRAFT)
    key_messages = models.JSONField(_("key messages"), default=list, blank=True)
    decisions_expected = models.JSONField(
        _("decisions expected from the committee"), default=list, blank=True
    )
    section_comments = models.JSONField(_("comments per section"), default=dict, blank=True)
    project_comments = models.JSONField(_("comments per project"), default=dict, blank=True)
    # Bumped at each save of the draft: a stale form answers 409 rather than overwriting a colleague.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        ordering = ["-period", "kind"]
        verbose_name = _("executive pack")
        verbose_name_plural = _("executive packs")
        constraints = [
            models.UniqueConstraint(fields=["kind", "period"], name="executive_pack_one_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}"

    def content(self) -> dict:
        """The curated content as a publication freezes it (and as the PDF and the slides read it)."""
        return {
            "key_messages": list(self.key_messages),
            "decisions_expected": list(self.decisions_expected),
            "section_comments": dict(self.section_comments),
            "project_comments": dict(self.project_comments),
        }


class PackPublication(models.Model):
    """One published version of a pack: its frozen content, and the reports built from it."""

    pack = models.ForeignKey(
        ExecutivePack, verbose_name=_("executive pack"), on_delete=models.CASCADE, related_name="publications"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    content = models.JSONField(_("content"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        ordering = ["pack", "-number"]
        verbose_name = _("pack publication")
        verbose_name_plural = _("pack publications")
        constraints = [
            models.UniqueConstraint(fields=["pack", "number"], name="pack_publication_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.pack} v{self.number}"


class PackPolicy(models.Model):
    """One row: which scheduled reports wait for the PMO's publication instead of going out directly."""

    monthly_waits = models.BooleanField(
        _("the monthly report waits for the PMO's publication"), default=False
    )
    quarterly_waits = models.BooleanField(
        _("the quarterly report waits for the PMO's publication"), default=False
    )

    class Meta:
        verbose_name = _("executive pack policy")
        verbose_name_plural = _("executive pack policy")

    def __str__(self) -> str:
        return str(_("Executive pack policy"))

    def save(self, *args, **kwargs) -> None:
        self.pk = 1  # there is only one policy
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> PackPolicy:
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def waits(self, kind: str) -> bool:
        return {Report.Kind.MONTHLY: self.monthly_waits, Report.Kind.QUARTERLY: self.quarterly_waits}.get(
            kind, False
        )


class SlideTemplate(models.Model):
    """The organisation's PowerPoint template (.pptx or .potx) the slides are built in; the latest active
    one is used, a clean default otherwise. Its layouts are found by name (`reporting.slides.layouts`)."""

    name = models.CharField(_("name"), max_length=120)
    file = models.FileField(
        _("template file"),
        upload_to="slide-templates/",
        validators=[FileExtensionValidator(["pptx", "potx"])],
    )
    active = models.BooleanField(_("in use"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("slide template")
        verbose_name_plural = _("slide templates")

    def __str__(self) -> str:
        return self.name
