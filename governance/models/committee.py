from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pmo.roles import Role


class CommitteeQuerySet(models.QuerySet):
    def visible_to(self, user) -> CommitteeQuerySet:
        """Oversight roles read every committee; others the committees they chair, run or sit on."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.ADMINISTRATOR, Role.PMO, Role.EXECUTIVE):
            return self
        sits = Exists(Membership.objects.filter(committee=OuterRef("pk"), user=user))
        return self.filter(Q(chair=user) | Q(secretary=user) | sits)

    def attended_by(self, user) -> CommitteeQuerySet:
        """The committees `user` takes part in: as chair, secretary or member."""
        sits = Exists(Membership.objects.filter(committee=OuterRef("pk"), user=user))
        return self.filter(Q(chair=user) | Q(secretary=user) | sits)

    def managed_by(self, user) -> CommitteeQuerySet:
        """The PMO (and administrators) run every committee; a secretary runs their own."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.ADMINISTRATOR, Role.PMO):
            return self
        return self.filter(secretary=user)


class Committee(models.Model):
    class Kind(models.TextChoices):
        STEERING = "steering", _("Steering committee (COPIL)")
        PROJECT = "project", _("Project committee")
        PORTFOLIO = "portfolio", _("Portfolio committee")
        TECHNICAL = "technical", _("Technical committee")
        EXECUTIVE = "executive", _("Executive committee (CODIR)")

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        FORTNIGHTLY = "fortnightly", _("Every two weeks")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        AD_HOC = "ad_hoc", _("When needed")

    code = models.SlugField(_("code"), max_length=30, unique=True, help_text=_("Short name used in links."))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    name = models.CharField(_("name"), max_length=200)
    mandate = models.TextField(_("mandate"), blank=True, help_text=_("Terms of reference."))
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chaired_committees",
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secretary"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committees_as_secretary",
    )
    cadence = models.CharField(_("cadence"), max_length=12, choices=Cadence, default=Cadence.MONTHLY)
    # Scope: the projects the committee oversees, by any of the three.
    scope_projects = models.ManyToManyField(
        "portfolio.Project", verbose_name=_("projects covered"), blank=True, related_name="committees"
    )
    scope_portfolio = models.ForeignKey(
        "portfolio.Portfolio",
        verbose_name=_("portfolio covered"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committees",
    )
    scope_directorate = models.ForeignKey(
        "pmo.Directorate",
        verbose_name=_("directorate covered"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committees",
    )
    quorum = models.PositiveSmallIntegerField(
        _("quorum"), default=0, help_text=_("Voting members who must be present for decisions to be valid.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = CommitteeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:committee_detail", args=[self.code])

    def projects_in_scope(self):
        """Every project the committee oversees: listed ones, its portfolio's (and programmes'), its
        directorate's."""
        from portfolio.models import Project

        scope = Q(committees=self)
        if self.scope_portfolio_id:
            scope |= Q(portfolio=self.scope_portfolio_id) | Q(portfolio__parent=self.scope_portfolio_id)
        if self.scope_directorate_id:
            scope |= Q(directorate=self.scope_directorate_id)
        return Project.objects.filter(scope).distinct()

    def is_managed_by(self, user) -> bool:
        return Committee.objects.managed_by(user).filter(pk=self.pk).exists()


class Membership(models.Model):
    class Role(models.TextChoices):
        VOTING = "voting", _("Voting member")
        ADVISORY = "advisory", _("Advisory member")
        GUEST = "guest", _("Guest")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="committee_memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.VOTING)

    class Meta:
        ordering = ["committee", "role", "user__last_name"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        constraints = [models.UniqueConstraint(fields=["committee", "user"], name="one_membership_per_user")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
