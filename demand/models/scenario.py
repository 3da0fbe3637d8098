"""Portfolio scenarios: which requests and running projects to fund, under a budget per year and the
capacity per role, maximising the weighted score (demand.optimiser).

At most `MAX_OPEN` scenarios are open at once, so that they can be compared side by side. The PMO forces
a candidate in or out (`ScenarioChoice`); the optimiser chooses the rest. Its result is stored on the
scenario (`result`) with the inputs' date, so that what the committee saw stays what it saw.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MAX_OPEN = 4


class PortfolioScenarioQuerySet(models.QuerySet):
    def open(self) -> PortfolioScenarioQuerySet:
        return self.filter(archived=False)


class PortfolioScenario(models.Model):
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    years = models.PositiveSmallIntegerField(_("years"), default=3)
    criteria_set = models.ForeignKey(
        "demand.CriteriaSet", verbose_name=_("criteria version"), on_delete=models.PROTECT, related_name="+"
    )
    use_capacity = models.BooleanField(
        _("within the capacity per role"),
        default=True,
        help_text=_("The people each role has, from the capacity grid, less what running projects need."),
    )
    result = models.JSONField(_("result"), null=True, blank=True, editable=False)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    archived = models.BooleanField(_("archived"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PortfolioScenarioQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("portfolio scenario")
        verbose_name_plural = _("portfolio scenarios")

    def __str__(self) -> str:
        return self.name

    @property
    def year_range(self) -> list[int]:
        return list(range(self.first_year, self.first_year + self.years))


class ScenarioBudget(models.Model):
    """The budget cap of one year, in the reporting currency."""

    scenario = models.ForeignKey(PortfolioScenario, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("year"))
    cap = models.DecimalField(_("budget cap"), max_digits=16, decimal_places=2)

    class Meta:
        ordering = ["scenario", "year"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "year"], name="scenario_budget_year_unique"),
            models.CheckConstraint(condition=Q(cap__gte=0), name="scenario_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.cap}"


class ScenarioChoice(models.Model):
    """A candidate the PMO forced in or out of the scenario."""

    class Forced(models.TextChoices):
        IN = "in", _("Forced in")
        OUT = "out", _("Forced out")

    scenario = models.ForeignKey(PortfolioScenario, on_delete=models.CASCADE, related_name="choices")
    request = models.ForeignKey(
        "demand.ProjectRequest", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(
        "portfolio.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    forced = models.CharField(_("forced"), max_length=3, choices=Forced)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(request__isnull=False, project__isnull=True)
                | Q(request__isnull=True, project__isnull=False),
                name="choice_of_a_request_or_a_project",
            ),
            models.UniqueConstraint(
                fields=["scenario", "request"],
                condition=Q(request__isnull=False),
                name="one_choice_per_request",
            ),
            models.UniqueConstraint(
                fields=["scenario", "project"],
                condition=Q(project__isnull=False),
                name="one_choice_per_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request or self.project}: {self.get_forced_display()}"
