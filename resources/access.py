"""Who does what with people by role (written out in docs/resources.md).

- The roles catalogue: every signed-in user reads it; the PMO and administrators change it.
- The capacity grid and the heatmap with its drill-down: the oversight roles (PMO, administrators,
  executives) and project managers read them, as they read the KPIs: the heatmap's totals count every
  project, confidential ones included, but never name one to who may not see it; the drill-down says
  "a confidential project". Committee members only: 403, as on the dashboard. The PMO and administrators
  alone change the capacity.
- A project's demand: whoever may see the project reads it, whoever may edit the project changes it
  (`Project.objects.editable_by`); an outsider gets 404 (`portfolio.access.project_for`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from pmo.roles import Role

MANAGERS = (Role.PMO, Role.ADMINISTRATOR)
READERS = (Role.PMO, Role.ADMINISTRATOR, Role.EXECUTIVE, Role.PROJECT_MANAGER)


def can_manage(user) -> bool:
    """The roles catalogue and the capacity are the PMO's and administrators'."""
    return user.is_authenticated and user.has_role(*MANAGERS)


def require_manager(user) -> None:
    if not can_manage(user):
        raise PermissionDenied


def can_read_allocation(user) -> bool:
    return user.is_authenticated and user.has_role(*READERS)


def require_allocation_reader(user) -> None:
    """The capacity grid, the heatmap and its drill-down."""
    if not can_read_allocation(user):
        raise PermissionDenied
