"""Risks, their assessments over time, and their escalations to committees."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from pmo import texts
from pmo.roles import Role
from portfolio.models import Project
from risks.models.policy import Impact, Probability, RiskLevel, RiskPolicy

SCORED_BY = ("probability", "impact", "residual_probability", "residual_impact")
SCALE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
OVERSIGHT = (Role.ADMINISTRATOR, Role.PMO, Role.EXECUTIVE)


class RiskQuerySet(models.QuerySet):
    def visible_to(self, user) -> RiskQuerySet:
        """A project's risks are read by whoever reads the project; transverse risks by every user."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(*OVERSIGHT):
            return self
        return self.filter(
            Q(project__isnull=True) | Q(project__in=Project.objects.visible_to(user)) | Q(owner=user)
        )

    def editable_by(self, user) -> RiskQuerySet:
        """The PMO and administrators; a risk's owner; the manager of its project."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.ADMINISTRATOR, Role.PMO):
            return self
        return self.filter(Q(owner=user) | Q(project__project_manager=user))

    def open(self) -> RiskQuerySet:
        return self.filter(state=Risk.State.OPEN)

    def review_overdue(self, today: date) -> RiskQuerySet:
        return self.open().filter(next_review_on__lt=today)

    def in_directorate(self, directorate) -> RiskQuerySet:
        return self.filter(
            Q(directorate=directorate)
            | Q(project__directorate=directorate)
            | Q(portfolio__directorate=directorate)
        )

    def with_levels(self, policy: RiskPolicy) -> RiskQuerySet:
        """`level` and `residual_level` from the policy's thresholds, computed by the database."""
        return self.annotate(
            level=policy.level_expression("score"), residual_level=policy.level_expression("residual_score")
        )

    def for_listing(self) -> RiskQuerySet:
        return self.select_related("project__directorate", "portfolio", "directorate", "owner", "category")


