"""The roles of the application.

A role is a Django group whose name is the role's value; the groups are
created by a data migration (`pmo/migrations/0002_roles.py`), so every
database has them, and administrators grant roles in the admin.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "Administrator", _("Administrator")
    PMO = "PMO", _("PMO")
    PROJECT_MANAGER = "Project manager", _("Project manager")
    EXECUTIVE = "Executive", _("Executive")
    COMMITTEE_MEMBER = "Committee member", _("Committee member")


# Which home page a user lands on when they hold several roles: the first
# role of theirs in this order decides.
HOME_PRECEDENCE = [Role.PMO, Role.EXECUTIVE, Role.PROJECT_MANAGER, Role.COMMITTEE_MEMBER, Role.ADMINISTRATOR]
