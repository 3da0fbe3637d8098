"""What the PMO configures about risks: the categories, and the thresholds that turn a score into a level."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, CharField, Value, When
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

SCALE = range(1, 6)  # probability and impact are scored 1..5
MAX_SCORE = 25


class Probability(models.IntegerChoices):
    RARE = 1, _("1 - Rare")
    UNLIKELY = 2, _("2 - Unlikely")
    POSSIBLE = 3, _("3 - Possible")
    LIKELY = 4, _("4 - Likely")
    ALMOST_CERTAIN = 5, _("5 - Almost certain")


class Impact(models.IntegerChoices):
    NEGLIGIBLE = 1, _("1 - Negligible")
    MINOR = 2, _("2 - Minor")
    MODERATE = 3, _("3 - Moderate")
    MAJOR = 4, _("4 - Major")
    SEVERE = 5, _("5 - Severe")


class RiskLevel(models.TextChoices):
    LOW = "low", pgettext_lazy("risk level", "Low")
    MEDIUM = "medium", pgettext_lazy("risk level", "Medium")
    HIGH = "high", pgettext_lazy("risk level", "High")
    CRITICAL = "critical", pgettext_lazy("risk level", "Critical")

    @property
    def rank(self) -> int:
        return list(RiskLevel).index(self) + 1


class RiskCategory(models.Model):
    """A list the PMO configures in the admin (technical, financial, regulatory, ...)."""

    name = models.CharField(_("name (French)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("risk category")
        verbose_name_plural = _("risk categories")

    def __str__(self) -> str:
        return self.name_en if get_language() == "en" else self.name


class RiskPolicy(models.Model):
    """One row: the lowest score of each level. Scores below `medium_from` are low.

    The defaults are the usual 5x5 matrix: 1-4 low, 5-9 medium, 10-14 high, 15-25 critical.
    """

    medium_from = models.PositiveSmallIntegerField(_("medium from score"), default=5)
    high_from = models.PositiveSmallIntegerField(_("high from score"), default=10)
    critical_from = models.PositiveSmallIntegerField(_("critical from score"), default=15)
    review_every_days = models.PositiveSmallIntegerField(
        _("review every (days)"),
        default=30,
        help_text=_("The next review date proposed when a risk is recorded or re-assessed."),
    )

    class Meta:
        verbose_name = _("risk policy")
        verbose_name_plural = _("risk policy")

    def __str__(self) -> str:
        return str(_("Risk policy"))

    def save(self, *args, **kwargs) -> None:
        self.pk = 1  # there is only one policy
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if not (1 < self.medium_from < self.high_from < self.critical_from <= MAX_SCORE):
            raise ValidationError(
                _("The thresholds must rise: 1 < medium < high < critical ≤ %(max)d.") % {"max": MAX_SCORE}
            )

    @classmethod
    def current(cls) -> RiskPolicy:
        """The policy in force (one query; the defaults until the PMO changes them)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def level_of(self, score: int | None) -> RiskLevel | None:
        if score is None:
            return None
        if score >= self.critical_from:
            return RiskLevel.CRITICAL
        if score >= self.high_from:
            return RiskLevel.HIGH
        if score >= self.medium_from:
            return RiskLevel.MEDIUM
        return RiskLevel.LOW

    def bounds(self, level: str) -> tuple[int, int]:
        """The lowest and highest score of `level`."""
        return {
            RiskLevel.LOW: (1, self.medium_from - 1),
            RiskLevel.MEDIUM: (self.medium_from, self.high_from - 1),
            RiskLevel.HIGH: (self.high_from, self.critical_from - 1),
            RiskLevel.CRITICAL: (self.critical_from, MAX_SCORE),
        }[RiskLevel(level)]

    def levels(self) -> list[dict]:
        """Each level with its score range, for legends."""
        return [
            {"level": level, "label": level.label, "low": low, "high": high}
            for level in RiskLevel
            for low, high in [self.bounds(level)]
        ]

    def level_expression(self, score: str = "score") -> Case:
        """The level of the `score` field in SQL: filters and counts by level cost no query per row."""
        return Case(
            When(**{f"{score}__isnull": True}, then=Value(None)),
            When(**{f"{score}__gte": self.critical_from}, then=Value(RiskLevel.CRITICAL.value)),
            When(**{f"{score}__gte": self.high_from}, then=Value(RiskLevel.HIGH.value)),
            When(**{f"{score}__gte": self.medium_from}, then=Value(RiskLevel.MEDIUM.value)),
            default=Value(RiskLevel.LOW.value),
            output_field=CharField(),
        )
