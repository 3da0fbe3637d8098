from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pmo.money import default_currency
from pmo.roles import Role


class Phase(models.Model):
    """A step of the project lifecycle: a list the PMO configures (in the admin)."""

    name = models.CharField(_("name (French)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    takes_baseline = models.BooleanField(
        _("baseline taken on entry"),
        default=False,
        help_text=_("Passing the stage gate into this phase (execution) takes the project's first baseline."),
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")

    def __str__(self) -> str:
        return self.name_en if get_language() == "en" else self.name


class Portfolio(models.Model):
    class Kind(models.TextChoices):
        PORTFOLIO = "portfolio", _("Portfolio")
        PROGRAMME = "programme", _("Programme")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.PORTFOLIO)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("A programme belongs to a portfolio."),
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    directorate = models.ForeignKey(
        "pmo.Directorate",
        verbose_name=_("directorate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="portfolios",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portfolio owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_portfolios",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("portfolio")
        verbose_name_plural = _("portfolios")

    def __str__(self) -> str:
        return self.name


# A project's code is part of its links (/portfolio/projects/PRJ-0042/): no slash, no space, no "..".
CODE_VALIDATOR = RegexValidator(
    r"\A[A-Za-z0-9][A-Za-z0-9._-]*\Z",
    _(
        "Letters, digits, dots, hyphens and underscores only, starting with a letter or a digit (for "
        "example PRJ-0042): the code is part of the project's links."
    ),
)


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProjectQuerySet:
        """The one read rule for projects (docs/confidentiality.md), which every page, partial, export,
        PDF, calendar and API answer follows: a confidential project is seen by its manager, its sponsor,
        its team, the oversight roles (administrators, PMO, executives) and the people of a committee
        (chair, secretary, members) that names it in its scope. A committee that reaches it only through
        a directorate or a portfolio does not open it."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.ADMINISTRATOR, Role.PMO, Role.EXECUTIVE):
            return self
        in_team = Exists(Project.team_members.through.objects.filter(project=OuterRef("pk"), user=user))
        # governance's committees name projects through this table (Committee.scope_projects); read by
        # its fields' names, so that portfolio imports no other app.
        named_by_own_committee = Exists(
            Project.committees.through.objects.filter(project=OuterRef("pk")).filter(
                Q(committee__chair=user) | Q(committee__secretary=user) | Q(committee__memberships__user=user)
            )
        )
        return self.filter(
            Q(confidential=False)
            | Q(project_manager=user)
            | Q(sponsor=user)
            | in_team
            | named_by_own_committee
        )

    def hidden_from(self, user) -> ProjectQuerySet:
        """The confidential projects `user` may not see: what a surface that names projects it did not
        select itself (an agenda item's title, a free-text field) must not show to them."""
        if not user.is_authenticated or user.has_role(Role.ADMINISTRATOR, Role.PMO, Role.EXECUTIVE):
            return self.none()
        return self.filter(confidential=True).exclude(pk__in=Project.objects.visible_to(user).values("pk"))

    def seen_by_every_member_of(self, committee_id: int) -> ProjectQuerySet:
        """What anyone who may read `committee` may see (its packs and minutes are built once for all
        of them): the projects that are not confidential and the ones it names in its scope."""
        return self.filter(Q(confidential=False) | Q(committees=committee_id)).distinct()

    def editable_by(self, user) -> ProjectQuerySet:
        """The one write rule: the PMO and administrators edit every project, a manager their own."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.ADMINISTRATOR, Role.PMO):
            return self
        if user.has_role(Role.PROJECT_MANAGER):
            return self.filter(project_manager=user)
        return self.none()

    def active(self) -> ProjectQuerySet:
        return self.filter(state=Project.State.ACTIVE)

    def managed_by(self, user) -> ProjectQuerySet:
        return self.filter(project_manager=user)

    def for_listing(self) -> ProjectQuerySet:
        return self.select_related(
            "directorate", "portfolio", "project_manager", "sponsor", "phase", "last_report"
        )


class Project(models.Model):
    class Methodology(models.TextChoices):
        CLASSIC = "classic", _("Classic (waterfall)")
        AGILE = "agile", _("Agile")
        HYBRID = "hybrid", _("Hybrid")

    class Priority(models.IntegerChoices):
        CRITICAL = 1, _("Critical")
        HIGH = 2, _("High")
        MEDIUM = 3, _("Medium")
        LOW = 4, _("Low")

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        ON_HOLD = "on_hold", _("On hold")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[CODE_VALIDATOR],
        help_text=_("For example PRJ-0042."),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    directorate = models.ForeignKey(
        "pmo.Directorate",
        verbose_name=_("directorate"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    portfolio = models.ForeignKey(
        Portfolio,
        verbose_name=_("portfolio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sponsor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsored_projects",
    )
    project_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("project manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_projects",
    )
    team_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("team members"), blank=True, related_name="team_projects"
    )
    methodology = models.CharField(
        _("methodology"), max_length=10, choices=Methodology, default=Methodology.CLASSIC
    )
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("phase"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority, default=Priority.MEDIUM)
    strategic_objective = models.CharField(_("strategic objective"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.PROPOSED)
    last_report = models.ForeignKey(
        "portfolio.StatusReport",
        verbose_name=_("last status report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text=_("The latest revision of the latest period, kept by the status service for fast lists."),
    )
    baseline_start = models.DateField(_("baseline start"), null=True, blank=True)
    baseline_end = models.DateField(_("baseline end"), null=True, blank=True)
    forecast_start = models.DateField(_("forecast start"), null=True, blank=True)
    forecast_end = models.DateField(_("forecast end"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget at completion"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    currency = models.CharField(_("currency"), max_length=3, default=default_currency)
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_(
            "Visible only to its sponsor, its project manager, its team, the PMO, executives and the "
            "committees that name it in their scope."
        ),
    )
    # The number of the project's current baseline (planning's Baseline), 0 before the first: from then on the
    # baseline dates and budget change only through an approved change request.
    baseline_version = models.PositiveSmallIntegerField(_("baseline version"), default=0, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)  # for optimistic locking
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProjectQuerySet.as_manager()
    # The audit trail; the optimistic-locking counter and the status service's cache are not history.
    history = HistoricalRecords(excluded_fields=["version", "last_report", "updated_at"])

    class Meta:
        ordering = ["code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_end__isnull=True)
                | Q(baseline_start__isnull=True)
                | Q(baseline_end__gte=models.F("baseline_start")),
                name="project_baseline_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="project_budget_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["state", "directorate"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("portfolio:project_detail", args=[self.code])

    def is_editable_by(self, user) -> bool:
        return Project.objects.editable_by(user).filter(pk=self.pk).exists()

    @property
    def slip_days(self) -> int | None:
        """Days by which the forecast end is later than the baseline end (negative: ahead)."""
        if self.baseline_end and self.forecast_end:
            return (self.forecast_end - self.baseline_end).days
        return None
