"""A project request: the demand a directorate brings to the portfolio, from its submission to the G0.

The life of a request (`ProjectRequest.State`):

    submitted --(PMO qualifies)--> qualified --(PMO routes it to a portfolio committee)--> proposed
        \\--(PMO: incomplete, with a comment)--> incomplete --(requester completes it)--> submitted
    proposed --(the committee's G0 decision)--> approved (a project is created) | rejected | deferred
    deferred --(PMO proposes it again)--> proposed;  the requester may withdraw it before the decision.

Rejected and deferred keep the decision and its reason; an approved request points at its project.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, Q
from django.utils.translation import gettext_lazy as _

from pmo.money import default_currency
from pmo.roles import Role


class ProjectRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProjectRequestQuerySet:
        """The one read rule for requests (docs/demand.md): the oversight roles (PMO, administrators,
        executives) read them all; a requester and a sponsor their own; people of the requester's
        directorate its requests; the people of a portfolio committee (chair, secretary, members) every
        request once qualified, since they score and decide them."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.ADMINISTRATOR, Role.PMO, Role.EXECUTIVE):
            return self
        from governance.models import Committee

        sits_on_portfolio_committee = Committee.objects.filter(kind=Committee.Kind.PORTFOLIO).filter(
            Q(chair=user) | Q(secretary=user) | Q(memberships__user=user)
        )
        condition = Q(requested_by=user) | Q(sponsor=user)
        if user.directorate_id:
            condition |= Q(directorate=user.directorate_id)
        return self.filter(
            condition
            | (Q(state__in=ProjectRequest.DECIDABLE_OR_DECIDED) & Exists(sits_on_portfolio_committee))
        )

    def editable_by(self, user) -> ProjectRequestQuerySet:
        """The requester changes their request until it is qualified (and again when the PMO found it
        incomplete); the PMO and administrators at any time before the decision."""
        if not user.is_authenticated:
            return self.none()
        open_states = ProjectRequest.OPEN
        if user.has_role(Role.ADMINISTRATOR, Role.PMO):
            return self.filter(state__in=open_states)
        return self.filter(
            requested_by=user,
            state__in=(ProjectRequest.State.SUBMITTED, ProjectRequest.State.INCOMPLETE),
        )

    def candidates(self) -> ProjectRequestQuerySet:
        """What a scenario may select: qualified, proposed or deferred requests."""
        return self.filter(state__in=ProjectRequest.CANDIDATE_STATES)


class ProjectRequest(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        INCOMPLETE = "incomplete", _("Incomplete")
        QUALIFIED = "qualified", _("Qualified")
        PROPOSED = "proposed", _("Proposed to committee")
        APPROVED = "approved", _("Approved (G0)")
        REJECTED = "rejected", _("Rejected")
        DEFERRED = "deferred", _("Deferred")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Urgency(models.IntegerChoices):
        LOW = 1, _("Low")
        MEDIUM = 2, _("Medium")
        HIGH = 3, _("High")
        CRITICAL = 4, _("Critical")

    OPEN = (State.SUBMITTED, State.INCOMPLETE, State.QUALIFIED, State.PROPOSED, State.DEFERRED)
    CANDIDATE_STATES = (State.QUALIFIED, State.PROPOSED, State.DEFERRED)
    DECIDABLE_OR_DECIDED = (
        State.QUALIFIED,
        State.PROPOSED,
        State.APPROVED,
        State.REJECTED,
        State.DEFERRED,
    )

    code = models.CharField(_("code"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    objectives = models.TextField(_("objectives"))
    strategic_objective = models.CharField(_("strategic objective"), max_length=200, blank=True)
    directorate = models.ForeignKey(
        "pmo.Directorate", verbose_name=_("directorate"), on_delete=models.PROTECT, related_name="requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="project_requests",
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sponsor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sponsored_requests",
    )
    proposed_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed project manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expected_benefits = models.TextField(_("expected benefits"), blank=True)
    expected_annual_benefit = models.DecimalField(
        _("expected financial benefit a year"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Once delivered, in the request's currency; blank when the benefits are not financial."),
    )
    main_risks = models.TextField(_("main risks"), blank=True)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency, default=Urgency.MEDIUM)
    regulatory_deadline = models.DateField(_("regulatory deadline"), null=True, blank=True)
    desired_start = models.DateField(_("desired start"), null=True, blank=True)
    desired_end = models.DateField(_("desired end"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default=default_currency)

    state = models.CharField(_("state"), max_length=12, choices=State, default=State.SUBMITTED)
    qualification_comment = models.TextField(_("PMO's comment"), blank=True)
    qualified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("qualified by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    qualified_at = models.DateTimeField(_("qualified at"), null=True, blank=True)
    committee = models.ForeignKey(
        "governance.Committee",
        verbose_name=_("portfolio committee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="project_requests",
        limit_choices_to={"kind": "portfolio"},
    )
    decision = models.ForeignKey(
        "governance.Decision",
        verbose_name=_("G0 decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="project_requests",
    )
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    project = models.OneToOneField(
        "portfolio.Project",
        verbose_name=_("project created"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="origin_request",
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)  # optimistic locking

    objects = ProjectRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("project request")
        verbose_name_plural = _("project requests")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN


class RequestCost(models.Model):
    """The request's estimated cost for one calendar year (a rough phasing, in the request's currency)."""

    request = models.ForeignKey(ProjectRequest, on_delete=models.CASCADE, related_name="costs")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)

    class Meta:
        ordering = ["request", "year"]
        verbose_name = _("estimated cost")
        verbose_name_plural = _("estimated costs")
        constraints = [
            models.UniqueConstraint(fields=["request", "year"], name="request_cost_year_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="request_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"


class RequestCapacity(models.Model):
    """The people the request needs in one calendar year for one role, in person-months (FTE x months)."""

    request = models.ForeignKey(ProjectRequest, on_delete=models.CASCADE, related_name="capacity_needs")
    role = models.ForeignKey(
        "resources.ResourceRole", verbose_name=_("role"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    person_months = models.DecimalField(_("person-months"), max_digits=8, decimal_places=1)

    class Meta:
        ordering = ["request", "year", "role__order"]
        verbose_name = _("capacity need")
        verbose_name_plural = _("capacity needs")
        constraints = [
            models.UniqueConstraint(fields=["request", "role", "year"], name="request_capacity_unique"),
            models.CheckConstraint(condition=Q(person_months__gte=0), name="request_capacity_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.year}: {self.person_months}"


def attachment_path(instance: RequestAttachment, filename: str) -> str:
    return f"demand/{instance.request_id}/{filename}"


class RequestAttachment(models.Model):
    """A file joined to a request (through Django's storage), typed by its content on upload; served only
    to who may see the request."""

    request = models.ForeignKey(ProjectRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["request", "uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name
