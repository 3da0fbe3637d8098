"""Money by month: a project's phased budget, its actuals and its forecast, by cost category.

Every amount is in its project's currency and belongs to one month (its first day). Totals across
projects go through `portfolio.exchange`, never summed raw. Actuals come from two places, and
`finance.selectors` owns the rule that picks between them: the finance system's monthly import (rows of
kind ACTUAL here), which is authoritative for a project's month once it is there, or else the weekly
statuses' "spend this period" (`StatusReport.spend_this_period`), booked to the category that receives
it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The categories a new installation starts with (the migration creates them): code, French, English,
# order, whether the weekly spend is booked to it.
DEFAULT_CATEGORIES = [
    ("CAPEX", "Investissement (CAPEX)", "Capital expenditure (CAPEX)", 10, False),
    ("OPEX", "Fonctionnement (OPEX)", "Operating expenditure (OPEX)", 20, True),
]


class CostCategoryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class CostCategory(models.Model):
    """A split of the money the PMO configures (CAPEX and OPEX unless it says otherwise)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name (French)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    receives_status_spend = models.BooleanField(
        _("receives the weekly spend"),
        default=False,
        help_text=_("The spend entered with the weekly status is booked to this category."),
    )

    objects = CostCategoryQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("cost category")
        verbose_name_plural = _("cost categories")
        constraints = [
            models.UniqueConstraint(
                fields=["receives_status_spend"],
                condition=Q(receives_status_spend=True),
                name="finance_one_category_receives_status_spend",
            )
        ]

    def __str__(self) -> str:
        return self.name_en if get_language() == "en" else self.name

    @classmethod
    def ensure_defaults(cls) -> None:
        """The default categories, when there is none at all (a database emptied since its migrations)."""
        if not cls.objects.exists():
            for code, name, name_en, order, receives in DEFAULT_CATEGORIES:
                cls.objects.create(
                    code=code, name=name, name_en=name_en, order=order, receives_status_spend=receives
                )

    @classmethod
    def for_status_spend(cls) -> CostCategory | None:
        return cls.objects.filter(receives_status_spend=True).first() or cls.objects.active().first()


class MonthlyAmountQuerySet(models.QuerySet):
    def budget(self):
        return self.filter(kind=MonthlyAmount.Kind.BUDGET)

    def actual(self):
        return self.filter(kind=MonthlyAmount.Kind.ACTUAL)

    def forecast(self):
        return self.filter(kind=MonthlyAmount.Kind.FORECAST)


class MonthlyAmount(models.Model):
    """One project's amount of one kind, in one cost category, for one month."""

    class Kind(models.TextChoices):
        BUDGET = "budget", _("Budget")
        ACTUAL = "actual", _("Actual")
        FORECAST = "forecast", _("Forecast")

    class Source(models.TextChoices):
        ENTERED = "entered", _("Entered in the application")
        IMPORTED = "imported", _("Imported")
        API = "api", _("API")

    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="monthly_amounts",
    )
    category = models.ForeignKey(
        CostCategory, verbose_name=_("cost category"), on_delete=models.PROTECT, related_name="amounts"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.ENTERED)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = MonthlyAmountQuerySet.as_manager()
    # The phasing as it stood at a past date (the financial view as at D) is read from here.
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "kind", "month", "category"]
        verbose_name = _("monthly amount")
        verbose_name_plural = _("monthly amounts")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind", "category", "month"], name="finance_one_amount_per_month"
            ),
            # Budgets and forecasts are never negative; an actual may be (a credit note).
            models.CheckConstraint(
                condition=Q(kind="actual") | Q(amount__gte=0), name="finance_planned_amount_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["kind", "month"], name="finance_amount_kind_month")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.kind} {self.month:%Y-%m} {self.amount}"