class Risk(models.Model):
    class Kind(models.TextChoices):
        THREAT = "threat", _("Threat")
        OPPORTUNITY = "opportunity", _("Opportunity")

    class Response(models.TextChoices):
        AVOID = "avoid", _("Avoid")
        REDUCE = "reduce", _("Reduce")
        TRANSFER = "transfer", _("Transfer")
        ACCEPT = "accept", _("Accept")
        EXPLOIT = "exploit", _("Exploit")
        ENHANCE = "enhance", _("Enhance")
        SHARE = "share", _("Share")

    # Which responses fit which kind of risk (accepting is possible for both).
    RESPONSES_BY_KIND = {
        Kind.THREAT: {Response.AVOID, Response.REDUCE, Response.TRANSFER, Response.ACCEPT},
        Kind.OPPORTUNITY: {Response.EXPLOIT, Response.ENHANCE, Response.SHARE, Response.ACCEPT},
    }

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("risk state", "Open")
        CLOSED = "closed", pgettext_lazy("risk state", "Closed")
        OCCURRED = "occurred", pgettext_lazy("risk state", "Occurred")

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.THREAT)
    # Where the risk lives: a project, or for a transverse risk a portfolio or a directorate.
    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risks",
    )
    portfolio = models.ForeignKey(
        "portfolio.Portfolio",
        verbose_name=_("portfolio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risks",
    )
    directorate = models.ForeignKey(
        "pmo.Directorate",
        verbose_name=_("directorate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risks",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    cause = models.TextField(_("cause"), blank=True)
    effect = models.TextField(_("effect"), blank=True)
    category = models.ForeignKey(
        "risks.RiskCategory",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risks",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="risks"
    )
    probability = models.PositiveSmallIntegerField(
        _("probability"), choices=Probability, validators=SCALE_VALIDATORS
    )
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Impact, validators=SCALE_VALIDATORS)
    # probability x impact, kept by save() so that the database sorts, filters and counts by it.
    score = models.PositiveSmallIntegerField(_("score"), editable=False)
    proximity = models.DateField(
        _("proximity"), null=True, blank=True, help_text=_("The date by which the risk may occur.")
    )
    response = models.CharField(_("response strategy"), max_length=10, choices=Response, blank=True)
    mitigation_plan = models.TextField(_("mitigation plan"), blank=True)
    residual_probability = models.PositiveSmallIntegerField(
        _("residual probability"), choices=Probability, validators=SCALE_VALIDATORS, null=True, blank=True
    )
    residual_impact = models.PositiveSmallIntegerField(
        _("residual impact"), choices=Impact, validators=SCALE_VALIDATORS, null=True, blank=True
    )
    residual_score = models.PositiveSmallIntegerField(_("residual score"), null=True, editable=False)
    residual_reason = models.TextField(
        _("why the residual score is higher"),
        blank=True,
        help_text=_("Needed only when the residual score is above the inherent one."),
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.OPEN)
    closing_note = models.TextField(_("closing note"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    next_review_on = models.DateField(_("next review"))
    last_reminded_on = models.DateField(_("last reminded on"), null=True, blank=True, editable=False)
    # Mitigation actions are governance actions (origin "risk"), followed like any other action.
    actions = models.ManyToManyField(
        "governance.Action", verbose_name=_("mitigation actions"), blank=True, related_name="risks"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RiskQuerySet.as_manager()
    # The reminder task's bookkeeping is not a change of the risk.
    history = HistoricalRecords(excluded_fields=["last_reminded_on", "updated_at"])

    class Meta:
        ordering = ["-score", "reference"]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        indexes = [
            models.Index(fields=["state", "score"]),
            models.Index(fields=["state", "next_review_on"]),
            models.Index(fields=["probability", "impact"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(probability__gte=1, probability__lte=5, impact__gte=1, impact__lte=5),
                name="risk_scale_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(residual_probability__isnull=True)
                | Q(residual_probability__gte=1, residual_probability__lte=5),
                name="risk_residual_probability_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(residual_impact__isnull=True) | Q(residual_impact__gte=1, residual_impact__lte=5),
                name="risk_residual_impact_1_to_5",
            ),
            models.CheckConstraint(condition=Q(score=F("probability") * F("impact")), name="risk_score"),
            models.CheckConstraint(
                condition=Q(residual_score__isnull=True)
                | Q(residual_score__lte=F("score"))
                | ~Q(residual_reason=""),
                name="risk_residual_above_inherent_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state="closed") | ~Q(closing_note=""), name="risk_closed_has_note"
            ),
            models.CheckConstraint(
                condition=Q(project__isnull=False, portfolio__isnull=True, directorate__isnull=True)
                | Q(project__isnull=True, portfolio__isnull=False, directorate__isnull=True)
                | Q(project__isnull=True, portfolio__isnull=True, directorate__isnull=False),
                name="risk_has_one_home",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def save(self, *args, **kwargs) -> None:
        self.score = self.probability * self.impact
        self.residual_score = (
            self.residual_probability * self.residual_impact
            if self.residual_probability and self.residual_impact
            else None
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(SCORED_BY) & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "score", "residual_score"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("risks:risk_detail", args=[self.reference])

    def clean(self) -> None:
        """The rules a form shows beside the field at fault (the constraints above are the backstop)."""
        errors: dict[str, list] = {}
        homes = [f for f in ("project", "portfolio", "directorate") if getattr(self, f"{f}_id")]
        if len(homes) != 1:
            errors.setdefault("project", []).append(
                _("A risk belongs to one project, or to one portfolio or directorate when it is transverse.")
            )
        residual = (self.residual_probability, self.residual_impact)
        if any(residual) and not all(residual):
            missing = "residual_impact" if self.residual_probability else "residual_probability"
            errors.setdefault(missing, []).append(
                _("Give both the residual probability and the residual impact, or neither.")
            )
        elif (
            all(residual)
            and self.probability
            and self.impact
            and residual[0] * residual[1] > self.probability * self.impact
            and not self.residual_reason.strip()
        ):
            errors.setdefault("residual_reason", []).append(
                _(
                    "The residual score (%(residual)d) is above the inherent score (%(score)d): "
                    "say why, or lower it."
                )
                % {"residual": residual[0] * residual[1], "score": self.probability * self.impact}
            )
        if self.response and self.response not in self.RESPONSES_BY_KIND[self.Kind(self.kind)]:
            errors.setdefault("response", []).append(
                _("“%(response)s” is not a response to a %(kind)s.")
                % {"response": self.Response(self.response).label, "kind": self.Kind(self.kind).label.lower()}
            )
        if self.state == self.State.CLOSED and not self.closing_note.strip():
            errors.setdefault("closing_note", []).append(
                _("Say why the risk is closed: the closing note is required.")
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_transverse(self) -> bool:
        return self.project_id is None

    @property
    def home(self):
        """The project, portfolio or directorate the risk belongs to."""
        return self.project or self.portfolio or self.directorate

    def level_in(self, policy: RiskPolicy) -> RiskLevel:
        return policy.level_of(self.score)

    def review_overdue(self, today: date) -> bool:
        return self.is_open and self.next_review_on < today

    def is_editable_by(self, user) -> bool:
        if not user.is_authenticated:
            return False
        if user.has_role(Role.ADMINISTRATOR, Role.PMO) or user.pk == self.owner_id:
            return True
        return self.project_id is not None and self.project.project_manager_id == user.pk


class RiskAssessment(models.Model):
    """One scoring of a risk, kept for ever: the risk page draws its score over time from these."""

    risk = models.ForeignKey(
        Risk, verbose_name=_("risk"), on_delete=models.CASCADE, related_name="assessments"
    )
    probability = models.PositiveSmallIntegerField(_("probability"), choices=Probability)
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Impact)
    score = models.PositiveSmallIntegerField(_("score"))
    residual_probability = models.PositiveSmallIntegerField(
        _("residual probability"), choices=Probability, null=True
    )
    residual_impact = models.PositiveSmallIntegerField(_("residual impact"), choices=Impact, null=True)
    residual_score = models.PositiveSmallIntegerField(_("residual score"), null=True)
    note = models.TextField(_("note"), blank=True)
    # The note the application writes ("First assessment"), worded in each reader's language (pmo.texts).
    note_key = texts.key_field()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assessed_at = models.DateTimeField(_("assessed at"))

    class Meta:
        ordering = ["assessed_at", "pk"]
        get_latest_by = "assessed_at"
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        indexes = [models.Index(fields=["risk", "assessed_at"])]

    def __str__(self) -> str:
        return f"{self.risk_id}: {self.score}"

    @property
    def display_note(self) -> str:
        return texts.render(self.note_key, {}, fallback=self.note)


class Escalation(models.Model):
    """A risk sent to a committee: proposed on its next agenda until a meeting discusses it."""

    risk = models.ForeignKey(
        Risk, verbose_name=_("risk"), on_delete=models.CASCADE, related_name="escalations"
    )
    committee = models.ForeignKey(
        "governance.Committee",
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="risk_escalations",
    )
    reason = models.TextField(_("why the committee must decide"))
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("escalated by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    escalated_at = models.DateTimeField(_("escalated at"), auto_now_add=True)
    # The agenda item that took it up, and the committee's decision once the meeting is closed.
    agenda_item = models.OneToOneField(
        "governance.AgendaItem",
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="risk_escalation",
    )
    decision = models.ForeignKey(
        "governance.Decision",
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="risk_escalations",
    )

    class Meta:
        ordering = ["-escalated_at", "-pk"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")

    def __str__(self) -> str:
        return f"{self.risk} → {self.committee}"

    @property
    def is_decided(self) -> bool:
        return self.decision_id is not None
