"""Weighted scoring criteria, versioned, and the scores people give with them.

The PMO edits a draft version of the criteria and publishes it; the latest published version is the one
people score with. A published version is never changed, so a score keeps the criteria, scales and
weights it was given with, and stays explainable after the criteria move on.

A score is one scorer's view of one subject (a request or a running project) on one version: a value per
criterion on the criterion's scale. The weighted score (demand.scoring) is out of 100; a subject's score
is the mean of its scorers', with their spread shown beside it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class CriteriaSetQuerySet(models.QuerySet):
    def published(self) -> CriteriaSetQuerySet:
        return self.filter(published_at__isnull=False)

    def current(self) -> CriteriaSet | None:
        """The version people score with: the latest published."""
        return self.published().order_by("-number").first()

    def draft(self) -> CriteriaSet | None:
        return self.filter(published_at__isnull=True).order_by("-number").first()


class CriteriaSet(models.Model):
    number = models.PositiveSmallIntegerField(_("version"), unique=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = CriteriaSetQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("scoring criteria version")
        verbose_name_plural = _("scoring criteria versions")

    def __str__(self) -> str:
        return f"v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Criterion(models.Model):
    """One weighted criterion of a version, scored from 1 to `scale_max`. An inverted criterion (risk,
    complexity) counts a high value against the subject."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name (French)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    guidance = models.TextField(_("guidance (French)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"))
    scale_max = models.PositiveSmallIntegerField(_("scale (1 to)"), default=5)
    inverted = models.BooleanField(
        _("a high value counts against"), default=False, help_text=_("For risk or complexity.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["criteria_set", "order", "pk"]
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_code_unique"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="criterion_weight_positive"),
            models.CheckConstraint(condition=Q(scale_max__gte=2), name="criterion_scale_at_least_two"),
        ]

    def __str__(self) -> str:
        return self.name_en if get_language() == "en" else self.name


class Score(models.Model):
    """One scorer's score of a request or of a project, on one version of the criteria."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria version"), on_delete=models.PROTECT, related_name="scores"
    )
    request = models.ForeignKey(
        "demand.ProjectRequest", null=True, blank=True, on_delete=models.CASCADE, related_name="scores"
    )
    project = models.ForeignKey(
        "portfolio.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="scores"
    )
    scorer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("scored by"), on_delete=models.CASCADE, related_name="+"
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    scored_at = models.DateTimeField(_("scored at"), auto_now=True)

    class Meta:
        ordering = ["criteria_set", "scored_at", "pk"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.CheckConstraint(
                condition=Q(request__isnull=False, project__isnull=True)
                | Q(request__isnull=True, project__isnull=False),
                name="score_of_a_request_or_a_project",
            ),
            models.UniqueConstraint(
                fields=["criteria_set", "request", "scorer"],
                condition=Q(request__isnull=False),
                name="one_score_per_scorer_per_request",
            ),
            models.UniqueConstraint(
                fields=["criteria_set", "project", "scorer"],
                condition=Q(project__isnull=False),
                name="one_score_per_scorer_per_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request or self.project} ({self.scorer})"


class ScoreValue(models.Model):
    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="values")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(_("value"))

    class Meta:
        ordering = ["score", "criterion__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["score", "criterion"], name="one_value_per_criterion"),
            models.CheckConstraint(condition=Q(value__gte=1), name="score_value_at_least_one"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"
