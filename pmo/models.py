from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from pmo.roles import HOME_PRECEDENCE, Role


class Directorate(models.Model):
    """An organisation unit (direction): projects, users and KPIs belong to one."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("directorate")
        verbose_name_plural = _("directorates")

    def __str__(self) -> str:
        return self.name


class UserQuerySet(models.QuerySet):
    def with_role(self, role: Role) -> UserQuerySet:
        return self.filter(groups__name=role.value, is_active=True)


class PmoUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    directorate = models.ForeignKey(
        Directorate,
        verbose_name=_("directorate"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of the emails you receive and of the reports you subscribe to."),
    )

    objects = PmoUserManager()

    class Meta(AbstractUser.Meta):
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[Role]:
        """The roles this user holds; a superuser is an administrator."""
        if not self.is_authenticated or not self.is_active:
            return frozenset()
        names = {group.name for group in self.groups.all()}
        roles = {role for role in Role if role.value in names}
        if self.is_superuser:
            roles.add(Role.ADMINISTRATOR)
        return frozenset(roles)

    @property
    def preferred_language(self) -> str:
        """The language this user reads: theirs, else the site's."""
        return self.language or settings.LANGUAGE_CODE

    def has_role(self, *roles: Role) -> bool:
        return not self.roles.isdisjoint(roles)

    @property
    def is_pmo(self) -> bool:
        return self.has_role(Role.PMO)

    @property
    def is_executive(self) -> bool:
        return self.has_role(Role.EXECUTIVE)

    @property
    def is_project_manager(self) -> bool:
        return self.has_role(Role.PROJECT_MANAGER)

    @property
    def primary_role(self) -> Role | None:
        return next((role for role in HOME_PRECEDENCE if role in self.roles), None)

    @property
    def initials(self) -> str:
        parts = [self.first_name[:1], self.last_name[:1]]
        return ("".join(parts) or self.username[:2]).upper()
