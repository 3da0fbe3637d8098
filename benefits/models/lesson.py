"""Lessons learned and the closure report.

A lesson is recorded at a gate review, in a project's closure report, when a risk closes or occurs, or at
any time by the project's manager or the PMO. It keeps the project's phase, directorate and methodology as
they were, so that it can be found later by what made it (same phase, category or directorate) and shown
beside another project's gate checklist. Who may read it follows its project (portfolio's one rule).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LessonQuerySet(models.QuerySet):
    def visible_to(self, user) -> LessonQuerySet:
        from portfolio.models import Project

        return self.filter(project__in=Project.objects.visible_to(user))


class Lesson(models.Model):
    class Source(models.TextChoices):
        GATE = "gate", _("Stage gate review")
        CLOSURE = "closure", _("Project closure")
        RISK_CLOSED = "risk_closed", _("Risk closed")
        RISK_OCCURRED = "risk_occurred", _("Risk occurred")
        OTHER = "other", _("During the project")

    class Category(models.TextChoices):
        GOVERNANCE = "governance", _("Governance and decisions")
        SCOPE = "scope", _("Scope and requirements")
        PLANNING = "planning", _("Planning and schedule")
        COST = "cost", _("Cost and finance")
        PEOPLE = "people", _("People and skills")
        SUPPLIERS = "suppliers", _("Suppliers and contracts")
        TECHNICAL = "technical", _("Technical")
        RISK = "risk", _("Risk management")
        CHANGE = "change", _("Change and adoption")
        COMMUNICATION = "communication", _("Communication and stakeholders")

    class Effect(models.TextChoices):
        POSITIVE = "positive", _("To repeat")
        NEGATIVE = "negative", _("To avoid")

    project = models.ForeignKey(
        "portfolio.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="lessons"
    )
    title = models.CharField(_("lesson"), max_length=200)
    what_happened = models.TextField(_("what happened"))
    recommendation = models.TextField(_("recommendation"))
    category = models.CharField(_("category"), max_length=15, choices=Category)
    effect = models.CharField(_("effect"), max_length=8, choices=Effect, default=Effect.NEGATIVE)
    source = models.CharField(_("source"), max_length=15, choices=Source, default=Source.OTHER)
    phase = models.ForeignKey(
        "portfolio.Phase", verbose_name=_("phase"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    directorate = models.ForeignKey(
        "pmo.Directorate", verbose_name=_("directorate"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    methodology = models.CharField(_("methodology"), max_length=20, blank=True)
    gate_review = models.ForeignKey(
        "governance.GateReview", verbose_name=_("gate review"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="lessons",
    )  # fmt: skip
    risk = models.ForeignKey(
        "risks.Risk", verbose_name=_("risk"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="lessons",
    )  # fmt: skip
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("lesson learned")
        verbose_name_plural = _("lessons learned")

    def __str__(self) -> str:
        return self.title


class ClosureReport(models.Model):
    """What the project delivered against what it set out to do, written when it closes. The final cost
    and dates are taken from the project's figures when the report is submitted (kept as they were)."""

    class ObjectivesMet(models.TextChoices):
        MET = "met", _("Met")
        PARTLY = "partly", _("Partly met")
        NOT_MET = "not_met", _("Not met")

    project = models.OneToOneField(
        "portfolio.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="closure_report",
    )
    objectives_met = models.CharField(_("objectives"), max_length=8, choices=ObjectivesMet)
    objectives_comment = models.TextField(_("what was and was not achieved"))
    benefits_handover = models.TextField(
        _("benefits handed over"), blank=True, help_text=_("To whom, and how they will be measured.")
    )
    baseline_end = models.DateField(_("baseline end"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    baseline_budget = models.DecimalField(_("baseline budget"), max_digits=16, decimal_places=2, null=True)
    final_cost = models.DecimalField(_("final cost"), max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("closure report")
        verbose_name_plural = _("closure reports")

    def __str__(self) -> str:
        return str(self.project)
