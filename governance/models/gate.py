from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class GateCriterionQuerySet(models.QuerySet):
    def for_project(self, project) -> GateCriterionQuerySet:
        """The active criteria of the gate that leaves `project`'s phase and apply to it: those for every
        project (blank scope) and those of a scope another app says the project is in (standards: its
        methodology), see governance.extensions.register_criterion_scopes."""
        from governance.extensions import criterion_scopes

        if not project.phase_id:
            return self.none()
        return self.filter(phase_id=project.phase_id, is_active=True).filter(
            Q(scope="") | Q(scope__in=criterion_scopes(project))
        )


class GateCriterion(models.Model):
    """One line of the checklist a project must satisfy to leave a phase (configured by the PMO)."""

    phase = models.ForeignKey(
        "portfolio.Phase",
        verbose_name=_("phase being left"),
        on_delete=models.CASCADE,
        related_name="gate_criteria",
    )
    text = models.CharField(_("criterion (French)"), max_length=300)
    text_en = models.CharField(_("criterion (English)"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # A check another app registered (governance.extensions.register_gate_check), evaluated on the
    # project when the gate is reviewed; blank: the committee judges the criterion itself.
    automatic_check = models.CharField(_("checked automatically"), max_length=40, blank=True)
    # Whom the criterion applies to: blank, every project; otherwise a key another app registered
    # (standards: "methodology:<code>", the projects following that methodology).
    scope = models.CharField(_("applies to"), max_length=60, blank=True, db_index=True)

    objects = GateCriterionQuerySet.as_manager()

    class Meta:
        ordering = ["phase__order", "order", "pk"]
        verbose_name = _("stage gate criterion")
        verbose_name_plural = _("stage gate criteria")

    def __str__(self) -> str:
        return self.text_en if get_language() == "en" else self.text


class GateReview(models.Model):
    """A project asking to pass from one phase to the next, reviewed by a committee."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        DECIDED = "decided", _("Decided")

    class Outcome(models.TextChoices):
        GO = "go", _("Go")
        GO_WITH_CONDITIONS = "conditional", _("Go with conditions")
        HOLD = "hold", _("Hold")
        STOP = "stop", _("Stop")

    project = models.ForeignKey(
        "portfolio.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="gate_reviews"
    )
    committee = models.ForeignKey(
        "governance.Committee",
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="gate_reviews",
    )
    from_phase = models.ForeignKey(
        "portfolio.Phase", verbose_name=_("from phase"), on_delete=models.PROTECT, related_name="+"
    )
    to_phase = models.ForeignKey(
        "portfolio.Phase", verbose_name=_("to phase"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.PENDING)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("stage gate review")
        verbose_name_plural = _("stage gate reviews")

    def __str__(self) -> str:
        return f"{self.project.code}: {self.from_phase} → {self.to_phase}"


class GateCheck(models.Model):
    """A criterion as the committee assessed it during a review."""

    review = models.ForeignKey(
        GateReview, verbose_name=_("review"), on_delete=models.CASCADE, related_name="checks"
    )
    criterion = models.ForeignKey(
        GateCriterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    met = models.BooleanField(_("met"), null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        ordering = ["review", "criterion__order", "pk"]
        verbose_name = _("criterion check")
        verbose_name_plural = _("criterion checks")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_check_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.met}"
