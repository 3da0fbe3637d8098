from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaselineQuerySet(models.QuerySet):
    def current_for(self, project) -> Baseline | None:
        return self.filter(project=project).order_by("-number").first()


class Baseline(models.Model):
    """A frozen, numbered version (v1, v2, …) of a project's dates, budget and milestones.

    Never edited once taken: v1 when the project passes the gate into execution (or taken by the PMO for a
    project already under way), each later one by an approved change request (`change_request`). The
    project's own baseline fields and its milestones' baseline dates mirror the latest version.
    """

    class Origin(models.TextChoices):
        GATE = "gate", _("Stage gate into execution")
        PMO = "pmo", _("Taken by the PMO")
        CHANGE = "change", _("Approved change request")

    project = models.ForeignKey(
        "portfolio.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="baselines"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    origin = models.CharField(_("origin"), max_length=10, choices=Origin)
    change_request = models.OneToOneField(
        "planning.ChangeRequest",
        verbose_name=_("change request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resulting_baseline",
    )
    start = models.DateField(_("baseline start"), null=True, blank=True)
    end = models.DateField(_("baseline end"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget at completion"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3)
    note = models.TextField(_("note"), blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    taken_at = models.DateTimeField(_("taken at"), auto_now_add=True)

    objects = BaselineQuerySet.as_manager()

    class Meta:
        ordering = ["project", "number"]
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="baseline_number_unique")]

    def __str__(self) -> str:
        return f"v{self.number}"


class BaselineMilestone(models.Model):
    """A milestone as its baseline froze it; `milestone` is gone (null) once the milestone is deleted."""

    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="milestones")
    milestone = models.ForeignKey(
        "portfolio.Milestone", null=True, blank=True, on_delete=models.SET_NULL, related_name="baselined"
    )
    name = models.CharField(_("name"), max_length=200)
    date = models.DateField(_("baseline date"))
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["baseline", "date", "pk"]
        verbose_name = _("baselined milestone")
        verbose_name_plural = _("baselined milestones")

    def __str__(self) -> str:
        return self.name
