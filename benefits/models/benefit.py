"""Benefit profiles: what a project is meant to bring, measured over time, including after it closes.

A profile is financial (an amount a year, in its currency) or not (a measure in its own unit); it is
measured by hand (a series of actuals) or by a KPI of the catalogue (its measurements are the actuals).
It has a baseline (the value before the project), a target and the date the target is due, and an owner
who stays accountable once the project has closed. The PMO approves it (a gate criterion can require
an approved profile); changing an approved profile's baseline, target or dates takes it back to draft.

What was planned at a date and what was realised are one function each (benefits.selectors).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pmo.money import default_currency


class BenefitProfileQuerySet(models.QuerySet):
    def visible_to(self, user) -> BenefitProfileQuerySet:
        """A profile is read by who may see its project (portfolio's one rule)."""
        from portfolio.models import Project

        return self.filter(project__in=Project.objects.visible_to(user))

    def approved(self) -> BenefitProfileQuerySet:
        return self.filter(state=BenefitProfile.State.APPROVED)


class BenefitProfile(models.Model):
    class Kind(models.TextChoices):
        FINANCIAL = "financial", _("Financial")
        NON_FINANCIAL = "non_financial", _("Non-financial")

    class Measure(models.TextChoices):
        MANUAL = "manual", _("Actuals recorded by hand")
        KPI = "kpi", _("A KPI of the catalogue")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        RETIRED = "retired", _("Retired")

    project = models.ForeignKey(
        "portfolio.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="benefits"
    )
    title = models.CharField(_("benefit"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind, default=Kind.FINANCIAL)
    measure = models.CharField(_("measured by"), max_length=6, choices=Measure, default=Measure.MANUAL)
    # The catalogue is reporting's; the link is by the ORM only (reporting reads benefits, not the reverse).
    kpi = models.ForeignKey(
        "reporting.Kpi", verbose_name=_("KPI"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    unit = models.CharField(
        _("unit"), max_length=30, blank=True, help_text=_("For a non-financial benefit: %, days, customers…")
    )
    currency = models.CharField(_("currency"), max_length=3, default=default_currency)
    baseline_value = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2, default=0)
    target_value = models.DecimalField(_("target"), max_digits=16, decimal_places=2)
    starts_on = models.DateField(
        _("realisation starts"), help_text=_("When the benefit starts to be counted.")
    )
    target_date = models.DateField(_("target date"), help_text=_("When the target is due."))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("benefit owner"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="owned_benefits",
        help_text=_("Stays accountable after the project closes."),
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = BenefitProfileQuerySet.as_manager()

    class Meta:
        ordering = ["project", "target_date", "pk"]
        verbose_name = _("benefit profile")
        verbose_name_plural = _("benefit profiles")

    def __str__(self) -> str:
        return self.title


class BenefitActual(models.Model):
    """The benefit's value measured on a date (for a financial one: the yearly rate reached)."""

    profile = models.ForeignKey(BenefitProfile, on_delete=models.CASCADE, related_name="actuals")
    measured_on = models.DateField(_("measured on"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["profile", "measured_on", "pk"]
        verbose_name = _("benefit actual")
        verbose_name_plural = _("benefit actuals")
        constraints = [
            models.UniqueConstraint(fields=["profile", "measured_on"], name="one_actual_per_benefit_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.profile}: {self.value} ({self.measured_on})"
